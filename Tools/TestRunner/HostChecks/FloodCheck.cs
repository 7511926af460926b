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

    public static Task<List<(string, bool, string)>> Run(RawIpPeer peer, LogWatcher log, CancellationToken cancel) =>
        Run(peer, log, 0, 10_000, cancel);

    /// <summary>
    /// The same, and the kernel's collection count (gcs= on its idle line) must grow by at least
    /// <paramref name="minimumCollections"/> between the idle line before the flood and the one after it. A kernel
    /// that collects (and verifies its heap) at every busy turn takes fewer of the flood's frames: it must still
    /// receive <paramref name="minimumFrames"/>.
    /// </summary>
    public static PeerCheck WithCollections(int minimumCollections, int minimumFrames) =>
        (peer, log, cancel) => Run(peer, log, minimumCollections, minimumFrames, cancel);

    private static async Task<List<(string, bool, string)>> Run(RawIpPeer peer, LogWatcher log, int minimumCollections, int minimumFrames, CancellationToken cancel)
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
        if (minimumCollections > 0)
        {
            bool counted = long.TryParse(Value(baseline, "gcs"), out long gcsBefore) & long.TryParse(Value(idle, "gcs"), out long gcsAfter);
            results.Add(($"at least {minimumCollections} collections ran during the flood", counted && gcsAfter - gcsBefore >= minimumCollections,
                counted ? $"gcs before {gcsBefore}, after {gcsAfter}: {gcsAfter - gcsBefore} during the flood" : "no gcs= on the idle lines"));
        }
        long frames = long.Parse(Value(idle, "rx-frames"));
        results.Add(($"the kernel received more than {minimumFrames:N0} frames of the flood", frames > minimumFrames, $"{frames:N0} frames received"));
        return results;
    }

    private static string Value(string line, string key) =>
        Regex.Match(line, $@"(?:^|\s){Regex.Escape(key)}=(\d+)") is { Success: true } m ? m.Groups[1].Value : "?";
}
