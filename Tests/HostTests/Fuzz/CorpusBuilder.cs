using System.Buffers.Binary;
using System.Text;
using Cosmos.Hal.Network;
using Cosmos.Net.Wire;

namespace Cosmos.HostTests.Fuzz;

/// <summary>
/// Where the corpus's seed files come from: each frame built here from the RFCs' layouts, with the stages it
/// must reach written by hand (not taken from the dissector). The frames go from 10.0.2.2
/// (02:00:00:00:00:02) to 10.0.2.15 (02:00:00:00:00:01), the addresses the interface fuzz configures.
/// Inputs found by fuzzing are added as files of their own, not here.
/// </summary>
public static class CorpusBuilder
{
    public static readonly byte[] OurMac = [0x02, 0, 0, 0, 0, 0x01], PeerMac = [0x02, 0, 0, 0, 0, 0x02];
    public const uint OurIp = 0x0A00020F, PeerIp = 0x0A000202;

    private const Stage E = Stage.Ethernet;
    private const Stage IpIn = E | Stage.Ipv4Reached;
    private const Stage Ip = IpIn | Stage.Ipv4;
    private const Stage Udp = Ip | Stage.UdpReached | Stage.Udp;
    private const Stage Tcp = Ip | Stage.TcpReached | Stage.Tcp;
    private const Stage TcpMss = Tcp | Stage.TcpOptions | Stage.TcpMss;
    private const Stage Icmp = Ip | Stage.IcmpReached | Stage.Icmp;
    private const Stage Dhcp = Udp | Stage.DhcpReached | Stage.Dhcp;
    private const Stage DnsIn = Udp | Stage.DnsReached;
    private const Stage Dns = DnsIn | Stage.DnsNames | Stage.DnsAnswer;

