using System.Text.RegularExpressions;
using Cosmos.TestRunner.Peers;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// The packet path allocates nothing: after a warm-up (some datagrams and a first TCP connection), the kernel's
/// count of allocated objects (asked of its statistics port, UDP 7007) must not move while 100,000 UDP echo
/// requests and a 64 MiB TCP echo (this project's own TCP stack on the host as the client) go through it.
/// Collections are counted too: none may be needed.
/// </summary>
public static class AllocationCheck
{
    public const int Datagrams = 100_000;
    public const int TcpBytes = 64 << 20;

    public static async Task<List<(string, bool, string)>> Run(RawIpPeer peer, LogWatcher log, CancellationToken cancel)
    {
        var results = new List<(string, bool, string)>();
        string? ready = await log.WaitAsync(@"net: idle: ", 0, TimeSpan.FromSeconds(30), cancel);
        results.Add(("kernel reports idle before the load", ready != null, ready ?? "no idle line"));
        if (ready == null) return results;

        // Warm-up: ARP both ways, the echo socket, a first TCP connection through its whole life.
        int pings = 0;
        for (ushort s = 1; s <= 3; s++) if (await peer.PingAsync(s, TimeSpan.FromSeconds(3), cancel)) pings++;
        peer.Flood(1000, 64);
        await Task.Delay(500, cancel);
        double warm = TcpEcho(peer, 1 << 20);
        results.Add(("warm-up: ping, 1,000 datagrams and a 1 MiB TCP echo", pings == 3 && !double.IsNaN(warm), $"{pings}/3 pings, TCP {Describe(warm)}"));
        await Task.Delay(1000, cancel);

        string? before = await peer.QueryStatsAsync(TimeSpan.FromSeconds(5), cancel);
        results.Add(("statistics port answers before the load", before != null, before ?? "no answer on UDP 7007"));
        if (before == null) return results;

        long echoesBefore = peer.UdpEchoes;
        TimeSpan sending = peer.Flood(Datagrams, 64);
        await Task.Delay(2000, cancel);
        long echoes = peer.UdpEchoes - echoesBefore;
        double mbps = TcpEcho(peer, TcpBytes);
        await Task.Delay(500, cancel);
        string? after = await peer.QueryStatsAsync(TimeSpan.FromSeconds(5), cancel);
        results.Add(($"{Datagrams:N0} UDP echo requests at {Datagrams / sending.TotalSeconds:N0}/s echoed", echoes > 1000, $"{echoes:N0} echoes came back"));
        long wrong = Bench.TcpThroughput.LastMismatchedBytes;
        results.Add(($"{TcpBytes >> 20} MiB of TCP echo, each way, unchanged", !double.IsNaN(mbps) && wrong == 0, $"{Describe(mbps)}, {wrong} bytes differed"));
        results.Add(("statistics port answers after the load", after != null, after ?? "no answer on UDP 7007"));
        if (after == null) return results;

        long allocated = Value(after, "allocations") - Value(before, "allocations");
        long collections = Value(after, "collections") - Value(before, "collections");
        results.Add(("no object allocated while serving the load (0 per packet)", allocated == 0,
            $"allocations before {Value(before, "allocations")}, after {Value(after, "allocations")}; {echoes:N0} datagrams echoed and {TcpBytes >> 20} MiB echoed over TCP in between"));
        results.Add(("no collection while serving the load", collections == 0, $"{collections} collections"));
        return results;
    }

    private static double TcpEcho(RawIpPeer peer, int bytes) =>
        Bench.TcpThroughput.Measure(new RawLinkDevice(peer.SendRaw, sink => peer.FrameSink = sink, RawIpPeer.Mac), 1, bytes, TimeSpan.FromSeconds(120));

    private static string Describe(double mbps) => double.IsNaN(mbps) ? "stalled" : $"{mbps:N1} Mbit/s";

    private static long Value(string line, string key) =>
        Regex.Match(line, $@"(?:^|\s){Regex.Escape(key)}=(\d+)") is { Success: true } m ? long.Parse(m.Groups[1].Value) : -1;
}
