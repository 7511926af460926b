using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>What crossed the virtual wire, read back from QEMU's filter-dump pcap with SharpPcap.</summary>
public sealed class WireCapture
{
    public int Frames, DhcpDiscover, DhcpRequest, DhcpOffer, DhcpAck, EchoRequestsOut, EchoRepliesIn;
    public int UdpEchoRequests, UdpEchoReplies, UdpEchoMismatches, TcpSynToHttp, HttpOk;
    public long TcpEchoBytesIn, TcpEchoBytesOut;
    public int BadIpChecksums, BadTransportChecksums;
    /// <summary>
    /// UDP/TCP checksums that hold only the pseudo-header sum (virtio 1.2 §5.1.6.2 VIRTIO_NET_HDR_F_NEEDS_CSUM):
    /// what a capture on a tap shows for a checksum offloaded to the other side, which completes it later.
    /// </summary>
    public int PartialTransportChecksums;
    /// <summary>IPv4 packets longer than a 1,500-byte MTU allows, to the kernel and from it (coalesced or to be segmented: TSO/GSO).</summary>
    public int LargePacketsToKernel, LargePacketsFromKernel;
    public int LargestPacketToKernel, LargestPacketFromKernel;
    /// <summary>UDP/TCP checksums checked (from the kernel, or to it when <see cref="CheckBothDirections"/>).</summary>
    public int TransportChecksumsChecked;
    private readonly Queue<byte[]> _udpRequests = new();
    private readonly string _kernel;
    private readonly bool _checkBothDirections;

    private WireCapture(string kernel, bool checkBothDirections)
    {
        _kernel = kernel;
        _checkBothDirections = checkBothDirections;
    }

    /// <summary>Reads a pcap; <paramref name="kernelAddress"/> tells the kernel's frames from the peer's.</summary>
    public static WireCapture Read(string path, string kernelAddress = "10.0.2.15", bool checkBothDirections = false)
    {
        var capture = new WireCapture(kernelAddress, checkBothDirections);
        using var device = new CaptureFileReaderDevice(path);
        device.Open();
        while (device.GetNextPacket(out PacketCapture raw) == GetPacketStatus.PacketRead)
        {
            RawCapture frame = raw.GetPacket();
            capture.Frames++;
            capture.Inspect(Packet.ParsePacket(frame.LinkLayerType, frame.Data));
        }
        return capture;
    }

