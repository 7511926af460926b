using System;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// One TCP connection (RFC 9293): the state machine and the application's side (this file); what is sent when,
    /// retransmission and loss recovery are in TcpConnection.Transmit.cs. Its parts are their own types: the send
    /// and receive rings (<see cref="ByteRing"/>, blocks lent by the endpoint's <see cref="TcpBufferPool"/>), the
    /// out-of-order ranges (<see cref="OutOfOrderRanges"/>), the RTO (<see cref="RttEstimator"/>), the congestion
    /// window (<see cref="CongestionControl"/>) and the SACK scoreboard (<see cref="SackScoreboard"/>).
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
        private readonly SackScoreboard _scoreboard = new SackScoreboard();

        public TcpState State { get; private set; }
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
            _cc.SetSegmentSize(_peerMss - (_timestamps ? 12 : 0));
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

        // ---- segment arrival (RFC 9293 §3.10.7) ----

        /// <summary>A segment for this connection: its header, and its payload where it arrived (read before this returns).</summary>
        internal void Input(in TcpRepr segment, Span<byte> payload, long nowMs)
        {
            uint seq = segment.Sequence;
            ref readonly TcpOptions options = ref segment.Options;

            if (State == TcpState.SynSent) { InputSynSent(in segment, nowMs); return; }

            if (_timestamps && !segment.Has(TcpFlags.Rst))
            {
                // RFC 7323 §3.2: once both ends send timestamps, a non-RST segment without them is dropped.
                if (!options.HasTimestamps) { MissingTimestamps++; return; }
                // PAWS (§5.3 R1): a timestamp older than TS.Recent marks an old duplicate; it gets an ACK, nothing more.
                if (Seq.Lt(options.TsVal, _tsRecent))
                {
                    if (nowMs - _tsRecentAtMs > TimestampIdleLimitMs) _tsRecent = options.TsVal; // §5.5: TS.Recent had gone stale
                    else { PawsRejected++; _ackNeeded = true; return; }
                }
            }

            // Acceptability (RFC 9293 §3.10.7.4): some part of the segment must fall in the receive window.
            int length = payload.Length + (segment.Has(TcpFlags.Syn) ? 1 : 0) + (segment.Has(TcpFlags.Fin) ? 1 : 0);
            uint window = (uint)Math.Max(AdvertisedWindowNow(), 1);
            bool acceptable = length == 0
                ? Seq.Ge(seq, _rcvNxt) && Seq.Lt(seq, _rcvNxt + window) || seq == _rcvNxt
                : Seq.Lt(seq, _rcvNxt + window) && Seq.Gt(seq + (uint)length, _rcvNxt);
            if (!acceptable)
            {
                if (!segment.Has(TcpFlags.Rst)) { DuplicateSegments++; _ackNeeded = true; }
                return;
            }
            // RFC 7323 §4.3 R3: TS.Recent follows the segment that covers the last ACK we sent.
            if (_timestamps && options.HasTimestamps && Seq.Ge(options.TsVal, _tsRecent) && Seq.Le(seq, _lastAckSent))
            {
                _tsRecent = options.TsVal;
                _tsRecentAtMs = nowMs;
            }
            if (segment.Has(TcpFlags.Rst))
            {
                // RFC 5961 §3.2: only an exactly matching RST closes; others get a challenge ACK.
                if (seq == _rcvNxt) Free(); else _ackNeeded = true;
                return;
            }
            if (segment.Has(TcpFlags.Syn))
            {
                _ackNeeded = true; // RFC 5961 §4.2: challenge ACK, ignore the SYN
                return;
            }
            if (!segment.Has(TcpFlags.Ack)) return;

            uint ack = segment.Acknowledgment;
            if (State == TcpState.SynReceived)
            {
                if (Seq.Le(ack, _sndUna) || Seq.Gt(ack, _sndNxt)) { _endpoint.SendReset(this, ack); return; }
                State = TcpState.Established;
                if (Listener != null) { Listener.HalfOpen--; Listener.Enqueue(this); Listener = null; }
                if (State == TcpState.Closed) return; // the queue could not take it
            }
            if (Seq.Gt(ack, _sndMax)) { _ackNeeded = true; return; } // acknowledges something never sent
            // RFC 5961 §5.2: an ACK older than the largest window the peer ever gave is a blind injection attempt.
            if (Seq.Lt(ack, _sndUna - _maxSndWnd)) { _ackNeeded = true; return; }

            OnAcknowledgment(in segment, ack, nowMs);
            if (State == TcpState.Closed) return;

            if (payload.Length > 0 && (State == TcpState.Established || State == TcpState.FinWait1 || State == TcpState.FinWait2))
                AcceptData(seq, payload);

            if (segment.Has(TcpFlags.Fin) && seq + (uint)payload.Length == _rcvNxt && !_finReceived)
            {
                _finReceived = true;
                _rcvNxt++;
                _ackNeeded = true;
                switch (State)
                {
                    case TcpState.Established: State = TcpState.CloseWait; break;
                    case TcpState.FinWait1: if (FinAcknowledged) EnterTimeWait(nowMs); else State = TcpState.Closing; break;
                    case TcpState.FinWait2: EnterTimeWait(nowMs); break;
                }
            }
        }

        private void InputSynSent(in TcpRepr segment, long nowMs)
        {
            ref readonly TcpOptions options = ref segment.Options;
            if (segment.Has(TcpFlags.Ack) && (Seq.Le(segment.Acknowledgment, _iss) || Seq.Gt(segment.Acknowledgment, _sndNxt)))
            {
                if (!segment.Has(TcpFlags.Rst)) _endpoint.SendReset(this, segment.Acknowledgment);
                return;
            }
            if (segment.Has(TcpFlags.Rst)) { if (segment.Has(TcpFlags.Ack)) Free(); return; }
            if (!segment.Has(TcpFlags.Syn)) return;
            uint seq = segment.Sequence;
            _irs = seq;
            _rcvNxt = _rcvAdv = _lastAckSent = seq + 1;
            Negotiate(in options, nowMs);
            _sndWnd = _maxSndWnd = segment.Window; // not scaled in a SYN
            _sndWl1 = seq;
            _sndWl2 = segment.Acknowledgment;
            if (segment.Has(TcpFlags.Ack))
            {
                AcknowledgeUpTo(segment.Acknowledgment, in options, nowMs);
                State = TcpState.Established;
                _ackNeeded = true;
            }
            else
            {
                State = TcpState.SynReceived; // simultaneous open
                SendSyn(ack: true, nowMs);
            }
        }

        /// <summary>Our FIN has been sent and acknowledged.</summary>
        private bool FinAcknowledged => _finQueued && Seq.Gt(_sndUna, FinSequence);

        /// <summary>The sequence number our FIN takes: right after the last byte queued.</summary>
        private uint FinSequence => _sendBase + (uint)_send.Count;

        /// <summary>ACK processing (RFC 9293 §3.10.7.4 fifth check): the send window, congestion control, our FIN's fate.</summary>
        private void OnAcknowledgment(in TcpRepr segment, uint ack, long nowMs)
        {
            ref readonly TcpOptions options = ref segment.Options;
            uint window = (uint)segment.Window << _sndShift;
            bool newSack = _sack && _scoreboard.Update(Seq.Gt(ack, _sndUna) ? ack : _sndUna, _sndMax, in options);
            // RFC 5681 §2: a duplicate ACK acknowledges nothing new, carries no data, SYN or FIN, leaves the window as
            // it was, and arrives while data is outstanding. With SACK (RFC 6675 §2) it is one that SACKs new data.
            bool outstanding = _sndMax != _sndUna;
            bool duplicate = ack == _sndUna && outstanding && (newSack
                || segment.PayloadLength == 0 && !segment.Has(TcpFlags.Fin) && window == _sndWnd);
            if (Seq.Gt(ack, _sndUna))
            {
                int acked = (int)(ack - _sndUna);
                AcknowledgeUpTo(ack, in options, nowMs);
                OnNewAcknowledgment(ack, acked, nowMs);
            }
            else if (duplicate) OnDuplicateAcknowledgment(ack, nowMs);
            else if (_probing && window == 0) _retransmissions = 0; // the peer answers our zero-window probes: keep probing

            // RFC 9293 §3.10.7.4: take the window from the newest segment only (SND.WL1/SND.WL2).
            if (Seq.Lt(_sndWl1, segment.Sequence) || (_sndWl1 == segment.Sequence && Seq.Le(_sndWl2, ack)))
            {
                _sndWnd = window;
                if (window > _maxSndWnd) _maxSndWnd = window;
                _sndWl1 = segment.Sequence;
                _sndWl2 = ack;
                if (window > 0) _probing = false;
            }

            if (FinAcknowledged)
            {
                if (State == TcpState.FinWait1) State = TcpState.FinWait2;
                else if (State == TcpState.Closing) EnterTimeWait(nowMs);
                else if (State == TcpState.LastAck) Free();
            }
        }

        /// <summary>The cumulative ACK moved: free acknowledged bytes, take an RTT sample, restart or stop the timer.</summary>
        private void AcknowledgeUpTo(uint ack, in TcpOptions options, long nowMs)
        {
            int flight = (int)(_sndMax - _sndUna);
            // The SYN and FIN occupy a sequence number each but no ring byte: only bytes from _sendBase count.
            if (Seq.Gt(ack, _sendBase))
            {
                int acked = Math.Min((int)(ack - _sendBase), _send.Count);
                _send.Consume(acked);
                _sendBase += (uint)acked;
                BytesSent += acked;
            }
            if (_timestamps && options.HasTimestamps && options.TsEcr != 0)
            {
                // RFC 7323 §4.1: the echoed timestamp times the round trip, retransmission or not; Appendix G
                // weights each sample by how many a window brings.
                long sample = (int)(TimestampNow(nowMs) - options.TsEcr);
                if (sample >= 0 && sample < RttEstimator.MaxRtoMs)
                    _rtt.Sample(sample, Math.Max(1, (flight + 2 * _cc.Smss - 1) / (2 * _cc.Smss)));
                _timedAtMs = -1;
            }
            else if (_timedAtMs >= 0 && Seq.Ge(ack, _timedSequence))
            {
                _rtt.Sample(nowMs - _timedAtMs);
                _timedAtMs = -1;
            }
            _sndUna = ack;
            if (Seq.Gt(ack, _sndNxt)) _sndNxt = ack; // sent before a timeout went back: no need to send it again
            if (_sack) _scoreboard.Advance(ack);
            _retransmissions = 0;
            _retransmitAt = _sndUna == _sndMax ? -1 : nowMs + _rtt.RtoMs;
        }

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
            if (_ackNeeded) SendAck();
            var entry = new TimeWaitTable.Entry
            {
                RemoteAddress = RemoteAddress.Value, RemotePort = RemotePort, LocalPort = LocalPort,
                SndNxt = _sndNxt, RcvNxt = _rcvNxt, HasTimestamps = _timestamps, TsRecent = _tsRecent, TsOffset = _tsOffset,
                Window = _lastWindowField, ExpiresMs = _timeWaitUntil,
            };
            _endpoint.EnterTimeWait(in entry);
            Free();
        }

        // ---- receiving data ----

        /// <summary>Bytes the receive window may offer beyond the in-order bytes: the ring's room, as far as this ring's guarantee and share of the pool go.</summary>
        private int ReceiveSpace() => _receive.Promisable;

        /// <summary>The window the peer was last told, from RCV.NXT (the acceptability test uses it).</summary>
        private long AdvertisedWindowNow()
        {
            long w = (long)(int)(_rcvAdv - _rcvNxt);
            return w < 0 ? 0 : w;
        }

        /// <summary>Takes in-order data and keeps out-of-order data (within the ring) until the gap fills.</summary>
        private void AcceptData(uint seq, Span<byte> data)
        {
            // Trim anything before rcv_nxt (a partial retransmission).
            if (Seq.Lt(seq, _rcvNxt))
            {
                int skip = (int)(_rcvNxt - seq);
                if (skip >= data.Length) { DuplicateSegments++; _ackNeeded = true; return; }
                data = data.Slice(skip);
                seq = _rcvNxt;
            }
            int offset = (int)(seq - _rcvNxt);
            int room = _receive.Capacity - _receive.Count - offset;
            if (room <= 0) { _ackNeeded = true; return; }
            if (data.Length > room) data = data.Slice(0, room);
            if (offset == 0)
            {
                bool hadGap = _outOfOrder.Count > 0;
                int stored = _receive.Append(data);
                if (stored < data.Length && hadGap)
                {
                    // No block for the data that fills the gap: out-of-order data holds them. Give that up (reneging is
                    // allowed, RFC 2018 §8: the sender keeps all it has not seen cumulatively acknowledged, as Linux
                    // prunes its out-of-order queue) so the connection can move on.
                    _outOfOrder.Clear();
                    _receive.DropBeyondCount();
                    hadGap = false;
                    stored += _receive.Append(data.Slice(stored));
                }
                if (stored < data.Length) { DroppedNoMemory++; _endpoint.DroppedNoMemory++; }
                _rcvNxt += (uint)stored;
                BytesReceived += stored;
                if (hadGap)
                {
                    uint joined = _outOfOrder.Advance(_rcvNxt);
                    int more = (int)(joined - _rcvNxt);
                    if (more > 0) { _receive.Commit(more); _rcvNxt = joined; BytesReceived += more; }
                    if (_outOfOrder.Count == 0) _receive.DropBeyondCount();
                    // RFC 5681 §4.2: a segment that fills (part of) a gap is acknowledged at once.
                    _ackNeeded = true;
                    SendAck();
                    return;
                }
                _ackNeeded = true;
                return;
            }
            OutOfOrderSegments++;
            uint end = seq + (uint)data.Length;
            if (!_outOfOrder.CanAdd(seq, end)) { }                    // no range left to remember it by: the sender resends it
            else if (!_receive.WriteAt(_receive.Count + offset, data)) { DroppedNoMemory++; _endpoint.DroppedNoMemory++; }
            else _outOfOrder.Add(seq, end);
            // RFC 5681 §4.2: an out-of-order segment gets an immediate duplicate ACK (with SACK blocks, RFC 2018 §4),
            // one per segment, so the sender can count three of them and retransmit without waiting for its timer.
            _ackNeeded = true;
            SendAck();
        }
    }
}
