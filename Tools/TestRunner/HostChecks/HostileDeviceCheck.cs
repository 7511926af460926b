using Cosmos.TestRunner.Peers;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// On a boot whose vhost-user back end misbehaves once after a number of transmit completions (issue 17 item 3), with the
/// network service running: the kernel serves until then, the peer's flood brings the fault on, the kernel logs what
/// happened (its driver stopped the device and why, or the device stopped completing transmit buffers), and no ping is
/// answered afterwards.
/// </summary>
public static class HostileDeviceCheck
{
    /// <param name="linePattern">A regular expression for the kernel's line (after "net0: ").</param>
    public static PeerCheck Logged(string linePattern) => async (peer, log, cancel) =>
    {
        var results = new List<(string, bool, string)>();
        int before = 0;
        for (ushort s = 1; s <= 3; s++) if (await peer.PingAsync(s, TimeSpan.FromSeconds(3), cancel)) before++;
        results.Add(("serves before the fault", before == 3, $"{before}/3 ping replies"));
        peer.Flood(2000, 64);
        string? line = await log.WaitAsync(@"net0: " + linePattern, 0, TimeSpan.FromSeconds(20), cancel);
        results.Add(("the kernel logged what the device did", line != null, line ?? $"no line matching /net0: {linePattern}/ within 20 s"));
        bool answered = await peer.PingAsync(100, TimeSpan.FromSeconds(2), cancel);
        results.Add(("no answer afterwards (the device stopped, or holds every transmit buffer)", !answered, answered ? "a ping was answered afterwards" : ""));
        return results;
    };
}
