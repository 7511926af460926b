using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Cosmos.TestRunner.Peers;
using Cosmos.TestRunner.Tap;
using PacketDotNet;
using ProtocolType = System.Net.Sockets.ProtocolType;
using SharpPcap;
using SharpPcap.LibPcap;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// The kernel's TCP against the host kernel's, from the tap's namespace with .NET sockets made inside it: hundreds
/// of connections one after another (to the echo, and to the HTTP server, which closes first and so leaves every
/// 4-tuple in the kernel's TIME-WAIT), 200 at once each echoing its own bytes (with `ss -tni` asked what the host
/// negotiated), datagrams the host fragments reassembled, and, from the tap's pcap, that every SYN-ACK the kernel
/// sent carried window scale, SACK-permitted and timestamps, and every later segment (both ways) timestamps.
/// The TCP checks run before <see cref="TapChecks"/> so their traffic is in its pcap; the pcap is read after it
/// stopped, and the fragments are sent last (the lane's capture check would take a first fragment for a whole
/// UDP datagram with a bad checksum).
/// </summary>
public static class TcpPeerChecks
{
    public const int SequentialConnections = 300;
    public const int ConcurrentConnections = 200;
    public const int ConcurrentBytes = 16 * 1024;
    /// <summary>The kernel's echo for many clients at once (Kernel/Networking/ConcurrentEchoService.cs).</summary>
    public const int ConcurrentEchoPort = 9007;
    /// <summary>The window shift the kernel announces for its rings (RFC 7323 §2.3): the same source's constant.</summary>
    public static readonly int KernelWindowShift = Cosmos.Net.Protocols.Tcp.TcpConnection.OurWindowShift;
    /// <summary>A sequence of connections stops after this many failures, so a broken kernel fails the check within the boot's time.</summary>
    private const int GiveUpAfter = 3;

    /// <summary>These checks, then <paramref name="then"/> (the lane's own), then what the pcap shows.</summary>
    public static TapCheck Before(TapCheck then) => async (tap, log, cancel) =>
    {
        var results = new List<(string, bool, string)>();
        IPAddress? kernel = await KernelAddress(log, cancel);
        if (kernel != null)
        {
            results.Add(await Guard("TCP: sequential echo", () => SequentialEcho(tap, kernel, cancel), cancel));
            results.Add(await Guard("TCP: sequential HTTP", () => SequentialHttp(tap, kernel, cancel), cancel));
            results.Add(await Guard("TCP: TIME-WAIT on the status page", () => StatusAfterSequentialHttp(tap, kernel, cancel), cancel));
            results.AddRange(await Guard("TCP: concurrent echo", () => ConcurrentEcho(tap, kernel, cancel), cancel));
        }
        else results.Add(("TCP peer checks: the kernel's address", false, "no DHCP bound line"));
        results.AddRange(await then(tap, log, cancel));
        if (kernel == null) return results;
        results.AddRange(FromCapture(tap, kernel));
        // After the lane's checks: fragmented datagrams would look like UDP echoes with bad checksums to its capture check.
        results.AddRange(await Guard("fragments", () => Fragments(tap, kernel, cancel), cancel));
        return results;
    };

    /// <summary>Runs a check; anything it did not expect (but the boot's own cancellation) becomes its failure, not the boot's.</summary>
    private static async Task<T> Guard<T>(string name, Func<Task<T>> check, CancellationToken cancel)
    {
        try { return await check(); }
        catch (Exception e) when (!cancel.IsCancellationRequested && e is not OutOfMemoryException)
        {
            (string, bool, string) failure = (name, false, $"{e.GetType().Name}: {e.Message}");
            return failure is T one ? one : (T)(object)new List<(string, bool, string)> { failure };
        }
    }

    private static async Task<IPAddress?> KernelAddress(LogWatcher log, CancellationToken cancel)
    {
        string? bound = await log.WaitAsync(@"net: DHCP bound \d+\.\d+\.\d+\.\d+", 0, TimeSpan.FromSeconds(30), cancel);
        return bound == null ? null : IPAddress.Parse(Regex.Match(bound, @"bound (\d+\.\d+\.\d+\.\d+)").Groups[1].Value);
    }

