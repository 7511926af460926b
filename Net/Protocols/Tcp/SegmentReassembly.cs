using System;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>What became of a segment's data in <see cref="SegmentReassembly.Accept"/>.</summary>
    public enum ReassemblyOutcome : byte
    {
        /// <summary>Every byte was already received (a retransmission): nothing stored.</summary>
        Duplicate,
        /// <summary>It starts at or beyond the ring's free room: nothing stored.</summary>
        NoRoom,
        /// <summary>In order: appended, RCV.NXT moved past what was stored.</summary>
        InOrder,
        /// <summary>In order, and it filled (part of) a gap: data held beyond it joined where it now touches.</summary>
        FilledGap,
        /// <summary>Beyond a gap: kept in the ring for later where a range and a block could be found.</summary>
        OutOfOrder,
    }

    /// <summary>
    /// The receiver's reassembly (RFC 9293 §3.10.7.4, "seventh, process the segment text"): segment data goes into
    /// the receive ring at its place relative to RCV.NXT; in-order bytes move RCV.NXT on, bytes beyond a gap wait in
    /// the ring (positions past its count, their ranges in <see cref="OutOfOrderRanges"/>) until the gap fills. The
    /// ring and the ranges belong to the connection, which reads the one and reports the other as SACK blocks; this
    /// decides only where data goes. When the pool has no block for data that fills the gap because out-of-order
    /// data holds them, that data is given up (RFC 2018 §8 reneging: the sender keeps all it has not seen
    /// cumulatively acknowledged, as Linux prunes its out-of-order queue), so the connection cannot stall.
    /// </summary>
    public sealed class SegmentReassembly
    {
        private readonly ByteRing _ring;
        private readonly OutOfOrderRanges _ranges;

        public SegmentReassembly(ByteRing ring, OutOfOrderRanges ranges)
        {
            _ring = ring;
            _ranges = ranges;
        }

        /// <summary>
        /// Places <paramref name="data"/>, whose first byte has sequence number <paramref name="seq"/>. RCV.NXT moves
        /// on by the bytes that are now in order (<paramref name="delivered"/>: this segment's and any held data it
        /// joined). <paramref name="droppedNoMemory"/> says some of it was not kept for want of a pool block.
        /// </summary>
        public ReassemblyOutcome Accept(ref uint rcvNxt, uint seq, ReadOnlySpan<byte> data, out int delivered, out bool droppedNoMemory)
        {
            delivered = 0;
            droppedNoMemory = false;
            // Trim anything before RCV.NXT (a partial retransmission).
            if (Seq.Lt(seq, rcvNxt))
            {
                int skip = (int)(rcvNxt - seq);
                if (skip >= data.Length) return ReassemblyOutcome.Duplicate;
                data = data.Slice(skip);
                seq = rcvNxt;
            }
            int offset = (int)(seq - rcvNxt);
            int room = _ring.Capacity - _ring.Count - offset;
            if (room <= 0) return ReassemblyOutcome.NoRoom;
            if (data.Length > room) data = data.Slice(0, room);

            if (offset > 0)
            {
                uint end = seq + (uint)data.Length;
                if (!_ranges.CanAdd(seq, end)) { }                          // no range left to remember it by: the sender resends it
                else if (!_ring.WriteAt(_ring.Count + offset, data)) droppedNoMemory = true;
                else _ranges.Add(seq, end);
                return ReassemblyOutcome.OutOfOrder;
            }

            bool hadGap = _ranges.Count > 0;
            int stored = _ring.Append(data);
            if (stored < data.Length && hadGap)
            {
                // No block for the data that fills the gap: the out-of-order data holds them. Renege (see above).
                _ranges.Clear();
                _ring.DropBeyondCount();
                hadGap = false;
                stored += _ring.Append(data.Slice(stored));
            }
            droppedNoMemory = stored < data.Length;
            rcvNxt += (uint)stored;
            delivered = stored;
            if (!hadGap) return ReassemblyOutcome.InOrder;

            uint joined = _ranges.Advance(rcvNxt);
            int more = (int)(joined - rcvNxt);
            if (more > 0)
            {
                _ring.Commit(more);
                rcvNxt = joined;
                delivered += more;
            }
            if (_ranges.Count == 0) _ring.DropBeyondCount();
            return ReassemblyOutcome.FilledGap;
        }
    }
}
