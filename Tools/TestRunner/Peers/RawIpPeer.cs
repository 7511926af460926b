using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using PacketDotNet;
using ProtocolType = System.Net.Sockets.ProtocolType;

namespace Cosmos.TestRunner.Peers;

/// <summary>
/// A host on the kernel's link, speaking raw Ethernet over QEMU's datagram backend: answers ARP for its
/// address, sends ICMP echo requests and UDP datagrams (built with PacketDotNet), and counts what comes back.
/// Only ever addresses the guest on this private virtual link.
/// </summary>
public sealed class RawIpPeer : IDisposable
{
    public static readonly IPAddress PeerAddress = IPAddress.Parse("10.0.3.1"), KernelAddress = IPAddress.Parse("10.0.3.15");
    private static readonly System.Net.NetworkInformation.PhysicalAddress PeerMac = System.Net.NetworkInformation.PhysicalAddress.Parse("020000000003");
    private readonly Socket _socket;
    private readonly IPEndPoint _qemu;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _receiver;
    private System.Net.NetworkInformation.PhysicalAddress _kernelMac = System.Net.NetworkInformation.PhysicalAddress.Parse("FFFFFFFFFFFF");
    public int PeerPort { get; }
    public int QemuPort { get; }
    public long ArpRepliesSent, EchoReplies, UdpEchoes, FramesReceived, KernelArpReplies, BackgroundFramesSent;
    /// <summary>Echoes of <see cref="Flood"/>'s datagrams (to its source port).</summary>
    public long FloodEchoes;
    private const ushort FloodPort = 40000, EchoPort = 40003;
    private readonly HashSet<int> _udpEchoIds = [];
    /// <summary>Background frames sent since <see cref="MarkQemuStarted"/>: those QEMU's socket was there to take.</summary>
    public long BackgroundFramesSinceQemuStart;
    private volatile bool _qemuStarted;
    private Thread? _background;
    private readonly CancellationTokenSource _stopBackground = new();
    private readonly HashSet<ushort> _echoSequences = [];
    private volatile string? _stats;

    /// <summary>This peer's MAC address (02:00:00:00:00:03), for a host-side stack that takes the link over.</summary>
    public static byte[] Mac => PeerMac.GetAddressBytes();

    /// <summary>When set, every received frame goes here instead (a host-side TCP stack takes the link over).</summary>
    public volatile Action<byte[], int>? FrameSink;

