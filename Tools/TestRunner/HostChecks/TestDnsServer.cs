using System.Net;
using System.Net.Sockets;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// A tiny authoritative DNS responder on 127.0.0.1 for the kernel's resolver test (RFC 1035 answers built by
/// hand): "cosmos.test" has the A record 192.0.2.7 (a documentation address); every other name is NXDOMAIN.
/// </summary>
public sealed class TestDnsServer : IDisposable
{
    public static readonly IPAddress Answer = IPAddress.Parse("192.0.2.7");
    private readonly UdpClient _udp;
    private readonly CancellationTokenSource _stop = new();
    public int Queries;

    public TestDnsServer(int port)
    {
        _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
        _ = Task.Run(ServeAsync);
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult request;
            try { request = await _udp.ReceiveAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            Interlocked.Increment(ref Queries);
            byte[]? reply = Reply(request.Buffer);
            if (reply != null) await _udp.SendAsync(reply, request.RemoteEndPoint);
        }
    }

    public static byte[]? Reply(byte[] query)
    {
        if (query.Length < 17) return null;
        int at = 12;
        var labels = new List<string>();
        while (at < query.Length && query[at] != 0)
        {
            int length = query[at];
            if (at + 1 + length > query.Length) return null;
            labels.Add(System.Text.Encoding.ASCII.GetString(query, at + 1, length));
            at += 1 + length;
        }
        int questionEnd = at + 5;
        if (questionEnd > query.Length) return null;
        bool known = string.Join('.', labels) == "cosmos.test";
        var reply = new List<byte>(query[..questionEnd]);
        reply[2] = 0x81; // QR, RD
        reply[3] = (byte)(known ? 0x80 : 0x83); // RA, rcode 0 or 3 (NXDOMAIN)
        reply[6] = 0; reply[7] = (byte)(known ? 1 : 0); // ANCOUNT
        reply[8] = reply[9] = reply[10] = reply[11] = 0;
        if (known)
        {
            reply.AddRange([0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]); // pointer to the question name, A, IN, TTL 60, 4 bytes
            reply.AddRange(Answer.GetAddressBytes());
        }
        return reply.ToArray();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
    }
}
