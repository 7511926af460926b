using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Cosmos.TestRunner.Peers;
using Cosmos.TestRunner.Tap;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// From the tap's network namespace, with the host kernel's own stack: Debian's tools (ping, curl) and .NET's
/// sockets made inside the namespace. Each check waits for what it checks, with a bound, and says what it saw.
/// </summary>
public static class TapChecks
{
    public const string KernelMac = "52:54:00:12:34:56";
    /// <summary>Bytes each way through TCP echo, checked byte for byte.</summary>
    public const int TcpEchoBytes = 64 << 20;

    public sealed record Plan(bool FloodPing = true, int TcpBytes = TcpEchoBytes);

    public static TapCheck For(Plan plan) => (tap, log, cancel) => Run(tap, log, plan, cancel);

    private static async Task<List<(string, bool, string)>> Run(TapNetwork tap, LogWatcher log, Plan plan, CancellationToken cancel)
    {
        var results = new List<(string, bool, string)>();

        // DHCP: the kernel says it is bound to an address, and dnsmasq acknowledged that very address to its MAC.
        string? bound = await log.WaitAsync(@"net: DHCP bound \d+\.\d+\.\d+\.\d+", 0, TimeSpan.FromSeconds(30), cancel);
        IPAddress? kernelSays = bound == null ? null : IPAddress.Parse(Regex.Match(bound, @"bound (\d+\.\d+\.\d+\.\d+)").Groups[1].Value);
        IPAddress? acked = null;
        for (var until = DateTime.UtcNow + TimeSpan.FromSeconds(10); acked == null && DateTime.UtcNow < until; await Task.Delay(100, cancel))
            acked = tap.AcknowledgedAddress(KernelMac);
        bool dhcp = kernelSays != null && kernelSays.Equals(acked);
        results.Add(("DHCP: dnsmasq acknowledged the address the kernel bound", dhcp, $"kernel: {kernelSays?.ToString() ?? "no DHCP bound line"}, dnsmasq DHCPACK: {acked?.ToString() ?? "none"}"));
        if (!dhcp || kernelSays == null) return results;
        IPAddress kernel = kernelSays;

        HostCommandResult ping = tap.Namespace.Run("ping", ["-c", "5", "-i", "0.2", "-W", "2", kernel.ToString()], TimeSpan.FromSeconds(20), allowFailure: true);
        int replies = Received(ping.Output);
        results.Add(("ping: 5 of 5 replies", replies == 5, Summary(ping.Output)));

        if (plan.FloodPing)
        {
            HostCommandResult flood = tap.Namespace.Run("ping", ["-f", "-c", "5000", "-w", "60", kernel.ToString()], TimeSpan.FromSeconds(70), allowFailure: true);
            int floodReplies = Received(flood.Output);
            results.Add(("flood ping: 5,000 of 5,000 replies", floodReplies == 5000, Summary(flood.Output)));
        }

        results.Add(await UdpEcho(tap, kernel, cancel));
        results.Add(await TcpEcho(tap, kernel, plan.TcpBytes, cancel));

        HostCommandResult curl = tap.Namespace.Run("curl", ["-s", "-m", "15", "-w", "\\n%{http_code}", $"http://{kernel}/"], TimeSpan.FromSeconds(20), allowFailure: true);
        string[] lines = curl.Output.TrimEnd().Split('\n');
        bool page = lines.Length > 1 && lines[^1].Trim() == "200" && curl.Output.Contains("Cosmos-net kernel status") && curl.Output.Contains($"ipv4: {kernel}/");
        results.Add(("curl: HTTP 200 and the status page with the leased address", page, page ? $"{curl.Output.Length} bytes" : $"exit {curl.ExitCode}: {Trim(curl.Output)}"));

        results.AddRange(Capture(tap, kernel, plan));
        // After the capture has stopped: wrk's hundreds of thousands of packets are not the pcap's business.
        results.AddRange(await HttpTapChecks.Run(tap, kernel, cancel));
        return results;
    }

