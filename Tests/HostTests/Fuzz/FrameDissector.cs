using System.Buffers.Binary;
using Cosmos.Net.Wire;

namespace Cosmos.HostTests.Fuzz;

/// <summary>How far into the parsers a frame got: one flag per stage reached or passed.</summary>
[Flags]
public enum Stage : uint
{
    None = 0,
    Ethernet = 1 << 0,          // an Ethernet II frame
    Arp = 1 << 1,               // ARP parsed
    Ipv4Reached = 1 << 2,       // EtherType IPv4: the IPv4 parser ran
    Ipv4BadChecksum = 1 << 3,   // ... and stopped at the header checksum
    Ipv4 = 1 << 4,              // IPv4 parsed (version, lengths, checksum)
    Ipv4Options = 1 << 5,       // ... with options (IHL > 5)
    Ipv4Fragment = 1 << 6,      // ... a fragment: the stack drops it here
    IcmpReached = 1 << 7,
    Icmp = 1 << 8,              // ICMP parsed (checksum over the message)
    UdpReached = 1 << 9,
    Udp = 1 << 10,              // UDP parsed (length, pseudo-header checksum or none)
    TcpReached = 1 << 11,
    Tcp = 1 << 12,              // TCP parsed (data offset, pseudo-header checksum)
    TcpOptions = 1 << 13,       // ... with an options area, walked for MSS
    TcpMss = 1 << 14,           // ... which held a well-formed MSS option
    DhcpReached = 1 << 15,      // UDP to or from port 67/68: the DHCP parser ran
    Dhcp = 1 << 16,             // DHCP parsed (cookie, Ethernet addresses, options, a message type)
    DnsReached = 1 << 17,       // UDP to or from port 53: the DNS parser ran
    DnsNames = 1 << 18,         // ... past the header checks, into the question and answer names
    DnsAnswer = 1 << 19,        // ... and found an A record
}

/// <summary>
/// Walks a frame through the stack's parsers in the stack's order (Ethernet, ARP or IPv4, then ICMP, UDP
/// or TCP by protocol, then DHCP or DNS by port), using the packet's own addresses for the pseudo-header,
/// touching every accessor a parsed view offers, reading each header's Repr from its view, and checking what a
/// checked constructor promises (the view lies inside the buffer, lengths agree, the Repr agrees with the view). Returns the stages reached; a parser that throws (an out-of-range
/// read is an exception on a span) fails the caller.
/// </summary>
public static class FrameDissector
{
    public static Stage Dissect(Span<byte> frame)
    {
        Stage s = Stage.None;
        if (!EthernetFrame.TryParse(frame, out EthernetFrame eth)) return s;
        s |= Stage.Ethernet;
        _ = eth.IsBroadcast;
        EthernetRepr ethernet = EthernetRepr.Parse(in eth);   // every field accessor
        Span<byte> payload = eth.Payload;
        if (ethernet.EtherType == EtherType.Arp)
        {
            if (ArpPacket.TryParse(payload, out ArpPacket arp))
            {
                s |= Stage.Arp;
                _ = ArpRepr.Parse(in arp);
            }
            return s;
        }
        if (ethernet.EtherType != EtherType.Ipv4) return s;
        s |= Stage.Ipv4Reached;
        Ipv4Error error = Ipv4Packet.TryParse(payload, out Ipv4Packet ip);
        if (error == Ipv4Error.BadChecksum) s |= Stage.Ipv4BadChecksum;
        if (error != Ipv4Error.None) return s;
        s |= Stage.Ipv4;
        Check(ip.HeaderLength >= Ipv4Packet.MinHeaderLength && ip.HeaderLength <= ip.TotalLength && ip.TotalLength <= payload.Length, "IPv4 view outside its buffer");
        Check(ip.Payload.Length == ip.TotalLength - ip.HeaderLength, "IPv4 payload length");
        if (ip.HeaderLength > Ipv4Packet.MinHeaderLength) s |= Stage.Ipv4Options;
        Ipv4Repr ipRepr = Ipv4Repr.Parse(in ip);
        Check(ipRepr.PayloadLength == ip.Payload.Length && ipRepr.FragmentOffset % 8 == 0, "IPv4 Repr against its view");
        Ipv4Address source = ipRepr.Source, destination = ipRepr.Destination;
        if (ip.IsFragment) return s | Stage.Ipv4Fragment;
        Span<byte> transport = ip.Payload;
        switch (ip.Protocol)
        {
            case IpProtocol.Icmp:
                s |= Stage.IcmpReached;
                if (IcmpPacket.TryParse(transport, out IcmpPacket icmp))
                {
                    s |= Stage.Icmp;
                    _ = IcmpRepr.Parse(in icmp);
                    Check(icmp.Data.Length == icmp.Length - IcmpPacket.HeaderLength && icmp.Length == transport.Length, "ICMP lengths");
                }
                break;
            case IpProtocol.Udp:
                s |= Stage.UdpReached;
                if (UdpDatagram.TryParse(transport, source, destination, false, out UdpDatagram udp))
                {
                    s |= Stage.Udp;
                    UdpRepr udpRepr = UdpRepr.Parse(in udp);
                    ushort from = udpRepr.SourcePort, to = udpRepr.DestinationPort;
                    Span<byte> data = udp.Payload;
                    Check(data.Length == BinaryPrimitives.ReadUInt16BigEndian(transport[4..]) - UdpDatagram.HeaderLength, "UDP payload length");
                    Check(udpRepr.PayloadLength == data.Length && udp.Length.Value == data.Length + UdpDatagram.HeaderLength, "UDP Repr against its view");
                    if (from is DhcpMessage.ServerPort or DhcpMessage.ClientPort || to is DhcpMessage.ServerPort or DhcpMessage.ClientPort)
                        s |= Dhcp(data);
                    if (from == DnsMessage.Port || to == DnsMessage.Port)
                        s |= Dns(data);
                }
                break;
            case IpProtocol.Tcp:
                s |= Stage.TcpReached;
                if (TcpSegment.TryParse(transport, source, destination, false, out TcpSegment tcp))
                {
                    s |= Stage.Tcp;
                    TcpRepr tcpRepr = TcpRepr.Parse(in tcp);
                    _ = tcp.Checksum;
                    Check(tcp.HeaderLength >= TcpSegment.MinHeaderLength && tcp.HeaderLength <= transport.Length, "TCP header length");
                    Check(tcp.Payload.Length == transport.Length - tcp.HeaderLength, "TCP payload length");
                    Check(tcpRepr.PayloadLength == tcp.Payload.Length && tcpRepr.HeaderLength <= TcpSegment.MaxHeaderLength, "TCP Repr against its view");
                    if (tcp.HeaderLength > TcpSegment.MinHeaderLength) s |= Stage.TcpOptions;
                    if (tcpRepr.Options.Mss != 0) s |= Stage.TcpMss;
                }
                break;
        }
        return s;
    }

