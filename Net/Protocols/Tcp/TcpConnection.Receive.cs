using System;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// The receiving half: the window we advertise (never shrunk, opened only in worthwhile steps, scaled after the
    /// handshake) and segment data handed to <see cref="SegmentReassembly"/>, with the ACKs RFC 5681 §4.2 asks for.
    /// </summary>
    public sealed partial class TcpConnection
    {
        /// <summary>Bytes the receive window may offer beyond the in-order bytes: the ring's room, as far as this ring's guarantee and share of the pool go.</summary>
        private int ReceiveSpace() => _receive.Promisable;

        /// <summary>The window the peer was last told, from RCV.NXT (the acceptability test uses it).</summary>
        private long AdvertisedWindowNow()
        {
            long w = (long)(int)(_rcvAdv - _rcvNxt);
            return w < 0 ? 0 : w;
        }

        /// <summary>
        /// The window field to send, and the right edge it advertises. The edge never moves left (RFC 9293
        /// §3.8.6.2.1) and moves right only by at least min(half the ring, one segment), avoiding the silly window
        /// syndrome (§3.8.6.2.2). After the handshake the field is scaled down by our shift (RFC 7323 §2.3).
        /// </summary>
        private ushort WindowField(bool syn)
        {
            long promised = AdvertisedWindowNow();
            long space = ReceiveSpace();
            long window = space - promised >= Math.Min(_receive.Capacity / 2, _cc.Smss) ? space : promised;
            if (window < promised) window = promised;
            if (syn)
            {
                long field = Math.Min(window, 65535);
                _rcvAdv = _rcvNxt + (uint)field;
                return (ushort)field;
            }
            long scaled = window >> _rcvShift;
            if ((scaled << _rcvShift) < promised) scaled = (promised + (1L << _rcvShift) - 1) >> _rcvShift;
            if (scaled > 65535) scaled = 65535;
            uint edge = _rcvNxt + (uint)(scaled << _rcvShift);
            if (Seq.Gt(edge, _rcvAdv)) _rcvAdv = edge;
            _lastWindowField = (ushort)scaled;
            return (ushort)scaled;
        }

        private ushort _lastWindowField;
        internal ushort LastWindowField => _lastWindowField;

        /// <summary>Takes segment data (see <see cref="SegmentReassembly"/>) and decides when it is acknowledged.</summary>
        private void AcceptData(uint seq, Span<byte> data)
        {
            ReassemblyOutcome outcome = _reassembly.Accept(ref _rcvNxt, seq, data, out int delivered, out bool droppedNoMemory);
            BytesReceived += delivered;
            if (droppedNoMemory) { DroppedNoMemory++; _endpoint.DroppedNoMemory++; }
            _ackNeeded = true;
            switch (outcome)
            {
                case ReassemblyOutcome.Duplicate:
                    DuplicateSegments++;
                    break;
                case ReassemblyOutcome.FilledGap:
                    // RFC 5681 §4.2: a segment that fills (part of) a gap is acknowledged at once.
                    SendAck();
                    break;
                case ReassemblyOutcome.OutOfOrder:
                    // RFC 5681 §4.2: an out-of-order segment gets an immediate duplicate ACK (with SACK blocks, RFC 2018
                    // §4), one per segment, so the sender can count three of them and retransmit without its timer.
                    OutOfOrderSegments++;
                    SendAck();
                    break;
            }
        }
    }
}
