using System.Net;
using System.Reflection;
using System.Text;
using Cosmos.Hal.Network;
using Cosmos.Net.Wire;
using CsCheck;
using Xunit;

namespace Cosmos.HostTests.Wire;

/// <summary>
/// For every header: parse(emit(repr)) == repr over random Reprs (CsCheck), the checked view accepting what was
/// emitted; and where PacketDotNet reads the header, it reads what the Repr says.
/// </summary>
public sealed class ReprRoundTripTests
{
    private const long Iterations = 2_000;

    // ---- generators ----

    private static readonly Gen<MacAddress> Mac = Gen.Byte.Array[6].Select(b => new MacAddress(b));
    private static readonly Gen<Ipv4Address> Address = Gen.UInt.Select(v => new Ipv4Address(v));
    /// <summary>Any, half the time: the value that means "absent" for an optional address.</summary>
    private static readonly Gen<Ipv4Address> OptionalAddress = Gen.Frequency((1, Gen.Const(Ipv4Address.Any)), (1, Address));
    private static readonly Gen<uint> OptionalSeconds = Gen.Frequency((1, Gen.Const(0u)), (1, Gen.UInt));

    private static readonly Gen<EthernetRepr> Ethernet =
        Gen.Select(Mac, Mac, Gen.UShort[EtherType.MinType, ushort.MaxValue])
            .Select((d, s, t) => new EthernetRepr { Destination = d, Source = s, EtherType = t });

    private static readonly Gen<ArpRepr> Arp =
        Gen.Select(Gen.UShort, Mac, Address, Mac, Address)
            .Select((op, sh, sp, th, tp) => new ArpRepr { Operation = op, SenderHardware = sh, SenderProtocol = sp, TargetHardware = th, TargetProtocol = tp });

    private static Gen<Ipv4Repr> Ipv4(int maxPayload) =>
        Gen.Select(Address, Address, Gen.Byte, Gen.Int[0, maxPayload], Gen.UShort, Gen.Byte, Gen.Bool, Gen.Bool)
            .Select(Gen.Int[0, Ipv4Packet.FragmentOffsetMask], (x, units) => new Ipv4Repr
            {
                Source = x.Item1, Destination = x.Item2, Protocol = x.Item3, PayloadLength = x.Item4, Identification = x.Item5,
                TimeToLive = x.Item6, DontFragment = x.Item7, MoreFragments = x.Item8, FragmentOffset = units * 8,
            });

    private static readonly Gen<IcmpRepr> Icmp =
        Gen.Select(Gen.Byte, Gen.Byte, Gen.UShort, Gen.UShort).Select((t, c, id, seq) => new IcmpRepr { Type = t, Code = c, Identifier = id, Sequence = seq });

    /// <summary>
    /// Any port but L2TP's (1701) and Teredo's (3544): PacketDotNet reads a datagram to or from those as a tunnel, and
    /// with the random payload here it then throws, or reckons the checksum over what it took for the inner packet.
    /// </summary>
    private static readonly Gen<ushort> UdpPort = Gen.UShort.Where(p => p is not (1701 or 3544));

    private static readonly Gen<UdpRepr> Udp =
        Gen.Select(UdpPort, UdpPort, Gen.Int[0, 1472]).Select((s, d, n) => new UdpRepr { SourcePort = s, DestinationPort = d, PayloadLength = n });

    /// <summary>Options as the stack builds them: fields of an absent option left 0, no more SACK blocks than fit.</summary>
    private static readonly Gen<TcpOptions> Options =
        Gen.Select(Gen.Frequency((1, Gen.Const((ushort)0)), (2, Gen.UShort[1, ushort.MaxValue])), Gen.Bool, Gen.Byte[0, TcpOptions.MaxWindowScale], Gen.Bool,
                Gen.Bool, Gen.UInt, Gen.UInt, Gen.UInt.Array[0, 2 * TcpOptions.MaxSackBlocks])
            .Select((mss, ws, shift, sackOk, ts, val, ecr, edges) =>
            {
                var o = new TcpOptions
                {
                    Mss = mss, HasWindowScale = ws, WindowScale = ws ? shift : (byte)0, SackPermitted = sackOk,
                    HasTimestamps = ts, TsVal = ts ? val : 0, TsEcr = ts ? ecr : 0,
                };
                for (int i = 0; i + 1 < edges.Length && o.SackBlockCount < o.SackRoom; i += 2) o.AddSackBlock(edges[i], edges[i + 1]);
                return o;
            });