    /// <summary>
    /// The pcap of the tap (tcpdump in the namespace, packet-buffered): every IPv4 header checksum valid both ways,
    /// every UDP/TCP checksum valid or, where offloaded, holding exactly the pseudo-header sum the other side
    /// completes; the DHCP exchange, the pings and the echoes on the wire.
    /// </summary>
    private static List<(string, bool, string)> Capture(TapNetwork tap, IPAddress kernel, Plan plan)
    {
        long dropped = tap.StopCapture();
        if (dropped != 0) return [("capture: tcpdump kept every packet", false, dropped < 0 ? "tcpdump gave no count" : $"{dropped:N0} packets lost by the capture (see tcpdump.log)")];
        WireCapture c;
        try { c = WireCapture.Read(tap.PcapPath, kernel.ToString(), checkBothDirections: true); }
        catch (Exception e) when (e is not OutOfMemoryException) { return [("capture: the tap's pcap is readable", false, $"{e.GetType().Name}: {e.Message}")]; }
        return
        [
            ("capture: every checksum both ways is valid or an offloaded partial one", c.BadIpChecksums == 0 && c.BadTransportChecksums == 0 && c.TransportChecksumsChecked > 0,
                $"{c.Frames:N0} frames; {c.BadIpChecksums} bad IPv4; {c.TransportChecksumsChecked:N0} UDP/TCP checksums: {c.BadTransportChecksums} bad, {c.PartialTransportChecksums:N0} partial (offloaded)"),
            ("capture: DHCP DISCOVER, OFFER, REQUEST, ACK", c.DhcpDiscover >= 1 && c.DhcpOffer >= 1 && c.DhcpRequest >= 1 && c.DhcpAck >= 1,
                $"discover {c.DhcpDiscover}, offer {c.DhcpOffer}, request {c.DhcpRequest}, ack {c.DhcpAck}"),
            ("capture: UDP echo requests and identical replies", c.UdpEchoRequests >= 300 && c.UdpEchoReplies == c.UdpEchoRequests && c.UdpEchoMismatches == 0,
                $"requests {c.UdpEchoRequests}, replies {c.UdpEchoReplies}, mismatched {c.UdpEchoMismatches}"),
            ("capture: the TCP echo's bytes both ways", c.TcpEchoBytesIn >= plan.TcpBytes && c.TcpEchoBytesOut >= plan.TcpBytes,
                $"to the kernel {c.TcpEchoBytesIn:N0}, from it {c.TcpEchoBytesOut:N0} bytes (retransmissions count twice)"),
        ];
    }

    private static int Received(string pingOutput) =>
        Regex.Match(pingOutput, @"(\d+) (?:packets )?received") is { Success: true } m ? int.Parse(m.Groups[1].Value) : 0;

    private static string Summary(string pingOutput) =>
        string.Join("; ", pingOutput.Split('\n').Where(l => l.Contains("transmitted") || l.StartsWith("rtt", StringComparison.Ordinal)).Select(l => l.Trim()));

    private static string Trim(string text) => text.Length > 200 ? text[..200] + "..." : text.Trim();

    /// <summary>300 datagrams of 1 to 1,472 bytes, one at a time, each back byte for byte within 2 s.</summary>
    private static async Task<(string, bool, string)> UdpEcho(TapNetwork tap, IPAddress kernel, CancellationToken cancel)
    {
        const int count = 300;
        using Socket udp = tap.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Any, 0));
        var target = new IPEndPoint(kernel, 7);
        var random = new Random(7);
        var reply = new byte[2048];
        int matched = 0, lost = 0, wrong = 0;
        for (int i = 0; i < count; i++)
        {
            byte[] payload = new byte[1 + i * 1471 / (count - 1)];
            random.NextBytes(payload);
            await udp.SendToAsync(payload, target, cancel);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            wait.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                int n = await udp.ReceiveAsync(reply, wait.Token);
                if (reply.AsSpan(0, n).SequenceEqual(payload)) matched++; else wrong++;
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested) { lost++; }
        }
        return ($"UDP echo: {count} datagrams of 1 to 1,472 bytes back byte for byte", matched == count, $"{matched} matched, {wrong} different, {lost} lost");
    }

    /// <summary>TCP echo: <paramref name="size"/> bytes written while the echo is read, compared byte for byte.</summary>
    private static async Task<(string, bool, string)> TcpEcho(TapNetwork tap, IPAddress kernel, int size, CancellationToken cancel)
    {
        string name = $"TCP echo: {size >> 20} MiB each way, byte for byte";
        byte[] data = new byte[size];
        new Random(64).NextBytes(data);
        var watch = Stopwatch.StartNew();
        try
        {
            using Socket socket = tap.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            connect.CancelAfter(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(new IPEndPoint(kernel, 7), connect.Token);
            using var stream = new NetworkStream(socket, ownsSocket: false);
            using var transfer = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            transfer.CancelAfter(TimeSpan.FromSeconds(240));
            Task writer = Task.Run(async () =>
            {
                for (int at = 0; at < size; at += 65536) await stream.WriteAsync(data.AsMemory(at, Math.Min(65536, size - at)), transfer.Token);
                socket.Shutdown(SocketShutdown.Send);
            }, transfer.Token);
            byte[] chunk = new byte[65536];
            long got = 0, firstDifference = -1;
            while (got < size)
            {
                int n = await stream.ReadAsync(chunk, transfer.Token);
                if (n == 0) break;
                if (firstDifference < 0 && got + n <= size)
                {
                    int same = chunk.AsSpan(0, n).CommonPrefixLength(data.AsSpan((int)got, n));
                    if (same < n) firstDifference = got + same;
                }
                got += n;
            }
            await writer;
            double seconds = watch.Elapsed.TotalSeconds;
            bool ok = got == size && firstDifference < 0;
            return (name, ok, ok ? $"{seconds:0.0} s, {size * 8.0 / 1e6 / seconds:0.0} Mbit/s each way"
                : $"{got:N0} of {size:N0} bytes back{(firstDifference >= 0 ? $", first difference at byte {firstDifference:N0}" : "")}");
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return (name, false, $"{e.GetType().Name}: {e.Message} after {watch.Elapsed.TotalSeconds:0.0} s");
        }
    }
}
