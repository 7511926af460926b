using System;

namespace Cosmos.Net.Wire
{
    /// <summary>RFC 1071 Internet checksum.</summary>
    public static class Checksum
    {
        /// <summary>Adds the 16-bit big-endian words of <paramref name="data"/> (the word-at-a-time sum every NIC driver uses too).</summary>
        public static uint Add(uint sum, ReadOnlySpan<byte> data) => Cosmos.Hal.Network.InternetChecksum.Add(sum, data);

        public static ushort Finish(uint sum)
        {
            while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
            return (ushort)~sum;
        }

        public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(0, data));

        /// <summary>A folded, not inverted sum: what goes in the checksum field when a NIC finishes it (virtio NEEDS_CSUM).</summary>
        public static ushort FoldPartial(uint sum)
        {
            while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
            return (ushort)sum;
        }

        /// <summary>Sum of the IPv4 pseudo-header (RFC 768, RFC 9293 §3.1) for UDP and TCP.</summary>
        public static uint PseudoHeader(Ipv4Address source, Ipv4Address destination, byte protocol, int length) =>
            (source.Value >> 16) + (source.Value & 0xFFFF) + (destination.Value >> 16) + (destination.Value & 0xFFFF) + protocol + (uint)length;
    }

    /// <summary>How an emitter fills a UDP or TCP checksum field.</summary>
    public enum ChecksumMode : byte
    {
        /// <summary>The checksum over the pseudo-header, the header and the payload.</summary>
        Complete,
        /// <summary>Only the pseudo-header sum, folded, not inverted: the NIC completes it (checksum offload, virtio NEEDS_CSUM).</summary>
        Partial,
    }
}