    private static readonly Gen<TcpRepr> Tcp =
        Gen.Select(Gen.UShort, Gen.UShort, Gen.UInt, Gen.UInt, Gen.Byte[0, TcpFlags.Mask], Gen.UShort, Options, Gen.Int[0, 1460])
            .Select((sp, dp, seq, ack, flags, window, options, n) => new TcpRepr
            {
                SourcePort = sp, DestinationPort = dp, Sequence = seq, Acknowledgment = ack, Flags = flags, Window = window, Options = options, PayloadLength = n,
            });

    private static readonly Gen<DhcpRepr> Dhcp =
        Gen.Select(Gen.Byte, Gen.UInt, Gen.Bool, OptionalAddress, OptionalAddress, Mac, Gen.Byte[1, 255], Gen.Frequency((1, Gen.Const(default(MacAddress))), (3, Mac)))
            .Select(Gen.Select(OptionalAddress, OptionalAddress, OptionalAddress, OptionalAddress, OptionalAddress, OptionalSeconds, OptionalSeconds, OptionalSeconds),
                Gen.Bool, (a, b, parameters) => new DhcpRepr
                {
                    Operation = a.Item1, TransactionId = a.Item2, Broadcast = a.Item3, ClientAddress = a.Item4, YourAddress = a.Item5,
                    ClientHardware = a.Item6, MessageType = a.Item7, ClientIdentifier = a.Item8,
                    RequestedAddress = b.Item1, ServerIdentifier = b.Item2, SubnetMask = b.Item3, Router = b.Item4, DnsServer = b.Item5,
                    LeaseSeconds = b.Item6, RenewalSeconds = b.Item7, RebindingSeconds = b.Item8, RequestParameters = parameters,
                });

    private static readonly Gen<DnsRepr> Dns =
        Gen.Select(Gen.UShort, Gen.Bool, Gen.Byte[0, 15], Gen.Bool, Gen.Bool, Gen.Bool, Gen.Bool, Gen.Byte[0, 15])
            .Select(Gen.UShort.Array[4], (a, counts) => new DnsRepr
            {
                Id = a.Item1, IsResponse = a.Item2, Opcode = a.Item3, Authoritative = a.Item4, Truncated = a.Item5, RecursionDesired = a.Item6,
                RecursionAvailable = a.Item7, ResponseCode = a.Item8,
                QuestionCount = counts[0], AnswerCount = counts[1], AuthorityCount = counts[2], AdditionalCount = counts[3],
            });

    // ---- properties ----

    [Fact]
    public void Ethernet_ParseOfEmitIsTheRepr()
    {
        Ethernet.Sample(repr =>
        {
            var frame = new byte[EthernetFrame.MinLength];
            Span<byte> payload = EthernetFrame.Emit(frame, in repr);
            Assert.Equal(EthernetFrame.HeaderLength, frame.Length - payload.Length);
            Assert.True(EthernetFrame.TryParse(frame, out EthernetFrame view));
            AssertSame(repr, EthernetRepr.Parse(in view));
            var theirs = new PacketDotNet.EthernetPacket(new PacketDotNet.Utils.ByteArraySegment(frame));
            Assert.Equal(repr.EtherType, (ushort)theirs.Type);
            Assert.Equal(MacBytes(repr.Destination), theirs.DestinationHardwareAddress.GetAddressBytes());
            Assert.Equal(MacBytes(repr.Source), theirs.SourceHardwareAddress.GetAddressBytes());
        }, iter: Iterations);
    }

