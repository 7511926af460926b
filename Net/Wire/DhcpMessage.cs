using System;
using Cosmos.Hal.Network;

namespace Cosmos.Net.Wire
{
    /// <summary>DHCP message types (RFC 2132 §9.6).</summary>
    public static class DhcpMessageType
    {
        public const byte Discover = 1, Offer = 2, Request = 3, Decline = 4, Ack = 5, Nak = 6, Release = 7;
    }

    /// <summary>
    /// DHCP over BOOTP (RFC 2131 §2, options RFC 2132): a fixed 236-byte header, the magic cookie, then options.
    /// Parsing walks the options once and keeps what the client needs; a malformed option ends the walk.
    /// </summary>
    public ref struct DhcpMessage
    {
        public const int FixedLength = 236;
        public const int OptionsOffset = 240;
        public const uint MagicCookie = 0x63825363;
        public const ushort ServerPort = 67, ClientPort = 68;
        private const byte OptionPad = 0, OptionEnd = 255, OptionSubnetMask = 1, OptionRouter = 3, OptionDns = 6,
            OptionRequestedAddress = 50, OptionLeaseTime = 51, OptionMessageType = 53, OptionServerId = 54,
            OptionParameterList = 55, OptionRenewalTime = 58, OptionRebindingTime = 59, OptionClientId = 61;

        public byte Operation;
        public uint TransactionId;
        public Ipv4Address YourAddress;
        public MacAddress ClientHardware;
        public byte MessageType;
        public Ipv4Address SubnetMask, Router, DnsServer, ServerIdentifier;
        public uint LeaseSeconds, RenewalSeconds, RebindingSeconds;

        public static bool TryParse(ReadOnlySpan<byte> buffer, out DhcpMessage message)
        {
            message = default;
            if (buffer.Length < OptionsOffset || NetworkOrder.Read32(buffer, FixedLength) != MagicCookie) return false;
            if (buffer[1] != 1 || buffer[2] != 6) return false; // Ethernet hardware addresses
            message.Operation = buffer[0];
            message.TransactionId = NetworkOrder.Read32(buffer, 4);
            message.YourAddress = Ipv4Address.Read(buffer, 16);
            message.ClientHardware = new MacAddress(buffer.Slice(28, 6));
            int at = OptionsOffset;
            while (at < buffer.Length)
            {
                byte code = buffer[at++];
                if (code == OptionPad) continue;
                if (code == OptionEnd) break;
                if (at >= buffer.Length) return false;
                int length = buffer[at++];
                if (at + length > buffer.Length) return false;
                ReadOnlySpan<byte> value = buffer.Slice(at, length);
                switch (code)
                {
                    case OptionMessageType when length == 1: message.MessageType = value[0]; break;
                    case OptionSubnetMask when length == 4: message.SubnetMask = Ipv4Address.Read(value, 0); break;
                    case OptionRouter when length >= 4: message.Router = Ipv4Address.Read(value, 0); break;
                    case OptionDns when length >= 4: message.DnsServer = Ipv4Address.Read(value, 0); break;
                    case OptionServerId when length == 4: message.ServerIdentifier = Ipv4Address.Read(value, 0); break;
                    case OptionLeaseTime when length == 4: message.LeaseSeconds = NetworkOrder.Read32(value, 0); break;
                    case OptionRenewalTime when length == 4: message.RenewalSeconds = NetworkOrder.Read32(value, 0); break;
                    case OptionRebindingTime when length == 4: message.RebindingSeconds = NetworkOrder.Read32(value, 0); break;
                }
                at += length;
            }
            return message.MessageType != 0;
        }

        /// <summary>
        /// Writes a client message (DISCOVER, REQUEST, RELEASE). <paramref name="requested"/> and
        /// <paramref name="server"/> are included when not Any; <paramref name="clientAddress"/> goes in ciaddr
        /// (renewal). Returns the length.
        /// </summary>
        public static int EmitClient(Span<byte> buffer, byte type, uint transactionId, MacAddress mac, Ipv4Address clientAddress,
            Ipv4Address requested, Ipv4Address server, bool broadcast)
        {
            buffer.Slice(0, OptionsOffset).Clear();
            buffer[0] = 1;  // BOOTREQUEST
            buffer[1] = 1;  // Ethernet
            buffer[2] = 6;
            NetworkOrder.Write32(buffer, 4, transactionId);
            NetworkOrder.Write16(buffer, 10, broadcast ? (ushort)0x8000 : (ushort)0);
            clientAddress.Write(buffer, 12);
            mac.CopyTo(buffer.Slice(28));
            NetworkOrder.Write32(buffer, FixedLength, MagicCookie);
            int at = OptionsOffset;
            buffer[at++] = OptionMessageType; buffer[at++] = 1; buffer[at++] = type;
            buffer[at++] = OptionClientId; buffer[at++] = 7; buffer[at++] = 1; mac.CopyTo(buffer.Slice(at)); at += 6;
            if (!requested.IsAny) { buffer[at++] = OptionRequestedAddress; buffer[at++] = 4; requested.Write(buffer, at); at += 4; }
            if (!server.IsAny) { buffer[at++] = OptionServerId; buffer[at++] = 4; server.Write(buffer, at); at += 4; }
            buffer[at++] = OptionParameterList; buffer[at++] = 4;
            buffer[at++] = OptionSubnetMask; buffer[at++] = OptionRouter; buffer[at++] = OptionDns; buffer[at++] = OptionLeaseTime;
            buffer[at++] = OptionEnd;
            while (at < 300) buffer[at++] = 0; // BOOTP minimum message size (RFC 1542 §3.1.1)
            return at;
        }
    }
}
