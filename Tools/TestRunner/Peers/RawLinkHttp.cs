using System.Diagnostics;
using System.Text;
using Cosmos.Net.Interface;
using Cosmos.Net.Wire;

namespace Cosmos.TestRunner.Peers;

/// <summary>
/// One HTTP/1.1 GET to the guest's status page over the raw peer's link, with this project's own TCP stack (Net/, compiled
/// for the host) as the client, as <see cref="Bench.TcpThroughput"/> does for TCP echo: boots on the raw link have no
/// forwarded port for a host socket.
/// </summary>
public static class RawLinkHttp
{
    /// <summary>The whole response (head and body), or null when no complete response came within <paramref name="timeout"/>.</summary>
    public static string? Get(RawIpPeer peer, string path, TimeSpan timeout)
    {
        using var device = new RawLinkDevice(peer.SendRaw, sink => peer.FrameSink = sink, RawIpPeer.Mac);
        var stack = new NetworkInterface(device);
        stack.Configure(new Ipv4Address(10, 0, 3, 1), 24, default, default);
        var clock = Stopwatch.StartNew();
        var connection = stack.Tcp.Connect(new Ipv4Address(10, 0, 3, 15), 80, clock.ElapsedMilliseconds);
        if (connection == null) return null;
        byte[] request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 10.0.3.15\r\nConnection: close\r\n\r\n");
        int sent = 0;
        var response = new MemoryStream();
        byte[] buffer = new byte[16384];
        while (clock.Elapsed < timeout)
        {
            stack.Poll(clock.ElapsedMilliseconds);
            if (connection.IsEstablished && sent < request.Length) sent += connection.Write(request.AsSpan(sent));
            int n = connection.Read(buffer);
            response.Write(buffer, 0, n);
            if (connection.IsReadClosed)
            {
                connection.Close();
                for (int i = 0; i < 20; i++) { stack.Poll(clock.ElapsedMilliseconds); Thread.Sleep(1); }
                return Encoding.ASCII.GetString(response.ToArray());
            }
            if (n == 0) Thread.Sleep(1);
        }
        connection.Abort();
        return null;
    }
}