    [Fact]
    public void Arp_ParseOfEmitIsTheRepr()
    {
        Arp.Sample(repr =>
        {
            var packet = new byte[ArpPacket.Length];
            ArpPacket.Emit(packet, in repr);
            Assert.True(ArpPacket.TryParse(packet, out ArpPacket view));
            AssertSame(repr, ArpRepr.Parse(in view));
            var theirs = new PacketDotNet.ArpPacket(new PacketDotNet.Utils.ByteArraySegment(packet));
            Assert.Equal(repr.Operation, (ushort)theirs.Operation);
            Assert.Equal(Ip(repr.SenderProtocol), theirs.SenderProtocolAddress);
            Assert.Equal(Ip(repr.TargetProtocol), theirs.TargetProtocolAddress);
            Assert.Equal(MacBytes(repr.TargetHardware), theirs.TargetHardwareAddress.GetAddressBytes());
        }, iter: Iterations);
    }

    [Fact]
    public void Ipv4_ParseOfEmitIsTheRepr()
    {
        Ipv4(1480).Sample(repr =>
        {
            var packet = new byte[Ipv4Packet.MinHeaderLength + repr.PayloadLength];
            Ipv4Packet.Emit(packet, in repr);
            Assert.Equal(Ipv4Error.None, Ipv4Packet.TryParse(packet, out Ipv4Packet view));
            AssertSame(repr, Ipv4Repr.Parse(in view));
            var theirs = new PacketDotNet.IPv4Packet(new PacketDotNet.Utils.ByteArraySegment(packet));
            Assert.True(theirs.ValidIPChecksum);
            Assert.Equal(repr.Identification, theirs.Id);
            Assert.Equal(repr.TimeToLive, theirs.TimeToLive);
            Assert.Equal(repr.Protocol, (byte)theirs.Protocol);
            Assert.Equal(repr.FragmentOffset / 8, theirs.FragmentOffset);
            Assert.Equal((repr.DontFragment ? 2 : 0) | (repr.MoreFragments ? 1 : 0), theirs.FragmentFlags);
            Assert.Equal(packet.Length, theirs.TotalLength);
            Assert.Equal(Ip(repr.Source), theirs.SourceAddress);
            Assert.Equal(Ip(repr.Destination), theirs.DestinationAddress);
        }, iter: Iterations);
    }

    [Fact]
    public void Icmp_ParseOfEmitIsTheRepr()
    {
        Gen.Select(Icmp, Gen.Byte.Array[0, 200]).Sample((repr, data) =>
        {
            var message = new byte[IcmpPacket.HeaderLength + data.Length];
            Assert.Equal(message.Length, IcmpPacket.Emit(message, in repr, data));
            Assert.True(IcmpPacket.TryParse(message, out IcmpPacket view)); // the checksum verifies
            AssertSame(repr, IcmpRepr.Parse(in view));
            Assert.Equal(data, view.Data.ToArray());
            var theirs = new PacketDotNet.IcmpV4Packet(new PacketDotNet.Utils.ByteArraySegment(message));
            Assert.Equal(repr.Type << 8 | repr.Code, (int)theirs.TypeCode);
            Assert.Equal(repr.Identifier, theirs.Id);
            Assert.Equal(repr.Sequence, theirs.Sequence);
        }, iter: Iterations);
    }

