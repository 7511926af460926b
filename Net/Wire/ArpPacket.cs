using System;
using Cosmos.Hal.Network;

namespace Cosmos.Net.Wire
{
    /// <summary>ARP for IPv4 over Ethernet (RFC 826): 28 bytes. A view, no copy.</summary>
    public readonly ref struct ArpPacket
    {
        /// <summary>Where each field starts (RFC 826, "Packet format", with 6-byte hardware and 4-byte protocol addresses).</summary>
        public static class Field
        {
            public const int HardwareType = 0;      // Be16, ar$hrd
            public const int ProtocolType = 2;      // Be16, ar$pro
            public const int HardwareLength = 4;    // byte, ar$hln
            public const int ProtocolLength = 5;    // byte, ar$pln
            public const int Operation = 6;         // Be16, ar$op
            public const int SenderHardware = 8;    // 6 bytes, ar$sha
            public const int SenderProtocol = 14;   // 4 bytes, ar$spa
            public const int TargetHardware = 18;   // 6 bytes, ar$tha
            public const int TargetProtocol = 24;   // 4 bytes, ar$tpa
            public const int End = 28;
        }

        public const int Length = Field.End;
        public const ushort Request = 1, Reply = 2;
        /// <summary>ar$hrd for Ethernet (RFC 1700, "Hardware Types").</summary>
        public const ushort HardwareEthernet = 1;
        private readonly Span<byte> _buffer;

        private ArpPacket(Span<byte> buffer) { _buffer = buffer; }

        /// <summary>Checked constructor: Ethernet hardware, IPv4 protocol, address lengths 6 and 4; after it no accessor can fail.</summary>
        public static bool TryParse(Span<byte> buffer, out ArpPacket packet)
        {
            packet = default;
            if (buffer.Length < Length) return false;
            if (Be16.Read(buffer, Field.HardwareType).Value != HardwareEthernet || Be16.Read(buffer, Field.ProtocolType).Value != EtherType.Ipv4
                || buffer[Field.HardwareLength] != 6 || buffer[Field.ProtocolLength] != 4) return false;
            packet = new ArpPacket(buffer);
            return true;
        }

        public Be16 Operation => Be16.Read(_buffer, Field.Operation);
        public MacAddress SenderHardware => new MacAddress(_buffer.Slice(Field.SenderHardware, 6));
        public Ipv4Address SenderProtocol => Ipv4Address.Read(_buffer, Field.SenderProtocol);
        public MacAddress TargetHardware => new MacAddress(_buffer.Slice(Field.TargetHardware, 6));
        public Ipv4Address TargetProtocol => Ipv4Address.Read(_buffer, Field.TargetProtocol);

        /// <summary>Writes the 28 bytes.</summary>
        public static void Emit(Span<byte> buffer, in ArpRepr repr)
        {
            Span<byte> packet = buffer.Slice(0, Length);
            Be16.Of(HardwareEthernet).Write(packet, Field.HardwareType);
            Be16.Of(EtherType.Ipv4).Write(packet, Field.ProtocolType);
            packet[Field.HardwareLength] = 6;
            packet[Field.ProtocolLength] = 4;
            Be16.Of(repr.Operation).Write(packet, Field.Operation);
            repr.SenderHardware.CopyTo(packet.Slice(Field.SenderHardware));
            repr.SenderProtocol.Write(packet, Field.SenderProtocol);
            repr.TargetHardware.CopyTo(packet.Slice(Field.TargetHardware));
            repr.TargetProtocol.Write(packet, Field.TargetProtocol);
        }
    }
}
