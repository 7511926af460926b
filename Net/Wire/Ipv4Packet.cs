using System;

namespace Cosmos.Net.Wire
{
    /// <summary>IP protocol numbers (RFC 1700, "Assigned Internet Protocol Numbers").</summary>
    public static class IpProtocol
    {
        public const byte Icmp = 1, Tcp = 6, Udp = 17;
    }

    /// <summary>Why an IPv4 packet was rejected; counted by the stack.</summary>
    public enum Ipv4Error : byte { None, TooShort, BadVersion, BadHeaderLength, BadTotalLength, BadChecksum }

    /// <summary>IPv4 (RFC 791 §3.1). The view covers exactly the header and the payload the total length names.</summary>
    public readonly ref struct Ipv4Packet
    {
        /// <summary>Where each field starts (RFC 791 §3.1, "Internet Header Format").</summary>
        public static class Field
        {
            public const int VersionAndHeaderLength = 0;  // byte: version (high nibble), IHL in 32-bit words (low nibble)
            public const int TypeOfService = 1;           // byte (DSCP and ECN since RFC 2474, RFC 3168)
            public const int TotalLength = 2;             // Be16: header and payload, in bytes
            public const int Identification = 4;          // Be16
            public const int FlagsAndFragmentOffset = 6;  // Be16: DF, MF, then the offset in 8-byte units
            public const int TimeToLive = 8;              // byte
            public const int Protocol = 9;                // byte
            public const int HeaderChecksum = 10;         // Be16, RFC 1071 over the header
            public const int Source = 12;                 // 4 bytes
            public const int Destination = 16;            // 4 bytes
            public const int Options = 20;
        }

        public const int MinHeaderLength = Field.Options;
        public const byte Version = 4;
        public const ushort DontFragmentFlag = 0x4000, MoreFragmentsFlag = 0x2000, FragmentOffsetMask = 0x1FFF;
        private readonly Span<byte> _packet;

        private Ipv4Packet(Span<byte> packet) { _packet = packet; }

        /// <summary>Checks version, header length, total length and the header checksum; trailing Ethernet padding is cut.</summary>
        public static Ipv4Error TryParse(Span<byte> buffer, out Ipv4Packet packet)
        {
            packet = default;
            if (buffer.Length < MinHeaderLength) return Ipv4Error.TooShort;
            if (buffer[Field.VersionAndHeaderLength] >> 4 != Version) return Ipv4Error.BadVersion;
            int headerLength = HeaderLengthOf(buffer);
            if (headerLength < MinHeaderLength || headerLength > buffer.Length) return Ipv4Error.BadHeaderLength;
            int total = Be16.Read(buffer, Field.TotalLength).Value;
            if (total < headerLength || total > buffer.Length) return Ipv4Error.BadTotalLength;
            if (Checksum.Compute(buffer.Slice(0, headerLength)) != 0) return Ipv4Error.BadChecksum;
            packet = new Ipv4Packet(buffer.Slice(0, total));
            return Ipv4Error.None;
        }

        private static int HeaderLengthOf(ReadOnlySpan<byte> header) => (header[Field.VersionAndHeaderLength] & 0xF) * 4;

        public int HeaderLength => HeaderLengthOf(_packet);
        public int TotalLength => _packet.Length;
        public Be16 Identification => Be16.Read(_packet, Field.Identification);
        public Be16 FlagsAndFragmentOffset => Be16.Read(_packet, Field.FlagsAndFragmentOffset);
        public bool DontFragment => (FlagsAndFragmentOffset.Value & DontFragmentFlag) != 0;
        public bool MoreFragments => (FlagsAndFragmentOffset.Value & MoreFragmentsFlag) != 0;
        /// <summary>Where this fragment's payload goes in the datagram, in bytes.</summary>
        public int FragmentOffset => (FlagsAndFragmentOffset.Value & FragmentOffsetMask) * 8;
        public bool IsFragment => (FlagsAndFragmentOffset.Value & (MoreFragmentsFlag | FragmentOffsetMask)) != 0;
        public byte TimeToLive => _packet[Field.TimeToLive];
        public byte Protocol => _packet[Field.Protocol];
        public Ipv4Address Source => Ipv4Address.Read(_packet, Field.Source);
        public Ipv4Address Destination => Ipv4Address.Read(_packet, Field.Destination);
        public Span<byte> Payload => _packet.Slice(HeaderLength);

        /// <summary>Writes a 20-byte header (no options) for a payload of <see cref="Ipv4Repr.PayloadLength"/> bytes, checksum included.</summary>
        public static void Emit(Span<byte> buffer, in Ipv4Repr repr)
        {
            Span<byte> header = buffer.Slice(0, MinHeaderLength);
            header[Field.VersionAndHeaderLength] = Version << 4 | MinHeaderLength / 4;
            header[Field.TypeOfService] = 0;
            Be16.Of((ushort)(MinHeaderLength + repr.PayloadLength)).Write(header, Field.TotalLength);
            Be16.Of(repr.Identification).Write(header, Field.Identification);
            int flags = (repr.DontFragment ? DontFragmentFlag : 0) | (repr.MoreFragments ? MoreFragmentsFlag : 0);
            Be16.Of((ushort)(flags | (repr.FragmentOffset / 8 & FragmentOffsetMask))).Write(header, Field.FlagsAndFragmentOffset);
            header[Field.TimeToLive] = repr.TimeToLive;
            header[Field.Protocol] = repr.Protocol;
            Be16.Of(0).Write(header, Field.HeaderChecksum);
            repr.Source.Write(header, Field.Source);
            repr.Destination.Write(header, Field.Destination);
            Be16.Of(Checksum.Compute(header)).Write(header, Field.HeaderChecksum);
        }
    }
}