    public RawIpPeer()
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 16 << 20, SendBufferSize = 16 << 20 };
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        PeerPort = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            QemuPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        _qemu = new IPEndPoint(IPAddress.Loopback, QemuPort);
        _receiver = new Thread(Receive) { IsBackground = true };
        _receiver.Start();
    }

    public string Netdev =>
        $"dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port={QemuPort},remote.type=inet,remote.host=127.0.0.1,remote.port={PeerPort}";

    private void Receive()
    {
        var buffer = new byte[2048];
        _socket.ReceiveTimeout = 100;
        while (!_stop.IsCancellationRequested)
        {
            int n;
            try { n = _socket.Receive(buffer); }
            catch (SocketException) { continue; }
            catch (ObjectDisposedException) { return; }
            Interlocked.Increment(ref FramesReceived);
            if (FrameSink is { } sink) { sink(buffer, n); continue; }
            try { Handle(Packet.ParsePacket(LinkLayers.Ethernet, buffer.AsSpan(0, n).ToArray())); }
            catch (Exception e) when (e is not OutOfMemoryException) { /* malformed for PacketDotNet: ignore */ }
        }
    }

    private void Handle(Packet packet)
    {
        if (packet is EthernetPacket eth) _kernelMac = eth.SourceHardwareAddress;
        if (packet.Extract<ArpPacket>() is { } answer && answer.Operation == ArpOperation.Response && answer.SenderProtocolAddress.Equals(KernelAddress))
            Interlocked.Increment(ref KernelArpReplies);
        if (packet.Extract<ArpPacket>() is { } arp && arp.Operation == ArpOperation.Request && arp.TargetProtocolAddress.Equals(PeerAddress))
        {
            var reply = new ArpPacket(ArpOperation.Response, arp.SenderHardwareAddress, arp.SenderProtocolAddress, PeerMac, PeerAddress);
            Send(new EthernetPacket(PeerMac, arp.SenderHardwareAddress, EthernetType.Arp) { PayloadPacket = reply });
            Interlocked.Increment(ref ArpRepliesSent);
        }
        else if (packet.Extract<IcmpV4Packet>() is { } icmp && icmp.TypeCode == IcmpV4TypeCode.EchoReply)
        {
            lock (_echoSequences) _echoSequences.Add(icmp.Sequence);
            Interlocked.Increment(ref EchoReplies);
        }
        else if (packet.Extract<UdpPacket>() is { } udp && udp.SourcePort == 7)
        {
            Interlocked.Increment(ref UdpEchoes);
            if (udp.DestinationPort == FloodPort) Interlocked.Increment(ref FloodEchoes);
            if (udp.DestinationPort == EchoPort && udp.PayloadData is { Length: >= 4 } data)
                lock (_udpEchoIds) _udpEchoIds.Add(BinaryPrimitives.ReadInt32BigEndian(data));
        }
        else if (packet.Extract<UdpPacket>() is { } stats && stats.SourcePort == StatsPort)
        {
            _stats = System.Text.Encoding.ASCII.GetString(stats.PayloadData);
        }
    }

    private void Send(EthernetPacket frame) => _socket.SendTo(frame.Bytes, _qemu);

    /// <summary>Puts a raw frame on the link.</summary>
    public void SendRaw(ReadOnlySpan<byte> frame)
    {
        lock (_socket) _socket.SendTo(frame, SocketFlags.None, _qemu);
    }

    /// <summary>The kernel's statistics port (Kernel/Networking/BenchStatsService.cs).</summary>
    public const ushort StatsPort = 7007;

    /// <summary>
    /// Asks the kernel's statistics port ("busy-cycles=N tsc-hz=N echoed=N allocations=N collections=N"), retrying
    /// a few times; null without an answer.
    /// </summary>
    public async Task<string?> QueryStatsAsync(TimeSpan timeout, CancellationToken cancel)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            _stats = null;
            Send(Ipv4(new UdpPacket(40007, StatsPort) { PayloadData = new byte[8] }));
            for (int i = 0; i < 25 && _stats == null; i++) await Task.Delay(20, cancel);
            if (_stats is { } answer) return answer;
        }
        return null;
    }

    private EthernetPacket Ipv4(PacketDotNet.Packet transport)
    {
        var ip = new IPv4Packet(PeerAddress, KernelAddress) { PayloadPacket = transport, TimeToLive = 64 };
        var eth = new EthernetPacket(PeerMac, _kernelMac, EthernetType.IPv4) { PayloadPacket = ip };
        ip.UpdateCalculatedValues();
        ip.UpdateIPChecksum();
        if (transport is UdpPacket u) u.UpdateUdpChecksum();
        if (transport is IcmpV4Packet i) i.UpdateIcmpChecksum();
        return eth;
    }

    /// <summary>Sends an echo request and waits (bounded) for its reply.</summary>
    public async Task<bool> PingAsync(ushort sequence, TimeSpan timeout, CancellationToken cancel)
    {
        var icmp = new IcmpV4Packet(new PacketDotNet.Utils.ByteArraySegment(new byte[8 + 32])) { TypeCode = IcmpV4TypeCode.EchoRequest, Id = 0x4242, Sequence = sequence };
        Send(Ipv4(icmp));
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            lock (_echoSequences) if (_echoSequences.Contains(sequence)) return true;
            await Task.Delay(20, cancel);
        }
        return false;
    }

    /// <summary>
    /// Sends one UDP datagram of <paramref name="payloadBytes"/> to the kernel's echo port, numbered <paramref name="id"/>
    /// (its first 4 bytes, the rest patterned), and waits (bounded) for the echo with that number.
    /// </summary>
    public async Task<bool> UdpEchoAsync(int id, int payloadBytes, TimeSpan timeout, CancellationToken cancel)
    {
        byte[] payload = new byte[Math.Max(4, payloadBytes)];
        for (int i = 4; i < payload.Length; i++) payload[i] = (byte)(i * 7 + id);
        BinaryPrimitives.WriteInt32BigEndian(payload, id);
        Send(Ipv4(new UdpPacket(EchoPort, 7) { PayloadData = payload }));
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            lock (_udpEchoIds) if (_udpEchoIds.Contains(id)) return true;
            await Task.Delay(5, cancel);
        }
        return false;
    }

    /// <summary>Sends <paramref name="count"/> UDP datagrams to the kernel's echo port as fast as the socket takes them.</summary>
    public TimeSpan Flood(int count, int payloadBytes)
    {
        var template = Ipv4(new UdpPacket(FloodPort, 7) { PayloadData = new byte[payloadBytes] }).Bytes;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(template.AsSpan(42), i); // payload changes; UDP checksum set to 0 = none
            template[40] = 0; template[41] = 0;
            _socket.SendTo(template, _qemu);
        }
        return watch.Elapsed;
    }

    /// <summary>
    /// A busy LAN from before QEMU starts: every <paramref name="interval"/> an ARP request for the kernel's
    /// address (broadcast) and a UDP datagram to its echo port (to the broadcast MAC, as if from a host that
    /// has not resolved it yet), until the peer is disposed. Frames sent before QEMU opens its socket are lost,
    /// as on a wire; from then on they reach the NIC while its driver is still starting.
    /// </summary>
    public void StartBackgroundTraffic(TimeSpan interval)
    {
        var broadcast = System.Net.NetworkInformation.PhysicalAddress.Parse("FFFFFFFFFFFF");
        byte[] arpRequest = new EthernetPacket(PeerMac, broadcast, EthernetType.Arp)
        {
            PayloadPacket = new ArpPacket(ArpOperation.Request, System.Net.NetworkInformation.PhysicalAddress.Parse("000000000000"), KernelAddress, PeerMac, PeerAddress),
        }.Bytes;
        var ip = new IPv4Packet(PeerAddress, KernelAddress) { PayloadPacket = new UdpPacket(40001, 7) { PayloadData = new byte[32] }, TimeToLive = 64 };
        ip.UpdateCalculatedValues();
        ip.UpdateIPChecksum();
        ((UdpPacket)ip.PayloadPacket).UpdateUdpChecksum();
        byte[] datagram = new EthernetPacket(PeerMac, broadcast, EthernetType.IPv4) { PayloadPacket = ip }.Bytes;
        _background = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested && !_stopBackground.IsCancellationRequested)
            {
                try
                {
                    _socket.SendTo(arpRequest, _qemu);
                    _socket.SendTo(datagram, _qemu);
                    Interlocked.Add(ref BackgroundFramesSent, 2);
                    if (_qemuStarted) Interlocked.Add(ref BackgroundFramesSinceQemuStart, 2);
                }
                catch (SocketException) { } // nobody listening yet (QEMU not started): the frame is lost, as on a wire
                catch (ObjectDisposedException) { return; }
                _stopBackground.Token.WaitHandle.WaitOne(interval);
            }
        }) { IsBackground = true };
        _background.Start();
    }

    /// <summary>Called once QEMU's process exists (its datagram socket is open before the guest runs).</summary>
    public void MarkQemuStarted() => _qemuStarted = true;

    public void StopBackgroundTraffic()
    {
        _stopBackground.Cancel();
        _background?.Join(1000);
    }

    public void Dispose()
    {
        _stop.Cancel();
        StopBackgroundTraffic();
        _socket.Dispose();
    }
}

/// <summary>Lets a host check wait for kernel log lines while the boot runs.</summary>
public sealed class LogWatcher
{
    private readonly List<string> _lines = [];
    public int Count { get { lock (_lines) return _lines.Count; } }

    public void Add(string line) { lock (_lines) _lines.Add(line); }

    /// <summary>A copy of the lines so far.</summary>
    public List<string> Lines() { lock (_lines) return [.. _lines]; }

    /// <summary>The first line at index ≥ <paramref name="from"/> matching <paramref name="pattern"/>, or null after the timeout.</summary>
    public async Task<string?> WaitAsync(string pattern, int from, TimeSpan timeout, CancellationToken cancel)
    {
        var regex = new System.Text.RegularExpressions.Regex(pattern);
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until && !cancel.IsCancellationRequested)
        {
            lock (_lines)
                for (int i = from; i < _lines.Count; i++)
                    if (regex.IsMatch(_lines[i])) return _lines[i];
            await Task.Delay(50, cancel);
        }
        return null;
    }
}