    private void Inspect(Packet packet)
    {
        var ip = packet.Extract<IPv4Packet>();
        if (ip == null) return;
        if (!ip.ValidIPChecksum) BadIpChecksums++;
        bool fromKernel = ip.SourceAddress.ToString() == _kernel || ip.SourceAddress.ToString() == "0.0.0.0";
        if (ip.DestinationAddress.ToString() == _kernel)
        {
            LargestPacketToKernel = Math.Max(LargestPacketToKernel, ip.TotalLength);
            if (ip.TotalLength > 1500) LargePacketsToKernel++;
        }
        else if (fromKernel)
        {
            LargestPacketFromKernel = Math.Max(LargestPacketFromKernel, ip.TotalLength);
            if (ip.TotalLength > 1500) LargePacketsFromKernel++;
        }
        bool checkTransport = ip.SourceAddress.ToString() == _kernel || (_checkBothDirections && ip.DestinationAddress.ToString() == _kernel);
        if (packet.Extract<UdpPacket>() is { } udp)
        {
            if (checkTransport) CheckTransport(ip, udp.Bytes, 6, udp.Checksum == 0 || udp.ValidUdpChecksum);
            if (udp.DestinationPort == 67 || udp.DestinationPort == 68)
            {
                byte[] p = UdpPayload(udp);
                byte type = DhcpType(p);
                if (type == 1) DhcpDiscover++; else if (type == 2) DhcpOffer++; else if (type == 3) DhcpRequest++; else if (type == 5) DhcpAck++;
            }
            else if (udp.DestinationPort == 7 && !fromKernel) { UdpEchoRequests++; _udpRequests.Enqueue(UdpPayload(udp)); }
            else if (udp.SourcePort == 7 && fromKernel)
            {
                UdpEchoReplies++;
                if (!_udpRequests.TryDequeue(out byte[]? request) || !request.AsSpan().SequenceEqual(UdpPayload(udp))) UdpEchoMismatches++;
            }
        }
        else if (packet.Extract<IcmpV4Packet>() is { } icmp)
        {
            if (icmp.TypeCode == IcmpV4TypeCode.EchoRequest && fromKernel) EchoRequestsOut++;
            if (icmp.TypeCode == IcmpV4TypeCode.EchoReply && !fromKernel) EchoRepliesIn++;
        }
        else if (packet.Extract<TcpPacket>() is { } tcp)
        {
            if (checkTransport) CheckTransport(ip, tcp.Bytes, 16, tcp.ValidTcpChecksum);
            if (tcp.DestinationPort == 80 && tcp.Synchronize && !tcp.Acknowledgment) TcpSynToHttp++;
            byte[] data = TcpPayload(tcp, ip);
            if (tcp.SourcePort == 80 && data.Length > 12 && System.Text.Encoding.ASCII.GetString(data, 0, 12) == "HTTP/1.1 200") HttpOk++;
            if (tcp.DestinationPort == 7) TcpEchoBytesIn += data.Length;
            if (tcp.SourcePort == 7) TcpEchoBytesOut += data.Length;
        }
    }

    private void CheckTransport(IPv4Packet ip, byte[] segment, int checksumOffset, bool valid)
    {
        TransportChecksumsChecked++;
        if (valid) return;
        int length = ip.TotalLength - ip.HeaderLength * 4;
        if (segment.Length >= checksumOffset + 2 && length > 0 &&
            (ushort)(segment[checksumOffset] << 8 | segment[checksumOffset + 1]) == PseudoHeaderSum(ip, length)) PartialTransportChecksums++;
        else BadTransportChecksums++;
    }

    /// <summary>The folded, uncomplemented one's-complement sum of the IPv4 pseudo-header (RFC 793 §3.1, RFC 768).</summary>
    public static ushort PseudoHeaderSum(IPv4Packet ip, int transportLength)
    {
        byte[] s = ip.SourceAddress.GetAddressBytes(), d = ip.DestinationAddress.GetAddressBytes();
        uint sum = (uint)(s[0] << 8 | s[1]) + (uint)(s[2] << 8 | s[3]) + (uint)(d[0] << 8 | d[1]) + (uint)(d[2] << 8 | d[3])
                   + (uint)ip.Protocol + (uint)transportLength;
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    // PacketDotNet parses some payloads (DHCP) into packets and leaves PayloadData null: take the bytes directly.
    private static byte[] UdpPayload(UdpPacket udp) => udp.Bytes.AsSpan(8, Math.Max(0, Math.Min(udp.Length, udp.Bytes.Length) - 8)).ToArray();

    private static byte[] TcpPayload(TcpPacket tcp, IPv4Packet ip)
    {
        int header = tcp.DataOffset * 4;
        int length = ip.TotalLength - ip.HeaderLength * 4 - header;
        return length <= 0 ? [] : tcp.Bytes.AsSpan(header, Math.Min(length, tcp.Bytes.Length - header)).ToArray();
    }

    /// <summary>DHCP message type (option 53) from a BOOTP payload, 0 if absent.</summary>
    private static byte DhcpType(byte[] p)
    {
        for (int at = 240; at + 1 < p.Length;)
        {
            byte code = p[at];
            if (code == 0) { at++; continue; }
            if (code == 255) break;
            int length = p[at + 1];
            if (code == 53 && length == 1 && at + 2 < p.Length) return p[at + 2];
            at += 2 + length;
        }
        return 0;
    }
}
