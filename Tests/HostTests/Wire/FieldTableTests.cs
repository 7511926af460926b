using Cosmos.Net.Wire;
using Xunit;

namespace Cosmos.HostTests.Wire;

/// <summary>
/// Each header's field table against PacketDotNet's own constants (written from the same RFCs by other people),
/// so a wrong offset is caught rather than mirrored by tests that use the table.
/// </summary>
public sealed class FieldTableTests
{
    public static TheoryData<string, int, int> Offsets => new()
    {
        { "Ethernet destination", EthernetFrame.Field.Destination, PacketDotNet.EthernetFields.DestinationMacPosition },
        { "Ethernet source", EthernetFrame.Field.Source, PacketDotNet.EthernetFields.SourceMacPosition },
        { "Ethernet type", EthernetFrame.Field.EtherType, PacketDotNet.EthernetFields.TypePosition },
        { "Ethernet header", EthernetFrame.HeaderLength, PacketDotNet.EthernetFields.HeaderLength },

        { "ARP hardware type", ArpPacket.Field.HardwareType, PacketDotNet.ArpFields.HardwareAddressTypePosition },
        { "ARP protocol type", ArpPacket.Field.ProtocolType, PacketDotNet.ArpFields.ProtocolAddressTypePosition },
        { "ARP hardware length", ArpPacket.Field.HardwareLength, PacketDotNet.ArpFields.HardwareAddressLengthPosition },
        { "ARP protocol length", ArpPacket.Field.ProtocolLength, PacketDotNet.ArpFields.ProtocolAddressLengthPosition },
        { "ARP operation", ArpPacket.Field.Operation, PacketDotNet.ArpFields.OperationPosition },
        { "ARP sender hardware", ArpPacket.Field.SenderHardware, PacketDotNet.ArpFields.SenderHardwareAddressPosition },
        { "ARP sender protocol", ArpPacket.Field.SenderProtocol, PacketDotNet.ArpFields.SenderProtocolAddressPosition },
        { "ARP target hardware", ArpPacket.Field.TargetHardware, PacketDotNet.ArpFields.TargetHardwareAddressPosition },
        { "ARP target protocol", ArpPacket.Field.TargetProtocol, PacketDotNet.ArpFields.TargetProtocolAddressPosition },
        { "ARP length", ArpPacket.Length, PacketDotNet.ArpFields.HeaderLength },

        { "IPv4 version and IHL", Ipv4Packet.Field.VersionAndHeaderLength, PacketDotNet.IPv4Fields.VersionAndHeaderLengthPosition },
        { "IPv4 type of service", Ipv4Packet.Field.TypeOfService, PacketDotNet.IPv4Fields.DifferentiatedServicesPosition },
        { "IPv4 total length", Ipv4Packet.Field.TotalLength, PacketDotNet.IPv4Fields.TotalLengthPosition },
        { "IPv4 identification", Ipv4Packet.Field.Identification, PacketDotNet.IPv4Fields.IdPosition },
        { "IPv4 flags and fragment offset", Ipv4Packet.Field.FlagsAndFragmentOffset, PacketDotNet.IPv4Fields.FragmentOffsetAndFlagsPosition },
        { "IPv4 time to live", Ipv4Packet.Field.TimeToLive, PacketDotNet.IPv4Fields.TtlPosition },
        { "IPv4 protocol", Ipv4Packet.Field.Protocol, PacketDotNet.IPv4Fields.ProtocolPosition },
        { "IPv4 header checksum", Ipv4Packet.Field.HeaderChecksum, PacketDotNet.IPv4Fields.ChecksumPosition },
        { "IPv4 source", Ipv4Packet.Field.Source, PacketDotNet.IPv4Fields.SourcePosition },
        { "IPv4 destination", Ipv4Packet.Field.Destination, PacketDotNet.IPv4Fields.DestinationPosition },
        { "IPv4 header", Ipv4Packet.MinHeaderLength, PacketDotNet.IPv4Fields.HeaderLength },

        { "ICMP type", IcmpPacket.Field.Type, PacketDotNet.IcmpV4Fields.TypeCodePosition },
        { "ICMP checksum", IcmpPacket.Field.Checksum, PacketDotNet.IcmpV4Fields.ChecksumPosition },
        { "ICMP identifier", IcmpPacket.Field.Identifier, PacketDotNet.IcmpV4Fields.IdPosition },
        { "ICMP sequence", IcmpPacket.Field.Sequence, PacketDotNet.IcmpV4Fields.SequencePosition },
        { "ICMP header", IcmpPacket.HeaderLength, PacketDotNet.IcmpV4Fields.HeaderLength },

        { "UDP source port", UdpDatagram.Field.SourcePort, PacketDotNet.UdpFields.SourcePortPosition },
        { "UDP destination port", UdpDatagram.Field.DestinationPort, PacketDotNet.UdpFields.DestinationPortPosition },
        { "UDP length", UdpDatagram.Field.Length, PacketDotNet.UdpFields.HeaderLengthPosition },
        { "UDP checksum", UdpDatagram.Field.Checksum, PacketDotNet.UdpFields.ChecksumPosition },
        { "UDP header", UdpDatagram.HeaderLength, PacketDotNet.UdpFields.HeaderLength },

        { "TCP source port", TcpSegment.Field.SourcePort, PacketDotNet.TcpFields.SourcePortPosition },
        { "TCP destination port", TcpSegment.Field.DestinationPort, PacketDotNet.TcpFields.DestinationPortPosition },
        { "TCP sequence", TcpSegment.Field.Sequence, PacketDotNet.TcpFields.SequenceNumberPosition },
        { "TCP acknowledgment", TcpSegment.Field.Acknowledgment, PacketDotNet.TcpFields.AcknowledgmentNumberPosition },
        { "TCP data offset", TcpSegment.Field.DataOffset, PacketDotNet.TcpFields.DataOffsetAndFlagsPosition },
        { "TCP window", TcpSegment.Field.Window, PacketDotNet.TcpFields.WindowSizePosition },
        { "TCP checksum", TcpSegment.Field.Checksum, PacketDotNet.TcpFields.ChecksumPosition },
        { "TCP urgent pointer", TcpSegment.Field.UrgentPointer, PacketDotNet.TcpFields.UrgentPointerPosition },
        { "TCP header", TcpSegment.MinHeaderLength, PacketDotNet.TcpFields.HeaderLength },

        { "DHCP op", DhcpMessage.Field.Operation, PacketDotNet.DhcpV4Fields.OperationPosition },
        { "DHCP htype", DhcpMessage.Field.HardwareType, PacketDotNet.DhcpV4Fields.HardwareTypePosition },
        { "DHCP hlen", DhcpMessage.Field.HardwareLength, PacketDotNet.DhcpV4Fields.HardwareLengthPosition },
        { "DHCP hops", DhcpMessage.Field.Hops, PacketDotNet.DhcpV4Fields.HopsPosition },
        { "DHCP xid", DhcpMessage.Field.TransactionId, PacketDotNet.DhcpV4Fields.XidPosition },
        { "DHCP secs", DhcpMessage.Field.Seconds, PacketDotNet.DhcpV4Fields.SecsPosition },
        { "DHCP flags", DhcpMessage.Field.Flags, PacketDotNet.DhcpV4Fields.FlagsPosition },
        { "DHCP ciaddr", DhcpMessage.Field.ClientAddress, PacketDotNet.DhcpV4Fields.CiAddrPosition },
        { "DHCP yiaddr", DhcpMessage.Field.YourAddress, PacketDotNet.DhcpV4Fields.YiAddrPosition },
        { "DHCP siaddr", DhcpMessage.Field.ServerAddress, PacketDotNet.DhcpV4Fields.SiAddrPosition },
        { "DHCP giaddr", DhcpMessage.Field.RelayAddress, PacketDotNet.DhcpV4Fields.GiAddrPosition },
        { "DHCP chaddr", DhcpMessage.Field.ClientHardware, PacketDotNet.DhcpV4Fields.ChAddrPosition },
        { "DHCP magic cookie", DhcpMessage.Field.MagicCookie, PacketDotNet.DhcpV4Fields.MagicNumberPosition },
        { "DHCP options", DhcpMessage.Field.Options, PacketDotNet.DhcpV4Fields.OptionsPosition },
        { "DHCP magic cookie value", unchecked((int)DhcpMessage.MagicCookie), PacketDotNet.DhcpV4Fields.MagicNumber },
    };

