using System.Text.RegularExpressions;
using Cosmos.TestRunner.Peers;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// Recovery from our hostile vhost-user back end's real violations (issue 17 item 4; Kernel/Devices/DeviceRecovery.cs): the
/// kernel serves, a flood brings the scripted violation on, the kernel logs the stop with its driver's reason, resets the
/// device and sets it up again (QEMU stops our back end's rings with GET_VRING_BASE and starts them anew: new rings, new
/// kick and call eventfds, a new memory table), and service resumes within <see cref="RecoveryBoundMs"/>: UDP echo, a TCP
/// echo with this project's host-side stack, and the status page over the same link.
/// </summary>
public static class HostileRecoveryCheck
{
    /// <summary>From the stop the kernel saw to the new driver running (its own measure); the first attempt is 100 ms after the stop.</summary>
    public const long RecoveryBoundMs = 1000;
    /// <summary>From the host reading the kernel's stop line to an echo answered again (serial output, the 100 ms wait, the set-up, the host's probes).</summary>
    public const long ServiceBoundMs = 2000;

    private const string Recovered = @"net0: device recovered: reset and set up again (\d+) ms after it stopped \(recovery (\d+) of at most 3\)";

    /// <summary>One violation, then a back end that behaves: one recovery, and everything works afterwards.</summary>
    /// <param name="stopReason">A regular expression for the driver's reason in the kernel's stop line.</param>
    public static PeerCheck Once(string stopReason) => async (peer, log, cancel) =>
    {
        var results = new List<(string, bool, string)>();
        int before = 0;
        for (ushort s = 1; s <= 3; s++) if (await peer.PingAsync(s, TimeSpan.FromSeconds(3), cancel)) before++;
        results.Add(("serves before the fault", before == 3, $"{before}/3 ping replies"));
        int mark = log.Count;
        long echoesBefore = peer.FloodEchoes;
        int sent = 0;
        string? stop = null;
        // The violation comes at the back end's 101st completion on its queue; withheld completions take 2 s more to be
        // called a stall. A burst at a time, until the kernel says it stopped the device.
        for (int round = 0; round < 3 && stop == null; round++)
        {
            peer.Flood(1000, 64);
            sent += 1000;
            stop = await log.WaitAsync(@"net0: device stopped: " + stopReason, mark, TimeSpan.FromSeconds(8), cancel);
        }
        results.Add(("the kernel logged the stop and the driver's reason", stop != null, stop ?? $"no line matching /net0: device stopped: {stopReason}/"));
        if (stop == null) return results;
        // The host's view of the outage: from the moment it read the stop line, one numbered echo request at a time (each
        // given 20 ms) until one comes back. The flood's echoes still in the queues may answer nothing: these are new ids.
        var outage = System.Diagnostics.Stopwatch.StartNew();
        int probes = 0;
        bool back = false;
        while (!back && outage.Elapsed < TimeSpan.FromSeconds(5)) back = await peer.UdpEchoAsync(1_000_000 + probes++, 32, TimeSpan.FromMilliseconds(20), cancel);
        results.Add(($"service resumed within {ServiceBoundMs} ms of the stop line reaching the host", back && outage.ElapsedMilliseconds <= ServiceBoundMs,
            back ? $"first echo answered {outage.ElapsedMilliseconds} ms after the stop line; {probes - 1} of {probes} probe datagrams (20 ms each) unanswered" : "no echo within 5 s"));
        string? recovered = await log.WaitAsync(Recovered, mark, TimeSpan.FromSeconds(10), cancel);
        long ms = recovered == null ? -1 : long.Parse(Regex.Match(recovered, Recovered).Groups[1].Value);
        results.Add(($"the kernel recovered the device within {RecoveryBoundMs} ms of the stop", recovered != null && ms <= RecoveryBoundMs && recovered.Contains("(recovery 1 of"),
            recovered == null ? "no recovery line within 10 s" : $"recovered {ms} ms after the stop: {recovered.Trim()}"));
        if (recovered == null || !back)
        {
            // Nothing to serve the rest: say so at once rather than wait out every timeout (the boot's own would end first).
            results.Add(("UDP echo, TCP echo and the status page after the recovery", false, "not tried: the device did not come back"));
            return results;
        }
        await Task.Delay(500, cancel); // the flood's last echoes
        long floodEchoes = peer.FloodEchoes - echoesBefore;
        results.Add(("(flood datagrams echoed across the fault)", true, $"{floodEchoes} of {sent} echoed, {sent - floodEchoes} lost (dropped by the guest's full queues or lost in the reset)"));
        int echoed = 0;
        for (int i = 0; i < 50 && i - echoed < 5; i++) if (await peer.UdpEchoAsync(i, 64 + i * 28, TimeSpan.FromSeconds(2), cancel)) echoed++;
        results.Add(("UDP echo after the recovery: 50 of 50", echoed == 50, $"{echoed}/50 echoed"));
        results.AddRange(TcpEcho(peer));
        string? page = RawLinkHttp.Get(peer, "/", TimeSpan.FromSeconds(20));
        results.Add(("the status page counts one recovery and a running device", page != null && page.Contains("device_recoveries: 1\n") && page.Contains("device_state: running\n"),
            page == null ? "no complete response within 20 s" : string.Join(" | ", page.Split('\n').Where(l => l.StartsWith("device_")))));
        return results;
    };

