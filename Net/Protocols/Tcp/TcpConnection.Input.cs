using System;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// Segment arrival (RFC 9293 §3.10.7): the checks every segment passes in order (timestamps and PAWS, RFC 7323
    /// §3.2 and §5; acceptability; RST and SYN with RFC 5961's challenge ACKs; the ACK field), the SYN-SENT case,
    /// and what an acceptable ACK does to the send side (the window, the ring, RTT samples, our FIN's fate).
    /// </summary>
    public sealed partial class TcpConnection
    {
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
                if (seq == _rcvNxt) { Ending = TcpEnding.Reset; Free(); } else _ackNeeded = true;
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
            if (segment.Has(TcpFlags.Rst)) { if (segment.Has(TcpFlags.Ack)) { Ending = TcpEnding.Refused; Free(); } return; }
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
    }
}