    [Theory]
    [MemberData(nameof(Offsets))]
    public void OffsetsAgreeWithPacketDotNet(string field, int ours, int theirs) => Assert.True(ours == theirs, $"{field}: ours {ours}, PacketDotNet {theirs}");

    [Fact]
    public void TcpFlagBitsAgreeWithPacketDotNet()
    {
        Assert.Equal(TcpFlags.Fin, PacketDotNet.TcpFields.FinishedMask);
        Assert.Equal(TcpFlags.Syn, PacketDotNet.TcpFields.SynchronizationMask);
        Assert.Equal(TcpFlags.Rst, PacketDotNet.TcpFields.ResetMask);
        Assert.Equal(TcpFlags.Psh, PacketDotNet.TcpFields.PushMask);
        Assert.Equal(TcpFlags.Ack, PacketDotNet.TcpFields.TCPAckMask);
        Assert.Equal(TcpFlags.Urg, PacketDotNet.TcpFields.UrgentMask);
    }

    /// <summary>The DNS header (RFC 1035 §4.1.1) has no PacketDotNet parser: its table against the RFC's figure, six 16-bit words.</summary>
    [Fact]
    public void DnsHeaderIsSixWords()
    {
        int[] fields = [DnsMessage.Field.Id, DnsMessage.Field.Flags, DnsMessage.Field.QuestionCount, DnsMessage.Field.AnswerCount,
            DnsMessage.Field.AuthorityCount, DnsMessage.Field.AdditionalCount, DnsMessage.Field.Questions];
        Assert.Equal(Enumerable.Range(0, 7).Select(i => i * 2), fields);
        Assert.Equal(12, DnsMessage.HeaderLength);
        Assert.Equal(10, DnsMessage.RecordField.Data);
    }
}
