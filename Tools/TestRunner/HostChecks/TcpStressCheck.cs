using System.Text.RegularExpressions;
using Cosmos.TestRunner.Peers;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// TCP traffic while the kernel collects: a bulk TCP echo (this project's own TCP stack on the host as the client,
/// over the raw peer's link) must come back whole while the kernel runs collections, and the heap verifier after
/// each, during it (gc.stress: every busy service turn ends with one). Collections are counted through the kernel's
/// statistics port (UDP 7007).
/// </summary>
public static class TcpStressCheck
{
    public static PeerCheck For(int bytes, int minimumCollections) =>
        (peer, log, cancel) => Run(peer, log, bytes, minimumCollections, cancel);

    private static async Task<List<(string, bool, string)>> Run(RawIpPeer peer, LogWatcher log, int bytes, int minimumCollections, CancellationToken cancel)
    {
        var results = new List<(string, bool, string)>();
        string? ready = await log.WaitAsync(@"net: idle: ", 0, TimeSpan.FromSeconds(30), cancel);
        results.Add(("kernel reports idle before the load", ready != null, ready ?? "no idle line"));
        if (ready == null) return results;
        int pings = 0;
        for (ushort s = 1; s <= 3; s++) if (await peer.PingAsync(s, TimeSpan.FromSeconds(3), cancel)) pings++;
        results.Add(("answers ping", pings == 3, $"{pings}/3 replies"));

        string? before = await peer.QueryStatsAsync(TimeSpan.FromSeconds(5), cancel);
        results.Add(("statistics port answers before the load", before != null, before ?? "no answer on UDP 7007"));
        if (before == null) return results;
        double mbps = Bench.TcpThroughput.Measure(new RawLinkDevice(peer.SendRaw, sink => peer.FrameSink = sink, RawIpPeer.Mac), 1, bytes, TimeSpan.FromSeconds(120));
        long wrong = Bench.TcpThroughput.LastMismatchedBytes;
        results.Add(($"{bytes >> 20} MiB of TCP echo, each way, came back whole and unchanged", !double.IsNaN(mbps) && wrong == 0,
            (double.IsNaN(mbps) ? "stalled" : $"{mbps:N1} Mbit/s") + $", {wrong} bytes differed from what was sent"));
        string? after = await peer.QueryStatsAsync(TimeSpan.FromSeconds(5), cancel);
        results.Add(("statistics port answers after the load", after != null, after ?? "no answer on UDP 7007"));
        if (after == null) return results;
        long collections = Value(after, "collections") - Value(before, "collections");
        results.Add(($"at least {minimumCollections} collections ran during the transfer", collections >= minimumCollections,
            $"collections before {Value(before, "collections")}, after {Value(after, "collections")}"));
        return results;
    }

    private static long Value(string line, string key) =>
        Regex.Match(line, $@"(?:^|\s){Regex.Escape(key)}=(\d+)") is { Success: true } m ? long.Parse(m.Groups[1].Value) : -1;
}