    private static async Task<Socket> ConnectAsync(TapNetwork tap, IPAddress kernel, int port, TimeSpan limit, CancellationToken cancel)
    {
        Socket socket = tap.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            connect.CancelAfter(limit);
            await socket.ConnectAsync(new IPEndPoint(kernel, port), connect.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Writes <paramref name="data"/>, reads as many bytes back, half-closes and reads the kernel's FIN; the bytes read.</summary>
    private static async Task<byte[]> EchoOnce(Socket socket, byte[] data, TimeSpan limit, CancellationToken cancel)
    {
        using var transfer = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        transfer.CancelAfter(limit);
        Task writing = socket.SendAsync(data, SocketFlags.None, transfer.Token).AsTask();
        var back = new byte[data.Length];
        int got = 0;
        while (got < back.Length)
        {
            int n = await socket.ReceiveAsync(back.AsMemory(got), SocketFlags.None, transfer.Token);
            if (n == 0) break;
            got += n;
        }
        await writing;
        socket.Shutdown(SocketShutdown.Send);
        var rest = new byte[64];
        while (await socket.ReceiveAsync(rest, SocketFlags.None, transfer.Token) > 0) { }
        return back[..got];
    }

    /// <summary>
    /// 300 connections to the echo on port 7, one after another: each connects, echoes 1 to 1,000 bytes and closes.
    /// The client closes first, so the TIME-WAIT is the host's; the kernel frees each record on the last ACK.
    /// </summary>
    private static async Task<(string, bool, string)> SequentialEcho(TapNetwork tap, IPAddress kernel, CancellationToken cancel)
    {
        string name = $"TCP: {SequentialConnections} new connections one after another to echo (port 7), each echoed byte for byte";
        var random = new Random(300);
        var watch = Stopwatch.StartNew();
        int ok = 0;
        string firstFailure = "";
        for (int i = 0; i < SequentialConnections; i++)
        {
            byte[] data = new byte[1 + i * 999 / (SequentialConnections - 1)];
            random.NextBytes(data);
            try
            {
                using Socket socket = await ConnectAsync(tap, kernel, 7, TimeSpan.FromSeconds(3), cancel);
                byte[] back = await EchoOnce(socket, data, TimeSpan.FromSeconds(5), cancel);
                if (back.AsSpan().SequenceEqual(data)) ok++;
                else if (firstFailure == "") firstFailure = $"connection {i}: {back.Length} of {data.Length} bytes back, different";
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
            {
                if (firstFailure == "") firstFailure = $"connection {i}: {e.GetType().Name}: {e.Message}";
            }
            if (i + 1 - ok >= GiveUpAfter) { firstFailure += $"; stopped after {GiveUpAfter} failures"; break; }
        }
        double seconds = watch.Elapsed.TotalSeconds;
        bool pass = ok == SequentialConnections && seconds < 30;
        return (name, pass, $"{ok} of {SequentialConnections} in {seconds:0.0} s{(firstFailure == "" ? "" : "; first failure: " + firstFailure)}");
    }

    /// <summary>One HTTP/1.1 GET with "Connection: close" (RFC 9112 §9.6: the server closes after its response), read to the end.</summary>
    private static async Task<string> HttpGet(TapNetwork tap, IPAddress kernel, TimeSpan limit, CancellationToken cancel)
    {
        using Socket socket = await ConnectAsync(tap, kernel, 80, limit, cancel);
        using var transfer = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        transfer.CancelAfter(limit);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {kernel}\r\nConnection: close\r\n\r\n"), SocketFlags.None, transfer.Token);
        var response = new MemoryStream();
        var chunk = new byte[4096];
        for (int n; (n = await socket.ReceiveAsync(chunk, SocketFlags.None, transfer.Token)) > 0;) response.Write(chunk, 0, n);
        return Encoding.ASCII.GetString(response.ToArray());
    }

    /// <summary>
    /// 300 HTTP requests one after another. The server closes each connection first, so each 4-tuple enters TIME-WAIT
    /// in the kernel: with TIME-WAIT holding a connection record (32 of them) the 32nd request onwards failed at once.
    /// </summary>
    private static async Task<(string, bool, string)> SequentialHttp(TapNetwork tap, IPAddress kernel, CancellationToken cancel)
    {
        string name = $"TCP: {SequentialConnections} HTTP requests one after another, each closed by the kernel first (its TIME-WAIT), all answered";
        var watch = Stopwatch.StartNew();
        int ok = 0;
        string firstFailure = "";
        for (int i = 0; i < SequentialConnections; i++)
        {
            try
            {
                string response = await HttpGet(tap, kernel, TimeSpan.FromSeconds(3), cancel);
                if (response.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) && response.Contains("Cosmos-net kernel status")) ok++;
                else if (firstFailure == "") firstFailure = $"request {i}: {Trim(response)}";
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
            {
                if (firstFailure == "") firstFailure = $"request {i}: {e.GetType().Name}: {e.Message}";
            }
            if (i + 1 - ok >= GiveUpAfter) { firstFailure += $"; stopped after {GiveUpAfter} failures"; break; }
        }
        double seconds = watch.Elapsed.TotalSeconds;
        return (name, ok == SequentialConnections && seconds < 30, $"{ok} of {SequentialConnections} in {seconds:0.0} s{(firstFailure == "" ? "" : "; first failure: " + firstFailure)}");
    }

    /// <summary>The kernel's own count, from its status page: the closed connections sit in its TIME-WAIT table, not in connection records.</summary>
    private static async Task<(string, bool, string)> StatusAfterSequentialHttp(TapNetwork tap, IPAddress kernel, CancellationToken cancel)
    {
        string name = "TCP: the kernel holds those connections in its TIME-WAIT table, not in connection records";
        try
        {
            string page = await HttpGet(tap, kernel, TimeSpan.FromSeconds(5), cancel);
            long timeWait = Field(page, "tcp_time_wait"), connections = Field(page, "tcp_connections");
            bool pass = timeWait >= SequentialConnections && connections >= 0 && connections <= 2;
            return (name, pass, $"tcp_time_wait {timeWait}, tcp_connections {connections}");
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return (name, false, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static long Field(string page, string key) =>
        Regex.Match(page, $@"(?m)^{key}: (\d+)") is { Success: true } m ? long.Parse(m.Groups[1].Value) : -1;

    /// <summary>
    /// 200 connections open at once to the concurrent echo, each writing 16 KiB of its own bytes and reading them
    /// back; while all are open, `ss -tni` in the namespace says what the host's TCP negotiated on each.
    /// </summary>
    private static async Task<List<(string, bool, string)>> ConcurrentEcho(TapNetwork tap, IPAddress kernel, CancellationToken cancel)
    {
        string name = $"TCP: {ConcurrentConnections} connections at once (port {ConcurrentEchoPort}), each echoing {ConcurrentBytes / 1024} KiB of its own bytes";
        var sockets = new Socket?[ConcurrentConnections];
        var watch = Stopwatch.StartNew();
        var results = new List<(string, bool, string)>();
        try
        {
            var connects = Enumerable.Range(0, ConcurrentConnections).Select(async i =>
            {
                try { sockets[i] = await ConnectAsync(tap, kernel, ConcurrentEchoPort, TimeSpan.FromSeconds(10), cancel); }
                catch (Exception e) when (e is SocketException or OperationCanceledException) { sockets[i] = null; }
            });
            await Task.WhenAll(connects);
            int connected = sockets.Count(s => s != null);
            double connectSeconds = watch.Elapsed.TotalSeconds;
            // Each connection writes its bytes and reads them back, all at the same time.
            var echoes = Enumerable.Range(0, ConcurrentConnections).Select(async i =>
            {
                if (sockets[i] is not { } socket) return false;
                byte[] data = new byte[ConcurrentBytes];
                new Random(i).NextBytes(data);
                using var transfer = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                transfer.CancelAfter(TimeSpan.FromSeconds(30));
                try
                {
                    Task writing = socket.SendAsync(data, SocketFlags.None, transfer.Token).AsTask();
                    var back = new byte[data.Length];
                    int got = 0;
                    while (got < back.Length)
                    {
                        int n = await socket.ReceiveAsync(back.AsMemory(got), SocketFlags.None, transfer.Token);
                        if (n == 0) break;
                        got += n;
                    }
                    await writing;
                    return got == data.Length && back.AsSpan().SequenceEqual(data);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or IOException) { return false; }
            }).ToArray();
            bool[] echoed = await Task.WhenAll(echoes);
            int ok = echoed.Count(e => e);
            double seconds = watch.Elapsed.TotalSeconds;
            results.Add((name, ok == ConcurrentConnections, $"{connected} connected in {connectSeconds:0.0} s, {ok} echoed intact, {seconds:0.0} s in all"));
            results.Add(SsNegotiation(tap, kernel));
            // Close them all: each half-closes and reads the kernel's FIN.
            var closes = sockets.Where(s => s != null).Select(async s =>
            {
                using var close = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                close.CancelAfter(TimeSpan.FromSeconds(10));
                try
                {
                    s!.Shutdown(SocketShutdown.Send);
                    var rest = new byte[64];
                    while (await s.ReceiveAsync(rest, SocketFlags.None, close.Token) > 0) { }
                    return true;
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or IOException) { return false; }
            });
            int closed = (await Task.WhenAll(closes)).Count(c => c);
            results.Add(($"TCP: the {ConcurrentConnections} connections close cleanly (FIN both ways)", closed == ConcurrentConnections, $"{closed} of {connected} closed by FIN"));
        }
        finally
        {
            foreach (Socket? s in sockets) s?.Dispose();
        }
        return results;
    }

    /// <summary>
    /// `ss -tni` for the open connections to the kernel, as the host kernel sees them: window scaling with the kernel's
    /// shift on every one, and an MSS of 1,448 (1,460 less the 12 bytes of the timestamps option both now send).
    /// This host's ss prints no "ts"/"sack" flags even on loopback, so those two are read off the pcap instead.
    /// </summary>
    private static (string, bool, string) SsNegotiation(TapNetwork tap, IPAddress kernel)
    {
        string name = $"ss -tni: the host's TCP uses window scaling (the kernel's shift {KernelWindowShift}) and timestamps (mss 1448) on every connection";
        HostCommandResult ss = tap.Namespace.Run("ss", ["-tniH", "state", "established", "dst", $"{kernel}:{ConcurrentEchoPort}"], TimeSpan.FromSeconds(10), allowFailure: true);
        // Each connection is a line with the addresses followed by an indented line of its TCP information.
        string[] info = ss.Output.Split('\n').Where(l => l.Contains("rto:")).ToArray();
        int scaled = info.Count(l => Regex.IsMatch(l, $@"wscale:{KernelWindowShift},\d+"));
        int mss = info.Count(l => Regex.IsMatch(l, @"(^|\s)mss:1448(\s|$)"));
        int ts = info.Count(l => Regex.IsMatch(l, @"(^|\s)ts(\s|$)"));
        int sack = info.Count(l => Regex.IsMatch(l, @"(^|\s)sack(\s|$)"));
        bool pass = info.Length == ConcurrentConnections && scaled == info.Length && mss == info.Length;
        string sample = info.FirstOrDefault()?.Trim() ?? Trim(ss.Output);
        return (name, pass, $"{info.Length} connections: wscale:{KernelWindowShift},* {scaled}, mss:1448 {mss} (flags printed: ts {ts}, sack {sack}); e.g. \"{(sample.Length > 100 ? sample[..100] + "..." : sample)}\"");
    }

    /// <summary>
    /// Datagrams the host itself fragments: with its route to the kernel locked to a 576-byte MTU, a 1,400-byte UDP
    /// echo and a 1,400-byte ping leave the host in three fragments each; the kernel must reassemble them and answer
    /// (its answers, 1,428 bytes, fit its own 1,500-byte MTU). The route is removed after.
    /// </summary>
    private static async Task<List<(string, bool, string)>> Fragments(TapNetwork tap, IPAddress kernel, CancellationToken cancel)
    {
        var results = new List<(string, bool, string)>();
        string route = $"{kernel}/32";
        HostCommandResult add = tap.Namespace.Run("ip", ["route", "add", route, "dev", TapNetwork.TapName, "mtu", "lock", "576"], TimeSpan.FromSeconds(10), allowFailure: true);
        if (!add.Succeeded)
        {
            results.Add(("fragments: the host's route to the kernel locked to MTU 576", false, Trim(add.Output)));
            return results;
        }
        try
        {
            const int count = 10, size = 1400;
            using Socket udp = tap.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Any, 0));
            var target = new IPEndPoint(kernel, 7);
            var reply = new byte[2048];
            int matched = 0;
            for (int i = 0; i < count; i++)
            {
                byte[] payload = new byte[size];
                new Random(1400 + i).NextBytes(payload);
                await udp.SendToAsync(payload, target, cancel);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                wait.CancelAfter(TimeSpan.FromSeconds(2));
                try
                {
                    int n = await udp.ReceiveAsync(reply, wait.Token);
                    if (reply.AsSpan(0, n).SequenceEqual(payload)) matched++;
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested) { }
            }
            results.Add(($"fragments: {count} UDP echoes of {size} bytes sent by the host in 576-byte fragments, reassembled and answered", matched == count, $"{matched} of {count} back byte for byte"));
            HostCommandResult ping = tap.Namespace.Run("ping", ["-c", "3", "-i", "0.2", "-W", "2", "-s", $"{size}", "-M", "dont", kernel.ToString()], TimeSpan.FromSeconds(15), allowFailure: true);
            int replies = Regex.Match(ping.Output, @"(\d+) (?:packets )?received") is { Success: true } m ? int.Parse(m.Groups[1].Value) : 0;
            results.Add(($"fragments: 3 pings of {size} bytes in fragments, answered", replies == 3, Regex.Match(ping.Output, @".*transmitted.*").Value.Trim()));
            string countersName = "fragments: the kernel counted them and reassembled every datagram";
            try
            {
                string page = await HttpGet(tap, kernel, TimeSpan.FromSeconds(5), cancel);
                long fragments = Field(page, "ipv4_fragments"), reassembled = Field(page, "ipv4_reassembled"), dropped = Field(page, "ipv4_fragments_dropped");
                results.Add((countersName, fragments >= 3 * (count + 3) && reassembled == count + 3 && dropped == 0,
                    $"ipv4_fragments {fragments}, ipv4_reassembled {reassembled}, ipv4_fragments_dropped {dropped}"));
            }
            catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !cancel.IsCancellationRequested))
            {
                results.Add((countersName, false, $"status page: {e.GetType().Name}: {e.Message}"));
            }
        }
        finally
        {
            tap.Namespace.Run("ip", ["route", "del", route], TimeSpan.FromSeconds(10), allowFailure: true);
        }
        return results;
    }

    /// <summary>
    /// The tap's pcap (complete once <see cref="TapChecks"/> stopped tcpdump): every SYN-ACK from the kernel answers the
    /// host's offer of window scale, SACK-permitted and timestamps with its own; every later segment from the kernel
    /// carries timestamps; the window it advertises goes past 64 KiB; the host's fragments reached the kernel.
    /// </summary>
    private static List<(string, bool, string)> FromCapture(TapNetwork tap, IPAddress kernel)
    {
        string name = "capture: every SYN-ACK from the kernel carries window scale, SACK-permitted and timestamps; every later segment timestamps";
        int synAcks = 0, synAcksComplete = 0, hostSyns = 0, hostSynsOffering = 0, segments = 0, withTimestamps = 0, sackBlocks = 0;
        int hostSegments = 0, hostWithTimestamps = 0, hostSackBlocks = 0;
        long largestWindow = 0;
        // The shift each connection's SYN-ACK announced (RFC 7323 §2.2), by (kernel port, host port): windows scale by it.
        var shifts = new Dictionary<(ushort, ushort), int>();
        try
        {
            using var device = new CaptureFileReaderDevice(tap.PcapPath);
            device.Open();
            while (device.GetNextPacket(out PacketCapture raw) == GetPacketStatus.PacketRead)
            {
                RawCapture frame = raw.GetPacket();
                if (Packet.ParsePacket(frame.LinkLayerType, frame.Data).Extract<IPv4Packet>() is not { } ip) continue;
                bool fromKernel = ip.SourceAddress.Equals(kernel);
                if (!fromKernel && !ip.DestinationAddress.Equals(kernel)) continue;
                if (ip.Protocol != PacketDotNet.ProtocolType.Tcp || ip.FragmentOffset != 0 || (ip.FragmentFlags & 0x1) != 0) continue;
                var tcp = ip.Extract<TcpPacket>();
                if (tcp == null) continue;
                var kinds = tcp.OptionsCollection?.Select(o => o.Kind).ToList() ?? [];
                bool ws = kinds.Contains(PacketDotNet.Tcp.OptionTypes.WindowScaleFactor);
                bool sackOk = kinds.Contains(PacketDotNet.Tcp.OptionTypes.SelectiveAcknowledgmentPermitted);
                bool ts = kinds.Contains(PacketDotNet.Tcp.OptionTypes.Timestamp);
                if (!fromKernel && tcp.Synchronize && !tcp.Acknowledgment)
                {
                    hostSyns++;
                    if (ws && sackOk && ts) hostSynsOffering++;
                }
                if (!fromKernel)
                {
                    if (tcp.Synchronize || tcp.Reset) continue;
                    hostSegments++;
                    if (ts) hostWithTimestamps++;
                    if (kinds.Contains(PacketDotNet.Tcp.OptionTypes.SelectiveAcknowledgment)) hostSackBlocks++;
                    continue;
                }
                if (tcp.Synchronize && tcp.Acknowledgment)
                {
                    synAcks++;
                    if (ws && sackOk && ts) synAcksComplete++;
                    var scale = tcp.OptionsCollection?.OfType<PacketDotNet.Tcp.WindowScaleFactorOption>().FirstOrDefault();
                    shifts[(tcp.SourcePort, tcp.DestinationPort)] = scale?.ScaleFactor ?? 0;
                    continue;
                }
                if (tcp.Reset) continue;
                segments++;
                if (ts) withTimestamps++;
                if (kinds.Contains(PacketDotNet.Tcp.OptionTypes.SelectiveAcknowledgment)) sackBlocks++;
                largestWindow = Math.Max(largestWindow, (long)tcp.WindowSize << shifts.GetValueOrDefault((tcp.SourcePort, tcp.DestinationPort)));
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return [(name, false, $"{e.GetType().Name}: {e.Message}")];
        }
        bool pass = synAcks >= ConcurrentConnections + 2 * SequentialConnections && synAcksComplete == synAcks && hostSynsOffering == hostSyns
                    && segments > 0 && withTimestamps == segments;
        return
        [
            (name, pass, $"host SYNs {hostSyns} ({hostSynsOffering} offering all three); kernel SYN-ACKs {synAcks} ({synAcksComplete} with all three); kernel segments after the handshake {segments:N0}, {withTimestamps:N0} with timestamps, {sackBlocks:N0} with SACK blocks"),
            ("capture: the host agreed: every segment it sent after the handshake carries timestamps", hostSegments > 0 && hostWithTimestamps == hostSegments,
                $"host segments {hostSegments:N0}, {hostWithTimestamps:N0} with timestamps, {hostSackBlocks:N0} with SACK blocks"),
            ("capture: the kernel's advertised window goes past 64 KiB (scaled by its shift)", largestWindow > 65535, $"largest {largestWindow:N0} bytes"),
        ];
    }

    private static string Trim(string text) => text.Length > 200 ? text[..200] + "..." : text.Trim();
}
