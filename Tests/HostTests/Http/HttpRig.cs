using System.Text;
using Cosmos.HostTests.NetModel;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols.Tcp;
using Cosmos.Net.Services;
using Cosmos.Net.Services.Http;
using Cosmos.Net.Wire;

namespace Cosmos.HostTests.Http;

/// <summary>A status page whose body the tests know.</summary>
public sealed class FixedStatusPage : IStatusPage
{
    public const string Body = "Cosmos-net kernel status\n\nuptime_ms: 1\n";
    public int Writes;
    public void Write(ref AsciiWriter writer) { Writes++; writer.Write(Body); }
}

/// <summary>One response as the client read it.</summary>
public sealed record HttpTestResponse(string StatusLine, int Status, Dictionary<string, List<string>> Fields, string Body)
{
    public string? Field(string name) => Fields.TryGetValue(name.ToLowerInvariant(), out var v) ? string.Join(", ", v) : null;
    public int ContentLength => int.Parse(Field("content-length") ?? "-1");
    public override string ToString() => $"{StatusLine} ({Fields.Count} fields, {Body.Length} body bytes)";
}

/// <summary>
/// The kernel's HTTP server on one copy of the stack, and clients on another, over the in-memory link: simulated
/// time advances 5 ms per step. Clients write raw request bytes and read raw responses, which the rig splits by
/// the responses' own Content-Length (and by what was asked: a HEAD response has no body).
/// </summary>
public sealed class HttpRig : IDisposable
{
    private readonly LinkDevice _serverDevice = new(1), _clientDevice = new(2);
    public readonly NetworkInterface Server, Client;
    public readonly Link Link;
    public readonly HttpServer Http;
    public readonly FixedStatusPage Page = new();
    public long Now = 1000;
    public static readonly Ipv4Address ServerIp = new(10, 0, 0, 1), ClientIp = new(10, 0, 0, 2);

    public HttpRig()
    {
        Link = new Link(_serverDevice, _clientDevice, seed: 7);
        Server = new NetworkInterface(_serverDevice);
        Client = new NetworkInterface(_clientDevice);
        Server.Configure(ServerIp, 24, default, default);
        Client.Configure(ClientIp, 24, default, default);
        Http = new HttpServer(Server, Page);
    }

    public void Dispose()
    {
        _serverDevice.Dispose();
        _clientDevice.Dispose();
    }

    /// <summary>Bytes the server's Poll allocated, summed over every step (the serving path must allocate nothing).</summary>
    public long ServerAllocatedBytes;

    /// <summary>Other services on the server's stack, polled after HTTP (TCP echo, say).</summary>
    public Action? OtherServices;

    public void Step()
    {
        Now += 5;
        Server.Poll(Now);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Http.Poll(Now);
        ServerAllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - before;
        OtherServices?.Invoke();
        Client.Poll(Now);
        Link.Step();
    }

    public void Steps(int n) { for (int i = 0; i < n; i++) Step(); }

    public HttpTestClient Connect()
    {
        TcpConnection c = Client.Tcp.Connect(ServerIp, HttpServer.Port, Now) ?? throw new InvalidOperationException("no client connection slot");
        for (int i = 0; i < 200 && !c.IsEstablished; i++) Step();
        if (!c.IsEstablished) throw new InvalidOperationException("not established");
        return new HttpTestClient(this, c);
    }
}

/// <summary>A client connection of the rig: sends bytes, reads whole responses.</summary>
public sealed class HttpTestClient(HttpRig rig, TcpConnection tcp)
{
    public TcpConnection Tcp => tcp;
    private readonly List<byte> _received = [];
    /// <summary>The methods of the requests sent, in order, so a HEAD's response is read without a body.</summary>
    private readonly Queue<bool> _expectBody = new();

    public void Send(string request, params bool[] bodiesExpected) => Send(Encoding.Latin1.GetBytes(request), bodiesExpected);

    public void Send(byte[] bytes, params bool[] bodiesExpected)
    {
        int sent = 0;
        for (int i = 0; i < 10_000 && sent < bytes.Length; i++)
        {
            sent += tcp.Write(bytes.AsSpan(sent));
            if (sent < bytes.Length) rig.Step();
        }
        if (sent < bytes.Length) throw new InvalidOperationException("could not send");
        foreach (bool b in bodiesExpected) _expectBody.Enqueue(b);
    }

    /// <summary>A GET (or other method) for <paramref name="path"/>, HTTP/1.1 with Host.</summary>
    public void Request(string method, string path, string extraFields = "") =>
        Send($"{method} {path} HTTP/1.1\r\nHost: 10.0.0.1\r\n{extraFields}\r\n", method != "HEAD");

    /// <summary>Steps until <paramref name="count"/> responses arrived (or the step budget is spent), and returns them.</summary>
    public List<HttpTestResponse> Read(int count, int maxSteps = 2000)
    {
        var responses = new List<HttpTestResponse>();
        var buffer = new byte[65536];
        for (int i = 0; i <= maxSteps && responses.Count < count; i++)
        {
            int n;
            while ((n = tcp.Read(buffer)) > 0) _received.AddRange(buffer.AsSpan(0, n).ToArray());
            while (responses.Count < count && TryTake(out HttpTestResponse? r)) responses.Add(r!);
            if (responses.Count < count && i < maxSteps) rig.Step();
        }
        return responses;
    }

    public HttpTestResponse ReadOne(int maxSteps = 2000)
    {
        List<HttpTestResponse> r = Read(1, maxSteps);
        if (r.Count == 0) throw new Xunit.Sdk.XunitException($"no response (received {_received.Count} bytes: {Encoding.Latin1.GetString(_received.ToArray())}; client state {tcp.State})");
        return r[0];
    }

    /// <summary>Bytes received and not (yet) part of a whole response.</summary>
    public int Leftover
    {
        get
        {
            var buffer = new byte[65536];
            int n;
            while ((n = tcp.Read(buffer)) > 0) _received.AddRange(buffer.AsSpan(0, n).ToArray());
            return _received.Count;
        }
    }

    private bool TryTake(out HttpTestResponse? response)
    {
        response = null;
        byte[] bytes = _received.ToArray();
        int end = IndexOf(bytes, "\r\n\r\n"u8);
        if (end < 0) return false;
        string head = Encoding.Latin1.GetString(bytes, 0, end);
        string[] lines = head.Split("\r\n");
        var fields = new Dictionary<string, List<string>>();
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            string name = line[..colon].ToLowerInvariant();
            if (!fields.TryGetValue(name, out var values)) fields[name] = values = [];
            values.Add(line[(colon + 1)..].Trim());
        }
        int length = fields.TryGetValue("content-length", out var cl) ? int.Parse(cl[0]) : 0;
        bool body = _expectBody.Count == 0 || _expectBody.Peek();
        int total = end + 4 + (body ? length : 0);
        if (bytes.Length < total) return false;
        if (_expectBody.Count > 0) _expectBody.Dequeue();
        string[] status = lines[0].Split(' ', 3);
        response = new HttpTestResponse(lines[0], int.Parse(status[1]), fields, body ? Encoding.Latin1.GetString(bytes, end + 4, length) : "");
        _received.RemoveRange(0, total);
        return true;
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);

    /// <summary>Steps until the server's FIN has arrived (the client's read side is closed), within a budget.</summary>
    public bool WaitForServerClose(int maxSteps = 2000)
    {
        for (int i = 0; i < maxSteps; i++)
        {
            _ = Leftover;
            if (tcp.IsReadClosed || tcp.IsFree) return true;
            rig.Step();
        }
        return false;
    }
}
