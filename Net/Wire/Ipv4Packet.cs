using System;

namespace Cosmos.Net.Wire
{
    public static class IpProtocol
    {
        public const byte Icmp = 1, Tcp = 6, Udp = 17;
    }

    /// <summary>Why an IPv4 packet was rejected; counted by the stack.</summary>
    public enum Ipv4Error : byte { None, TooShort, BadVersion, BadHeaderLength, BadTotalLength, BadChecksum }

    /// <summary>IPv4 (RFC 791 §3.1). The view covers exactly the header and the payload the total length names.</summary>
    public readonly ref struct Ipv4Packet
    {
        public const int MinHeaderLength = 20;
        public const ushort DontFragment = 0x4000, MoreFragments = 0x2000, FragmentOffsetMask = 0x1FFF;
        private readonly Span<byte> _packet;

        private Ipv4Packet(Span<byte> packet) { _packet = packet; }

        /// <summary>Checks version, header length, total length and the header checksum; trailing Ethernet padding is cut.</summary>
        public static Ipv4Error TryParse(Span<byte> buffer, out Ipv4Packet packet)
        {
            packet = default;
            if (buffer.Length < MinHeaderLength) return Ipv4Error.TooShort;
            if (buffer[0] >> 4 != 4) return Ipv4Error.BadVersion;
            int headerLength = (buffer[0] & 0xF) * 4;
            if (headerLength < MinHeaderLength || headerLength > buffer.Length) return Ipv4Error.BadHeaderLength;
            int total = NetworkOrder.Read16(buffer, 2);
            if (total < headerLength || total > buffer.Length) return Ipv4Error.BadTotalLength;
            if (Checksum.Compute(buffer.Slice(0, headerLength)) != 0) return Ipv4Error.BadChecksum;
            packet = new Ipv4Packet(buffer.Slice(0, total));
            return Ipv4Error.None;
        }

        public int HeaderLength => (_packet[0] & 0xF) * 4;
        public int TotalLength => _packet.Length;
        public ushort Identification => NetworkOrder.Read16(_packet, 4);
        public ushort FlagsAndFragment => NetworkOrder.Read16(_packet, 6);
        public bool IsFragment => (FlagsAndFragment & (MoreFragments | FragmentOffsetMask)) != 0;
        public byte TimeToLive => _packet[8];
        public byte Protocol => _packet[9];
        public Ipv4Address Source => Ipv4Address.Read(_packet, 12);
        public Ipv4Address Destination => Ipv4Address.Read(_packet, 16);
        public Span<byte> Payload => _packet.Slice(HeaderLength);

        /// <summary>Writes a 20-byte header (no options) for a payload of <paramref name="payloadLength"/> bytes, checksum included.</summary>
        public static void EmitHeader(Span<byte> buffer, Ipv4Address source, Ipv4Address destination, byte protocol, int payloadLength, ushort identification, byte ttl = 64)
        {
            buffer[0] = 0x45;
            buffer[1] = 0;
            NetworkOrder.Write16(buffer, 2, (ushort)(MinHeaderLength + payloadLength));
            NetworkOrder.Write16(buffer, 4, identification);
            NetworkOrder.Write16(buffer, 6, DontFragment);
            buffer[8] = ttl;
            buffer[9] = protocol;
            NetworkOrder.Write16(buffer, 10, 0);
            source.Write(buffer, 12);
            destination.Write(buffer, 16);
            NetworkOrder.Write16(buffer, 10, Checksum.Compute(buffer.Slice(0, MinHeaderLength)));
        }
    }
}
