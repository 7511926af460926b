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

        /// <summary>
        /// How long the ACK of in-order data may wait for a reply to carry it. A request's reply is written by the program
        /// in the event loop's next turn, a fraction of a millisecond later even under TCG; without the wait every request
        /// cost a pure ACK and then the reply, two frames where one does (redis-benchmark over tap, 1 December). Far below
        /// RFC 9293 §3.8.6.3's 0.5 s limit and Linux's 40 ms, so a peer whose Nagle waits on this ACK loses little.
        /// </summary>
        public const int DelayedAckMs = 2;

        /// <summary>
        /// In-order data: acknowledged at once when two full-sized segments' worth is unacknowledged (RFC 5681 §4.2,
        /// RFC 9293 §3.8.6.3: at least every second full-sized segment), otherwise held for <see cref="DelayedAckMs"/> so
        /// the reply can carry it.
        /// </summary>
        private void AcknowledgeInOrder()
        {
            if (!_endpoint.DelayAcks || (int)(_rcvNxt - _lastAckSent) >= 2 * _cc.Smss) { _ackNeeded = true; return; }
            if (_delayedAckAt < 0) _delayedAckAt = _endpoint.NowMs + DelayedAckMs;
        }

        /// <summary>Takes segment data (see <see cref="SegmentReassembly"/>) and decides when it is acknowledged.</summary>
        private void AcceptData(uint seq, Span<byte> data)
        {
            ReassemblyOutcome outcome = _reassembly.Accept(ref _rcvNxt, seq, data, out int delivered, out bool droppedNoMemory);
            BytesReceived += delivered;
            if (droppedNoMemory) { DroppedNoMemory++; _endpoint.DroppedNoMemory++; }
            if (outcome == ReassemblyOutcome.InOrder && !droppedNoMemory) { AcknowledgeInOrder(); return; }
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
