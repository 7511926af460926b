using System.Net.Sockets;

namespace Cosmos.TestRunner.Apps;

/// <summary>
/// Programs/KernelServices, the kernel's own services as a program on the public API: the checks the bare kernel's
/// built-in services pass (HostChecks.ServiceChecks: 300 UDP datagrams, a 1 MiB TCP echo) and the status page's
/// HTTP behaviour and content, against the kernel image through QEMU's forwarded ports, then against the same source on
/// .NET on the host.
/// </summary>
public static class KernelServicesChecks
{
    public static async Task<List<(string Name, bool Passed, string Detail)>> Run(ForwardedPorts ports, CancellationToken cancel)
    {
        var results = await Against("kernel", ports, kernel: true, cancel);
        string program = Path.Combine(SampleApplications.RepoRoot(), "Programs", "KernelServices");
        int echoPort = SampleApplications.FreeTcpPort(), httpPort = SampleApplications.FreeTcpPort();
        results.AddRange(await SampleApplications.OnDotnet(program, "KernelServices.dll",
            (_, c) => Against(".NET", new ForwardedPorts(echoPort, echoPort, httpPort), kernel: false, c), cancel,
            _ => ["--echo-port", echoPort.ToString(), "--http-port", httpPort.ToString()]));
        return results;
    }

    private static async Task<List<(string Name, bool Passed, string Detail)>> Against(string where, ForwardedPorts ports, bool kernel, CancellationToken cancel)
    {
        var results = new List<(string Name, bool Passed, string Detail)>();
        foreach (var (name, passed, detail) in await HostChecks.ServiceChecks.UdpEcho(ports, cancel)) results.Add(($"{where}: {name}", passed, detail));
        foreach (var (name, passed, detail) in await HostChecks.ServiceChecks.TcpEcho(ports, cancel)) results.Add(($"{where}: {name}", passed, detail));
        // Each exchange has its own bound, so a server that stops answering fails the check instead of hanging the boot.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        bound.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            using var http = await HttpExchange.OpenAsync("127.0.0.1", ports.Http, bound.Token);
            await http.SendAsync("GET / HTTP/1.1\r\nHost: k\r\n\r\n", bound.Token);
            HttpReply? first = await http.ReadAsync(bound.Token);
            string page = first?.Text ?? "";
            results.Add(($"{where}: GET / answers 200 with the page, keep-alive", first?.Status == 200 && first.Header("Connection") == "keep-alive",
                first == null ? "closed without an answer" : $"{first.Status}, Connection: {first.Header("Connection")}, {first.Body.Length} bytes"));
            results.Add(($"{where}: the page lists interfaces from System.Net.NetworkInformation", page.Contains("interfaces: ") && page.Contains(".mac: ") && page.Contains(".rx_packets: "),
                FirstLine(page, "interfaces: ")));
            results.Add(($"{where}: the page counts the 300 UDP echoes and the TCP echo", Counter(page, "udp_echoed") >= 300 && Counter(page, "tcp_echo_bytes") >= 1 << 20,
                $"udp_echoed {Counter(page, "udp_echoed")}, tcp_echo_bytes {Counter(page, "tcp_echo_bytes")}"));
            if (kernel)
            {
                results.Add(($"{where}: net0 shows QEMU's DHCP lease, MAC, gateway and DNS", page.Contains("net0: up virtio-net") && page.Contains("net0.ipv4: 10.0.2.15/24")
                    && page.Contains("net0.mac: 52:54:00:12:34:56") && page.Contains("net0.gateway: 10.0.2.2") && page.Contains("net0.dns: 10.0.2.3"),
                    string.Join(" | ", page.Split('\n').Where(l => l.StartsWith("net0")).Take(6))));
                results.Add(($"{where}: net0's counters come from the NIC (rx_packets > 300)", Counter(page, "net0.rx_packets") > 300, $"rx_packets {Counter(page, "net0.rx_packets")}"));
            }
            // Two requests pipelined in one write on the same connection.
            await http.SendAsync("HEAD / HTTP/1.1\r\nHost: k\r\n\r\nGET /missing HTTP/1.1\r\nHost: k\r\n\r\n", bound.Token);
            HttpReply? head = await http.ReadAsync(bound.Token, head: true);
            HttpReply? missing = await http.ReadAsync(bound.Token);
            results.Add(($"{where}: pipelined HEAD / (200, length, no body) then GET /missing (404)",
                head?.Status == 200 && int.TryParse(head.Header("Content-Length"), out int length) && length > 0 && missing?.Status == 404,
                $"{head?.Status} (Content-Length {head?.Header("Content-Length")}), {missing?.Status}"));
            await http.SendAsync("POST / HTTP/1.1\r\nHost: k\r\nContent-Length: 0\r\n\r\n", bound.Token);
            HttpReply? post = await http.ReadAsync(bound.Token);
            bool closed = await http.ClosedByServerAsync(TimeSpan.FromSeconds(5), bound.Token);
            results.Add(($"{where}: POST answers 405 with Allow, then closes", post?.Status == 405 && post.Header("Allow") == "GET, HEAD" && closed,
                $"{post?.Status}, Allow: {post?.Header("Allow")}, closed: {closed}"));

            using var once = await HttpExchange.OpenAsync("127.0.0.1", ports.Http, bound.Token);
            await once.SendAsync("GET /status HTTP/1.1\r\nHost: k\r\nConnection: close\r\n\r\n", bound.Token);
            HttpReply? status = await once.ReadAsync(bound.Token);
            bool ended = await once.ClosedByServerAsync(TimeSpan.FromSeconds(5), bound.Token);
            results.Add(($"{where}: Connection: close is honoured (the answer, then end of stream)", status?.Status == 200 && status.Header("Connection") == "close" && ended,
                $"{status?.Status}, Connection: {status?.Header("Connection")}, closed: {ended}"));

            using var bad = await HttpExchange.OpenAsync("127.0.0.1", ports.Http, bound.Token);
            await bad.SendAsync("NONSENSE\r\n\r\n", bound.Token);
            HttpReply? malformed = await bad.ReadAsync(bound.Token);
            results.Add(($"{where}: a malformed request line answers 400", malformed?.Status == 400, $"{malformed?.Status}"));
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or InvalidDataException)
        {
            results.Add(($"{where}: the status page over HTTP/1.1", false, $"{e.GetType().Name}: {e.Message}"));
        }
        return results;
    }

    private static string FirstLine(string page, string prefix) => page.Split('\n').FirstOrDefault(l => l.StartsWith(prefix)) ?? $"(no {prefix.Trim()} line)";

    private static long Counter(string page, string key)
    {
        string? line = page.Split('\n').FirstOrDefault(l => l.StartsWith(key + ": "));
        return line != null && long.TryParse(line.AsSpan(key.Length + 2), out long value) ? value : -1;
    }
}
