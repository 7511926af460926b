using System.Net;
using System.Net.Sockets;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>Talks to the kernel's services from the host, through QEMU's user-network port forwards.</summary>
public static class ServiceChecks
{
    /// <summary>Sends datagrams of many sizes to UDP echo (port 7) and checks each comes back byte for byte.</summary>
    public static async Task<List<(string, bool, string)>> UdpEcho(ForwardedPorts ports, CancellationToken cancel)
    {
        const int count = 300;
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new IPEndPoint(IPAddress.Loopback, ports.UdpEcho);
        int matched = 0, lost = 0;
        var random = new Random(1234);
        for (int i = 0; i < count; i++)
        {
            byte[] payload = new byte[1 + i * 4 % 1400];
            random.NextBytes(payload);
            await udp.SendAsync(payload, target, cancel);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            wait.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                UdpReceiveResult reply = await udp.ReceiveAsync(wait.Token);
                if (reply.Buffer.AsSpan().SequenceEqual(payload)) matched++;
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested) { lost++; }
        }
        return [($"UDP echo: {count} datagrams of 1 to 1397 bytes come back intact", matched == count, $"{matched} matched, {lost} lost")];
    }

    /// <summary>Sends 1 MiB to TCP echo (port 7) while reading the echo, and compares every byte.</summary>
    public static async Task<List<(string, bool, string)>> TcpEcho(ForwardedPorts ports, CancellationToken cancel)
    {
        const int size = 1 << 20;
        byte[] data = new byte[size];
        new Random(99).NextBytes(data);
        byte[] echoed = new byte[size];
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var client = new TcpClient();
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(10));
            await client.ConnectAsync(IPAddress.Loopback, ports.TcpEcho, connectTimeout.Token);
            NetworkStream stream = client.GetStream();
            using var transfer = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            transfer.CancelAfter(TimeSpan.FromSeconds(60));
            Task writer = Task.Run(async () =>
            {
                for (int at = 0; at < size; at += 8192) await stream.WriteAsync(data.AsMemory(at, Math.Min(8192, size - at)), transfer.Token);
            }, transfer.Token);
            int got = 0;
            while (got < size)
            {
                int n = await stream.ReadAsync(echoed.AsMemory(got), transfer.Token);
                if (n == 0) break;
                got += n;
            }
            await writer;
            client.Client.Shutdown(SocketShutdown.Send);
            bool same = got == size && echoed.AsSpan().SequenceEqual(data);
            int firstDifference = same ? -1 : echoed.AsSpan(0, got).CommonPrefixLength(data);
            double mbps = size * 8 / 1e6 / watch.Elapsed.TotalSeconds;
            return [("TCP echo: 1 MiB comes back byte for byte", same,
                same ? $"{watch.Elapsed.TotalSeconds:0.00} s ({mbps:0.0} Mbit/s)" : $"got {got} bytes, first difference at {firstDifference}")];
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return [("TCP echo: 1 MiB comes back byte for byte", false, $"{e.GetType().Name}: {e.Message}")];
        }
    }

    /// <summary>GET / with HttpClient: a 200 whose body is the status page with the lease address.</summary>
    public static async Task<List<(string, bool, string)>> HttpStatus(ForwardedPorts ports, CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        try
        {
            using HttpResponseMessage response = await http.GetAsync($"http://127.0.0.1:{ports.Http}/", cancel);
            string body = await response.Content.ReadAsStringAsync(cancel);
            bool ok = response.IsSuccessStatusCode;
            return
            [
                ("HTTP GET / answers 200", ok, $"{(int)response.StatusCode} {response.ReasonPhrase}"),
                ("status page shows the DHCP address", body.Contains("ipv4: 10.0.2.15/24"), body.Split('\n').FirstOrDefault(l => l.StartsWith("ipv4")) ?? "(no ipv4 line)"),
                ("status page shows MAC, transport and counters", body.Contains("mac: 52:54:00:12:34:56") && body.Contains("transport: ") && body.Contains("rx_frames: "), $"{body.Length} bytes"),
            ];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return [("HTTP GET / answers 200", false, $"{e.GetType().Name}: {e.Message}")];
        }
    }

    /// <summary>
    /// Two NICs on two user networks (net0 10.0.2.0/24, net1 10.0.5.0/24, each with QEMU's DHCP server): UDP echo
    /// through each one's forward, and a status page that lists both interfaces with their leases.
    /// </summary>
    public static async Task<List<(string, bool, string)>> TwoInterfaces(ForwardedPorts ports, CancellationToken cancel)
    {
        var results = new List<(string, bool, string)>();
        foreach (var (name, port) in new[] { ("net0", ports.UdpEcho), ("net1", ports.SecondUdpEcho) })
        {
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            int matched = 0;
            for (int i = 0; i < 20; i++)
            {
                byte[] payload = System.Text.Encoding.ASCII.GetBytes($"{name} datagram {i}");
                await udp.SendAsync(payload, new IPEndPoint(IPAddress.Loopback, port), cancel);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                wait.CancelAfter(TimeSpan.FromSeconds(3));
                try { if ((await udp.ReceiveAsync(wait.Token)).Buffer.AsSpan().SequenceEqual(payload)) matched++; }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested) { }
            }
            results.Add(($"UDP echo through {name}: 20 of 20", matched == 20, $"{matched} echoed"));
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        try
        {
            string page = await http.GetStringAsync($"http://127.0.0.1:{ports.Http}/", cancel);
            results.Add(("status page lists both interfaces with their addresses",
                page.Contains("interfaces: 2\n") && page.Contains("ipv4: 10.0.2.15/24") && page.Contains("net1.ipv4: 10.0.5.15/24"),
                string.Join("; ", page.Split('\n').Where(l => l.StartsWith("interfaces") || l.Contains("ipv4")))));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            results.Add(("status page lists both interfaces with their addresses", false, $"{e.GetType().Name}: {e.Message}"));
        }
        return results;
    }

    /// <summary>All host-side service checks in one boot.</summary>
    public static async Task<List<(string, bool, string)>> All(ForwardedPorts ports, CancellationToken cancel)
    {
        var results = new List<(string, bool, string)>();
        results.AddRange(await UdpEcho(ports, cancel));
        results.AddRange(await TcpEcho(ports, cancel));
        results.AddRange(await HttpStatus(ports, cancel));
        return results;
    }
}