    [Fact]
    public void Udp_ParseOfEmitIsTheRepr_AndPacketDotNetVerifiesTheChecksum()
    {
        Gen.Select(Udp, Address, Address, Gen.Int).Sample((repr, source, destination, seed) =>
        {
            byte[] frame = TransportFrame(IpProtocol.Udp, source, destination, UdpDatagram.HeaderLength + repr.PayloadLength, seed, UdpDatagram.HeaderLength);
            Span<byte> datagram = frame.AsSpan(NetworkInterfaceOffsets.Transport);
            Assert.Equal(datagram.Length, UdpDatagram.Emit(datagram, in repr, source, destination));
            Assert.True(UdpDatagram.TryParse(datagram, source, destination, checksumVerified: false, out UdpDatagram view));
            AssertSame(repr, UdpRepr.Parse(in view));
            var theirs = (PacketDotNet.UdpPacket)TheirTransport(frame);
            Assert.True(theirs.ValidUdpChecksum);
            Assert.Equal(repr.SourcePort, theirs.SourcePort);
            Assert.Equal(repr.DestinationPort, theirs.DestinationPort);
            Assert.Equal(UdpDatagram.HeaderLength + repr.PayloadLength, theirs.Length); // not PayloadData: for some ports PacketDotNet parses the payload as a packet of its own
        }, iter: Iterations);
    }

    [Fact]
    public void Tcp_ParseOfEmitIsTheRepr_AndPacketDotNetVerifiesTheChecksum()
    {
        Gen.Select(Tcp, Address, Address, Gen.Int).Sample((repr, source, destination, seed) =>
        {
            byte[] frame = TransportFrame(IpProtocol.Tcp, source, destination, repr.HeaderLength + repr.PayloadLength, seed, repr.HeaderLength);
            Span<byte> segment = frame.AsSpan(NetworkInterfaceOffsets.Transport);
            Assert.Equal(segment.Length, TcpSegment.Emit(segment, in repr, source, destination));
            Assert.True(TcpSegment.TryParse(segment, source, destination, checksumVerified: false, out TcpSegment view));
            AssertSame(repr, TcpRepr.Parse(in view));
            var theirs = (PacketDotNet.TcpPacket)TheirTransport(frame);
            Assert.True(theirs.ValidTcpChecksum);
            Assert.Equal(repr.SourcePort, theirs.SourcePort);
            Assert.Equal(repr.DestinationPort, theirs.DestinationPort);
            Assert.Equal(repr.Sequence, theirs.SequenceNumber);
            Assert.Equal(repr.Acknowledgment, theirs.AcknowledgmentNumber);
            Assert.Equal(repr.Window, theirs.WindowSize);
            Assert.Equal(repr.Flags, (byte)theirs.Flags);
            Assert.Equal(repr.HeaderLength, theirs.DataOffset * 4);
        }, iter: Iterations);
    }

    [Fact]
    public void Tcp_PartialChecksumIsThePseudoHeaderSum()
    {
        Gen.Select(Tcp, Address, Address).Sample((repr, source, destination) =>
        {
            var segment = new byte[repr.HeaderLength + repr.PayloadLength];
            TcpSegment.Emit(segment, in repr, source, destination, ChecksumMode.Partial);
            Assert.True(TcpSegment.TryParse(segment, source, destination, checksumVerified: true, out TcpSegment view));
            AssertSame(repr, TcpRepr.Parse(in view));
            Assert.Equal(Checksum.FoldPartial(Checksum.PseudoHeader(source, destination, IpProtocol.Tcp, segment.Length)), view.Checksum.Value);
            // What the NIC does (virtio NEEDS_CSUM): sum from the header on, fold, invert, store. The result verifies.
            Be16.Of(Checksum.Compute(segment)).Write(segment, TcpSegment.Field.Checksum);
            Assert.True(TcpSegment.TryParse(segment, source, destination, checksumVerified: false, out _));
        }, iter: Iterations);
    }

