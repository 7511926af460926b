using System;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// The sending half of a connection: which segment goes out when (new data within the peer's window and the
    /// congestion window, whole segments in one packet when the NIC segments, the FIN, the SYN, pending ACKs).
    /// Every segment carries our timestamps once they were agreed, and SACK blocks while out-of-order data is held.
    /// What is resent after a loss, and when, is in TcpConnection.Recovery.cs.
    /// </summary>
    public sealed partial class TcpConnection
    {
        private uint TimestampNow(long nowMs) => (uint)nowMs + _tsOffset;

        /// <summary>Options of a segment after the handshake: timestamps, and SACK blocks for the out-of-order data held.</summary>
        private TcpOptions SegmentOptions()
        {
            var o = new TcpOptions();
            if (_timestamps)
            {
                o.HasTimestamps = true;
                o.TsVal = TimestampNow(_endpoint.NowMs);
                o.TsEcr = _tsRecent;
            }
            if (_sack && _outOfOrder.Count > 0) _outOfOrder.FillSackBlocks(ref o);
            return o;
        }

        /// <summary>Payload bytes that fit in one segment next to these options (RFC 6691: options come out of the MSS).</summary>
        private int MaxDataFor(in TcpOptions o) => Math.Min(_peerMss, DefaultMss) - o.Length;

        /// <summary>Sends one segment; payload from the send ring at <paramref name="dataOffset"/>. False when no transmit buffer was free.</summary>
        private bool Emit(uint sequence, byte flags, in TcpOptions options, int dataOffset, int length)
        {
            bool ack = (flags & TcpFlags.Ack) != 0;
            var segment = new TcpRepr
            {
                SourcePort = LocalPort, DestinationPort = RemotePort, Sequence = sequence, Acknowledgment = ack ? _rcvNxt : 0,
                Flags = flags, Window = WindowField((flags & TcpFlags.Syn) != 0), Options = options, PayloadLength = length,
            };
            if (!_endpoint.SendSegment(this, in segment, _send, dataOffset)) return false;
            if (ack)
            {
                _lastAckSent = _rcvNxt;
                _ackNeeded = false;
                _delayedAckAt = -1;
            }
            return true;
        }

        /// <summary>One packet of several segments for the NIC to cut (TSO); false when it cannot take one now.</summary>
        private bool EmitSegmented(uint sequence, byte flags, in TcpOptions options, int dataOffset, int length, int segmentSize)
        {
            var segment = new TcpRepr
            {
                SourcePort = LocalPort, DestinationPort = RemotePort, Sequence = sequence, Acknowledgment = _rcvNxt,
                Flags = flags, Window = WindowField(false), Options = options, PayloadLength = length,
            };
            if (!_endpoint.SendSegmented(this, in segment, _send, dataOffset, segmentSize)) return false;
            _lastAckSent = _rcvNxt;
            _ackNeeded = false;
            _delayedAckAt = -1;
            return true;
        }

        private void SendSyn(bool ack, long nowMs, bool retransmission = false)
        {
            // The handshake gives the first RTT sample (RFC 6298 §2.2, as Linux does); without it the RTO stays at
            // its 1 s initial value through the first flight, and a segment lost there waited out the full second.
            // A retransmitted SYN is not timed (Karn).
            if (!retransmission) { _timedSequence = _iss + 1; _timedAtMs = nowMs; }
            _sndNxt = _iss + 1;
            if (Seq.Gt(_sndNxt, _sndMax)) _sndMax = _sndNxt;
            // Our SYN offers what the endpoint offers; a SYN-ACK only what the peer's SYN offered too.
            var o = new TcpOptions { Mss = DefaultMss };
            if (ack ? _windowScaling : _endpoint.OfferWindowScale) { o.HasWindowScale = true; o.WindowScale = OurWindowShift; }
            if (ack ? _sack : _endpoint.OfferSack) o.SackPermitted = true;
            if (ack ? _timestamps : _endpoint.OfferTimestamps)
            {
                o.HasTimestamps = true;
                o.TsVal = TimestampNow(nowMs);
                o.TsEcr = ack ? _tsRecent : 0;
            }
            Emit(_iss, (byte)(TcpFlags.Syn | (ack ? TcpFlags.Ack : 0)), in o, 0, 0);
            if (_retransmitAt < 0) _retransmitAt = nowMs + _rtt.RtoMs;
        }

        private void SendAck()
        {
            var o = SegmentOptions();
            Emit(_sndNxt, TcpFlags.Ack, in o, 0, 0);
        }

        /// <summary>Sends what the windows allow, a FIN when due, a pending ACK; runs the timers.</summary>
        internal void Output(long nowMs)
        {
            if (State == TcpState.TimeWait)
            {
                if (_ackNeeded || _delayedAckAt >= 0) SendAck();
                if (_receive.Count == 0 || nowMs >= _timeWaitUntil) MoveToTimeWaitTable(nowMs);
                return;
            }
            if (State == TcpState.Closed || State == TcpState.Listen) return;

            if (_retransmitAt >= 0 && nowMs >= _retransmitAt) OnRetransmitTimeout(nowMs);
            if (State == TcpState.Closed) return;
            if (State == TcpState.SynSent || State == TcpState.SynReceived) { if (_ackNeeded || _delayedAckAt >= 0) SendAck(); return; }

            if (_sack && _cc.InRecovery) SendInSackRecovery(nowMs);
            else SendNewData(nowMs, int.MaxValue);
            if (_ackNeeded) SendAck();
            else if (_delayedAckAt >= 0 && (nowMs >= _delayedAckAt || !MaySendData))
            {
                // Nothing carried the held ACK in time (or this side can no longer send data that would).
                _endpoint.DelayedAcksSent++;
                SendAck();
            }
        }

        private bool MaySendData => State == TcpState.Established || State == TcpState.CloseWait || State == TcpState.FinWait1
                                    || State == TcpState.LastAck || State == TcpState.Closing;

        /// <summary>New data (and the FIN after it) from SND.NXT, up to <paramref name="maxSegments"/> segments; true if any went.</summary>
        private bool SendNewData(long nowMs, int maxSegments)
        {
            int segments = 0;
            while (segments < maxSegments && MaySendData)
            {
                uint dataEnd = FinSequence;
                int unsent = Seq.Lt(_sndNxt, dataEnd) ? (int)(dataEnd - _sndNxt) : 0;
                // Nothing queued and no FIN due: what follows would compute options and sizes only to send nothing, and
                // every connection's output runs once per turn (with 30 idle keep-alive clients that was 4 % of the guest).
                if (unsent == 0 && !(_finQueued && Seq.Le(_sndNxt, dataEnd))) break;
                var o = SegmentOptions();
                // In SACK recovery the pipe estimate has already allowed this segment; otherwise the congestion window
                // does, plus RFC 3042's limited transmit: the first two duplicate ACKs each let one new segment out, so a
                // small window still produces the third duplicate ACK.
                long congestion = _sack && _cc.InRecovery ? long.MaxValue
                    : _cc.Cwnd + (_cc.InRecovery ? 0 : Math.Min(_cc.DuplicateAcks, 2) * (long)_cc.Smss);
                long usable = Math.Min((long)_sndWnd, congestion) - (long)(uint)(_sndNxt - _sndUna);
                // With a NIC that segments TCP (TSO), one packet may carry many segments' worth: whole segments only,
                // so every segment the NIC cuts is full but perhaps the last.
                int full = MaxDataFor(in o);
                int cap = Math.Max(full, _endpoint.SegmentationCapacity(in o, full));
                int length = (int)Math.Min(Math.Min((long)unsent, (long)cap), Math.Max(usable, 0));
                if (length <= 0 && unsent > 0 && _sndWnd == 0 && _retransmitAt < 0)
                {
                    // Zero window: probe with one byte when the persist timer (the RTO) fires (RFC 9293 §3.8.6.1).
                    _retransmitAt = nowMs + _rtt.RtoMs;
                    _probing = true;
                }
                // Sender SWS avoidance (RFC 9293 §3.8.6.2.1): while data is in flight, a segment shorter than both a
                // full one and what is queued waits for the window to open, unless it is half the largest window seen.
                if (length > 0 && length < unsent && length < full && _sndNxt != _sndUna && length < _maxSndWnd / 2) break;
                bool sendFin = _finQueued && Seq.Le(_sndNxt, dataEnd) && length == unsent;
                if (length <= 0 && !sendFin) break;
                byte flags = (byte)(TcpFlags.Ack | (length > 0 ? TcpFlags.Psh : 0) | (sendFin ? TcpFlags.Fin : 0));
                if (length > full && !EmitSegmented(_sndNxt, flags, in o, (int)(_sndNxt - _sendBase), length, full))
                {
                    // No large buffer (or the next hop is still being resolved): one ordinary segment instead.
                    length = full;
                    sendFin = false;
                    flags = (byte)(TcpFlags.Ack | TcpFlags.Psh);
                    if (!Emit(_sndNxt, flags, in o, (int)(_sndNxt - _sendBase), length)) break;
                }
                else if (length <= full && !Emit(_sndNxt, flags, in o, (int)(_sndNxt - _sendBase), length)) break; // no transmit buffer: next poll
                if (_timedAtMs < 0 && !_timestamps && length > 0 && _sndNxt == _sndMax) { _timedSequence = _sndNxt + (uint)length; _timedAtMs = nowMs; }
                _sndNxt += (uint)length + (sendFin ? 1u : 0u);
                if (Seq.Gt(_sndNxt, _sndMax)) _sndMax = _sndNxt;
                if (sendFin)
                {
                    if (State == TcpState.Established) State = TcpState.FinWait1;
                    else if (State == TcpState.CloseWait) State = TcpState.LastAck;
                }
                if (_retransmitAt < 0) _retransmitAt = nowMs + _rtt.RtoMs;
                segments++;
                if (sendFin) break;
            }
            return segments > 0;
        }
    }
}
