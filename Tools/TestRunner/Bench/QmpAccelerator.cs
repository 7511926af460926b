using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Cosmos.TestRunner.Bench;

/// <summary>
/// Asks a running QEMU which accelerator it really uses, over its QMP socket (QEMU's qapi/misc.json
/// `query-kvm`: {"enabled": bool, "present": bool}), so a report names what each guest ran on rather than what
/// was asked for. The socket is a QMP server that QEMU opens at start (`-qmp unix:PATH,server=on,wait=off`).
/// </summary>
public static class QmpAccelerator
{
    public static string[] Arguments(string socketPath) => ["-qmp", $"unix:{socketPath},server=on,wait=off"];

    /// <summary>"kvm", "tcg", or a short reason why QEMU could not be asked.</summary>
    public static string Query(string socketPath, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!File.Exists(socketPath) && DateTime.UtcNow < until) Thread.Sleep(20);
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = (int)timeout.TotalMilliseconds };
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            using var stream = new NetworkStream(socket);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            // Greeting, then capabilities negotiation (QMP spec, docs/interop/qmp-spec.rst §4), then the query.
            if (reader.ReadLine() is not { } greeting || !greeting.Contains("\"QMP\"")) return "unknown (no QMP greeting)";
            Send(stream, "{\"execute\":\"qmp_capabilities\"}");
            if (ReadReturn(reader) is null) return "unknown (QMP capabilities refused)";
            Send(stream, "{\"execute\":\"query-kvm\"}");
            if (ReadReturn(reader) is not { } result) return "unknown (no answer to query-kvm)";
            return result.TryGetProperty("enabled", out var enabled) && enabled.GetBoolean() ? "kvm" : "tcg";
        }
        catch (Exception e) when (e is SocketException or IOException or JsonException)
        {
            return $"unknown ({e.GetType().Name}: {e.Message})";
        }
    }

    private static void Send(Stream stream, string json)
    {
        stream.Write(Encoding.UTF8.GetBytes(json + "\n"));
        stream.Flush();
    }

    /// <summary>The "return" member of the next reply, skipping asynchronous events; null on an error reply.</summary>
    private static JsonElement? ReadReturn(StreamReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("return", out var value)) return value.Clone();
            if (doc.RootElement.TryGetProperty("error", out _)) return null;
        }
        return null;
    }
}
