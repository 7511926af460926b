using System;

namespace Cosmos.Net.Wire
{
    /// <summary>Big-endian (network order) field access over spans; callers have checked the length.</summary>
    public static class NetworkOrder
    {
        public static ushort Read16(ReadOnlySpan<byte> b, int offset) => (ushort)(b[offset] << 8 | b[offset + 1]);
        public static uint Read32(ReadOnlySpan<byte> b, int offset) =>
            (uint)(b[offset] << 24 | b[offset + 1] << 16 | b[offset + 2] << 8 | b[offset + 3]);

        public static void Write16(Span<byte> b, int offset, ushort value)
        {
            b[offset] = (byte)(value >> 8);
            b[offset + 1] = (byte)value;
        }

        public static void Write32(Span<byte> b, int offset, uint value)
        {
            b[offset] = (byte)(value >> 24);
            b[offset + 1] = (byte)(value >> 16);
            b[offset + 2] = (byte)(value >> 8);
            b[offset + 3] = (byte)value;
        }
    }

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

        /// <summary>Sum of the IPv4 pseudo-header (RFC 768, RFC 793 §3.1) for UDP and TCP.</summary>
        public static uint PseudoHeader(Ipv4Address source, Ipv4Address destination, byte protocol, int length) =>
            (source.Value >> 16) + (source.Value & 0xFFFF) + (destination.Value >> 16) + (destination.Value & 0xFFFF) + protocol + (uint)length;
    }

    /// <summary>An IPv4 address held in host order (a.b.c.d = a &lt;&lt; 24 | ...).</summary>
    public readonly struct Ipv4Address
    {
        public readonly uint Value;
        public Ipv4Address(uint value) { Value = value; }
        public Ipv4Address(byte a, byte b, byte c, byte d) { Value = (uint)(a << 24 | b << 16 | c << 8 | d); }

        public static Ipv4Address Any => new Ipv4Address(0);
        public static Ipv4Address Broadcast => new Ipv4Address(0xFFFFFFFF);
        public bool IsAny => Value == 0;
        public bool IsBroadcast => Value == 0xFFFFFFFF;
        public bool IsMulticast => (Value >> 28) == 0xE;
        public bool IsLoopback => (Value >> 24) == 127;
        public static bool operator ==(Ipv4Address a, Ipv4Address b) => a.Value == b.Value;
        public static bool operator !=(Ipv4Address a, Ipv4Address b) => a.Value != b.Value;
        public override bool Equals(object obj) => obj is Ipv4Address other && other.Value == Value;
        public override int GetHashCode() => (int)Value;

        public static Ipv4Address Read(ReadOnlySpan<byte> b, int offset) => new Ipv4Address(NetworkOrder.Read32(b, offset));
        public void Write(Span<byte> b, int offset) => NetworkOrder.Write32(b, offset, Value);

        public bool SameSubnet(Ipv4Address other, int prefixLength)
        {
            uint mask = prefixLength == 0 ? 0 : 0xFFFFFFFFu << (32 - prefixLength);
            return (Value & mask) == (other.Value & mask);
        }

        /// <summary>Parses "a.b.c.d"; false on anything else.</summary>
        public static bool TryParse(ReadOnlySpan<char> text, out Ipv4Address address)
        {
            address = default;
            uint value = 0;
            int parts = 0, part = -1;
            for (int i = 0; i <= text.Length; i++)
            {
                if (i == text.Length || text[i] == '.')
                {
                    if (part < 0 || part > 255) return false;
                    value = value << 8 | (uint)part;
                    parts++;
                    part = -1;
                    continue;
                }
                char c = text[i];
                if (c < '0' || c > '9') return false;
                part = (part < 0 ? 0 : part * 10) + (c - '0');
                if (part > 255) return false;
            }
            if (parts != 4) return false;
            address = new Ipv4Address(value);
            return true;
        }

        /// <summary>Writes "a.b.c.d"; returns the characters written (at most 15).</summary>
        public int Format(Span<char> destination)
        {
            int n = 0;
            for (int shift = 24; shift >= 0; shift -= 8)
            {
                int octet = (int)(Value >> shift) & 0xFF;
                if (octet >= 100) destination[n++] = (char)('0' + octet / 100);
                if (octet >= 10) destination[n++] = (char)('0' + octet / 10 % 10);
                destination[n++] = (char)('0' + octet % 10);
                if (shift > 0) destination[n++] = '.';
            }
            return n;
        }
    }
}
