using Cosmos.TestRunner.Peers;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// On a boot whose vhost-user back end misbehaves once after a number of transmit completions (issue 17 item 3), with the
/// network service running: the kernel serves until then, the peer's flood brings the fault on, the kernel logs that its
/// driver stopped the device and why, and from then on leaves the device alone (no more answers).
/// </summary>
public static class HostileDeviceCheck
{
    /// <param name="reasonPattern">A regular expression for the driver's reason, after "device stopped: ".</param>
    public static PeerCheck StopLogged(string reasonPattern) => async (peer, log, cancel) =>
    {
        var results = new List<(string, bool, string)>();
        int before = 0;
        for (ushort s = 1; s <= 3; s++) if (await peer.PingAsync(s, TimeSpan.FromSeconds(3), cancel)) before++;
        results.Add(("serves before the fault", before == 3, $"{before}/3 ping replies"));
        peer.Flood(2000, 64);
        string? line = await log.WaitAsync(@"device stopped: " + reasonPattern, 0, TimeSpan.FromSeconds(20), cancel);
        results.Add(("the kernel logged the device stop and its reason", line != null, line ?? $"no line matching /device stopped: {reasonPattern}/ within 20 s"));
        bool answered = await peer.PingAsync(100, TimeSpan.FromSeconds(2), cancel);
        results.Add(("the stopped device is left alone: no answer afterwards", !answered, answered ? "a ping was answered after the stop" : ""));
        return results;
    };
}
