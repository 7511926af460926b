using System;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// The congestion window (RFC 5681): slow start and congestion avoidance, the loss window after a timeout, and
    /// the windows of fast recovery, either NewReno's (RFC 6582: inflated by duplicate ACKs, deflated by partial
    /// ACKs) or, when SACK is in use, RFC 6675's (cwnd = ssthresh, the pipe estimate decides what may be sent).
    /// Only the arithmetic; the connection decides what to send.
    /// </summary>
    public struct CongestionControl
    {
        public const int MaxWindow = 1 << 20;
        public const int DuplicateThreshold = 3;   // DupThresh, RFC 5681 §3.2 / RFC 6675 §2

        public int Cwnd;
        public int Ssthresh;
        public int Smss;
        public int DuplicateAcks;
        public bool InRecovery;
        /// <summary>RFC 6582's "recover" / RFC 6675's RecoveryPoint: the highest sequence sent when recovery began (or at the last timeout).</summary>
        public uint Recover;
        /// <summary>After a timeout, no new recovery may start until the cumulative ACK reaches <see cref="Recover"/> (RFC 6582 §4.1, RFC 6675 §5.1).</summary>
        public bool RecoverFence;

        /// <summary>RFC 5681 §3.1 (from RFC 3390): IW = min(4 SMSS, max(2 SMSS, 4380 bytes)).</summary>
        public static int InitialWindow(int smss) => Math.Min(4 * smss, Math.Max(2 * smss, 4380));

        public void Reset(int smss)
        {
            Smss = smss;
            Cwnd = InitialWindow(smss);
            Ssthresh = MaxWindow;  // "arbitrarily high" (RFC 5681 §3.1)
            DuplicateAcks = 0;
            InRecovery = false;
            RecoverFence = false;
        }

        /// <summary>The peer's MSS became known (SYN): the initial window follows the segment size.</summary>
        public void SetSegmentSize(int smss)
        {
            Smss = smss;
            Cwnd = InitialWindow(smss);
        }

        /// <summary>
        /// New data acknowledged outside recovery: slow start grows by the bytes acknowledged, at most two segments
        /// per ACK (RFC 3465's L = 2 SMSS: our receivers acknowledge once per service turn, often several segments at
        /// a time); congestion avoidance by about one segment per window (RFC 5681 eq. 3, counted in bytes).
        /// </summary>
        public void OnAcknowledged(int acked)
        {
            DuplicateAcks = 0;
            if (Cwnd < Ssthresh) Cwnd += Math.Min(acked, 2 * Smss);
            else Cwnd += Math.Max(1, (int)((long)Smss * Math.Min(acked, Cwnd) / Cwnd));
            if (Cwnd > MaxWindow) Cwnd = MaxWindow;
        }

        /// <summary>RFC 5681 eq. 4: ssthresh = max(FlightSize / 2, 2 SMSS).</summary>
        private void HalveInto(int flightSize) => Ssthresh = Math.Max(flightSize / 2, 2 * Smss);

        /// <summary>Whether a new recovery may begin at this cumulative ACK (not before the fence a timeout set).</summary>
        public bool MayEnterRecovery(uint ack) => !RecoverFence || Seq.Ge(ack, Recover);

        /// <summary>NewReno (RFC 6582 §3.2 steps 2-3): the third duplicate ACK; cwnd = ssthresh + 3 SMSS.</summary>
        public void EnterNewRenoRecovery(int flightSize, uint highestSent)
        {
            HalveInto(flightSize);
            Recover = highestSent;
            InRecovery = true;
            RecoverFence = false;
            Cwnd = Ssthresh + 3 * Smss;
        }

        /// <summary>RFC 6675 §5 step 4.2: RecoveryPoint = HighData, cwnd = ssthresh = FlightSize / 2.</summary>
        public void EnterSackRecovery(int flightSize, uint highData)
        {
            HalveInto(flightSize);
            Recover = highData;
            InRecovery = true;
            RecoverFence = false;
            Cwnd = Ssthresh;
        }

        /// <summary>NewReno: a duplicate ACK during recovery means a segment left the network (RFC 6582 §3.2 step 4).</summary>
        public void InflateForDuplicate() => Cwnd = Math.Min(Cwnd + Smss, MaxWindow);

        /// <summary>NewReno partial ACK (RFC 6582 §3.2 step 5): deflate by what was acknowledged, add back one segment.</summary>
        public void DeflateForPartialAck(int acked) => Cwnd = Math.Max(Cwnd - acked + Smss, Smss);

        /// <summary>Recovery ends at a cumulative ACK past the recovery point: deflate to ssthresh (RFC 6582 §3.2 step 6, RFC 6675 §5).</summary>
        public void ExitRecovery()
        {
            InRecovery = false;
            DuplicateAcks = 0;
            Cwnd = Ssthresh;
        }

        /// <summary>
        /// RFC 5681 §3.1 on a retransmission timeout: ssthresh from half the flight, cwnd the loss window of one
        /// segment, recovery abandoned and fenced until <paramref name="highestSent"/> is acknowledged.
        /// </summary>
        public void OnTimeout(int flightSize, uint highestSent)
        {
            HalveInto(flightSize);
            Cwnd = Smss;
            DuplicateAcks = 0;
            InRecovery = false;
            Recover = highestSent;
            RecoverFence = true;
        }
    }
}
