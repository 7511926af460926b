using System;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Interface
{
    /// <summary>What became of a fragment given to <see cref="Ipv4Reassembly.Add"/>.</summary>
    public enum ReassemblyResult : byte { Incomplete, Complete, Dropped }

    /// <summary>
    /// IPv4 fragment reassembly (RFC 791 §3.2, with RFC 815's idea of tracking what is still missing, here as a bitmap
    /// of 8-byte units) within fixed limits: at most <see cref="MaxDatagrams"/> datagrams at once, each at most
    /// <see cref="MaxDatagramSize"/> bytes of payload, each given <see cref="TimeoutMs"/> to complete. Beyond them
    /// fragments are dropped and counted. Overlaps are taken with RFC 5722's caution: a fragment that repeats bytes
    /// already held must repeat them exactly; one that contradicts them (different bytes, another end, data past the
    /// end) discards the whole datagram, so overlapping fragments can never be used to rewrite a header that was
    /// already checked. All buffers are allocated here, once.
    /// </summary>
    public sealed class Ipv4Reassembly
    {
        public const int MaxDatagrams = 4;
        public const int MaxDatagramSize = 16 * 1024;
        /// <summary>RFC 791's lower bound for the reassembly timer.</summary>
        public const long TimeoutMs = 15_000;
        private const int Units = MaxDatagramSize / 8;

        private sealed class Datagram
        {
            public readonly byte[] Data = new byte[MaxDatagramSize];
            public readonly ulong[] Received = new ulong[Units / 64];
            public Ipv4Address Source, Destination;
            public byte Protocol;
            public ushort Identification;
            public int TotalLength;      // -1 until the last fragment arrives
            public long StartedMs;
            public bool Used;
        }

        private readonly Datagram[] _slots = new Datagram[MaxDatagrams];

        /// <summary>Datagrams completed.</summary>
        public long Reassembled;
        /// <summary>Datagrams given up: timed out, contradicted by an overlap, larger than the cap.</summary>
        public long TimedOut, Inconsistent, TooLarge;
        /// <summary>Fragments dropped because every slot was busy, or because they were malformed (a non-final one not a multiple of 8 bytes, or empty).</summary>
        public long NoSlot, Malformed;

        public Ipv4Reassembly()
        {
            for (int i = 0; i < MaxDatagrams; i++) _slots[i] = new Datagram();
        }

        public int InProgress
        {
            get { int n = 0; for (int i = 0; i < MaxDatagrams; i++) if (_slots[i].Used) n++; return n; }
        }

        /// <summary>
        /// Takes one fragment: <paramref name="offset"/> in bytes (the header's offset times 8), <paramref name="more"/>
        /// its MF flag. When it completes a datagram, <paramref name="datagram"/> is the whole payload (valid until the
        /// next call).
        /// </summary>
        public ReassemblyResult Add(Ipv4Address source, Ipv4Address destination, byte protocol, ushort identification,
            int offset, bool more, ReadOnlySpan<byte> payload, long nowMs, out Span<byte> datagram)
        {
            datagram = default;
            int end = offset + payload.Length;
            if (payload.Length == 0 || (more && payload.Length % 8 != 0)) { Malformed++; return ReassemblyResult.Dropped; }
            Datagram d = Find(source, destination, protocol, identification);
            if (end > MaxDatagramSize)
            {
                TooLarge++;
                if (d != null) d.Used = false; // it can never be completed within the cap
                return ReassemblyResult.Dropped;
            }
            if (d == null)
            {
                d = FreeSlot();
                if (d == null) { NoSlot++; return ReassemblyResult.Dropped; }
                d.Used = true;
                d.Source = source;
                d.Destination = destination;
                d.Protocol = protocol;
                d.Identification = identification;
                d.TotalLength = -1;
                d.StartedMs = nowMs;
                for (int i = 0; i < d.Received.Length; i++) d.Received[i] = 0;
            }
            if (!Consistent(d, offset, end, more, payload))
            {
                Inconsistent++;
                d.Used = false;
                return ReassemblyResult.Dropped;
            }
            if (!more) d.TotalLength = end;
            payload.CopyTo(new Span<byte>(d.Data, offset, payload.Length));
            for (int unit = offset / 8; unit * 8 < end; unit++) d.Received[unit >> 6] |= 1UL << (unit & 63);
            if (d.TotalLength < 0 || !AllReceived(d)) return ReassemblyResult.Incomplete;
            d.Used = false;
            Reassembled++;
            datagram = new Span<byte>(d.Data, 0, d.TotalLength);
            return ReassemblyResult.Complete;
        }

        /// <summary>
        /// Whether the fragment agrees with what is held: the same end as an earlier last fragment, nothing past a known
        /// end, no held byte past its own end if it is the last, and the same bytes wherever it overlaps.
        /// </summary>
        private static bool Consistent(Datagram d, int offset, int end, bool more, ReadOnlySpan<byte> payload)
        {
            if (d.TotalLength >= 0 && (end > d.TotalLength || (!more && end != d.TotalLength))) return false;
            if (!more)
            {
                for (int unit = (end + 7) / 8; unit < Units; unit++)
                    if ((d.Received[unit >> 6] & (1UL << (unit & 63))) != 0) return false;
                // A unit held partly below this end was filled by a fragment that ran past it.
                if (end % 8 != 0 && IsSet(d, end / 8) && d.TotalLength < 0) return false;
            }
            for (int unit = offset / 8; unit * 8 < end; unit++)
            {
                if (!IsSet(d, unit)) continue;
                int from = Math.Max(unit * 8, offset), to = Math.Min(unit * 8 + 8, end);
                if (d.TotalLength >= 0) to = Math.Min(to, d.TotalLength);
                for (int i = from; i < to; i++) if (d.Data[i] != payload[i - offset]) return false;
            }
            return true;
        }

        private static bool IsSet(Datagram d, int unit) => (d.Received[unit >> 6] & (1UL << (unit & 63))) != 0;

        private static bool AllReceived(Datagram d)
        {
            int units = (d.TotalLength + 7) / 8;
            for (int unit = 0; unit < units; unit++) if (!IsSet(d, unit)) return false;
            return true;
        }

        private Datagram Find(Ipv4Address source, Ipv4Address destination, byte protocol, ushort identification)
        {
            for (int i = 0; i < MaxDatagrams; i++)
            {
                Datagram d = _slots[i];
                if (d.Used && d.Identification == identification && d.Protocol == protocol && d.Source == source && d.Destination == destination) return d;
            }
            return null;
        }

        private Datagram FreeSlot()
        {
            for (int i = 0; i < MaxDatagrams; i++) if (!_slots[i].Used) return _slots[i];
            return null;
        }

        /// <summary>Gives up datagrams that have waited <see cref="TimeoutMs"/> (RFC 791: the reassembly timer).</summary>
        public void Expire(long nowMs)
        {
            for (int i = 0; i < MaxDatagrams; i++)
            {
                if (!_slots[i].Used || nowMs - _slots[i].StartedMs < TimeoutMs) continue;
                _slots[i].Used = false;
                TimedOut++;
            }
        }
    }
}
