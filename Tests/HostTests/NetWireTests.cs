using System.Net;
using PhysicalAddress = System.Net.NetworkInformation.PhysicalAddress;
using ArpPacket = Cosmos.Net.Wire.ArpPacket;
using Cosmos.Hal.Network;
using Cosmos.HostTests.NetModel;
using Cosmos.Net.Interface;
using Cosmos.Net.Wire;
using CsCheck;
using PacketDotNet;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>The stack's wire views against PacketDotNet, malformed headers rejected with their reasons, and the input path fed corrupted frames.</summary>
public class NetWireTests
{
    private static readonly PhysicalAddress MacA = PhysicalAddress.Parse("020000000001"), MacB = PhysicalAddress.Parse("020000000002");

    private static byte[] UdpPacket(int payload)
    {
        var udp = new PacketDotNet.UdpPacket(5353, 7) { PayloadData = Enumerable.Range(0, payload).Select(i => (byte)(i * 3)).ToArray() };
        var ip = new PacketDotNet.IPv4Packet(IPAddress.Parse("10.0.2.2"), IPAddress.Parse("10.0.2.15")) { PayloadPacket = udp, TimeToLive = 64 };
        var eth = new PacketDotNet.EthernetPacket(MacA, MacB, EthernetType.IPv4) { PayloadPacket = ip };
        ip.UpdateCalculatedValues();
        ip.UpdateIPChecksum();
        udp.UpdateUdpChecksum();
        return eth.Bytes;
    }

    [Fact]
    public void ParsesWhatPacketDotNetBuilds()
    {
        byte[] frame = UdpPacket(100);
        Assert.True(EthernetFrame.TryParse(frame, out EthernetFrame eth));
        Assert.Equal(EtherType.Ipv4, EthernetRepr.Parse(in eth).EtherType);
        Assert.Equal(Be16.Of(EtherType.Ipv4), eth.EtherType);
        Assert.Equal(Ipv4Error.None, Ipv4Packet.TryParse(eth.Payload, out Ipv4Packet ip));
        Assert.Equal(IpProtocol.Udp, ip.Protocol);
        Assert.Equal(new Ipv4Address(10, 0, 2, 2), ip.Source);
        Assert.Equal(100 + 8, Ipv4Repr.Parse(in ip).PayloadLength);
        Assert.True(UdpDatagram.TryParse(ip.Payload, ip.Source, ip.Destination, false, out UdpDatagram udp));
        UdpRepr repr = UdpRepr.Parse(in udp);
        Assert.Equal(5353, repr.SourcePort);
        Assert.Equal(7, repr.DestinationPort);
        Assert.Equal(100, repr.PayloadLength);
        Assert.Equal(100, udp.Payload.Length);
    }

    [Fact]
    public void WhatWeEmitPacketDotNetAccepts()
    {
        var buffer = new byte[1514];
        Span<byte> payload = EthernetFrame.Emit(buffer, new EthernetRepr
        {
            Destination = new MacAddress(MacA.GetAddressBytes()), Source = new MacAddress(MacB.GetAddressBytes()), EtherType = EtherType.Ipv4,
        });
        var src = new Ipv4Address(10, 0, 2, 15);
        var dst = new Ipv4Address(10, 0, 2, 2);
        Span<byte> udpArea = payload.Slice(Ipv4Packet.MinHeaderLength);
        for (int i = 0; i < 33; i++) udpArea[UdpDatagram.HeaderLength + i] = (byte)i;
        int udpLength = UdpDatagram.Emit(udpArea, new UdpRepr { SourcePort = 7, DestinationPort = 40000, PayloadLength = 33 }, src, dst);
        Ipv4Packet.Emit(payload, new Ipv4Repr
        {
            Source = src, Destination = dst, Protocol = IpProtocol.Udp, PayloadLength = udpLength, Identification = 77,
            TimeToLive = Ipv4Repr.DefaultTimeToLive, DontFragment = true,
        });
        int total = EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength + udpLength;

        var parsed = Packet.ParsePacket(LinkLayers.Ethernet, buffer.AsSpan(0, total).ToArray());
        var ip = parsed.Extract<PacketDotNet.IPv4Packet>();
        var udp = parsed.Extract<PacketDotNet.UdpPacket>();
        Assert.True(ip.ValidIPChecksum);
        Assert.True(udp.ValidUdpChecksum);
        Assert.Equal(40000, udp.DestinationPort);
        Assert.Equal(33, udp.PayloadData.Length);

        // TCP with an MSS option, ICMP echo, ARP, DHCP the same way.
        var tcpBuffer = new byte[64];
        var synAck = new TcpRepr
        {
            SourcePort = 80, DestinationPort = 51000, Sequence = 1000, Acknowledgment = 2000, Flags = TcpFlags.Syn | TcpFlags.Ack, Window = 32768,
            Options = new TcpOptions { Mss = 1460 },
        };
        int tcpLength = TcpSegment.Emit(tcpBuffer, in synAck, src, dst);
        var tcp = new PacketDotNet.TcpPacket(new PacketDotNet.Utils.ByteArraySegment(tcpBuffer, 0, tcpLength));
        Assert.Equal(24, tcp.DataOffset * 4);
        Assert.Equal(new byte[] { 2, 4, 0x05, 0xB4 }, tcp.Options); // kind MSS, length 4, 1460
        Assert.True(tcp.Synchronize && tcp.Acknowledgment);
        Assert.Equal(2000u, tcp.AcknowledgmentNumber);

        var icmpBuffer = new byte[64];
        int icmpLength = IcmpPacket.Emit(icmpBuffer, new IcmpRepr { Type = IcmpPacket.EchoRequest, Identifier = 0x1234, Sequence = 9 }, new byte[] { 1, 2, 3 });
        var icmp = new IcmpV4Packet(new PacketDotNet.Utils.ByteArraySegment(icmpBuffer, 0, icmpLength));
        Assert.Equal(IcmpV4TypeCode.EchoRequest, icmp.TypeCode);
        Assert.Equal(9, icmp.Sequence);
        Assert.True(IcmpPacket.TryParse(icmpBuffer.AsSpan(0, icmpLength), out _)); // our own checksum verifies

        var arpBuffer = new byte[28];
        ArpPacket.Emit(arpBuffer, new ArpRepr { Operation = ArpPacket.Request, SenderHardware = new MacAddress(MacA.GetAddressBytes()), SenderProtocol = src, TargetProtocol = dst });
        var arp = new PacketDotNet.ArpPacket(new PacketDotNet.Utils.ByteArraySegment(arpBuffer));
        Assert.Equal(ArpOperation.Request, arp.Operation);
        Assert.Equal(IPAddress.Parse("10.0.2.2"), arp.TargetProtocolAddress);
    }

