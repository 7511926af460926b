using System.Text.RegularExpressions;
using Cosmos.TestRunner.Peers;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// Load: 100,000 UDP echo requests as fast as the host can send them onto the kernel's link. The kernel must
/// stay up, answer ping afterwards, and bring every buffer and socket counter back to its idle value.
/// </summary>
public static class FloodCheck
{
    public const int Datagrams = 100_000;
    private const string IdlePattern = @"net: idle: ";

    public static async Task<List<(string, bool, string)>> Run(RawIpPeer peer, LogWatcher log, CancellationToken cancel)
    {
        var results = new List<(string, bool, string)>();
        string? baseline = await log.WaitAsync(IdlePattern, 0, TimeSpan.FromSeconds(20), cancel);
        results.Add(("kernel reports its idle resources before the flood", baseline != null, baseline ?? "no idle line"));
        if (baseline == null) return results;

        int before = 0;
        for (ushort s = 1; s <= 3; s++) if (await peer.PingAsync(s, TimeSpan.FromSeconds(3), cancel)) before++;
        results.Add(("answers ping before the flood", before == 3, $"{before}/3 replies"));

        int mark = log.Count;
        TimeSpan sending = peer.Flood(Datagrams, 64);
        double rate = Datagrams / sending.TotalSeconds;
        await Task.Delay(2000, cancel);

        int after = 0;
        for (ushort s = 100; s < 103; s++) if (await peer.PingAsync(s, TimeSpan.FromSeconds(3), cancel)) after++;
        results.Add(($"answers ping after {Datagrams:N0} datagrams sent at {rate:N0}/s", after == 3,
            $"{after}/3 replies; {peer.UdpEchoes:N0} echoes came back (the rest were dropped on the way, by design)"));
        results.Add(("echoed under load", peer.UdpEchoes > 1000, $"{peer.UdpEchoes:N0} echoes"));

        string? idle = await log.WaitAsync(IdlePattern, mark, TimeSpan.FromSeconds(30), cancel);
        results.Add(("kernel goes idle again after the flood", idle != null, idle ?? "no idle line after the flood"));
        if (idle == null) return results;
        foreach (string counter in new[] { "rx-lent", "tx-outstanding", "udp-queued", "arp-pending", "tcp", "heap" })
        {
            string b = Value(baseline, counter), a = Value(idle, counter);
            results.Add(($"{counter} back to its idle value", a == b, $"before {b}, after {a}"));
        }
        long frames = long.Parse(Value(idle, "rx-frames"));
        results.Add(("the kernel received a large share of the flood", frames > 10_000, $"{frames:N0} frames received"));
        return results;
    }

    private static string Value(string line, string key) =>
        Regex.Match(line, $@"(?:^|\s){Regex.Escape(key)}=(\d+)") is { Success: true } m ? m.Groups[1].Value : "?";
}
