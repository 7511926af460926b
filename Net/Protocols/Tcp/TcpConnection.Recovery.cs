using System;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// Loss recovery and the retransmission timer: NewReno (RFC 5681 §3.2, RFC 6582) with a peer that does not do
    /// SACK, RFC 6675's scoreboard-driven recovery with one that does, what the timer does when it fires (RFC 6298
    /// §5: back off, resend the SYN or go back to SND.UNA) and the persist probe of a closed window (RFC 9293 §3.8.6.1).
    /// The window arithmetic is <see cref="CongestionControl"/>'s, the RTO <see cref="RttEstimator"/>'s; this decides
    /// what is resent and when.
    /// </summary>
    public sealed partial class TcpConnection
    {
        /// <summary>
        /// RFC 6675 §5 step (C): while cwnd - pipe allows a segment, send NextSeg: a hole presumed lost, else new
        /// data, else any hole not yet retransmitted.
        /// </summary>
        private void SendInSackRecovery(long nowMs)
        {
            for (int guard = 0; guard < 256; guard++)
            {
                int pipe = _scoreboard.Pipe(_sndUna, _sndMax, _cc.Smss);
                if (_cc.Cwnd - pipe < _cc.Smss) return;
                if (RetransmitHole(nowMs, lostOnly: true)) continue;
                if (SendNewData(nowMs, 1)) continue;
                if (RetransmitHole(nowMs, lostOnly: false)) continue;
                return;
            }
        }

        /// <summary>NextSeg rules 1 and 3: retransmits the first hole above HighRxt (presumed lost, when asked); false if none.</summary>
        private bool RetransmitHole(long nowMs, bool lostOnly)
        {
            if (!_scoreboard.NextRetransmission(_sndUna, _cc.Smss, lostOnly, out uint start, out int length)) return false;
            return Retransmit(start, length, nowMs, sack: true);
        }

        /// <summary>Resends [start, start + length) (at most one segment, only data), restarting the timer; Karn: no RTT sample from it.</summary>
        private bool Retransmit(uint start, int length, long nowMs, bool sack)
        {
            var o = SegmentOptions();
            length = Math.Min(length, MaxDataFor(in o));
            length = Math.Min(length, (int)(FinSequence - start));
            if (length <= 0 || Seq.Lt(start, _sendBase)) return false;
            if (!Emit(start, (byte)(TcpFlags.Ack | TcpFlags.Psh), in o, (int)(start - _sendBase), length)) return false;
            Retransmissions++;
            if (sack)
            {
                SackRetransmits++;
                if (Seq.Gt(start + (uint)length, _scoreboard.HighRxt)) _scoreboard.HighRxt = start + (uint)length;
            }
            if (Seq.Lt(_sndNxt, start + (uint)length)) _sndNxt = start + (uint)length; // after a timeout went back
            _timedAtMs = -1;
            _retransmitAt = nowMs + _rtt.RtoMs;
            return true;
        }

        /// <summary>Resends the first unacknowledged segment (up to the first SACKed byte).</summary>
        private void RetransmitFirstUnacknowledged(long nowMs)
        {
            uint limit = _sack && !_scoreboard.IsEmpty ? _scoreboard.Start(0) : _sndMax;
            int length = (int)Math.Min((long)(uint)(limit - _sndUna), (long)_cc.Smss);
            // Only a FIN outstanding: the timer resends it.
            if (!Retransmit(_sndUna, length, nowMs, _sack)) _retransmitAt = nowMs + _rtt.RtoMs;
        }

        /// <summary>RFC 5681 §3.1-3.2, RFC 6582 §3.2 and RFC 6675 §5: new data acknowledged, and the end of recovery.</summary>
        private void OnNewAcknowledgment(uint ack, int acked, long nowMs)
        {
            if (_cc.InRecovery)
            {
                if (Seq.Ge(ack, _cc.Recover)) { _cc.ExitRecovery(); return; }
                if (!_sack)
                {
                    // NewReno partial acknowledgment: the next hole was lost too; resend it at once.
                    RetransmitFirstUnacknowledged(nowMs);
                    _cc.DeflateForPartialAck(acked);
                }
                return; // with SACK, the pipe loop in Output decides what goes next
            }
            _cc.OnAcknowledged(acked);
        }

        /// <summary>
        /// A duplicate ACK. Without SACK the third starts NewReno's fast retransmit (RFC 5681 §3.2); with SACK, recovery
        /// begins at the third or as soon as the scoreboard shows the first unacknowledged segment lost (RFC 6675 §5).
        /// </summary>
        private void OnDuplicateAcknowledgment(uint ack, long nowMs)
        {
            _cc.DuplicateAcks++;
            if (_cc.InRecovery)
            {
                if (!_sack) _cc.InflateForDuplicate();
                return;
            }
            if (!_cc.MayEnterRecovery(ack)) return;
            int flight = (int)(_sndMax - _sndUna);
            if (_sack)
            {
                if (_cc.DuplicateAcks < CongestionControl.DuplicateThreshold && !_scoreboard.IsLost(_sndUna, _cc.Smss)) return;
                _cc.EnterSackRecovery(flight, _sndMax);
                _scoreboard.HighRxt = _sndUna;
                SackRecoveries++;
                FastRetransmits++;
                RetransmitFirstUnacknowledged(nowMs);   // step 4.3: the segment from HighACK + 1 goes at once
                return;
            }
            if (_cc.DuplicateAcks != CongestionControl.DuplicateThreshold) return;
            _cc.EnterNewRenoRecovery(flight, _sndMax);
            FastRetransmits++;
            RetransmitFirstUnacknowledged(nowMs);
        }

        /// <summary>
        /// The retransmission timer expired (RFC 6298 §5): back off; resend the SYN, or go back to the first
        /// unacknowledged byte with the loss window. With a zero window it is the persist timer: send a one-byte probe.
        /// </summary>
        private void OnRetransmitTimeout(long nowMs)
        {
            if (++_retransmissions > MaxRetransmissions) { Ending = TcpEnding.TimedOut; Abort(); return; }
            _rtt.Backoff();
            _timedAtMs = -1;
            _retransmitAt = nowMs + _rtt.RtoMs;
            if (State == TcpState.SynSent || State == TcpState.SynReceived)
            {
                Retransmissions++;
                Timeouts++;
                SendSyn(State == TcpState.SynReceived, nowMs, retransmission: true);
                return;
            }
            if (_sndWnd == 0 && _send.Count > 0)
            {
                // Persist (RFC 9293 §3.8.6.1): one byte past the closed window; the window, not the network, stopped us.
                _probing = true;
                _sndNxt = _sndUna;
                var o = SegmentOptions();
                if (Emit(_sndUna, TcpFlags.Ack, in o, (int)(_sndUna - _sendBase), 1))
                {
                    _sndNxt = _sndUna + 1;
                    if (Seq.Gt(_sndNxt, _sndMax)) _sndMax = _sndNxt;
                }
                return;
            }
            Retransmissions++;
            Timeouts++;
            _cc.OnTimeout((int)(_sndMax - _sndUna), _sndMax);
            _scoreboard.Clear(); // RFC 2018 §8: after a timeout the receiver may have reneged; resend from SND.UNA
            _sndNxt = _sndUna;
        }
    }
}
