using System.Text.RegularExpressions;
using Cosmos.TestRunner.Peers;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// After a boot on a busy link (the raw peer sending ARP requests and datagrams from before QEMU started):
/// traffic really reached the NIC while its driver was starting, the kernel came up anyway, and it answers
/// ARP, ping and UDP echo while the traffic goes on.
/// </summary>
public static class EarlyTrafficCheck
{
    /// <summary>Frames the peer must have sent before the ready line for the boot to count as "under early traffic".</summary>
    public const int MinimumFramesBeforeReady = 20;

    public static PeerCheck For(bool expectInterrupts) => (peer, log, cancel) => Run(peer, log, expectInterrupts, cancel);

    private static long Value(string line, string key) =>
        Regex.Match(line, $@"(?:^|\s){Regex.Escape(key)}=(\d+)") is { Success: true } m ? long.Parse(m.Groups[1].Value) : -1;

    private static async Task<List<(string, bool, string)>> Run(RawIpPeer peer, LogWatcher log, bool expectInterrupts, CancellationToken cancel)
    {
        var results = new List<(string, bool, string)>();
        long sentBeforeReady = Interlocked.Read(ref peer.BackgroundFramesSinceQemuStart);
        results.Add(("the link was busy while the driver started", sentBeforeReady >= MinimumFramesBeforeReady,
            $"{sentBeforeReady} frames sent between QEMU's start and the ready line ({Interlocked.Read(ref peer.BackgroundFramesSent) - sentBeforeReady} more before QEMU started)"));

        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Interlocked.Read(ref peer.KernelArpReplies) == 0 && DateTime.UtcNow < until) await Task.Delay(50, cancel);
        long arpReplies = Interlocked.Read(ref peer.KernelArpReplies);
        results.Add(("answers the ARP requests", arpReplies > 0, $"{arpReplies} ARP replies from the kernel"));

        // Each of 5 pings must be answered, within two requests: the flood fills the transmit ring (the idle report's
        // tx-busy counts hundreds of frames that found no transmit buffer), and a reply built then is dropped, as a
        // full NIC queue drops. Two fresh-clone runs of 1 December (06:53, 14:14) lost one reply of five that way while
        // the back end had delivered every frame. A kernel that stops answering still fails: no reply to either request.
        int pings = 0, retried = 0;
        for (ushort s = 1; s <= 5; s++)
        {
            if (await peer.PingAsync(s, TimeSpan.FromSeconds(3), cancel)) { pings++; continue; }
            retried++;
            if (await peer.PingAsync((ushort)(s + 100), TimeSpan.FromSeconds(3), cancel)) pings++;
        }
        results.Add(("answers ping under the traffic", pings == 5, $"{pings}/5 pings answered ({retried} needed a second request)"));

        until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Interlocked.Read(ref peer.UdpEchoes) == 0 && DateTime.UtcNow < until) await Task.Delay(50, cancel);
        long echoes = Interlocked.Read(ref peer.UdpEchoes);
        results.Add(("echoes the datagrams", echoes > 0, $"{echoes} UDP echoes of {Interlocked.Read(ref peer.BackgroundFramesSent) / 2} datagrams sent"));

        // Quiet, so that the kernel reports its counters (after 1.5 s without traffic): frames received, and
        // per 100 frames the interrupts that woke it (none when polling; with interrupts, a line masked as a
        // storm would leave only the timer tick, and this count at zero).
        peer.StopBackgroundTraffic();
        string? idle = await log.WaitAsync("net: idle: ", 0, TimeSpan.FromSeconds(20), cancel);
        results.Add(("the kernel reports its counters once the traffic stops", idle != null, idle ?? "no idle line within 20 s"));
        if (idle == null) return results;
        // The interrupts taken since the previous report, not the per-100-frames ratio: under load the kernel takes
        // many frames per interrupt and the ratio rounds to 0 (it failed 3 times in about 10 runs on 1 December).
        long frames = Value(idle, "rx-frames"), perHundred = Value(idle, "interrupts"), taken = Value(idle, "interrupts-taken");
        results.Add(("the kernel received the traffic", frames > 0, $"rx-frames={frames}"));
        results.Add((expectInterrupts ? "interrupts woke the kernel" : "no interrupts (polling)", expectInterrupts ? taken > 0 : taken == 0,
            $"device interrupts taken since the previous report: {taken} ({perHundred} per 100 frames)"));
        return results;
    }
}
