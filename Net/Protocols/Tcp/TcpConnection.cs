using System;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// One TCP connection (RFC 9293): the state machine, a send buffer holding unacknowledged and unsent bytes,
    /// a receive buffer that also keeps out-of-order segments, retransmission with RTO estimated per RFC 6298,
    /// flow control by the peer's advertised window (with a persist probe when it is zero), congestion control
    /// (RFC 5681: slow start, congestion avoidance, fast retransmit on three duplicate ACKs, limited transmit
    /// (RFC 3042), and fast recovery with NewReno's partial acknowledgments, RFC 6582), FIN and RST.
    /// Connections come from a fixed pool in <see cref="TcpEndpoint"/> and are reused after Closed.
    /// </summary>
    public sealed class TcpConnection
    {
        public const int BufferSize = 32 * 1024;
        public const ushort DefaultMss = 1460;
        private const int MaxOutOfOrder = 8;
        private const long MinRtoMs = 200;         // RFC 6298 says 1 s; like Linux we use 200 ms on fast local links
        private const long MaxRtoMs = 60_000;
        private const long InitialRtoMs = 1000;    // RFC 6298 §2.1
        private const int MaxRetransmissions = 12;
        public const long TimeWaitMs = 2000;       // shortened 2*MSL: a test kernel must not run out of connections

        private readonly TcpEndpoint _endpoint;
        internal readonly int Slot;

        public TcpState State { get; private set; }
        public Ipv4Address RemoteAddress { get; private set; }
        public ushort RemotePort { get; private set; }
        public ushort LocalPort { get; private set; }
        internal TcpListenerQueue Listener;

        // Send sequence space (RFC 9293 §3.3.1).
        private uint _iss, _sndUna, _sndNxt;
        // The highest sequence number sent. After a timeout _sndNxt goes back to _sndUna, but an ACK for data sent
        // before it is still valid and must be taken (with the data it carries), not discarded as "not yet sent".
        private uint _sndMax;
        private uint _sndWnd;
        private ushort _mss = DefaultMss;
        private readonly byte[] _send = new byte[BufferSize];
        private int _sendHead;        // index of the byte at _sndUna
        private int _sendCount;       // bytes from _sndUna on (unacknowledged + unsent)
        private bool _finQueued, _finSent;

        // Receive sequence space.
        private uint _irs, _rcvNxt;
        private readonly byte[] _receive = new byte[BufferSize];
        private int _receiveHead, _receiveCount;
        private bool _finReceived;
        private readonly uint[] _oooStart = new uint[MaxOutOfOrder];
        private readonly uint[] _oooEnd = new uint[MaxOutOfOrder];
        private int _oooCount;

        // Timers (milliseconds of the stack's clock).
        private long _rtoMs = InitialRtoMs, _srtt, _rttvar;
        private bool _haveRtt;
        private long _retransmitAt = -1;
        private int _retransmissions;
        private uint _timedSequence;
        private long _timedAtMs = -1;
        private long _timeWaitUntil;
        private bool _ackNeeded;

        // Congestion control (RFC 5681 §3): bytes the network is trusted with, and where slow start ends.
        private const int MaxCongestionWindow = 1 << 20;
        private int _cwnd, _ssthresh;
        private int _duplicateAcks;
        private bool _inRecovery;
        private uint _recover;        // RFC 6582 §3.2: the highest sequence sent when recovery began

        public long BytesReceived, BytesSent, Retransmissions, OutOfOrderSegments, DuplicateSegments;
        /// <summary>Retransmissions on three duplicate ACKs or a partial ACK, without waiting for the timer.</summary>
        public long FastRetransmits;
        /// <summary>Retransmission timer expiries (each one collapses the congestion window to one segment).</summary>
        public long Timeouts;
        public int CongestionWindow => _cwnd;
        public int SlowStartThreshold => _ssthresh;
        public long RtoMs => _rtoMs;

        internal TcpConnection(TcpEndpoint endpoint, int slot)
        {
            _endpoint = endpoint;
            Slot = slot;
        }

        public bool IsFree => State == TcpState.Closed;
        public int Available => _receiveCount;
        /// <summary>The peer closed its side and every byte before its FIN has been read.</summary>
        public bool IsReadClosed => _finReceived && _receiveCount == 0;
        public int SendSpace => BufferSize - _sendCount;
        public bool IsEstablished => State == TcpState.Established || State == TcpState.CloseWait;
        private ushort ReceiveWindow => (ushort)Math.Min(BufferSize - _receiveCount, 65535);

        internal void Reset(ushort localPort, Ipv4Address remote, ushort remotePort, uint iss)
        {
            LocalPort = localPort;
            RemoteAddress = remote;
            RemotePort = remotePort;
            _iss = iss;
            _sndUna = iss;
            _sndNxt = iss;
            _sndMax = iss;
            _sndWnd = 0;
            _mss = DefaultMss;
            _sendHead = _sendCount = 0;
            _finQueued = _finSent = false;
            _receiveHead = _receiveCount = 0;
            _finReceived = false;
            _oooCount = 0;
            _rtoMs = InitialRtoMs;
            _haveRtt = false;
            _retransmitAt = -1;
            _retransmissions = 0;
            _timedAtMs = -1;
            _ackNeeded = false;
            Listener = null;
            BytesReceived = BytesSent = Retransmissions = OutOfOrderSegments = DuplicateSegments = FastRetransmits = Timeouts = 0;
            _cwnd = InitialWindow(_mss);
            _ssthresh = MaxCongestionWindow; // "arbitrarily high" (RFC 5681 §3.1)
            _duplicateAcks = 0;
            _inRecovery = false;
        }

        /// <summary>RFC 5681 §3.1 (from RFC 3390): IW = min(4 SMSS, max(2 SMSS, 4380 bytes)), three segments of 1460.</summary>
        private static int InitialWindow(int mss) => Math.Min(4 * mss, Math.Max(2 * mss, 4380));

        // ---- opening ----

        internal void OpenPassive(uint remoteSequence, ushort mss, ushort window, long nowMs)
        {
            _irs = remoteSequence;
            _rcvNxt = remoteSequence + 1;
            _sndWnd = window;
            if (mss != 0) _mss = (ushort)Math.Min((int)mss, DefaultMss);
            _cwnd = InitialWindow(_mss);
            State = TcpState.SynReceived;
            SendSyn(ack: true, nowMs);
        }

        internal void OpenActive(long nowMs)
        {
            State = TcpState.SynSent;
            SendSyn(ack: false, nowMs);
        }

        private void SendSyn(bool ack, long nowMs)
        {
            // The handshake gives the first RTT sample (RFC 6298 §2.2, as Linux does); without it the RTO stays at
            // its 1 s initial value through the first flight, and a segment lost there waited out the full second.
            // A retransmitted SYN is not timed (Karn): OnRetransmitTimeout clears the measurement.
            _timedSequence = _iss + 1;
            _timedAtMs = nowMs;
            _sndNxt = _iss + 1;
            if (Seq.Gt(_sndNxt, _sndMax)) _sndMax = _sndNxt;
            _endpoint.SendSegment(this, _iss, ack ? _rcvNxt : 0, (byte)(TcpFlags.Syn | (ack ? TcpFlags.Ack : 0)), ReceiveWindow, DefaultMss, default);
            if (_retransmitAt < 0) _retransmitAt = nowMs + _rtoMs;
        }

        // ---- application side ----

        public int Read(Span<byte> destination)
        {
            int n = Math.Min(destination.Length, _receiveCount);
            Ring.CopyOut(_receive, _receiveHead, destination.Slice(0, n));
            _receiveHead = (_receiveHead + n) % BufferSize;
            bool windowWasSmall = BufferSize - _receiveCount < _mss;
            _receiveCount -= n;
            // Tell the peer when reading reopened a window that had closed (avoids a stalled sender).
            if (n > 0 && windowWasSmall) _ackNeeded = true;
            return n;
        }

        /// <summary>Queues bytes to send; returns how many fit in the send buffer.</summary>
        public int Write(ReadOnlySpan<byte> data)
        {
            if (_finQueued || !(State == TcpState.Established || State == TcpState.CloseWait || State == TcpState.SynReceived)) return 0;
            int n = Math.Min(data.Length, BufferSize - _sendCount);
            Ring.CopyIn(_send, (_sendHead + _sendCount) % BufferSize, data.Slice(0, n));
            _sendCount += n;
            return n;
        }

        /// <summary>Sends a FIN after the queued data (RFC 9293 §3.10.4 CLOSE).</summary>
        public void Close()
        {
            if (State == TcpState.SynSent || State == TcpState.Listen) { Free(); return; }
            if (_finQueued) return;
            _finQueued = true;
        }

        public void Abort()
        {
            if (State != TcpState.Closed && State != TcpState.TimeWait)
                _endpoint.SendSegment(this, _sndNxt, 0, TcpFlags.Rst, 0, 0, default);
            Free();
        }

        internal void Free()
        {
            State = TcpState.Closed;
            _retransmitAt = -1;
        }

        // ---- segment arrival (RFC 9293 §3.10.7) ----

        internal void Input(in TcpSegment segment, long nowMs)
        {
            byte flags = segment.Flags;
            uint seq = segment.Sequence;
            Span<byte> payload = segment.Payload;

            if (State == TcpState.SynSent)
            {
                if (segment.Has(TcpFlags.Ack) && (Seq.Le(segment.Acknowledgment, _iss) || Seq.Gt(segment.Acknowledgment, _sndNxt)))
                {
                    if (!segment.Has(TcpFlags.Rst)) _endpoint.SendSegment(this, segment.Acknowledgment, 0, TcpFlags.Rst, 0, 0, default);
                    return;
                }
                if (segment.Has(TcpFlags.Rst)) { if (segment.Has(TcpFlags.Ack)) Free(); return; }
                if (!segment.Has(TcpFlags.Syn)) return;
                _irs = seq;
                _rcvNxt = seq + 1;
                ushort mss = segment.MaximumSegmentSize;
                if (mss != 0) _mss = (ushort)Math.Min((int)mss, DefaultMss);
                _cwnd = InitialWindow(_mss);
                _sndWnd = segment.Window;
                if (segment.Has(TcpFlags.Ack))
                {
                    AcknowledgeUpTo(segment.Acknowledgment, nowMs);
                    State = TcpState.Established;
                    _ackNeeded = true;
                }
                else
                {
                    State = TcpState.SynReceived; // simultaneous open
                    SendSyn(ack: true, nowMs);
                }
                return;
            }

            // Acceptability (RFC 9293 §3.10.7.4): some part of the segment must fall in the receive window.
            int length = payload.Length + (segment.Has(TcpFlags.Syn) ? 1 : 0) + (segment.Has(TcpFlags.Fin) ? 1 : 0);
            uint window = (uint)Math.Max((int)ReceiveWindow, 1);
            bool acceptable = length == 0
                ? Seq.Ge(seq, _rcvNxt) && Seq.Lt(seq, _rcvNxt + window) || seq == _rcvNxt
                : Seq.Lt(seq, _rcvNxt + window) && Seq.Gt(seq + (uint)length, _rcvNxt);
            if (!acceptable)
            {
                if (!segment.Has(TcpFlags.Rst)) { DuplicateSegments++; _ackNeeded = true; }
                return;
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
                if (Seq.Le(ack, _sndUna) || Seq.Gt(ack, _sndNxt)) { _endpoint.SendSegment(this, ack, 0, TcpFlags.Rst, 0, 0, default); return; }
                State = TcpState.Established;
                Listener?.Enqueue(this);
            }
            if (Seq.Gt(ack, _sndMax)) { _ackNeeded = true; return; } // acknowledges something never sent
            // RFC 5681 §2: a duplicate ACK acknowledges nothing new, carries no data, SYN or FIN, leaves the
            // window as it was, and arrives while data is outstanding.
            bool duplicate = ack == _sndUna && payload.Length == 0 && (flags & (TcpFlags.Syn | TcpFlags.Fin)) == 0
                             && segment.Window == _sndWnd && _sndMax != _sndUna;
            if (Seq.Gt(ack, _sndUna))
            {
                int acked = (int)(ack - _sndUna);
                AcknowledgeUpTo(ack, nowMs);
                OnNewAcknowledgment(ack, acked, nowMs);
            }
            else if (duplicate) OnDuplicateAcknowledgment(nowMs);
            _sndWnd = segment.Window;

            // Our FIN acknowledged?
            if (_finSent && ack == _sndNxt)
            {
                if (State == TcpState.FinWait1) State = TcpState.FinWait2;
                else if (State == TcpState.Closing) EnterTimeWait(nowMs);
                else if (State == TcpState.LastAck) { Free(); return; }
            }

            if (payload.Length > 0 && (State == TcpState.Established || State == TcpState.FinWait1 || State == TcpState.FinWait2))
                AcceptData(seq, payload);

            if (segment.Has(TcpFlags.Fin) && seq + (uint)payload.Length == _rcvNxt && !_finReceived)
            {
                _finReceived = true;
                _rcvNxt++;
                _ackNeeded = true;
                switch (State)
                {
                    case TcpState.SynReceived:
                    case TcpState.Established: State = TcpState.CloseWait; break;
                    case TcpState.FinWait1: State = _finSent && _sndUna == _sndNxt ? TcpState.TimeWait : TcpState.Closing; if (State == TcpState.TimeWait) EnterTimeWait(nowMs); break;
                    case TcpState.FinWait2: EnterTimeWait(nowMs); break;
                }
            }
        }

        private void EnterTimeWait(long nowMs)
        {
            State = TcpState.TimeWait;
            _timeWaitUntil = nowMs + TimeWaitMs;
            _retransmitAt = -1;
        }

        private void AcknowledgeUpTo(uint ack, long nowMs)
        {
            int acked = (int)(ack - _sndUna);
            // The SYN and FIN occupy a sequence number each but no buffer byte.
            if (_sndUna == _iss) acked--;
            if (_finSent && ack == _sndNxt) acked--;
            if (acked > 0)
            {
                acked = Math.Min(acked, _sendCount);
                _sendHead = (_sendHead + acked) % BufferSize;
                _sendCount -= acked;
                BytesSent += acked;
            }
            if (_timedAtMs >= 0 && Seq.Ge(ack, _timedSequence))
            {
                UpdateRtt(nowMs - _timedAtMs);
                _timedAtMs = -1;
            }
            _sndUna = ack;
            if (Seq.Gt(ack, _sndNxt)) _sndNxt = ack; // sent before a timeout went back: no need to send it again
            _retransmissions = 0;
            _retransmitAt = _sndUna == _sndMax ? -1 : nowMs + _rtoMs;
        }

        /// <summary>RFC 6298 §2: SRTT and RTTVAR from a new sample; RTO = SRTT + 4 RTTVAR, clamped.</summary>
        private void UpdateRtt(long sampleMs)
        {
            if (sampleMs < 1) sampleMs = 1;
            if (!_haveRtt)
            {
                _srtt = sampleMs;
                _rttvar = sampleMs / 2;
                _haveRtt = true;
            }
            else
            {
                long delta = Math.Abs(_srtt - sampleMs);
                _rttvar = (3 * _rttvar + delta) / 4;
                _srtt = (7 * _srtt + sampleMs) / 8;
            }
            _rtoMs = Math.Min(Math.Max(_srtt + Math.Max(4 * _rttvar, 1), MinRtoMs), MaxRtoMs);
        }

        /// <summary>Takes in-order data and keeps out-of-order data (within the window) until the gap fills.</summary>
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
            int room = BufferSize - _receiveCount - offset;
            if (room <= 0) { _ackNeeded = true; return; }
            int n = Math.Min(data.Length, room);
            Ring.CopyIn(_receive, (_receiveHead + _receiveCount + offset) % BufferSize, data.Slice(0, n));
            if (offset == 0)
            {
                _receiveCount += n;
                _rcvNxt += (uint)n;
                BytesReceived += n;
                MergeOutOfOrder();
            }
            else
            {
                OutOfOrderSegments++;
                RecordOutOfOrder(seq, seq + (uint)n);
                // RFC 5681 §4.2: an out-of-order segment gets an immediate duplicate ACK, one per segment, so
                // the sender can count three of them and retransmit without waiting for its timer.
                _ackNeeded = true;
                SendAck();
                return;
            }
            _ackNeeded = true;
        }

        private void RecordOutOfOrder(uint start, uint end)
        {
            for (int i = 0; i < _oooCount; i++)
            {
                if (Seq.Le(start, _oooEnd[i]) && Seq.Ge(end, _oooStart[i]))
                {
                    if (Seq.Lt(start, _oooStart[i])) _oooStart[i] = start;
                    if (Seq.Gt(end, _oooEnd[i])) _oooEnd[i] = end;
                    return;
                }
            }
            if (_oooCount < MaxOutOfOrder) { _oooStart[_oooCount] = start; _oooEnd[_oooCount] = end; _oooCount++; }
            // else: forgotten; the sender will retransmit it
        }

        private void MergeOutOfOrder()
        {
            bool progress = true;
            while (progress)
            {
                progress = false;
                for (int i = 0; i < _oooCount; i++)
                {
                    if (Seq.Gt(_oooStart[i], _rcvNxt)) continue;
                    if (Seq.Gt(_oooEnd[i], _rcvNxt))
                    {
                        int n = (int)(_oooEnd[i] - _rcvNxt);
                        _receiveCount += n;
                        _rcvNxt += (uint)n;
                        BytesReceived += n;
                    }
                    _oooStart[i] = _oooStart[_oooCount - 1];
                    _oooEnd[i] = _oooEnd[_oooCount - 1];
                    _oooCount--;
                    progress = true;
                    break;
                }
            }
        }

        // ---- output and timers ----

        /// <summary>Sends what the window allows, a FIN when due, a pending ACK; handles the timers.</summary>
        internal void Output(long nowMs)
        {
            if (State == TcpState.TimeWait)
            {
                if (_ackNeeded) { SendAck(); }
                if (nowMs >= _timeWaitUntil) Free();
                return;
            }
            if (State == TcpState.Closed || State == TcpState.Listen) return;

            if (_retransmitAt >= 0 && nowMs >= _retransmitAt) OnRetransmitTimeout(nowMs);
            if (State == TcpState.Closed) return;
            if (State == TcpState.SynSent || State == TcpState.SynReceived) { if (_ackNeeded) SendAck(); return; }

            bool sent = false;
            while (!_finSent) // after our FIN no data may follow (RFC 9293 §3.10.4); only ACKs below
            {
                // Bytes of the send buffer in flight: the sequence space in flight minus a SYN still unacknowledged.
                int inFlight = (int)(_sndNxt - _sndUna) - (_sndUna == _iss ? 1 : 0);
                int unsent = _sendCount - inFlight;
                // RFC 3042 (limited transmit): the first two duplicate ACKs each let one new segment out beyond the
                // congestion window, so a small window still produces the third duplicate ACK.
                int congestion = _cwnd + (_inRecovery ? 0 : Math.Min(_duplicateAcks, 2) * _mss);
                int window = Math.Min((int)_sndWnd, congestion) - (int)(_sndNxt - _sndUna);
                int length = Math.Min(Math.Min(unsent, _mss), Math.Max(window, 0));
                if (length <= 0 && unsent > 0 && _sndWnd == 0 && _retransmitAt < 0)
                {
                    // Zero window: probe with one byte when the persist timer (the RTO) fires (RFC 9293 §3.8.6.1).
                    _retransmitAt = nowMs + _rtoMs;
                }
                bool sendFin = _finQueued && !_finSent && unsent - Math.Max(length, 0) == 0
                               && (State == TcpState.Established || State == TcpState.CloseWait);
                if (length <= 0 && !sendFin) break;
                byte flags = (byte)(TcpFlags.Ack | (length > 0 ? TcpFlags.Psh : 0) | (sendFin ? TcpFlags.Fin : 0));
                int offset = inFlight;
                if (!_endpoint.SendSegment(this, _sndNxt, _rcvNxt, flags, ReceiveWindow, 0, new SendWindow(_send, (_sendHead + offset) % BufferSize, Math.Max(length, 0))))
                    break; // no transmit buffer: try again on the next poll
                if (_timedAtMs < 0 && length > 0) { _timedSequence = _sndNxt + (uint)length; _timedAtMs = nowMs; }
                _sndNxt += (uint)Math.Max(length, 0);
                if (Seq.Gt(_sndNxt, _sndMax)) _sndMax = _sndNxt;
                if (sendFin)
                {
                    _sndNxt++;
                    if (Seq.Gt(_sndNxt, _sndMax)) _sndMax = _sndNxt;
                    _finSent = true;
                    State = State == TcpState.CloseWait ? TcpState.LastAck : TcpState.FinWait1;
                }
                if (_retransmitAt < 0) _retransmitAt = nowMs + _rtoMs;
                sent = true;
                _ackNeeded = false;
                if (sendFin) break;
            }
            if (!sent && _ackNeeded) SendAck();
        }

        /// <summary>RFC 5681 §3.1-3.2 and RFC 6582 §3.2: window growth on new data acknowledged, and the end of recovery.</summary>
        private void OnNewAcknowledgment(uint ack, int acked, long nowMs)
        {
            _duplicateAcks = 0;
            if (_inRecovery)
            {
                if (Seq.Ge(ack, _recover))
                {
                    _inRecovery = false;  // full acknowledgment: deflate to the threshold
                    _cwnd = _ssthresh;
                }
                else
                {
                    // Partial acknowledgment: the next hole was lost too; resend it at once, deflate by what was
                    // acknowledged and add back one segment (RFC 6582 §3.2 step 5).
                    RetransmitFirstUnacknowledged(nowMs);
                    _cwnd = Math.Max(_cwnd - acked + _mss, _mss);
                }
                return;
            }
            // Slow start grows by the bytes acknowledged, at most two segments per ACK (RFC 3465's L = 2 SMSS:
            // our receivers acknowledge once per service turn, often several segments at a time); congestion
            // avoidance by about one segment per window (RFC 5681 eq. 3, counted in bytes).
            if (_cwnd < _ssthresh) _cwnd += Math.Min(acked, 2 * _mss);
            else _cwnd += Math.Max(1, (int)((long)_mss * Math.Min(acked, _cwnd) / _cwnd));
            if (_cwnd > MaxCongestionWindow) _cwnd = MaxCongestionWindow;
        }

        /// <summary>RFC 5681 §3.2: the third duplicate ACK starts fast retransmit and recovery; later ones inflate the window.</summary>
        private void OnDuplicateAcknowledgment(long nowMs)
        {
            _duplicateAcks++;
            if (_inRecovery)
            {
                _cwnd = Math.Min(_cwnd + _mss, MaxCongestionWindow); // another segment has left the network
                return;
            }
            if (_duplicateAcks != 3) return;
            _ssthresh = Math.Max((int)(_sndMax - _sndUna) / 2, 2 * _mss); // eq. 4: FlightSize / 2
            _recover = _sndMax;
            _inRecovery = true;
            FastRetransmits++;
            RetransmitFirstUnacknowledged(nowMs);
            _cwnd = _ssthresh + 3 * _mss;
        }

        /// <summary>Resends the first unacknowledged segment (Karn: no RTT sample from it) and restarts the timer.</summary>
        private void RetransmitFirstUnacknowledged(long nowMs)
        {
            int inFlight = (int)(_sndMax - _sndUna) - (_sndUna == _iss ? 1 : 0);
            int length = Math.Min(Math.Min(inFlight, _sendCount), _mss);
            if (length <= 0) return; // only a FIN is outstanding: the timer resends it
            if (_endpoint.SendSegment(this, _sndUna, _rcvNxt, (byte)(TcpFlags.Ack | TcpFlags.Psh), ReceiveWindow, 0, new SendWindow(_send, _sendHead, length)))
            {
                Retransmissions++;
                _ackNeeded = false;
                if (Seq.Lt(_sndNxt, _sndUna + (uint)length)) _sndNxt = _sndUna + (uint)length; // after a timeout went back
            }
            _timedAtMs = -1;
            _retransmitAt = nowMs + _rtoMs;
        }

        private void SendAck()
        {
            if (_endpoint.SendSegment(this, _sndNxt, _rcvNxt, TcpFlags.Ack, ReceiveWindow, 0, default)) _ackNeeded = false;
        }

        /// <summary>RFC 6298 §5: back off, go back to the first unacknowledged byte (Karn: no RTT sample from it).</summary>
        private void OnRetransmitTimeout(long nowMs)
        {
            if (++_retransmissions > MaxRetransmissions) { Abort(); return; }
            Retransmissions++;
            Timeouts++;
            // RFC 5681 §3.1, equations 4 and the loss window: half the flight (at least two segments) becomes the
            // threshold, and sending restarts from one segment in slow start.
            _ssthresh = Math.Max((int)(_sndMax - _sndUna) / 2, 2 * _mss);
            _cwnd = _mss;
            _duplicateAcks = 0;
            _inRecovery = false;
            _rtoMs = Math.Min(_rtoMs * 2, MaxRtoMs);
            _timedAtMs = -1;
            _retransmitAt = nowMs + _rtoMs;
            if (State == TcpState.SynSent || State == TcpState.SynReceived)
            {
                _endpoint.SendSegment(this, _iss, State == TcpState.SynReceived ? _rcvNxt : 0,
                    (byte)(TcpFlags.Syn | (State == TcpState.SynReceived ? TcpFlags.Ack : 0)), ReceiveWindow, DefaultMss, default);
                return;
            }
            _sndNxt = _sndUna;
            if (_finSent) { _finSent = false; if (State == TcpState.FinWait1) State = TcpState.Established; else if (State == TcpState.LastAck || State == TcpState.Closing) State = TcpState.CloseWait; }
            if (_sndWnd == 0 && _sendCount > 0)
            {
                // Persist probe: one byte past the closed window.
                _endpoint.SendSegment(this, _sndNxt, _rcvNxt, TcpFlags.Ack, ReceiveWindow, 0, new SendWindow(_send, _sendHead, 1));
            }
        }
    }

    /// <summary>Copies into and out of a circular buffer in at most two pieces (two memmoves, not a byte loop).</summary>
    public static class Ring
    {
        public static void CopyIn(byte[] ring, int at, ReadOnlySpan<byte> data)
        {
            int first = Math.Min(data.Length, ring.Length - at);
            data.Slice(0, first).CopyTo(ring.AsSpan(at, first));
            if (first < data.Length) data.Slice(first).CopyTo(ring.AsSpan(0, data.Length - first));
        }

        public static void CopyOut(byte[] ring, int at, Span<byte> destination)
        {
            int first = Math.Min(destination.Length, ring.Length - at);
            ring.AsSpan(at, first).CopyTo(destination);
            if (first < destination.Length) ring.AsSpan(0, destination.Length - first).CopyTo(destination.Slice(first));
        }
    }

    /// <summary>Bytes of a connection's send ring to copy into a segment.</summary>
    public readonly struct SendWindow
    {
        public readonly byte[] Ring;
        public readonly int Start;
        public readonly int Length;
        public SendWindow(byte[] ring, int start, int length) { Ring = ring; Start = start; Length = length; }
    }
}
