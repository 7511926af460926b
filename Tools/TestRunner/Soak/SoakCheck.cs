using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Cosmos.TestRunner.Peers;
using Cosmos.TestRunner.Tap;

namespace Cosmos.TestRunner.Soak;

/// <summary>What a soak runs for and what it demands.</summary>
/// <param name="Duration">How long the mixed traffic runs.</param>
/// <param name="MinimumPackets">Packets (both ways on the tap) the run must reach; the 30-minute soak demands 1,000,000.</param>
/// <param name="StallSeconds">No packet from the kernel for this long, while the traffic runs, is a stall: a failure.</param>
public sealed record SoakPlan(TimeSpan Duration, long MinimumPackets, int StallSeconds = 20)
{
    /// <summary>The issue's figure for 30 minutes (1,000,000 packets), in proportion for other lengths.</summary>
    public static SoakPlan ForMinutes(double minutes) => new(TimeSpan.FromMinutes(minutes), (long)(1_000_000 * minutes / 30));

    /// <summary>Losses a kind of traffic may have (ping and UDP echo: the tap's queue may drop under flood; never a wrong byte).</summary>
    public const double AllowedLoss = 0.001;
}

/// <summary>
/// The soak (issue 17 item 5) as a tap-lane check: the kernel on the tap with the host kernel's stack on the other side
/// (HostChecks' lane: network namespace, tap with vnet_hdr, dnsmasq), mixed traffic for <see cref="SoakPlan.Duration"/>
/// (<see cref="SoakTraffic"/>), the tap's packet counters read every second (progress; a stall fails the run), then the
/// kernel's idle report compared with the one from before the load (<see cref="IdleReport.Compare"/>).
/// </summary>
public static class SoakCheck
{
    public static TapCheck For(SoakPlan plan, Action<string>? progress = null) => (tap, log, cancel) => Run(tap, log, plan, progress, cancel);

    private static async Task<List<(string, bool, string)>> Run(TapNetwork tap, LogWatcher log, SoakPlan plan, Action<string>? progress, CancellationToken cancel)
    {
        var results = new List<(string, bool, string)>();
        string? bound = await log.WaitAsync(@"net: DHCP bound \d+\.\d+\.\d+\.\d+", 0, TimeSpan.FromSeconds(30), cancel);
        results.Add(("DHCP: the kernel bound an address from dnsmasq", bound != null, bound ?? "no DHCP bound line within 30 s"));
        if (bound == null) return results;
        IPAddress kernel = IPAddress.Parse(Regex.Match(bound, @"bound (\d+\.\d+\.\d+\.\d+)").Groups[1].Value);

        // The idle report before the load: the values everything must come back to.
        IdleReport? before = await NextIdleReport(tap, kernel, log, log.Count, TimeSpan.FromSeconds(30), cancel);
        results.Add(("idle report before the soak", before != null, before?.Line ?? "no 'net: idle:' line within 30 s"));
        if (before == null) return results;

        var flood = new TrafficTally();
        var udp = new TrafficTally();
        var tcp = new TrafficTally();
        var http = new TrafficTally();
        (long Rx, long Tx) start = TapPackets(tap);
        DateTime until = DateTime.UtcNow + plan.Duration;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        int logMark = log.Count;
        Task[] traffic =
        [
            SoakTraffic.FloodPing(tap, kernel, until, flood, stop.Token),
            SoakTraffic.UdpEcho(tap, kernel, until, udp, stop.Token),
            SoakTraffic.TcpConnections(tap, kernel, until, tcp, stop.Token),
            SoakTraffic.Wrk(tap, kernel, until, http, stop.Token),
        ];

        // Progress: packets the kernel sent (the tap's receive counter) must keep rising while the traffic runs.
        var watch = Stopwatch.StartNew();
        long lastRx = start.Rx, longestQuiet = 0;
        var quietSince = Stopwatch.StartNew();
        string? stall = null;
        var nextProgress = TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < until && stall == null && !cancel.IsCancellationRequested)
        {
            await Task.Delay(1000, cancel);
            (long rx, long tx) = TapPackets(tap);
            if (rx > lastRx) { lastRx = rx; quietSince.Restart(); }
            longestQuiet = Math.Max(longestQuiet, (long)quietSince.Elapsed.TotalSeconds);
            if (quietSince.Elapsed.TotalSeconds >= plan.StallSeconds)
                stall = $"no packet from the kernel for {plan.StallSeconds} s at {watch.Elapsed.TotalSeconds:0} s into the soak";
            if (watch.Elapsed >= nextProgress)
            {
                nextProgress += TimeSpan.FromSeconds(60);
                progress?.Invoke($"{watch.Elapsed.TotalMinutes:0} min: {rx - start.Rx + tx - start.Tx:N0} packets; ping {flood.Answered:N0}, UDP {udp.Answered:N0}, TCP connections {tcp.Answered:N0}, HTTP {http.Answered:N0}");
            }
        }
        stop.Cancel();
        try { await Task.WhenAll(traffic).WaitAsync(TimeSpan.FromSeconds(180), CancellationToken.None); }
        catch (TimeoutException) { results.Add(("the traffic stopped when told", false, "a traffic loop was still running 180 s after the end")); }
        catch (OperationCanceledException) { } // a loop cut off in the middle of an operation at the end
        catch (Exception e) { results.Add(("the traffic loops ran without a fault of their own", false, $"{e.GetType().Name}: {e.Message}")); }
        (long Rx, long Tx) end = TapPackets(tap);
        long packets = end.Rx - start.Rx + end.Tx - start.Tx;
        double seconds = watch.Elapsed.TotalSeconds;

