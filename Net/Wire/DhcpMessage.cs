using System;
using Cosmos.Hal.Network;

namespace Cosmos.Net.Wire
{
    /// <summary>DHCP message types (RFC 2132 §9.6).</summary>
    public static class DhcpMessageType
    {
        public const byte Discover = 1, Offer = 2, Request = 3, Decline = 4, Ack = 5, Nak = 6, Release = 7;
    }

    /// <summary>The DHCP option codes this stack reads or writes (RFC 2132, the section of each given).</summary>
    public static class DhcpOption
    {
        public const byte Pad = 0;                  // §3.1
        public const byte SubnetMask = 1;           // §3.3
        public const byte Router = 3;               // §3.5
        public const byte DnsServer = 6;            // §3.8
        public const byte RequestedAddress = 50;    // §9.1
        public const byte LeaseTime = 51;           // §9.2
        public const byte MessageType = 53;         // §9.6
        public const byte ServerIdentifier = 54;    // §9.7
        public const byte ParameterList = 55;       // §9.8
        public const byte RenewalTime = 58;         // §9.11
        public const byte RebindingTime = 59;       // §9.12
        public const byte ClientIdentifier = 61;    // §9.14
        public const byte End = 255;                // §3.2
    }

    /// <summary>
    /// DHCP over BOOTP (RFC 2131 §2, options RFC 2132): a fixed 236-byte part, the magic cookie, then options. A view
    /// over the bytes; <see cref="DhcpRepr.TryParse"/> walks the options.
    /// </summary>
    public readonly ref struct DhcpMessage
    {
        /// <summary>Where each field starts (RFC 2131 §2, Figure 1 and Table 1; the cookie RFC 2131 §3, RFC 2132 §2).</summary>
        public static class Field
        {
            public const int Operation = 0;         // byte: op, BOOTREQUEST or BOOTREPLY
            public const int HardwareType = 1;      // byte: htype
            public const int HardwareLength = 2;    // byte: hlen
            public const int Hops = 3;              // byte
            public const int TransactionId = 4;     // Be32: xid
            public const int Seconds = 8;           // Be16: secs
            public const int Flags = 10;            // Be16: the broadcast bit (RFC 2131 §2, Figure 2)
            public const int ClientAddress = 12;    // 4 bytes: ciaddr
            public const int YourAddress = 16;      // 4 bytes: yiaddr
            public const int ServerAddress = 20;    // 4 bytes: siaddr
            public const int RelayAddress = 24;     // 4 bytes: giaddr
            public const int ClientHardware = 28;   // 16 bytes: chaddr (6 used for Ethernet)
            public const int ServerName = 44;       // 64 bytes: sname
            public const int BootFile = 108;        // 128 bytes: file
            public const int MagicCookie = 236;     // Be32
            public const int Options = 240;
        }

        public const int FixedLength = Field.MagicCookie;
        public const int OptionsOffset = Field.Options;
        public const uint MagicCookie = 0x63825363;
        public const ushort ServerPort = 67, ClientPort = 68;
        public const byte BootRequest = 1, BootReply = 2;
        public const ushort BroadcastFlag = 0x8000;
        /// <summary>BOOTP's minimum message size (RFC 1542 §3.1.1): shorter messages are padded to it.</summary>
        public const int MinLength = 300;
        private readonly ReadOnlySpan<byte> _message;

        private DhcpMessage(ReadOnlySpan<byte> message) { _message = message; }

        /// <summary>Checked constructor: the fixed part and the cookie are there, with Ethernet hardware addresses.</summary>
        public static bool TryParse(ReadOnlySpan<byte> buffer, out DhcpMessage message)
        {
            message = default;
            if (buffer.Length < Field.Options || Be32.Read(buffer, Field.MagicCookie).Value != MagicCookie) return false;
            if (buffer[Field.HardwareType] != ArpPacket.HardwareEthernet || buffer[Field.HardwareLength] != 6) return false;
            message = new DhcpMessage(buffer);
            return true;
        }

        public byte Operation => _message[Field.Operation];
        public Be32 TransactionId => Be32.Read(_message, Field.TransactionId);
        public Be16 Flags => Be16.Read(_message, Field.Flags);
        public Ipv4Address ClientAddress => Ipv4Address.Read(_message, Field.ClientAddress);
        public Ipv4Address YourAddress => Ipv4Address.Read(_message, Field.YourAddress);
        public MacAddress ClientHardware => new MacAddress(_message.Slice(Field.ClientHardware, 6));
        /// <summary>The options after the cookie, unwalked.</summary>
        public ReadOnlySpan<byte> Options => _message.Slice(Field.Options);

        /// <summary>
        /// Writes a message: the fixed part, the cookie, the options <paramref name="repr"/> holds (those left at 0 or
        /// Any are left out), the end option, and padding to <see cref="MinLength"/>. Returns the length.
        /// </summary>
        public static int Emit(Span<byte> buffer, in DhcpRepr repr)
        {
            buffer.Slice(0, Field.Options).Clear();
            buffer[Field.Operation] = repr.Operation;
            buffer[Field.HardwareType] = (byte)ArpPacket.HardwareEthernet;
            buffer[Field.HardwareLength] = 6;
            Be32.Of(repr.TransactionId).Write(buffer, Field.TransactionId);
            Be16.Of(repr.Broadcast ? BroadcastFlag : (ushort)0).Write(buffer, Field.Flags);
            repr.ClientAddress.Write(buffer, Field.ClientAddress);
            repr.YourAddress.Write(buffer, Field.YourAddress);
            repr.ClientHardware.CopyTo(buffer.Slice(Field.ClientHardware));
            Be32.Of(MagicCookie).Write(buffer, Field.MagicCookie);
            int at = Field.Options;
            buffer[at++] = DhcpOption.MessageType; buffer[at++] = 1; buffer[at++] = repr.MessageType;
            if (!repr.ClientIdentifier.IsZero)
            {
                // RFC 2132 §9.14: a hardware type (1, Ethernet) and the address.
                buffer[at++] = DhcpOption.ClientIdentifier; buffer[at++] = 7; buffer[at++] = (byte)ArpPacket.HardwareEthernet;
                repr.ClientIdentifier.CopyTo(buffer.Slice(at));
                at += 6;
            }
            at = AddressOption(buffer, at, DhcpOption.RequestedAddress, repr.RequestedAddress);
            at = AddressOption(buffer, at, DhcpOption.ServerIdentifier, repr.ServerIdentifier);
            at = AddressOption(buffer, at, DhcpOption.SubnetMask, repr.SubnetMask);
            at = AddressOption(buffer, at, DhcpOption.Router, repr.Router);
            at = AddressOption(buffer, at, DhcpOption.DnsServer, repr.DnsServer);
            at = SecondsOption(buffer, at, DhcpOption.LeaseTime, repr.LeaseSeconds);
            at = SecondsOption(buffer, at, DhcpOption.RenewalTime, repr.RenewalSeconds);
            at = SecondsOption(buffer, at, DhcpOption.RebindingTime, repr.RebindingSeconds);
            if (repr.RequestParameters)
            {
                buffer[at++] = DhcpOption.ParameterList; buffer[at++] = 4;
                buffer[at++] = DhcpOption.SubnetMask; buffer[at++] = DhcpOption.Router; buffer[at++] = DhcpOption.DnsServer; buffer[at++] = DhcpOption.LeaseTime;
            }
            buffer[at++] = DhcpOption.End;
            while (at < MinLength) buffer[at++] = DhcpOption.Pad;
            return at;
        }

        private static int AddressOption(Span<byte> buffer, int at, byte code, Ipv4Address address)
        {
            if (address.IsAny) return at;
            buffer[at] = code;
            buffer[at + 1] = 4;
            address.Write(buffer, at + 2);
            return at + 6;
        }

        private static int SecondsOption(Span<byte> buffer, int at, byte code, uint seconds)
        {
            if (seconds == 0) return at;
            buffer[at] = code;
            buffer[at + 1] = 4;
            Be32.Of(seconds).Write(buffer, at + 2);
            return at + 6;
        }
    }
}
