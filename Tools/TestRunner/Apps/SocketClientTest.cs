using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Cosmos.TestRunner.Apps;

/// <summary>
/// Tests/Apps/SocketClient: the client side of System.Net.Sockets (TcpClient, NetworkStream, UdpClient, Dns, errors,
/// cancellation) in the kernel, against a TCP and a UDP echo server of the runner's on the host (the guest reaches the
/// host's loopback as 10.0.2.2 through QEMU's user network). The same program runs first on .NET against the same
/// servers; every "check" line it prints must then appear, word for word, in the kernel's log.
/// </summary>
public static class SocketClientTest
{
    private static HostEchoServers? s_servers;

    public static ApplicationImage Image { get; } = new("socket client", async (where, cancel) =>
    {
        var servers = s_servers ??= HostEchoServers.Start();
        string project = Path.Combine(where.RepoRoot, "Tests", "Apps", "SocketClient");
        ToolRun build = await ToolProcess.RunAsync(project, TimeSpan.FromMinutes(10), cancel, "dotnet", "build", "SocketClient.csproj");
        string iso = Path.Combine(project, "iso", "SocketClient.iso");
        var checks = new List<(string, bool, string)> { ("Tests/Apps/SocketClient: dotnet build writes iso/SocketClient.iso", build.Succeeded && File.Exists(iso), build.Summary(1)) };
        string dll = Path.Combine(project, "dotnet", "bin", "Release", "net10.0", "SocketClient.dll");
        ToolRun dotnet = await ToolProcess.RunAsync(project, TimeSpan.FromMinutes(2), cancel, "dotnet", dll, "127.0.0.1",
            servers.TcpPort.ToString(), servers.UdpPort.ToString(), servers.ClosedPort.ToString());
        var lines = dotnet.Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("check ", StringComparison.Ordinal)).ToList();
        checks.Add((".NET: the same program passes its checks", dotnet.Succeeded && lines.Count > 0, $"{lines.Count} check lines; {dotnet.Summary(1)}"));
        // The kernel must print the same lines; the one that shows the server's address differs (10.0.2.2 against 127.0.0.1).
        var expectations = lines.Select(l => l.StartsWith("check Dns of an address: ", StringComparison.Ordinal) ? l.Replace("127.0.0.1", "10.0.2.2") : l)
            .Select(l => new LogExpectation($"as on .NET: {l}", "^" + Regex.Escape(l) + @"\r?$")).ToList();
        return new BuiltImage(build.Succeeded && File.Exists(iso) ? iso : null, checks,
            KernelArguments: $"-- 10.0.2.2 {servers.TcpPort} {servers.UdpPort} {servers.ClosedPort}", Expectations: expectations);
    });
}

/// <summary>A TCP echo server and a UDP echo server on the host's loopback for the run, and a port where nothing listens.</summary>
public sealed class HostEchoServers
{
    public int TcpPort { get; private init; }
    public int UdpPort { get; private init; }
    public int ClosedPort { get; private init; }

    public static HostEchoServers Start()
    {
        var tcp = new TcpListener(IPAddress.Loopback, 0);
        tcp.Start();
        var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        int closedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                TcpClient c = await tcp.AcceptTcpClientAsync();
                _ = Task.Run(async () =>
                {
                    using (c)
                    {
                        var s = c.GetStream();
                        var buffer = new byte[65536];
                        int n;
                        try { while ((n = await s.ReadAsync(buffer)) > 0) await s.WriteAsync(buffer.AsMemory(0, n)); }
                        catch (IOException) { }
                    }
                });
            }
        });
        _ = Task.Run(async () =>
        {
            while (true)
            {
                UdpReceiveResult r = await udp.ReceiveAsync();
                await udp.SendAsync(r.Buffer, r.Buffer.Length, r.RemoteEndPoint);
            }
        });
        return new HostEchoServers
        {
            TcpPort = ((IPEndPoint)tcp.LocalEndpoint).Port,
            UdpPort = ((IPEndPoint)udp.Client.LocalEndPoint!).Port,
            ClosedPort = closedPort,
        };
    }
}
