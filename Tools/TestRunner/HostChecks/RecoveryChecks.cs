using System.Net;
using System.Net.Sockets;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// Device recovery (Kernel/Devices/DeviceRecovery.cs) seen from the host: UDP echo through the forwarded port before,
/// across and after a fault the kernel injects into its own driver (test.nic-fault=), then the services after it.
/// </summary>
public static class RecoveryChecks
{
    /// <summary>
    /// One fault: 800 datagrams one at a time (the fault comes after the kernel's 400th received frame; a datagram lost
    /// while the device is down waits out its 2 s), then the last 200 must all come back, a 1 MiB TCP echo must pass, and
    /// the status page must count one recovery with the device running.
    /// </summary>
    public static async Task<List<(string, bool, string)>> OneFault(ForwardedPorts ports, CancellationToken cancel)
    {
        var results = new List<(string, bool, string)>();
        var (matched, lost, lastLost) = await EchoMany(ports, 800, TimeSpan.FromSeconds(2), cancel);
        results.Add(("UDP echo across the fault: the last 200 of 800 datagrams all come back", lastLost < 600,
            $"{matched} echoed, {lost} lost, the last lost was number {lastLost}"));
        results.AddRange(await ServiceChecks.TcpEcho(ports, cancel));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        try
        {
            string page = await http.GetStringAsync($"http://127.0.0.1:{ports.Http}/", cancel);
            results.Add(("the status page counts one recovery and a running device", page.Contains("device_recoveries: 1\n") && page.Contains("device_state: running\n"),
                string.Join(" | ", page.Split('\n').Where(l => l.StartsWith("device_")))));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            results.Add(("the status page counts one recovery and a running device", false, $"{e.GetType().Name}: {e.Message}"));
        }
        return results;
    }

    /// <summary>A fault after every 50 frames: traffic until the kernel has spent its recoveries and given up.</summary>
    public static async Task<List<(string, bool, string)>> RepeatedFaults(ForwardedPorts ports, CancellationToken cancel)
    {
        var (matched, lost, _) = await EchoMany(ports, 400, TimeSpan.FromMilliseconds(300), cancel);
        // What matters is in the log (the expectations); this only says how much traffic there was.
        return [("UDP traffic to drive the faults", matched > 0, $"{matched} echoed, {lost} lost")];
    }

    private static async Task<(int Matched, int Lost, int LastLost)> EchoMany(ForwardedPorts ports, int count, TimeSpan wait, CancellationToken cancel)
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new IPEndPoint(IPAddress.Loopback, ports.UdpEcho);
        int matched = 0, lost = 0, lastLost = -1;
        for (int i = 0; i < count; i++)
        {
            byte[] payload = BitConverter.GetBytes(i).Concat(new byte[60]).ToArray();
            await udp.SendAsync(payload, target, cancel);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(wait);
            try
            {
                // A late echo of an earlier datagram is skipped, not taken for this one.
                while (true)
                {
                    UdpReceiveResult reply = await udp.ReceiveAsync(timeout.Token);
                    if (reply.Buffer.AsSpan().SequenceEqual(payload)) { matched++; break; }
                }
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested) { lost++; lastLost = i; }
        }
        return (matched, lost, lastLost);
    }
}