    /// <summary>
    /// A back end that misbehaves again after every reset: three recoveries, each within the bound, then the kernel leaves
    /// the device stopped with one line, and answers no more.
    /// </summary>
    public static PeerCheck EveryStart(string stopReason) => async (peer, log, cancel) =>
    {
        var results = new List<(string, bool, string)>();
        int before = 0;
        for (ushort s = 1; s <= 3; s++) if (await peer.PingAsync(s, TimeSpan.FromSeconds(3), cancel)) before++;
        results.Add(("serves before the faults", before == 3, $"{before}/3 ping replies"));
        int mark = log.Count;
        const string GaveUp = @"net0: device stopped for good after 3 recoveries: its recoveries are spent; the interface no longer sends or receives";
        string? end = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while (end == null && DateTime.UtcNow < deadline)
        {
            peer.Flood(400, 64);
            end = await log.WaitAsync(GaveUp, mark, TimeSpan.FromSeconds(2), cancel);
        }
        List<string> lines = log.Lines().Skip(mark).ToList();
        int stops = lines.Count(l => Regex.IsMatch(l, @"net0: device stopped: " + stopReason));
        var times = lines.Select(l => Regex.Match(l, Recovered)).Where(m => m.Success).Select(m => long.Parse(m.Groups[1].Value)).ToList();
        results.Add(("four stops, each logged with the driver's reason", stops == 4, $"{stops} stop lines"));
        results.Add(($"three recoveries, each within {RecoveryBoundMs} ms", times.Count == 3 && times.All(t => t <= RecoveryBoundMs),
            $"{times.Count} recoveries: {string.Join(", ", times.Select(t => $"{t} ms"))}"));
        results.Add(("then stopped for good, said once", end != null && lines.Count(l => l.Contains("stopped for good")) == 1, end?.Trim() ?? "no 'stopped for good' line within 40 s"));
        bool answered = await peer.PingAsync(100, TimeSpan.FromSeconds(2), cancel);
        results.Add(("no answer afterwards", !answered, answered ? "a ping was answered after the device stopped for good" : ""));
        return results;
    };

    private static IEnumerable<(string, bool, string)> TcpEcho(RawIpPeer peer)
    {
        const int Bytes = 256 << 10;
        double mbps = Bench.TcpThroughput.Measure(new RawLinkDevice(peer.SendRaw, sink => peer.FrameSink = sink, RawIpPeer.Mac), 1, Bytes, TimeSpan.FromSeconds(60));
        long wrong = Bench.TcpThroughput.LastMismatchedBytes;
        yield return ("TCP echo after the recovery: 256 KiB each way, whole and unchanged", !double.IsNaN(mbps) && wrong == 0,
            (double.IsNaN(mbps) ? "stalled" : $"{mbps:N1} Mbit/s") + $", {wrong} bytes differed");
    }
}