        results.Add(("no stall (the kernel kept sending)", stall == null, stall ?? $"longest quiet stretch {longestQuiet} s (limit {plan.StallSeconds} s)"));
        results.Add(($"packets: at least {plan.MinimumPackets:N0} both ways on the tap", packets >= plan.MinimumPackets,
            $"{packets:N0} packets in {seconds:0} s ({packets / Math.Max(1, seconds):N0}/s): {end.Rx - start.Rx:N0} from the kernel, {end.Tx - start.Tx:N0} to it"));
        results.Add(Loss("flood ping (ping -f, batches of 2,000)", flood, "echo requests"));
        results.Add(Loss("UDP echo, 8 to 1,472 bytes byte for byte", udp, "datagrams"));
        results.Add(("TCP: connections to echo opened, 1 B to 16 KiB echoed byte for byte, closed", tcp.Sent > 0 && tcp.Errors == 0 && tcp.Wrong == 0,
            $"{tcp.Answered:N0} of {tcp.Sent:N0} connections; {tcp.Errors} failed{(tcp.FirstError != null ? $" (first: {tcp.FirstError})" : "")}"));
        results.Add(("HTTP keep-alive (wrk -t1 -c4) on the status page: no socket error, no non-2xx", http.Sent > 0 && http.Errors == 0 && http.Wrong == 0,
            $"{http.Answered:N0} of {http.Sent:N0} requests answered 2xx{http.Extra}; {http.Errors} runs with errors{(http.FirstError != null ? $" (first: {http.FirstError})" : "")}"));
        var trouble = log.Lines().Skip(logMark).Where(l => Regex.IsMatch(l, @"device stopped|transmit stalled|panic|PANIC|unhandled|line masked")).ToList();
        results.Add(("the kernel logged no device stop, stall, masked line or panic", trouble.Count == 0, trouble.Count == 0 ? "" : string.Join(" | ", trouble.Take(3))));

        // Afterwards: an idle report whose held resources are all back (TIME_WAIT records, if the kernel closed first,
        // leave after TcpConnection.TimeWaitMs = 60 s; a ping every 10 s starts a new idle period, so a new report).
        IdleReport? after = null, settled = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (settled == null && DateTime.UtcNow < deadline && !cancel.IsCancellationRequested)
        {
            after = await NextIdleReport(tap, kernel, log, log.Count, TimeSpan.FromSeconds(20), cancel) ?? after;
            if (after != null && IdleReport.Settled(before, after)) settled = after;
            else await Task.Delay(TimeSpan.FromSeconds(8), cancel);
        }
        if (after == null) results.Add(("idle report after the soak", false, "no 'net: idle:' line within 90 s"));
        else
        {
            results.Add(("idle report after the soak", true, after.Line));
            results.AddRange(IdleReport.Compare(before, settled ?? after));
        }
        return results;
    }

    private static (string, bool, string) Loss(string name, TrafficTally t, string unit)
    {
        bool ok = t.Sent > 0 && t.Wrong == 0 && t.Errors == 0 && t.Lost <= t.Sent * SoakPlan.AllowedLoss;
        return ($"{name}: no wrong answer, at most {SoakPlan.AllowedLoss:P1} lost", ok,
            $"{t.Answered:N0} of {t.Sent:N0} {unit} answered, {t.Lost} lost, {t.Wrong} wrong{(t.FirstError != null ? $"; {t.Errors} errors, first: {t.FirstError}" : "")}");
    }

    /// <summary>One ping (so the kernel is busy, then idle again) and the idle report that follows, or null.</summary>
    private static async Task<IdleReport?> NextIdleReport(TapNetwork tap, IPAddress kernel, LogWatcher log, int from, TimeSpan timeout, CancellationToken cancel)
    {
        tap.Namespace.Run("ping", ["-c", "1", "-W", "2", kernel.ToString()], TimeSpan.FromSeconds(10), allowFailure: true);
        string? line = await log.WaitAsync(@"net: idle: ", from, timeout, cancel);
        return line == null ? null : IdleReport.Parse(line);
    }

    /// <summary>The tap's packet counters inside the namespace (/proc/net/dev: receive = from the guest, transmit = to it).</summary>
    public static (long Rx, long Tx) TapPackets(TapNetwork tap)
    {
        HostCommandResult r = tap.Namespace.Run("cat", ["/proc/net/dev"], TimeSpan.FromSeconds(10), allowFailure: true);
        return ParseProcNetDev(r.Output, TapNetwork.TapName);
    }

    /// <summary>/proc/net/dev's line for <paramref name="device"/>: the 2nd number is packets received, the 10th packets sent.</summary>
    public static (long Rx, long Tx) ParseProcNetDev(string text, string device)
    {
        foreach (string line in text.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon < 0 || line[..colon].Trim() != device) continue;
            string[] f = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 10 && long.TryParse(f[1], out long rx) && long.TryParse(f[9], out long tx)) return (rx, tx);
        }
        return (-1, -1);
    }
}
