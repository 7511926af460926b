using System;

namespace Cosmos.Drivers.VirtioNet
{
    /// <summary>RFC 1071 one's-complement sum, for completing a partial checksum the device left to us.</summary>
    public static class InternetChecksum
    {
        /// <summary>Adds the 16-bit big-endian words of <paramref name="data"/> to <paramref name="sum"/>.</summary>
        public static uint Add(uint sum, ReadOnlySpan<byte> data)
        {
            int i = 0;
            for (; i + 1 < data.Length; i += 2) sum += (uint)(data[i] << 8 | data[i + 1]);
            if (i < data.Length) sum += (uint)(data[i] << 8);
            return sum;
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
    }
}