    [Fact]
    public void Dhcp_ParseOfEmitIsTheRepr()
    {
        Dhcp.Sample(repr =>
        {
            var message = new byte[600];
            int length = DhcpMessage.Emit(message, in repr);
            Assert.True(length >= DhcpMessage.MinLength);
            Assert.True(DhcpMessage.TryParse(message.AsSpan(0, length), out DhcpMessage view));
            Assert.True(DhcpRepr.TryParse(in view, out DhcpRepr back));
            AssertSame(repr, back);
            var theirs = new PacketDotNet.DhcpV4Packet(new PacketDotNet.Utils.ByteArraySegment(message, 0, length), null);
            Assert.Equal(repr.TransactionId, theirs.TransactionId);
            Assert.Equal(repr.MessageType, (byte)theirs.MessageType);
            Assert.Equal(Ip(repr.YourAddress), theirs.YourAddress);
            Assert.Equal(MacBytes(repr.ClientHardware), theirs.ClientHardwareAddress.GetAddressBytes());
        }, iter: Iterations);
    }

    [Fact]
    public void Dns_ParseOfEmitIsTheRepr()
    {
        Dns.Sample(repr =>
        {
            var header = new byte[DnsMessage.HeaderLength];
            Assert.Equal(DnsMessage.HeaderLength, DnsMessage.Emit(header, in repr));
            Assert.True(DnsMessage.TryParse(header, out DnsMessage view));
            AssertSame(repr, DnsRepr.Parse(in view));
        }, iter: Iterations);
    }

    // ---- helpers ----

    private static class NetworkInterfaceOffsets
    {
        public const int Transport = EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength;
    }

    /// <summary>An Ethernet + IPv4 frame (by our emitters) around room for a transport message, its payload random.</summary>
    private static byte[] TransportFrame(byte protocol, Ipv4Address source, Ipv4Address destination, int transportLength, int seed, int headerLength)
    {
        var frame = new byte[NetworkInterfaceOffsets.Transport + transportLength];
        new Random(seed).NextBytes(frame.AsSpan(NetworkInterfaceOffsets.Transport + headerLength));
        var ethernet = new EthernetRepr { Destination = new MacAddress([2, 0, 0, 0, 0, 1]), Source = new MacAddress([2, 0, 0, 0, 0, 2]), EtherType = EtherType.Ipv4 };
        Span<byte> ip = EthernetFrame.Emit(frame, in ethernet);
        var header = new Ipv4Repr
        {
            Source = source, Destination = destination, Protocol = protocol, PayloadLength = transportLength, TimeToLive = Ipv4Repr.DefaultTimeToLive, DontFragment = true,
        };
        Ipv4Packet.Emit(ip, in header);
        return frame;
    }

    /// <summary>
    /// PacketDotNet's reading of the transport header right after our IPv4 header (not Packet.Extract, which for some
    /// ports finds a packet of the same type that PacketDotNet believes it sees inside the random payload).
    /// </summary>
    private static PacketDotNet.Packet TheirTransport(byte[] frame) =>
        PacketDotNet.Packet.ParsePacket(PacketDotNet.LinkLayers.Ethernet, frame).PayloadPacket.PayloadPacket;

    private static byte[] MacBytes(MacAddress m) => [m.B0, m.B1, m.B2, m.B3, m.B4, m.B5];

    private static IPAddress Ip(Ipv4Address a) => new(BitConverter.GetBytes(a.Value).Reverse().ToArray());

    /// <summary>Field by field, public fields and the SACK blocks, so a failure names the field that differs.</summary>
    private static void AssertSame<T>(T expected, T actual) where T : struct => Assert.Equal(Describe(expected), Describe(actual));

    private static string Describe(object value)
    {
        var text = new StringBuilder();
        foreach (FieldInfo f in value.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            object v = f.GetValue(value)!;
            text.Append(f.Name).Append('=');
            text.Append(v switch
            {
                MacAddress m => Convert.ToHexString(MacBytes(m)),
                Ipv4Address a => a.Value.ToString("X8"),
                TcpOptions o => "{" + Describe(o) + " sack=" + string.Join(',', Enumerable.Range(0, o.SackBlockCount).Select(i => $"{o.SackStart(i)}-{o.SackEnd(i)}")) + "}",
                _ => v.ToString(),
            });
            text.Append(' ');
        }
        return text.ToString();
    }
}
