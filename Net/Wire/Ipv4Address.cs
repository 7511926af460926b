using System;

namespace Cosmos.Net.Wire
{
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

        /// <summary>The address in the 4 bytes at <paramref name="offset"/> (network order); the caller has checked the length.</summary>
        public static Ipv4Address Read(ReadOnlySpan<byte> b, int offset) => new Ipv4Address(Be32.Read(b, offset).Value);
        public void Write(Span<byte> b, int offset) => Be32.Of(Value).Write(b, offset);

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
