using System.Net;
using System.Net.Sockets;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>Talks to the kernel's services from the host, through QEMU's user-network port forwards.</summary>
public static class ServiceChecks
{
    /// <summary>Sends datagrams of many sizes to UDP echo (port 7) and checks each comes back byte for byte.</summary>
    public static async Task<List<(string, bool, string)>> UdpEcho(ForwardedPorts ports, CancellationToken cancel)
    {
        const int count = 300;
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new IPEndPoint(IPAddress.Loopback, ports.UdpEcho);
        int matched = 0, lost = 0;
        var random = new Random(1234);
        for (int i = 0; i < count; i++)
        {
            byte[] payload = new byte[1 + i * 4 % 1400];
            random.NextBytes(payload);
            await udp.SendAsync(payload, target, cancel);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            wait.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                UdpReceiveResult reply = await udp.ReceiveAsync(wait.Token);
                if (reply.Buffer.AsSpan().SequenceEqual(payload)) matched++;
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested) { lost++; }
        }
        return [($"UDP echo: {count} datagrams of 1 to 1397 bytes come back intact", matched == count, $"{matched} matched, {lost} lost")];
    }
}
