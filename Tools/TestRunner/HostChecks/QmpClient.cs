using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// A small QMP client for a check that drives QEMU while the kernel runs (QEMU's docs/interop/qmp-spec.rst: a greeting,
/// <c>qmp_capabilities</c>, then commands, each answered by "return" or "error", with asynchronous events in between).
/// QEMU opens the socket at start (<c>-qmp unix:PATH,server=on,wait=off</c>, <see cref="Arguments"/>).
/// </summary>
public sealed class QmpClient : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    public static string[] Arguments(string socketPath) => ["-qmp", $"unix:{socketPath},server=on,wait=off"];

    /// <summary>The socket of a boot's QMP server (a Unix socket path must fit in 108 bytes, so it lives in /tmp).</summary>
    public static string SocketFor(string bootName) => Path.Combine(Path.GetTempPath(), $"cosmos-qmp-{Environment.ProcessId}-{bootName}.sock");

    private QmpClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket);
        _reader = new StreamReader(_stream, Encoding.UTF8);
    }

    /// <summary>Connects and negotiates capabilities; throws <see cref="IOException"/> with the reason when it cannot.</summary>
    public static async Task<QmpClient> ConnectAsync(string socketPath, TimeSpan timeout, CancellationToken cancel)
    {
        var until = DateTime.UtcNow + timeout;
        while (!File.Exists(socketPath) && DateTime.UtcNow < until) await Task.Delay(50, cancel);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = (int)timeout.TotalMilliseconds };
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancel);
            var client = new QmpClient(socket);
            if (client._reader.ReadLine() is not { } greeting || !greeting.Contains("\"QMP\"")) throw new IOException("no QMP greeting");
            client.Execute("qmp_capabilities");
            return client;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"QMP at {socketPath}: {e.Message}", e);
        }
    }

    /// <summary>Runs one command; throws <see cref="IOException"/> on an error reply or a closed socket.</summary>
    public void Execute(string command, string? argumentsJson = null)
    {
        string json = argumentsJson == null ? $"{{\"execute\":\"{command}\"}}" : $"{{\"execute\":\"{command}\",\"arguments\":{argumentsJson}}}";
        _stream.Write(Encoding.UTF8.GetBytes(json + "\n"));
        _stream.Flush();
        while (_reader.ReadLine() is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("return", out _)) return;
            if (doc.RootElement.TryGetProperty("error", out var error)) throw new IOException($"QMP {command}: {error}");
        }
        throw new IOException($"QMP {command}: the socket closed");
    }

    /// <summary>QEMU's <c>set_link</c> (qapi/net.json): the netdev's link, and its NIC peer's, up or down.</summary>
    public void SetLink(string name, bool up) => Execute("set_link", $"{{\"name\":\"{name}\",\"up\":{(up ? "true" : "false")}}}");

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
        _socket.Dispose();
    }
}