    public static List<CorpusEntry> All()
    {
        var all = new List<CorpusEntry>();
        void Add(string parser, string name, string description, Stage expected, byte[] frame) =>
            all.Add(new CorpusEntry(parser, name, description, expected, frame));

        // ---- Ethernet, ARP ----
        Add("ethernet", "runt-13-bytes", "Shorter than an Ethernet header.", Stage.None, Ethernet(0x0800, [])[..13]);
        Add("ethernet", "ieee8023-length-field", "An 802.3 length (64) where Ethernet II has its EtherType: not ours.", Stage.None, Ethernet(0x0040, new byte[46]));
        Add("ethernet", "ipv6-ethertype", "EtherType 0x86DD: an Ethernet II frame the stack does not handle.", E, Ethernet(0x86DD, new byte[46]));
        Add("ethernet", "ipv4-ethertype-zero-payload", "EtherType IPv4 over 46 zero bytes (version 0).", IpIn, Ethernet(0x0800, new byte[46]));
        Add("arp", "request", "ARP request (RFC 826) from 10.0.2.2 for 10.0.2.15.", E | Stage.Arp, Ethernet(0x0806, Arp(1, PeerMac, PeerIp, new byte[6], OurIp), broadcast: true));
        Add("arp", "reply", "ARP reply from 10.0.2.2 to 10.0.2.15.", E | Stage.Arp, Ethernet(0x0806, Arp(2, PeerMac, PeerIp, OurMac, OurIp)));
        byte[] arp8 = Arp(1, PeerMac, PeerIp, new byte[6], OurIp); arp8[4] = 8;
        Add("arp", "hardware-length-8", "ARP with a hardware address length of 8: not Ethernet/IPv4 ARP.", E, Ethernet(0x0806, arp8));
        Add("arp", "truncated-27-bytes", "ARP one byte short of its 28.", E, Ethernet(0x0806, Arp(1, PeerMac, PeerIp, new byte[6], OurIp)[..27]));

        // ---- IPv4 (RFC 791) ----
        byte[] echo = Encoding.ASCII.GetBytes("fuzz corpus echo");
        Add("ipv4", "options-nop-eol", "IHL 6: options NOP NOP NOP EOL, carrying UDP to port 7.", Udp | Stage.Ipv4Options,
            Ipv4(17, UdpDatagram(40000, 7, echo), options: [1, 1, 1, 0]));
        byte[] recordRoute = new byte[40]; recordRoute[0] = 7; recordRoute[1] = 39; recordRoute[2] = 4;
        Add("ipv4", "record-route-ihl-15", "IHL 15: a 39-byte record-route option (RFC 791) and EOL, carrying an ICMP echo request.", Icmp | Stage.Ipv4Options,
            Ipv4(1, IcmpMessage(8, 0, [0x12, 0x34, 0, 1, .. echo]), options: recordRoute));
        Add("ipv4", "ethernet-padding", "A 4-byte UDP payload in a 60-byte frame: the bytes past the total length are Ethernet padding.", Udp,
            Pad(Ipv4(17, UdpDatagram(40000, 7, [1, 2, 3, 4])), 60));
        byte[] badSum = Ipv4(17, UdpDatagram(40000, 7, echo)); badSum[14 + 8] ^= 1;
        Add("ipv4", "bad-header-checksum", "TTL changed after the header checksum was computed.", IpIn | Stage.Ipv4BadChecksum, badSum);
        Add("ipv4", "total-length-below-header", "Total length 19, less than the 20-byte header.", IpIn, Ipv4(17, UdpDatagram(40000, 7, echo), totalLength: 19));
        Add("ipv4", "total-length-past-frame", "Total length 100 bytes longer than what arrived.", IpIn, Ipv4(17, UdpDatagram(40000, 7, echo), totalLength: 20 + 8 + echo.Length + 100));
        Add("ipv4", "ihl-4", "IHL 4 (16 bytes), below the minimum header.", IpIn, Ipv4(17, UdpDatagram(40000, 7, echo), ihlOverride: 4));
        Add("ipv4", "ihl-past-packet", "IHL 15 (60 bytes) in a 24-byte packet.", IpIn, Ipv4(255, [1, 2, 3, 4], ihlOverride: 15));
        Add("ipv4", "version-6", "Version 6 under EtherType IPv4.", IpIn, Ipv4(17, UdpDatagram(40000, 7, echo), version: 6));
        Add("ipv4", "more-fragments", "First fragment (MF set): dropped, no reassembly.", Ip | Stage.Ipv4Fragment, Ipv4(17, UdpDatagram(40000, 7, echo), fragment: 0x2000));
        Add("ipv4", "fragment-offset", "A later fragment (offset 185 x 8 bytes).", Ip | Stage.Ipv4Fragment, Ipv4(17, echo, fragment: 185));
        Add("ipv4", "protocol-gre", "Protocol 47 (GRE): parsed, not handled.", Ip, Ipv4(47, [0, 0, 0x08, 0, .. echo]));

        // ---- ICMP (RFC 792) ----
        Add("icmp", "echo-request", "Echo request, id 0x1234, sequence 1.", Icmp, Ipv4(1, IcmpMessage(8, 0, [0x12, 0x34, 0, 1, .. echo])));
        Add("icmp", "echo-reply", "Echo reply.", Icmp, Ipv4(1, IcmpMessage(0, 0, [0x12, 0x34, 0, 2, .. echo])));
        Add("icmp", "odd-length", "Echo request with 3 data bytes: the checksum pads the odd byte.", Icmp, Ipv4(1, IcmpMessage(8, 0, [0, 7, 0, 3, 0xAA, 0xBB, 0xCC])));
        byte[] inner = Ipv4(17, UdpDatagram(7, 40000, echo))[14..(14 + 28)];
        Add("icmp", "destination-unreachable", "Port unreachable (type 3 code 3) quoting an IPv4 header and 8 bytes.", Icmp, Ipv4(1, IcmpMessage(3, 3, [0, 0, 0, 0, .. inner])));
        byte[] icmpBad = Ipv4(1, IcmpMessage(8, 0, [0x12, 0x34, 0, 1, .. echo])); icmpBad[^1] ^= 0x40;
        Add("icmp", "bad-checksum", "Echo request whose data changed after the checksum.", Ip | Stage.IcmpReached, icmpBad);
        Add("icmp", "seven-bytes", "Seven bytes of ICMP, one short of a header.", Ip | Stage.IcmpReached, Ipv4(1, IcmpMessage(8, 0, [0, 1, 0])));

        // ---- UDP (RFC 768) ----
        Add("udp", "echo", "A datagram to port 7.", Udp, Ipv4(17, UdpDatagram(40000, 7, echo)));
        Add("udp", "no-checksum", "Checksum 0: none sent (RFC 768).", Udp, Ipv4(17, UdpDatagram(40000, 7, echo, checksum: false)));
        Add("udp", "checksum-sent-as-ffff", "A datagram whose checksum computes to 0, sent as 0xFFFF (RFC 768).", Udp, ChecksumFfff());
        Add("udp", "full-mtu", "A 1472-byte payload: a 1500-byte IPv4 packet, the largest frame.", Udp,
            Ipv4(17, UdpDatagram(40000, 7, Enumerable.Range(0, 1472).Select(i => (byte)(i * 7)).ToArray())));
        byte[] udpLong = UdpDatagram(40000, 7, echo); BinaryPrimitives.WriteUInt16BigEndian(udpLong.AsSpan(4), (ushort)(udpLong.Length + 1));
        Add("udp", "length-past-packet", "UDP length one byte more than the IP payload.", Ip | Stage.UdpReached, Ipv4(17, udpLong));
        byte[] udpShort = [.. UdpDatagram(40000, 7, echo), 0xEE, 0xEE, 0xEE];
        Add("udp", "length-short-of-packet", "UDP length 3 bytes less than the IP payload: the rest is not the datagram's.", Udp, Ipv4(17, udpShort));
        byte[] udp7 = UdpDatagram(40000, 7, echo); BinaryPrimitives.WriteUInt16BigEndian(udp7.AsSpan(4), 7);
        Add("udp", "length-below-header", "UDP length 7.", Ip | Stage.UdpReached, Ipv4(17, udp7));
        Add("udp", "empty", "A datagram with no payload.", Udp, Ipv4(17, UdpDatagram(40000, 7, [])));
        byte[] udpBad = Ipv4(17, UdpDatagram(40000, 7, echo)); udpBad[^1] ^= 1;
        Add("udp", "bad-checksum", "Payload changed after the checksum.", Ip | Stage.UdpReached, udpBad);

        // ---- TCP (RFC 9293 §3.1, options RFC 7323, 2018) ----
        Add("tcp", "syn-mss", "SYN with MSS 1460.", TcpMss, Ipv4(6, TcpSegment(40000, 7, 2, [2, 4, 0x05, 0xB4])));
        Add("tcp", "syn-linux-options", "SYN as Linux sends it: MSS, SACK permitted, timestamps, NOP, window scale 7.", TcpMss,
            Ipv4(6, TcpSegment(40000, 80, 2, [2, 4, 0x05, 0xB4, 4, 2, 8, 10, 0, 0, 0x10, 0, 0, 0, 0, 0, 1, 3, 3, 7])));
        Add("tcp", "mss-after-timestamps", "NOP NOP timestamps, then MSS last.", TcpMss, Ipv4(6, TcpSegment(40000, 7, 2, [1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 2, 4, 0x02, 0x18])));
        Add("tcp", "option-length-zero", "An option of length 0 before the MSS: the walk stops, no MSS.", Tcp | Stage.TcpOptions, Ipv4(6, TcpSegment(40000, 7, 2, [8, 0, 0, 0, 2, 4, 0x05, 0xB4])));
        Add("tcp", "option-length-one", "An option of length 1 before the MSS.", Tcp | Stage.TcpOptions, Ipv4(6, TcpSegment(40000, 7, 2, [30, 1, 0, 0, 2, 4, 0x05, 0xB4])));
        Add("tcp", "option-past-header", "A timestamps option whose length (10) runs past a 4-byte options area.", Tcp | Stage.TcpOptions, Ipv4(6, TcpSegment(40000, 7, 2, [8, 10, 0, 0], payload: [2, 4, 0x05, 0xB4, 0, 0])));
        Add("tcp", "mss-length-6", "Kind 2 with length 6: not an MSS option.", Tcp | Stage.TcpOptions, Ipv4(6, TcpSegment(40000, 7, 2, [2, 6, 0x05, 0xB4, 0, 0, 1, 1])));
        Add("tcp", "eol-before-mss", "End of options before an MSS option.", Tcp | Stage.TcpOptions, Ipv4(6, TcpSegment(40000, 7, 2, [0, 1, 1, 1, 2, 4, 0x05, 0xB4])));
        Add("tcp", "data-offset-15", "Data offset 15: 36 bytes of NOP, then MSS in the last 4.", TcpMss, Ipv4(6, TcpSegment(40000, 7, 2, [.. Enumerable.Repeat((byte)1, 36), 2, 4, 0x05, 0xB4])));
        byte[] tcp4 = TcpSegment(40000, 7, 0x10, []); tcp4[12] = 4 << 4;
        Add("tcp", "data-offset-4", "Data offset 4 (16 bytes), below the minimum header.", Ip | Stage.TcpReached, Ipv4(6, tcp4));
        byte[] tcpPast = TcpSegment(40000, 7, 0x10, [2, 4, 0x05, 0xB4]); tcpPast[12] = 15 << 4;
        Add("tcp", "data-offset-past-segment", "Data offset 15 (60 bytes) in a 24-byte segment.", Ip | Stage.TcpReached, Ipv4(6, tcpPast));
        Add("tcp", "ack-with-data", "ACK and PSH with 16 bytes of data.", Tcp, Ipv4(6, TcpSegment(40000, 7, 0x18, [], payload: echo)));
        Add("tcp", "full-mss-data", "ACK with 1460 bytes of data: a full-sized segment.", Tcp,
            Ipv4(6, TcpSegment(40000, 7, 0x10, [], payload: Enumerable.Range(0, 1460).Select(i => (byte)(i * 11)).ToArray())));
        byte[] tcpBad = Ipv4(6, TcpSegment(40000, 7, 0x18, [], payload: echo)); tcpBad[^1] ^= 2;
        Add("tcp", "bad-checksum", "Data changed after the checksum.", Ip | Stage.TcpReached, tcpBad);
        Add("tcp", "truncated-19-bytes", "Nineteen bytes of TCP.", Ip | Stage.TcpReached, Ipv4(6, TcpSegment(40000, 7, 2, [])[..19]));

        // ---- DHCP (RFC 2131, options RFC 2132) ----
        byte[] offerOptions = [53, 1, 2, 54, 4, 10, 0, 2, 2, 51, 4, 0, 1, 0x51, 0x80, 1, 4, 255, 255, 255, 0, 3, 4, 10, 0, 2, 2, 255];
        Add("dhcp", "offer", "DHCPOFFER of 10.0.2.15 from 10.0.2.2, lease 86400 s.", Dhcp, DhcpFrame(DhcpMessage(2, offerOptions)));
        Add("dhcp", "ack-full", "DHCPACK with mask, two routers, DNS, lease, T1, T2, server id and a parameter list.", Dhcp,
            DhcpFrame(DhcpMessage(2, [53, 1, 5, 1, 4, 255, 255, 255, 0, 3, 8, 10, 0, 2, 2, 10, 0, 2, 1, 6, 4, 10, 0, 2, 3, 51, 4, 0, 0, 0x0E, 0x10,
                58, 4, 0, 0, 0x07, 0x08, 59, 4, 0, 0, 0x0C, 0x4E, 54, 4, 10, 0, 2, 2, 55, 3, 1, 3, 6, 255])));
        Add("dhcp", "nak", "DHCPNAK.", Dhcp, DhcpFrame(DhcpMessage(2, [53, 1, 6, 54, 4, 10, 0, 2, 2, 255])));
        Add("dhcp", "pad-options", "Pad options before and between options.", Dhcp, DhcpFrame(DhcpMessage(2, [0, 0, 0, 53, 1, 2, 0, 0, 51, 4, 0, 0, 1, 0, 255])));
        Add("dhcp", "no-end-option", "Options run to the end of the message without an end option.", Dhcp, DhcpFrame(DhcpMessage(2, [53, 1, 5, 51, 4, 0, 0, 1, 0], pad: false)));
        Add("dhcp", "option-past-end", "A router option whose length (200) runs past the message.", Udp | Stage.DhcpReached, DhcpFrame(DhcpMessage(2, [53, 1, 2, 3, 200, 10, 0, 2, 2], pad: false)));
        byte[] badCookie = DhcpMessage(2, offerOptions); badCookie[239] ^= 1;
        Add("dhcp", "bad-magic-cookie", "The magic cookie with one bit flipped.", Udp | Stage.DhcpReached, DhcpFrame(badCookie));
        byte[] hlen8 = DhcpMessage(2, offerOptions); hlen8[2] = 8;
        Add("dhcp", "hardware-length-8", "A hardware address length of 8: not Ethernet.", Udp | Stage.DhcpReached, DhcpFrame(hlen8));
        Add("dhcp", "no-message-type", "Options without a message type (option 53).", Udp | Stage.DhcpReached, DhcpFrame(DhcpMessage(2, [54, 4, 10, 0, 2, 2, 255])));
        Add("dhcp", "shorter-than-fixed-part", "200 bytes: the fixed BOOTP part is 236.", Udp | Stage.DhcpReached, DhcpFrame(DhcpMessage(2, offerOptions)[..200]));
        Add("dhcp", "code-without-length", "The last byte is an option code with no length byte after it.", Udp | Stage.DhcpReached, DhcpFrame(DhcpMessage(2, [53, 1, 2, 51], pad: false)));
        Add("dhcp", "message-type-length-2", "Message type option of length 2: ignored, so no message type.", Udp | Stage.DhcpReached, DhcpFrame(DhcpMessage(2, [53, 2, 2, 2, 255])));

        // ---- DNS (RFC 1035 §4) ----
        byte[] question = [.. Name("cosmos.test"), 0, 1, 0, 1];
        byte[] aRecord = [0xC0, 12, 0, 1, 0, 1, 0, 0, 0x0E, 0x10, 0, 4, 192, 0, 2, 7];
        Add("dns", "a-compressed", "Response: question cosmos.test A, answer by a compression pointer to the question, 192.0.2.7.", Dns, DnsFrame(DnsMessage(0x8180, 1, 1, [.. question, .. aRecord])));
        byte[] cname = [0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3, (byte)'w', (byte)'w', (byte)'w', 0xC0, 12];
        byte[] aAfterCname = [0xC0, 41, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 8];
        Add("dns", "cname-then-a", "A CNAME record, then the A record of its target (pointer to a pointer).", Dns, DnsFrame(DnsMessage(0x8180, 1, 2, [.. question, .. cname, .. aAfterCname])));
        Add("dns", "nxdomain", "Response code 3, name error: an answer without an address.", DnsIn, DnsFrame(DnsMessage(0x8183, 1, 0, question)));
        Add("dns", "aaaa-only", "Only an AAAA record.", DnsIn | Stage.DnsNames,
            DnsFrame(DnsMessage(0x8180, 1, 1, [.. question, 0xC0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16, .. new byte[16]])));
        Add("dns", "answer-name-points-to-itself", "The answer's name is a pointer to itself: not followed, so no loop.", Dns,
            DnsFrame(DnsMessage(0x8180, 1, 1, [.. question, 0xC0, 29, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 9])));
        var many = new List<byte>(); for (int i = 0; i < 130; i++) many.AddRange([1, (byte)'a']); many.Add(0);
        Add("dns", "question-130-labels", "A question name of 130 labels: past the walk's bound of 128.", DnsIn | Stage.DnsNames, DnsFrame(DnsMessage(0x8180, 1, 0, [.. many, 0, 1, 0, 1])));
        Add("dns", "reserved-label-type", "A label length byte 0x40 (reserved label type 01).", DnsIn | Stage.DnsNames, DnsFrame(DnsMessage(0x8180, 1, 1, [0x40, .. question, .. aRecord])));
        byte[] rdPast = [.. aRecord]; rdPast[11] = 40;
        Add("dns", "rdlength-past-end", "An A record whose rdlength (40) runs past the message.", DnsIn | Stage.DnsNames, DnsFrame(DnsMessage(0x8180, 1, 1, [.. question, .. rdPast])));
        Add("dns", "query-not-response", "A query (QR clear) arriving from port 53.", DnsIn, DnsFrame(DnsMessage(0x0100, 1, 0, question)));
        Add("dns", "zero-counts", "A response with no question and no answer.", DnsIn, DnsFrame(DnsMessage(0x8180, 0, 0, [])));
        Add("dns", "answer-count-too-high", "Answer count 5, one CNAME record present.", DnsIn | Stage.DnsNames, DnsFrame(DnsMessage(0x8180, 1, 5, [.. question, .. cname])));
        Add("dns", "header-11-bytes", "Eleven bytes: shorter than the header.", DnsIn, DnsFrame(DnsMessage(0x8180, 1, 1, [])[..11]));
        byte[] chaos = [.. aRecord]; chaos[5] = 3;
        Add("dns", "a-record-class-chaos", "An A record of class CH (3), not IN.", DnsIn | Stage.DnsNames, DnsFrame(DnsMessage(0x8180, 1, 1, [.. question, .. chaos])));
        return all;
    }