    [Theory]
    [InlineData(0x46, Ipv4Error.BadHeaderLength)] // IHL 6 with no room for options
    [InlineData(0x65, Ipv4Error.BadVersion)]
    [InlineData(0x44, Ipv4Error.BadHeaderLength)]
    public void MalformedIpv4IsRejectedWithItsReason(byte versionAndLength, Ipv4Error expected)
    {
        byte[] frame = UdpPacket(0);
        Span<byte> ip = frame.AsSpan(EthernetFrame.HeaderLength, 20);
        ip[0] = versionAndLength;
        Assert.Equal(expected, Ipv4Packet.TryParse(ip, out _));
    }

    [Fact]
    public void BadChecksumAndBadLengthsAreRejected()
    {
        byte[] frame = UdpPacket(10);
        Span<byte> ip = frame.AsSpan(EthernetFrame.HeaderLength);
        ip[8] ^= 1; // TTL changed without fixing the checksum
        Assert.Equal(Ipv4Error.BadChecksum, Ipv4Packet.TryParse(ip, out _));
        ip[8] ^= 1;
        Assert.Equal(Ipv4Error.BadTotalLength, Ipv4Packet.TryParse(ip.Slice(0, 30), out _));
        Assert.Equal(Ipv4Error.None, Ipv4Packet.TryParse(ip, out Ipv4Packet good));
        Span<byte> udp = good.Payload;
        udp[4] = 0xFF; // UDP length beyond the packet
        Assert.False(UdpDatagram.TryParse(udp, good.Source, good.Destination, false, out _));
    }

    [Theory]
    [InlineData("10.0.2.15", true, 0x0A00020F)]
    [InlineData("255.255.255.255", true, 0xFFFFFFFF)]
    [InlineData("10.0.2", false, 0)]
    [InlineData("10.0.2.256", false, 0)]
    [InlineData("10..2.1", false, 0)]
    [InlineData("a.b.c.d", false, 0)]
    public void Ipv4AddressParsing(string text, bool ok, uint value)
    {
        Assert.Equal(ok, Ipv4Address.TryParse(text, out Ipv4Address address));
        if (!ok) return;
        Assert.Equal(value, address.Value);
        Span<char> formatted = stackalloc char[16];
        Assert.Equal(text, formatted[..address.Format(formatted)].ToString());
    }

    // Fuzzing of the parsers (random bytes, and corpus frames mutated with their checksums repaired, through
    // every parser) is in NetFuzzTests, with the corpus in Tests/HostTests/Corpus.

    /// <summary>The whole input path (a configured interface with services) fed mutated frames.</summary>
    [Fact]
    public void InterfaceSurvivesMalformedFramesAndCountsThem()
    {
        using var device = new LinkDevice(1);
        using var other = new LinkDevice(2);
        _ = new Link(device, other, 3);
        var nif = new NetworkInterface(device);
        nif.Configure(new Ipv4Address(10, 0, 2, 15), 24, new Ipv4Address(10, 0, 2, 2), default);
        var echo = new Cosmos.Net.Services.UdpEchoService(nif);
        var random = new Random(11);
        long now = 0;
        // The sender's MAC is known (as after an ARP exchange), so echo replies can leave at once.
        nif.Arp.Update(new Ipv4Address(10, 0, 2, 2), new MacAddress(MacA.GetAddressBytes()), 0);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] frame = UdpPacket(random.Next(0, 300));
            frame[0] = 0x02; frame[5] = 0x01; // to our MAC
            int flips = random.Next(0, 4);
            for (int k = 0; k < flips; k++) frame[random.Next(frame.Length)] = (byte)random.Next(256);
            int length = random.Next(3) == 0 ? random.Next(1, frame.Length + 1) : frame.Length; // a third are cut short
            device.Deliver(frame.AsSpan(0, length));
            nif.Poll(now += 1);
            echo.Poll();
        }
        NetworkCounters c = nif.Counters;
        Assert.Equal(20_000, c.FramesIn);
        Assert.True(c.FramesMalformed + c.Ipv4Malformed + c.Ipv4BadChecksum + c.UdpMalformed > 1000, "corruptions were counted as drops");
        Assert.True(echo.Echoed > 1000, "intact datagrams were still echoed");
        Assert.Equal(256, device.FreeSlots); // every received and transmit buffer went back to the device
    }
}
