using Cosmos.TestRunner.Peers;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// A vhost-user back end that signals the receive queue's call eventfd every couple of milliseconds with nothing new in the
/// used ring (issue 17 item 3, <c>DeviceFault.SpuriousInterrupts</c>): the kernel must go on serving (every ping answered
/// while the interrupts come) and count them (its idle report's <c>empty-interrupts=</c>).
/// </summary>
public static class SpuriousInterruptCheck
{
    /// <summary>Interrupts that found no work the kernel must have counted (the back end sends up to 3,000, about 500 a second).</summary>
    public const int MinimumCounted = 100;

    public static PeerCheck Run() => async (peer, log, cancel) =>
    {
        var results = new List<(string, bool, string)>();
        int before = 0;
        for (ushort s = 1; s <= 3; s++) if (await peer.PingAsync(s, TimeSpan.FromSeconds(3), cancel)) before++;
        results.Add(("pings answered before", before == 3, $"{before}/3"));
        // Enough transmit completions (ping replies) to start the back end's spurious signals.
        peer.Flood(300, 64);
        await Task.Delay(TimeSpan.FromSeconds(2), cancel);
        int during = 0;
        for (ushort s = 100; s < 110; s++) if (await peer.PingAsync(s, TimeSpan.FromSeconds(3), cancel)) during++;
        results.Add(("pings answered while spurious interrupts come", during == 10, $"{during}/10"));
        int mark = log.Count;
        string? idle = await log.WaitAsync(@"net: idle: .* empty-interrupts=\d+", mark, TimeSpan.FromSeconds(20), cancel);
        long counted = idle == null ? -1 : long.Parse(System.Text.RegularExpressions.Regex.Match(idle, @"empty-interrupts=(\d+)").Groups[1].Value);
        results.Add(($"the kernel counted at least {MinimumCounted} interrupts that found no work", counted >= MinimumCounted,
            idle == null ? "no idle line within 20 s" : $"empty-interrupts={counted}"));
        return results;
    };
}