    // ---- builders ----

    private static byte[] Ethernet(ushort type, byte[] payload, bool broadcast = false)
    {
        var f = new byte[14 + payload.Length];
        (broadcast ? new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF } : OurMac).CopyTo(f, 0);
        PeerMac.CopyTo(f, 6);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), type);
        payload.CopyTo(f, 14);
        return f;
    }

    private static byte[] Pad(byte[] frame, int length) => frame.Length >= length ? frame : [.. frame, .. new byte[length - frame.Length]];

    private static byte[] Arp(ushort operation, byte[] senderMac, uint senderIp, byte[] targetMac, uint targetIp)
    {
        var a = new byte[28];
        ArpPacket.Emit(a, new ArpRepr
        {
            Operation = operation, SenderHardware = new MacAddress(senderMac), SenderProtocol = new Ipv4Address(senderIp),
            TargetHardware = new MacAddress(targetMac), TargetProtocol = new Ipv4Address(targetIp),
        });
        return a;
    }

    /// <summary>An IPv4 packet in a frame, checksums computed (after any deliberate inconsistency, so only that one is wrong).</summary>
    /// <summary>A frame from the peer's MAC to ours carrying an IPv4 packet from <paramref name="source"/> to 10.0.2.15, checksums right.</summary>
    public static byte[] Ipv4Frame(byte protocol, byte[] transport, uint source) => Ipv4(protocol, transport, source: source);

    private static byte[] Ipv4(byte protocol, byte[] transport, byte[]? options = null, int? totalLength = null, int? ihlOverride = null,
        int version = 4, ushort fragment = 0x4000, uint source = PeerIp, uint destination = OurIp)
    {
        options ??= [];
        int ihl = 20 + options.Length;
        var p = new byte[ihl + transport.Length];
        p[0] = (byte)(version << 4 | (ihlOverride ?? ihl / 4));
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)(totalLength ?? p.Length));
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(4), 0x1234);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(6), fragment);
        p[8] = 64;
        p[9] = protocol;
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(12), source);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(16), destination);
        options.CopyTo(p, 20);
        transport.CopyTo(p, ihl);
        byte[] frame = Ethernet(0x0800, p);
        if (version == 4 && ihlOverride == null && totalLength == null) FrameMutator.FixChecksums(frame);
        else FixIpHeaderOnly(frame, ihl);
        return frame;
    }

    private static void FixIpHeaderOnly(byte[] frame, int ihl)
    {
        // Fix the transport checksum as if the lengths were right, then the header checksum over the real header.
        byte[] copy = frame.ToArray();
        copy[14] = (byte)(0x40 | ihl / 4);
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(16), (ushort)(frame.Length - 14));
        FrameMutator.FixChecksums(copy);
        copy.AsSpan(14 + ihl).CopyTo(frame.AsSpan(14 + ihl));
        uint sum = 0;
        frame[24] = 0; frame[25] = 0;
        int length = Math.Min(ihl, frame.Length - 14);
        for (int i = 0; i + 1 < length; i += 2) sum += (uint)(frame[14 + i] << 8 | frame[15 + i]);
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(24), (ushort)~sum);
    }

    public static byte[] UdpDatagram(ushort source, ushort destination, byte[] payload, bool checksum = true)
    {
        var u = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(u, source);
        BinaryPrimitives.WriteUInt16BigEndian(u.AsSpan(2), destination);
        BinaryPrimitives.WriteUInt16BigEndian(u.AsSpan(4), (ushort)u.Length);
        BinaryPrimitives.WriteUInt16BigEndian(u.AsSpan(6), checksum ? (ushort)1 : (ushort)0); // nonzero: computed by FixChecksums
        payload.CopyTo(u, 8);
        return u;
    }

    private static byte[] ChecksumFfff()
    {
        // Choose the last two payload bytes so the one's-complement sum of everything is 0xFFFF: the checksum
        // then computes to 0, which UDP sends as 0xFFFF.
        byte[] frame = Ipv4(17, UdpDatagram(40000, 7, [.. Encoding.ASCII.GetBytes("zero sum"), 0, 0]));
        Span<byte> udp = frame.AsSpan(34);
        uint sum = 0;
        for (int i = 26; i < 34; i += 2) sum += (uint)(frame[i] << 8 | frame[i + 1]);
        sum += 17 + (uint)udp.Length;
        udp[6] = 0; udp[7] = 0;
        for (int i = 0; i + 1 < udp.Length; i += 2) sum += (uint)(udp[i] << 8 | udp[i + 1]);
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(udp[^2..], (ushort)(0xFFFF - sum));
        udp[6] = 1;
        FrameMutator.FixChecksums(frame);
        if (BinaryPrimitives.ReadUInt16BigEndian(udp[6..]) != 0xFFFF) throw new InvalidOperationException("the UDP checksum did not come out as 0xFFFF");
        return frame;
    }

    public static byte[] TcpSegment(ushort source, ushort destination, byte flags, byte[] options, byte[]? payload = null)
    {
        payload ??= [];
        var t = new byte[20 + options.Length + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(t, source);
        BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(2), destination);
        BinaryPrimitives.WriteUInt32BigEndian(t.AsSpan(4), 1000);
        BinaryPrimitives.WriteUInt32BigEndian(t.AsSpan(8), (flags & 0x10) != 0 ? 2000u : 0);
        t[12] = (byte)((20 + options.Length) / 4 << 4);
        t[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(14), 29200);
        options.CopyTo(t, 20);
        payload.CopyTo(t, 20 + options.Length);
        return t;
    }

    public static byte[] IcmpMessage(byte type, byte code, byte[] rest) => [type, code, 0, 0, .. rest];

    private static byte[] DhcpMessage(byte operation, byte[] options, bool pad = true)
    {
        var m = new byte[240 + options.Length];
        m[0] = operation; m[1] = 1; m[2] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(4), 0xCAFEF00D);
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(16), OurIp);  // yiaddr
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(20), PeerIp); // siaddr
        OurMac.CopyTo(m, 28);
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(236), 0x63825363);
        options.CopyTo(m, 240);
        return pad && m.Length < 300 ? [.. m, .. new byte[300 - m.Length]] : m;
    }

    private static byte[] DhcpFrame(byte[] message) => Ipv4(17, UdpDatagram(67, 68, message));

    private static byte[] Name(string name)
    {
        var n = new List<byte>();
        foreach (string label in name.Split('.')) { n.Add((byte)label.Length); n.AddRange(Encoding.ASCII.GetBytes(label)); }
        n.Add(0);
        return n.ToArray();
    }

    private static byte[] DnsMessage(ushort flags, ushort questions, ushort answers, byte[] body)
    {
        var m = new byte[12 + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(m, 0x4D2E);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(4), questions);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(6), answers);
        body.CopyTo(m, 12);
        return m;
    }

    private static byte[] DnsFrame(byte[] message) => Ipv4(17, UdpDatagram(53, 5353, message));
}
