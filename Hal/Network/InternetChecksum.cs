using System;

namespace Cosmos.Hal.Network
{
    /// <summary>
    /// RFC 1071 one's-complement sum, for completing a partial checksum a device left to us (virtio-net
    /// NEEDS_CSUM, Xen netif NETRXF_csum_blank). Here, below the network stack, so every NIC driver can use it.
    /// </summary>
    public static class InternetChecksum
    {
        /// <summary>
        /// Adds the 16-bit big-endian words of <paramref name="data"/> to <paramref name="sum"/>. Eight bytes at
        /// a time: the one's-complement sum does not depend on byte order or word size as long as the carries
        /// wrap around (RFC 1071 §2 (B), (C)), so native little-endian 64-bit words are summed with end-around
        /// carry (<see cref="ChecksumWords"/>: an adc chain in the kernel), folded to 16 bits and byte-swapped
        /// once at the end.
        /// </summary>
        public static unsafe uint Add(uint sum, ReadOnlySpan<byte> data)
        {
            ulong accumulator = 0;
            int length = data.Length;
            fixed (byte* start = data)
            {
                int i = length & ~7;
                if (i > 0) accumulator = ChecksumWords.Sum(start, (nuint)(i >> 3));
                ulong tail = 0;
                for (int shift = 0; i < length; i++, shift += 8) tail |= (ulong)start[i] << shift;
                accumulator += tail;
                if (accumulator < tail) accumulator++;
            }
            accumulator = (accumulator & 0xFFFFFFFF) + (accumulator >> 32);
            accumulator = (accumulator & 0xFFFFFFFF) + (accumulator >> 32);
            accumulator = (accumulator & 0xFFFF) + (accumulator >> 16);
            accumulator = (accumulator & 0xFFFF) + (accumulator >> 16);
            accumulator = (accumulator & 0xFFFF) + (accumulator >> 16);
            uint folded = (uint)accumulator;
            return sum + ((folded & 0xFF) << 8 | folded >> 8);
        }

        public static ushort Fold(uint sum)
        {
            while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
            return (ushort)~sum;
        }

        /// <summary>
        /// virtio-net NEEDS_CSUM (§5.1.6.4.1): the checksum field already holds the pseudo-header sum; sum from
        /// <paramref name="start"/> to the end and store the result at start + offset. False if out of range.
        /// </summary>
        public static bool Complete(Span<byte> frame, int start, int offset)
        {
            if (start < 0 || offset < 0 || start + offset + 2 > frame.Length) return false;
            ushort result = Fold(Add(0, frame.Slice(start)));
            frame[start + offset] = (byte)(result >> 8);
            frame[start + offset + 1] = (byte)result;
            return true;
        }

        /// <summary>
        /// Finds the transport checksum of an Ethernet/IPv4 frame from its headers (TCP: offset 16, UDP: offset 6
        /// from the transport header's start). False unless the IPv4 header, the IPv4 total length and the whole
        /// transport header (20 bytes for TCP, 8 for UDP) lie within the frame and the protocol is TCP or UDP.
        /// </summary>
        public static bool TryLocateIpv4Transport(ReadOnlySpan<byte> frame, out int start, out int offset)
        {
            const int ethernetHeader = 14;
            start = offset = -1;
            if (frame.Length < ethernetHeader + 20 || frame[12] != 0x08 || frame[13] != 0x00) return false;
            int headerLength = (frame[ethernetHeader] & 0x0F) * 4;
            if ((frame[ethernetHeader] >> 4) != 4 || headerLength < 20 || frame.Length < ethernetHeader + headerLength) return false;
            byte protocol = frame[ethernetHeader + 9];
            int transportHeader = protocol == 6 ? 20 : protocol == 17 ? 8 : -1;
            if (transportHeader < 0) return false;
            int totalLength = frame[ethernetHeader + 2] << 8 | frame[ethernetHeader + 3];
            if (totalLength < headerLength + transportHeader || ethernetHeader + totalLength > frame.Length) return false;
            start = ethernetHeader + headerLength;
            offset = protocol == 6 ? 16 : 6;
            return true;
        }

        /// <summary>
        /// Xen netif NETRXF_csum_blank (io/netif.h) says only that the transport checksum is partial, not where
        /// it is: find it from the Ethernet and IPv4 headers (TCP: offset 16, UDP: offset 6) and complete it.
        /// False for anything else (the frame is then left as it is and not marked verified).
        /// </summary>
        public static bool CompleteIpv4Transport(Span<byte> frame)
        {
            if (!TryLocateIpv4Transport(frame, out int start, out int offset)) return false;
            int totalLength = frame[14 + 2] << 8 | frame[14 + 3];
            return Complete(frame.Slice(0, 14 + totalLength), start, offset);
        }
    }
}
