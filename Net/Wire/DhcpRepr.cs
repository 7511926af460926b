using System;
using Cosmos.Hal.Network;

namespace Cosmos.Net.Wire
{
    /// <summary>
    /// A DHCP message in host terms: the fields and options this stack uses. What <see cref="DhcpMessage.Emit"/>
    /// writes and <see cref="TryParse"/> reads back. An address option left Any, or a time left 0, is absent.
    /// </summary>
    public struct DhcpRepr
    {
        /// <summary><see cref="DhcpMessage.BootRequest"/> or <see cref="DhcpMessage.BootReply"/>.</summary>
        public byte Operation;
        public uint TransactionId;
        /// <summary>The client asks for broadcast replies (it has no address to receive unicast on yet).</summary>
        public bool Broadcast;
        /// <summary>ciaddr: the client's address while it renews.</summary>
        public Ipv4Address ClientAddress;
        /// <summary>yiaddr: the address the server offers or assigns.</summary>
        public Ipv4Address YourAddress;
        public MacAddress ClientHardware;
        /// <summary>A <see cref="DhcpMessageType"/>; a message without one is not DHCP.</summary>
        public byte MessageType;
        /// <summary>Option 61 as an Ethernet address (type 1); all zero when absent.</summary>
        public MacAddress ClientIdentifier;
        public Ipv4Address RequestedAddress, ServerIdentifier, SubnetMask, Router, DnsServer;
        public uint LeaseSeconds, RenewalSeconds, RebindingSeconds;
        /// <summary>Option 55 asking for subnet mask, router, DNS server and lease time.</summary>
        public bool RequestParameters;

        /// <summary>
        /// Walks the options once, keeping what the stack needs (the first address of a router or DNS list). A
        /// malformed option (no length byte, or a length past the end) fails the parse, as does a missing message type;
        /// a known option with an unexpected length is skipped.
        /// </summary>
        public static bool TryParse(in DhcpMessage message, out DhcpRepr repr)
        {
            repr = default;
            repr.Operation = message.Operation;
            repr.TransactionId = message.TransactionId.Value;
            repr.Broadcast = (message.Flags.Value & DhcpMessage.BroadcastFlag) != 0;
            repr.ClientAddress = message.ClientAddress;
            repr.YourAddress = message.YourAddress;
            repr.ClientHardware = message.ClientHardware;
            ReadOnlySpan<byte> options = message.Options;
            int at = 0;
            while (at < options.Length)
            {
                byte code = options[at++];
                if (code == DhcpOption.Pad) continue;
                if (code == DhcpOption.End) break;
                if (at >= options.Length) return false;
                int length = options[at++];
                if (at + length > options.Length) return false;
                ReadOnlySpan<byte> value = options.Slice(at, length);
                switch (code)
                {
                    case DhcpOption.MessageType when length == 1: repr.MessageType = value[0]; break;
                    case DhcpOption.ClientIdentifier when length == 7 && value[0] == ArpPacket.HardwareEthernet: repr.ClientIdentifier = new MacAddress(value.Slice(1)); break;
                    case DhcpOption.RequestedAddress when length == 4: repr.RequestedAddress = Ipv4Address.Read(value, 0); break;
                    case DhcpOption.SubnetMask when length == 4: repr.SubnetMask = Ipv4Address.Read(value, 0); break;
                    case DhcpOption.Router when length >= 4: repr.Router = Ipv4Address.Read(value, 0); break;
                    case DhcpOption.DnsServer when length >= 4: repr.DnsServer = Ipv4Address.Read(value, 0); break;
                    case DhcpOption.ServerIdentifier when length == 4: repr.ServerIdentifier = Ipv4Address.Read(value, 0); break;
                    case DhcpOption.LeaseTime when length == 4: repr.LeaseSeconds = Be32.Read(value, 0).Value; break;
                    case DhcpOption.RenewalTime when length == 4: repr.RenewalSeconds = Be32.Read(value, 0).Value; break;
                    case DhcpOption.RebindingTime when length == 4: repr.RebindingSeconds = Be32.Read(value, 0).Value; break;
                    case DhcpOption.ParameterList: repr.RequestParameters = true; break;
                }
                at += length;
            }
            return repr.MessageType != 0;
        }
    }
}
