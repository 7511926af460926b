using System;
using Cosmos.Hal.Network;

namespace Cosmos.Net.Wire
{
    /// <summary>ARP for IPv4 over Ethernet (RFC 826): 28 bytes.</summary>
    public readonly ref struct ArpPacket
    {
        public const int Length = 28;
        public const ushort Request = 1, Reply = 2;
        private readonly Span<byte> _buffer;

        private ArpPacket(Span<byte> buffer) { _buffer = buffer; }

        public static bool TryParse(Span<byte> buffer, out ArpPacket packet)
        {
            packet = default;
            if (buffer.Length < Length) return false;
            // hardware Ethernet (1), protocol IPv4, address lengths 6 and 4
            if (NetworkOrder.Read16(buffer, 0) != 1 || NetworkOrder.Read16(buffer, 2) != EtherType.Ipv4 || buffer[4] != 6 || buffer[5] != 4) return false;
            packet = new ArpPacket(buffer);
            return true;
        }

        public ushort Operation => NetworkOrder.Read16(_buffer, 6);
        public MacAddress SenderHardware => new MacAddress(_buffer.Slice(8, 6));
        public Ipv4Address SenderProtocol => Ipv4Address.Read(_buffer, 14);
        public MacAddress TargetHardware => new MacAddress(_buffer.Slice(18, 6));
        public Ipv4Address TargetProtocol => Ipv4Address.Read(_buffer, 24);

        public static void Emit(Span<byte> buffer, ushort operation, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp)
        {
            NetworkOrder.Write16(buffer, 0, 1);
            NetworkOrder.Write16(buffer, 2, EtherType.Ipv4);
            buffer[4] = 6;
            buffer[5] = 4;
            NetworkOrder.Write16(buffer, 6, operation);
            senderMac.CopyTo(buffer.Slice(8));
            senderIp.Write(buffer, 14);
            targetMac.CopyTo(buffer.Slice(18));
            targetIp.Write(buffer, 24);
        }
    }
}