    private static Stage Dhcp(ReadOnlySpan<byte> data)
    {
        if (!DhcpMessage.TryParse(data, out DhcpMessage message) || !DhcpRepr.TryParse(in message, out DhcpRepr dhcp)) return Stage.DhcpReached;
        Check(dhcp.MessageType != 0, "DHCP without a message type accepted");
        return Stage.DhcpReached | Stage.Dhcp;
    }

    private static Stage Dns(ReadOnlySpan<byte> data)
    {
        Stage s = Stage.DnsReached;
        // The resolver checks the id against its query; here the message's own id, so the walk goes on.
        ushort id = data.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(data) : (ushort)0;
        bool answered = DnsMessage.TryParseAnswer(data, id, out _, out int code);
        if (DnsMessage.TryParse(data, out DnsMessage message) && DnsRepr.Parse(in message) is { IsResponse: true } header && code == 0
            && (header.QuestionCount | header.AnswerCount) != 0)
            s |= Stage.DnsNames;
        if (answered) s |= Stage.DnsAnswer;
        return s;
    }

    private static void Check(bool condition, string what)
    {
        if (!condition) throw new InvalidOperationException($"parser invariant broken: {what}");
    }

    /// <summary>Every parser on the raw bytes, whatever they are (random bytes, a slice at any offset): reject or parse, never throw.</summary>
    public static void ExerciseAllParsers(Span<byte> bytes)
    {
        var a = new Ipv4Address(10, 0, 2, 2);
        var b = new Ipv4Address(10, 0, 2, 15);
        if (EthernetFrame.TryParse(bytes, out EthernetFrame eth)) { _ = EthernetRepr.Parse(in eth); _ = eth.Payload.Length; }
        if (ArpPacket.TryParse(bytes, out ArpPacket arp)) { _ = ArpRepr.Parse(in arp); }
        if (Ipv4Packet.TryParse(bytes, out Ipv4Packet ip) == Ipv4Error.None) { _ = Ipv4Repr.Parse(in ip); _ = ip.Payload.Length; _ = ip.IsFragment; }
        if (IcmpPacket.TryParse(bytes, out IcmpPacket icmp)) { _ = IcmpRepr.Parse(in icmp); _ = icmp.Data.Length; }
        if (UdpDatagram.TryParse(bytes, a, b, false, out UdpDatagram udp)) { _ = UdpRepr.Parse(in udp); _ = udp.Payload.Length; }
        if (UdpDatagram.TryParse(bytes, a, b, true, out udp)) { _ = UdpRepr.Parse(in udp); _ = udp.Payload.Length; }
        if (TcpSegment.TryParse(bytes, a, b, true, out TcpSegment tcp)) { _ = TcpRepr.Parse(in tcp); _ = tcp.Payload.Length; }
        if (DhcpMessage.TryParse(bytes, out DhcpMessage dhcp)) { DhcpRepr.TryParse(in dhcp, out _); }
        if (DnsMessage.TryParse(bytes, out DnsMessage dns)) { _ = DnsRepr.Parse(in dns); }
        DnsMessage.TryParseAnswer(bytes, bytes.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : (ushort)0, out _, out _);
    }

    /// <summary>The stage names of a set, as the corpus files write them.</summary>
    public static string Format(Stage stages) =>
        string.Join(' ', Enum.GetValues<Stage>().Where(s => s != Stage.None && (stages & s) != 0));

    public static Stage Parse(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Aggregate(Stage.None, (all, name) => all | Enum.Parse<Stage>(name));
}
