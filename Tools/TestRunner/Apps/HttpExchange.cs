using System.Net.Sockets;
using System.Text;

namespace Cosmos.TestRunner.Apps;

/// <summary>One HTTP/1.1 response as read off the wire: status, header fields (names lower-cased), body.</summary>
public sealed record HttpReply(int Status, Dictionary<string, string> Headers, byte[] Body)
{
    public string Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out string? v) ? v : "";
    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// HTTP over a raw TCP connection from the host's own stack, so a check controls exactly what is sent (pipelined
/// requests, malformed ones, several on one connection) and reads exactly what comes back.
/// </summary>
public sealed class HttpExchange : IDisposable
{
    private readonly TcpClient _client = new();
    private NetworkStream _stream = null!;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private int _start, _end;

    public static async Task<HttpExchange> OpenAsync(string host, int port, CancellationToken cancel)
    {
        var exchange = new HttpExchange();
        await exchange._client.ConnectAsync(host, port, cancel);
        exchange._stream = exchange._client.GetStream();
        return exchange;
    }

    public Task SendAsync(string text, CancellationToken cancel) => SendAsync(Encoding.ASCII.GetBytes(text), cancel);

    public async Task SendAsync(byte[] bytes, CancellationToken cancel) => await _stream.WriteAsync(bytes, cancel);

    /// <summary>Reads one response (status line, fields, Content-Length body; none for HEAD); null if the server closed first.</summary>
    public async Task<HttpReply?> ReadAsync(CancellationToken cancel, bool head = false)
    {
        int blank;
        while ((blank = IndexOf("\r\n\r\n"u8)) < 0)
            if (!await FillAsync(cancel)) return null;
        string[] lines = Encoding.ASCII.GetString(_buffer, _start, blank - _start).Split("\r\n");
        string[] statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !int.TryParse(statusLine[1], out int status)) throw new InvalidDataException($"bad status line '{lines[0]}'");
        var headers = new Dictionary<string, string>();
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        _start = blank + 4;
        int length = !head && headers.TryGetValue("content-length", out string? l) ? int.Parse(l) : 0;
        while (_end - _start < length)
            if (!await FillAsync(cancel)) throw new InvalidDataException($"the body ended after {_end - _start} of {length} bytes");
        byte[] body = _buffer.AsSpan(_start, length).ToArray();
        _start += length;
        return new HttpReply(status, headers, body);
    }

    /// <summary>True when the server has closed its side (a read returns the end of the stream) within the bound.</summary>
    public async Task<bool> ClosedByServerAsync(TimeSpan bound, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(bound);
        try
        {
            return await _stream.ReadAsync(new byte[1], timeout.Token) == 0;
        }
        catch (OperationCanceledException) { return false; }
        catch (IOException) { return true; }
    }

    private int IndexOf(ReadOnlySpan<byte> pattern)
    {
        int i = _buffer.AsSpan(_start, _end - _start).IndexOf(pattern);
        return i < 0 ? -1 : _start + i;
    }

    private async Task<bool> FillAsync(CancellationToken cancel)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        int n = await _stream.ReadAsync(_buffer.AsMemory(_end), cancel);
        if (n == 0) return false;
        _end += n;
        return true;
    }

    public void Dispose() => _client.Dispose();
}
