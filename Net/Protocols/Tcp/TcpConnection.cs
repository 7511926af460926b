using System;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// One TCP connection (RFC 9293), one concept a file: the record, its opening, the application's side and
    /// TIME-WAIT (this file); segment arrival (TcpConnection.Input.cs); the receive window and incoming data
    /// (TcpConnection.Receive.cs); what is sent when (TcpConnection.Transmit.cs); loss recovery and the
    /// retransmission timer (TcpConnection.Recovery.cs). Its parts are their own types: the send and receive rings
    /// (<see cref="ByteRing"/>, blocks lent by the endpoint's <see cref="TcpBufferPool"/>), reassembly
    /// (<see cref="SegmentReassembly"/> over <see cref="OutOfOrderRanges"/>), the RTO (<see cref="RttEstimator"/>),
    /// the congestion window (<see cref="CongestionControl"/>) and the SACK scoreboard (<see cref="SackScoreboard"/>).
    /// Window scaling, timestamps with PAWS (RFC 7323) and SACK (RFC 2018) are used when both ends offered them
    /// on the SYNs. Connection records come from a fixed pool in <see cref="TcpEndpoint"/> and are reused after
    /// Closed; TIME-WAIT is kept in the endpoint's <see cref="TimeWaitTable"/>, not in a record.
    /// </summary>
    public sealed partial class TcpConnection
    {
        /// <summary>Capacity of each of a connection's two rings; the pool decides how much of it is backed at a time.</summary>
        public const int BufferSize = 512 * 1024;
        /// <summary>Our MSS: a 1500-byte MTU less the IPv4 and TCP fixed headers (RFC 6691).</summary>
        public const ushort DefaultMss = 1460;
        /// <summary>RFC 9293 §3.7.1: the send MSS when the peer's SYN carried no MSS option.</summary>
        public const ushort MssWithoutOption = 536;
        /// <summary>2 MSL as Linux keeps it. TIME-WAIT costs a table entry, not a connection record.</summary>
        public const long TimeWaitMs = 60_000;
        /// <summary>
        /// Blocks of the pool each open connection is guaranteed, each ring its own: 8 KiB to send (a response written in
        /// one piece fits), 4 KiB to receive. Separate, so data waiting to be read can never take the blocks an echo
        /// needs to answer it (one shared guarantee stalled echo connections on a small pool).
        /// </summary>
        public const int SendGuaranteedBlocks = 4, ReceiveGuaranteedBlocks = 2;
        public const int GuaranteedBlocks = SendGuaranteedBlocks + ReceiveGuaranteedBlocks;
        private const int MaxRetransmissions = 12;
        /// <summary>RFC 7323 §5.5: TS.Recent is invalid after 24 days without a segment.</summary>
        private const long TimestampIdleLimitMs = 24L * 24 * 3600 * 1000;

        private readonly TcpEndpoint _endpoint;
        internal readonly int Slot;
        internal readonly BufferAccount SendAccount = new BufferAccount(), ReceiveAccount = new BufferAccount();
        private readonly ByteRing _send, _receive;
        private readonly OutOfOrderRanges _outOfOrder = new OutOfOrderRanges();
        private readonly SegmentReassembly _reassembly;
        private readonly SackScoreboard _scoreboard = new SackScoreboard();

        public TcpState State { get; private set; }
        /// <summary>
        /// Counts the record's uses: a holder that keeps a reference (a socket) compares it with the value it saw at
        /// open, since a freed record is soon reused for another connection.
        /// </summary>
        public int Generation { get; private set; }
        /// <summary>Why this use of the record ended (valid while <see cref="Generation"/> is unchanged).</summary>
        public TcpEnding Ending { get; internal set; }
        public Ipv4Address RemoteAddress { get; private set; }
        public ushort RemotePort { get; private set; }
        public ushort LocalPort { get; private set; }
        internal TcpListenerQueue Listener;
        internal TcpListenerQueue QueuedIn;
        internal int ActiveIndex = -1;

        // Send sequence space (RFC 9293 §3.3.1). _sendBase is the sequence number of the send ring's first byte.
        private uint _iss, _sndUna, _sndNxt, _sendBase;
        // The highest sequence number sent. After a timeout _sndNxt goes back to _sndUna, but an ACK for data sent
        // before it is still valid and must be taken (with the data it carries), not discarded as "not yet sent".
        private uint _sndMax;
        private uint _sndWnd, _maxSndWnd, _sndWl1, _sndWl2;
        private int _peerMss = DefaultMss;
        private bool _finQueued;

        // Receive sequence space; _rcvAdv is the right edge of the window last advertised (never moved left).
        private uint _irs, _rcvNxt, _rcvAdv, _lastAckSent;
        private bool _finReceived;

        // Negotiated on the SYNs (RFC 7323 §2.2 and §3.2, RFC 2018 §2).
        private bool _windowScaling, _timestamps, _sack;
        private byte _sndShift, _rcvShift;
        private uint _tsRecent, _tsOffset;
        private long _tsRecentAtMs;

        // Timers (milliseconds of the stack's clock).
        private RttEstimator _rtt = RttEstimator.Initial;
        private long _retransmitAt = -1;
        private int _retransmissions;
        private uint _timedSequence;
        private long _timedAtMs = -1;
        private long _timeWaitUntil;
        private bool _ackNeeded;
        /// <summary>When a held ACK must go out on its own (stack milliseconds), or -1 when none is held.</summary>
        private long _delayedAckAt = -1;
        private bool _probing;

        private CongestionControl _cc;

        public long BytesReceived, BytesSent, Retransmissions, OutOfOrderSegments, DuplicateSegments;
        /// <summary>Retransmissions on three duplicate ACKs, SACK loss detection or a partial ACK, without waiting for the timer.</summary>
        public long FastRetransmits;
        /// <summary>Retransmission timer expiries (each one collapses the congestion window to one segment).</summary>
        public long Timeouts;
        /// <summary>Segments dropped by PAWS (RFC 7323 §5): their timestamp was older than TS.Recent.</summary>
        public long PawsRejected;
        /// <summary>Non-RST segments without the timestamps both ends agreed to send (RFC 7323 §3.2: dropped).</summary>
        public long MissingTimestamps;
        /// <summary>Loss recoveries run with the SACK scoreboard (RFC 6675), and segments retransmitted in them.</summary>
        public long SackRecoveries, SackRetransmits;
        /// <summary>Segments (or parts) not kept because the buffer pool had no block to lend.</summary>
        public long DroppedNoMemory;

        public int CongestionWindow => _cc.Cwnd;
        public int SlowStartThreshold => _cc.Ssthresh;
        public long RtoMs => _rtt.RtoMs;
        public bool WindowScalingNegotiated => _windowScaling;
        public bool TimestampsNegotiated => _timestamps;
        public bool SackNegotiated => _sack;
        /// <summary>The shift the peer applies to the windows we advertise, and the one we apply to its windows.</summary>
        public int ReceiveWindowShift => _rcvShift;
        public int SendWindowShift => _sndShift;
        /// <summary>The peer's advertised window, in bytes (scaled).</summary>
        public long PeerWindow => _sndWnd;
        /// <summary>Bytes of payload in a full-sized segment we send (the peer's MSS less our options, RFC 6691).</summary>
        public int SendMss => _cc.Smss;
        public int BlocksHeld => SendAccount.Held + ReceiveAccount.Held;
        internal uint InitialSendSequence => _iss;

        internal TcpConnection(TcpEndpoint endpoint, int slot, TcpBufferPool pool)
        {
            _endpoint = endpoint;
            Slot = slot;
            _send = new ByteRing(pool, SendAccount, BufferSize);
            _receive = new ByteRing(pool, ReceiveAccount, BufferSize);
            _reassembly = new SegmentReassembly(_receive, _outOfOrder);
        }

        public bool IsFree => State == TcpState.Closed;
        public int Available => _receive.Count;
        /// <summary>The peer closed its side and every byte before its FIN has been read.</summary>
        public bool IsReadClosed => _finReceived && _receive.Count == 0;
        /// <summary>Bytes <see cref="Write"/> would take now (the ring's room, as far as the pool backs it).</summary>
        public int SendSpace => _finQueued ? 0 : _send.Writable;
        public bool IsEstablished => State == TcpState.Established || State == TcpState.CloseWait;

        /// <summary>The shift we announce: the smallest that lets the window field cover the whole ring (RFC 7323 §2.3).</summary>
        public static byte OurWindowShift
        {
            get { byte s = 0; while ((BufferSize >> s) > 65535) s++; return s; }
        }

        internal void Reset(ushort localPort, Ipv4Address remote, ushort remotePort, uint iss, uint tsOffset)
        {
            Generation++;
            Ending = TcpEnding.None;
            LocalPort = localPort;
            RemoteAddress = remote;
            RemotePort = remotePort;
            _iss = iss;
            _sndUna = _sndNxt = _sndMax = iss;
            _sendBase = iss + 1;
            _sndWnd = _maxSndWnd = 0;
            _sndWl1 = _sndWl2 = 0;
            _peerMss = DefaultMss;
            _finQueued = false;
            _send.Clear();
            _receive.Clear();
            _finReceived = false;
            _outOfOrder.Clear();
            _scoreboard.Clear();
            _windowScaling = _timestamps = _sack = false;
            _sndShift = _rcvShift = 0;
            _tsRecent = 0;
            _tsOffset = tsOffset;
            _tsRecentAtMs = 0;
            _rtt = RttEstimator.Initial;
            _retransmitAt = -1;
            _retransmissions = 0;
            _timedAtMs = -1;
            _ackNeeded = false;
            _delayedAckAt = -1;
            _probing = false;
            Listener = null;
            QueuedIn = null;
            BytesReceived = BytesSent = Retransmissions = OutOfOrderSegments = DuplicateSegments = FastRetransmits = Timeouts = 0;
            PawsRejected = MissingTimestamps = SackRecoveries = SackRetransmits = DroppedNoMemory = 0;
            _cc.Reset(DefaultMss);
        }

        // ---- opening ----

        /// <summary>A SYN reached a listening port: take what it offers (only what we offer too) and answer with a SYN-ACK.</summary>
        internal void OpenPassive(uint remoteSequence, in TcpOptions options, ushort window, long nowMs)
        {
            _irs = remoteSequence;
            _rcvNxt = _rcvAdv = _lastAckSent = remoteSequence + 1;
            Negotiate(in options, nowMs);
            _sndWnd = _maxSndWnd = window;   // never scaled in a SYN (RFC 7323 §2.2)
            _sndWl1 = remoteSequence;
            _sndWl2 = _iss;
            State = TcpState.SynReceived;
            SendSyn(ack: true, nowMs);
        }

        internal void OpenActive(long nowMs)
        {
            _rcvAdv = 0;
            State = TcpState.SynSent;
            SendSyn(ack: false, nowMs);
        }

        /// <summary>What the peer's SYN offered, kept when we offer it as well (RFC 7323 §2.2, §3.2; RFC 2018 §2).</summary>
        private void Negotiate(in TcpOptions options, long nowMs)
        {
            _windowScaling = _endpoint.OfferWindowScale && options.HasWindowScale;
            _sndShift = _windowScaling ? options.WindowScale : (byte)0;
            _rcvShift = _windowScaling ? OurWindowShift : (byte)0;
            _timestamps = _endpoint.OfferTimestamps && options.HasTimestamps;
            if (_timestamps) { _tsRecent = options.TsVal; _tsRecentAtMs = nowMs; }
            _sack = _endpoint.OfferSack && options.SackPermitted;
            _peerMss = options.Mss != 0 ? Math.Min((int)options.Mss, DefaultMss) : MssWithoutOption;
            _cc.SetSegmentSize(_peerMss - (_timestamps ? 2 + TcpOptions.TimestampsLength : 0)); // RFC 6691: options come out of the MSS (NOP NOP TS)
        }

        // ---- application side ----

        public int Read(Span<byte> destination)
        {
            long windowBefore = AdvertisedWindowNow();
            int n = _receive.Read(destination);
            // Tell the peer when reading reopened a window that had closed to less than a segment (a stalled sender).
            if (n > 0 && windowBefore < _cc.Smss && ReceiveSpace() >= _cc.Smss) _ackNeeded = true;
            return n;
        }

        /// <summary>
        /// Moves up to <paramref name="max"/> received in-order bytes into <paramref name="destination"/>'s send buffer
        /// (this connection itself for an echo) straight from ring to ring: one copy, where a <see cref="Read"/> into a
        /// buffer and a <see cref="Write"/> from it take two, and under TCG the copies are most of an echo's guest time.
        /// Moves only what the destination takes; returns the bytes moved.
        /// </summary>
        public int ForwardTo(TcpConnection destination, int max)
        {
            long windowBefore = AdvertisedWindowNow();
            int limit = Math.Min(Math.Min(max, _receive.Count), destination.SendSpace);
            int moved = 0;
            while (moved < limit)
            {
                ReadOnlySpan<byte> piece = _receive.PeekContiguous(moved);
                if (piece.IsEmpty) break;
                if (piece.Length > limit - moved) piece = piece.Slice(0, limit - moved);
                int taken = destination.Write(piece);
                moved += taken;
                if (taken < piece.Length) break;
            }
            _receive.Consume(moved);
            // As in Read: reopening a window that had closed to less than a segment is worth telling the peer.
            if (moved > 0 && windowBefore < _cc.Smss && ReceiveSpace() >= _cc.Smss) _ackNeeded = true;
            return moved;
        }

        /// <summary>Queues bytes to send; returns how many fit in the send buffer.</summary>
        public int Write(ReadOnlySpan<byte> data)
        {
            if (_finQueued || !(State == TcpState.Established || State == TcpState.CloseWait || State == TcpState.SynReceived)) return 0;
            return _send.Append(data);
        }

        /// <summary>Sends a FIN after the queued data (RFC 9293 §3.10.4 CLOSE).</summary>
        public void Close()
        {
            if (State == TcpState.SynSent || State == TcpState.Listen) { Free(); return; }
            if (State == TcpState.Closed) return;
            _finQueued = true;
        }

        public void Abort()
        {
            if (State != TcpState.Closed && Ending == TcpEnding.None) Ending = TcpEnding.Aborted;
            if (State != TcpState.Closed && State != TcpState.TimeWait && State != TcpState.SynSent)
                _endpoint.SendReset(this, _sndNxt);
            Free();
        }

        /// <summary>Gives the record back: blocks to the pool, the 4-tuple out of the index, a half-open count to its listener.</summary>
        internal void Free()
        {
            if (State == TcpState.Closed) return;
            if (State == TcpState.SynReceived && Listener != null) Listener.HalfOpen--;
            QueuedIn?.Remove(this);
            QueuedIn = null;
            _send.Clear();
            _receive.Clear();
            _outOfOrder.Clear();
            _scoreboard.Clear();
            State = TcpState.Closed;
            _retransmitAt = -1;
            _endpoint.Release(this);
        }

        // ---- TIME-WAIT ----

        private void EnterTimeWait(long nowMs)
        {
            State = TcpState.TimeWait;
            _timeWaitUntil = nowMs + TimeWaitMs;
            _retransmitAt = -1;
            // Unread bytes keep the record until the application has them (or the time is up); then only the
            // 4-tuple and its numbers stay, in the endpoint's table.
            if (_receive.Count == 0) MoveToTimeWaitTable(nowMs);
        }

        private void MoveToTimeWaitTable(long nowMs)
        {
            if (_ackNeeded || _delayedAckAt >= 0) SendAck();
            var entry = new TimeWaitTable.Entry
            {
                RemoteAddress = RemoteAddress.Value, RemotePort = RemotePort, LocalPort = LocalPort,
                SndNxt = _sndNxt, RcvNxt = _rcvNxt, HasTimestamps = _timestamps, TsRecent = _tsRecent, TsOffset = _tsOffset,
                Window = _lastWindowField, ExpiresMs = _timeWaitUntil,
            };
            _endpoint.EnterTimeWait(in entry);
            Free();
        }
    }
}
