using System.Net;
using Cosmos.VhostUser.Endpoints;
using Cosmos.VhostUser.Protocol;

namespace Cosmos.VhostUser;

/// <summary>
/// The back end as a program of its own, for trying it against a QEMU by hand:
/// <c>Cosmos.VhostUser SOCKET LOCAL_UDP_PORT REMOTE_UDP_PORT SECONDS [--no-protocol-features]</c>.
/// It listens on SOCKET, passes frames as UDP datagrams on 127.0.0.1 (as <c>-netdev dgram</c> does), logs every
/// control step to stderr and prints the counters when the time is up or QEMU goes away after having connected.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length < 4)
        {
            Console.Error.WriteLine("usage: Cosmos.VhostUser SOCKET LOCAL_UDP_PORT REMOTE_UDP_PORT SECONDS [--no-protocol-features]");
            return 2;
        }
        bool noProtocol = args.Contains("--no-protocol-features");
        var endpoint = new UdpDatagramEndpoint(new IPEndPoint(IPAddress.Loopback, int.Parse(args[1])),
            new IPEndPoint(IPAddress.Loopback, int.Parse(args[2])));
        var start = DateTime.UtcNow;
        void Log(string line) => Console.Error.WriteLine($"[vhost-user {(DateTime.UtcNow - start).TotalSeconds,7:F3}] {line}");
        var options = new BackendOptions
        {
            SocketPath = args[0],
            Endpoint = endpoint,
            Log = Log,
        };
        if (noProtocol)
            options = options with
            {
                Features = BackendOptions.DefaultFeatures & ~Rings.FeatureBits.Bit(Rings.FeatureBits.ProtocolFeatures),
                Protocol = ProtocolFeatures.None,
            };
        using var backend = new VhostUserNetBackend(options);
        Log($"listening on {args[0]}, frames via {endpoint.Description}, features 0x{options.Features:x}, protocol 0x{(ulong)options.Protocol:x}");
        var deadline = start + TimeSpan.FromSeconds(double.Parse(args[3]));
        bool reportedRunning = false;
        while (DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
            if (!reportedRunning && backend.QueuesRunning)
            {
                reportedRunning = true;
                Log("both queues running");
            }
        }
        Log($"messages: {string.Join(" ", backend.Received)}");
        Log($"counters: {backend.Counters}");
        if (backend.LastGuestError != null) Log($"last guest error: {backend.LastGuestError}");
        endpoint.Dispose();
        return 0;
    }
}
