using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Cosmos.Net.Services.Http;
using Cosmos.TestRunner.Tap;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// The kernel's HTTP/1.1 server against real clients in the tap's namespace: curl (a 404, HEAD, 200 connections one
/// after another), wrk on one and on 30 keep-alive connections (no socket error and no non-2xx response allowed),
/// and .NET sockets of the host kernel's stack for what the tools do not show: a pipelined pair answered in
/// order, HEAD with nothing after its head, Connection: close answered then closed, and the idle timeout.
/// </summary>
public static class HttpTapChecks
{
    public static async Task<List<(string, bool, string)>> Run(TapNetwork tap, IPAddress kernel, CancellationToken cancel)
    {
        var results = new List<(string, bool, string)>();
        string url = $"http://{kernel}";

        HostCommandResult missing = tap.Namespace.Run("curl", ["-s", "-m", "10", "-o", "/dev/null", "-w", "%{http_code}", $"{url}/no-such-page"], TimeSpan.FromSeconds(15), allowFailure: true);
        results.Add(("HTTP: curl of an unknown path gives 404", missing.Output.Trim() == "404", $"exit {missing.ExitCode}, status {missing.Output.Trim()}"));

        HostCommandResult head = tap.Namespace.Run("curl", ["-s", "-m", "10", "-I", $"{url}/"], TimeSpan.FromSeconds(15), allowFailure: true);
        bool headOk = head.Succeeded && head.Output.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal)
                      && Regex.IsMatch(head.Output, @"(?im)^Content-Length: [1-9]\d*\r?$");
        results.Add(("HTTP: curl -I (HEAD) gives 200 with the page's Content-Length", headOk, headOk ? Line(head.Output, "Content-Length") : $"exit {head.ExitCode}: {Trim(head.Output)}"));

        results.AddRange(await PipelinedOnOneConnection(tap, kernel, cancel));
        results.Add(SequentialCurls(tap, url, 200));
        results.Add(Wrk(tap, url, threads: 1, connections: 1, seconds: 3));
        results.Add(Wrk(tap, url, threads: 2, connections: 30, seconds: 5));
        results.Add(await IdleTimeout(tap, kernel, cancel));
        results.Add(GuestClock(tap, url));
        return results;
    }

    private static string Line(string text, string field) =>
        text.Split('\n').FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.OrdinalIgnoreCase))?.Trim() ?? $"(no {field})";

    private static string Trim(string text) => text.Length > 300 ? text[..300] + "..." : text.Trim();

    /// <summary>
    /// One connection: GET /hello, GET of an unknown path and HEAD / sent in one write (pipelined), then, on the
    /// same connection, a GET with Connection: close. The answers must come in order: 200 with the hello body, 404,
    /// 200 for HEAD with nothing after its head (the next status line follows at once), then a 200 that says close,
    /// after which the server closes with no byte more.
    /// </summary>
    private static async Task<List<(string, bool, string)>> PipelinedOnOneConnection(TapNetwork tap, IPAddress kernel, CancellationToken cancel)
    {
        const string pipelined = "HTTP: three pipelined requests on one connection answered in order (200, 404, HEAD 200)";
        const string headOnly = "HTTP: HEAD is answered with headers only";
        const string closing = "HTTP: Connection: close is answered, then the server closes";
        try
        {
            using Socket socket = tap.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            limit.CancelAfter(TimeSpan.FromSeconds(20));
            await socket.ConnectAsync(new IPEndPoint(kernel, HttpServer.Port), limit.Token);
            var reader = new ResponseReader(socket);
            string host = kernel.ToString();
            byte[] three = Encoding.ASCII.GetBytes(
                $"GET {HttpSite.HelloPath} HTTP/1.1\r\nHost: {host}\r\n\r\n" +
                $"GET /no-such-page HTTP/1.1\r\nHost: {host}\r\n\r\n" +
                $"HEAD / HTTP/1.1\r\nHost: {host}\r\n\r\n");
            await socket.SendAsync(three, SocketFlags.None, limit.Token); // one write: the three arrive together
            Response first = await reader.ReadAsync(head: false, limit.Token);
            Response second = await reader.ReadAsync(head: false, limit.Token);
            Response third = await reader.ReadAsync(head: true, limit.Token);
            bool inOrder = first.Status == 200 && first.Body == HttpSite.HelloBody && second.Status == 404 && third.Status == 200;
            string got = $"{first.Status} \"{Escape(first.Body)}\", {second.Status}, {third.Status}";

            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {HttpSite.HelloPath} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"), SocketFlags.None, limit.Token);
            Response last = await reader.ReadAsync(head: false, limit.Token);
            // A HEAD response with a body would put its bytes before this status line: ReadAsync would have found
            // them where "HTTP/1.1" must be, and failed.
            bool head = third.ContentLength > 0 && third.Body.Length == 0 && last.Status == 200;
            var watch = Stopwatch.StartNew();
            int extra = await reader.ReadToEndAsync(limit.Token);
            bool closed = last.Status == 200 && last.Field("connection") == "close" && extra == 0;
            return
            [
                (pipelined, inOrder, got),
                (headOnly, head, $"HEAD: Content-Length {third.ContentLength}, then the next response's status line came at once ({last.StatusLine})"),
                (closing, closed, $"{last.StatusLine}, Connection: {last.Field("connection") ?? "(none)"}; closed {watch.ElapsedMilliseconds} ms later with {extra} bytes more"),
            ];
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or InvalidDataException)
        {
            string why = $"{e.GetType().Name}: {e.Message}";
            return [(pipelined, false, why), (headOnly, false, why), (closing, false, why)];
        }
    }

    private static string Escape(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n");

    /// <summary>
    /// <paramref name="count"/> curls one after another, each a process of its own and so a new connection that
    /// curl closes after its response. The client closes first, so no connection of the kernel's waits in
    /// TIME_WAIT, and the 32 TCP slots do not run out; no pacing is needed.
    /// </summary>
    private static (string, bool, string) SequentialCurls(TapNetwork tap, string url, int count)
    {
        string name = $"HTTP: {count} curls one after another (a new connection each) all get 200";
        string script = $"for i in $(seq {count}); do curl -s -m 10 -o /dev/null -w '%{{http_code}} %{{time_total}}\\n' {url}{HttpSite.HelloPath}; done";
        var watch = Stopwatch.StartNew();
        HostCommandResult run = tap.Namespace.Run("bash", ["-c", script], TimeSpan.FromSeconds(count * 10 + 30), allowFailure: true);
        double seconds = watch.Elapsed.TotalSeconds;
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int ok = lines.Count(l => l.StartsWith("200 ", StringComparison.Ordinal));
        double[] times = lines.Select(l => l.Split(' ')).Where(p => p.Length == 2 && double.TryParse(p[1], System.Globalization.CultureInfo.InvariantCulture, out _))
            .Select(p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture) * 1000).ToArray();
        string others = string.Join(", ", lines.Where(l => !l.StartsWith("200 ", StringComparison.Ordinal)).GroupBy(l => l.Split(' ')[0]).Select(g => $"{g.Count()} x {g.Key}"));
        return (name, ok == count, $"{ok} of {count} got 200 in {seconds:0.0} s" + (times.Length > 0 ? $" (per curl: mean {times.Average():0.0} ms, max {times.Max():0.0} ms)" : "")
            + (others.Length > 0 ? $"; others: {others}" : ""));
    }

    /// <summary>
    /// wrk on keep-alive connections to /hello for a few seconds: every request must be answered, with no socket
    /// error (connect, read, write, timeout; wrk's timeout is 2 s) and no non-2xx response. The kernel's status page
    /// says afterwards how many connections its TCP listener refused (a full accept backlog resets them).
    /// </summary>
    private static (string, bool, string) Wrk(TapNetwork tap, string url, int threads, int connections, int seconds)
    {
        string name = $"HTTP: wrk -t{threads} -c{connections} -d{seconds}s: no socket errors, no non-2xx responses";
        long refusedBefore = StatusCounter(tap, url, "http_listener_refused");
        HostCommandResult run = tap.Namespace.Run("wrk", [$"-t{threads}", $"-c{connections}", $"-d{seconds}s", "--latency", $"{url}{HttpSite.HelloPath}"],
            TimeSpan.FromSeconds(seconds + 30), allowFailure: true);
        WrkReport? report = WrkReport.Parse(run.Output);
        if (report == null) return (name, false, $"exit {run.ExitCode}, no report: {Trim(run.Output)}");
        long refused = StatusCounter(tap, url, "http_listener_refused") - refusedBefore;
        bool ok = run.Succeeded && report.Requests > 0 && report.SocketErrors == 0 && report.Non2xx3xx == 0;
        return (name, ok, report.Summary + (refused != 0 ? $"; the kernel's TCP listener refused {refused} connections (accept backlog full)" : ""));
    }

    /// <summary>
    /// The kernel's clock against the host's: the status page's uptime_ms, read twice 3 s apart, must advance by the
    /// host's interval within 2 %. Each reading was taken somewhere between its request and its answer, so the host's
    /// interval is known only within those bounds, and the check allows all of it. A clock calibrated wrong at boot (the
    /// TSC measured against a disturbed PIT run) is wrong by the same factor for the whole boot: every timeout with it.
    /// </summary>
    private static (string, bool, string) GuestClock(TapNetwork tap, string url)
    {
        const string name = "clock: the kernel's uptime advances with the host's time (within 2 %)";
        var watch = Stopwatch.StartNew();
        (long Uptime, double SentMs, double AnsweredMs) Read()
        {
            double sent = watch.Elapsed.TotalMilliseconds;
            long uptime = StatusCounter(tap, url, "uptime_ms");
            return (uptime, sent, watch.Elapsed.TotalMilliseconds);
        }
        var first = Read();
        Thread.Sleep(3000);
        var second = Read();
        if (first.Uptime < 0 || second.Uptime < 0) return (name, false, "no uptime_ms on the status page");
        double guestMs = second.Uptime - first.Uptime;
        double shortestMs = second.SentMs - first.AnsweredMs, longestMs = second.AnsweredMs - first.SentMs;
        bool ok = guestMs >= shortestMs * 0.98 && guestMs <= longestMs * 1.02;
        return (name, ok, $"uptime_ms advanced {guestMs:0} ms while the host's clock advanced {shortestMs:0}-{longestMs:0} ms between the readings");
    }

    /// <summary>A counter from the status page ("name: value"), or -1.</summary>
    private static long StatusCounter(TapNetwork tap, string url, string counter)
    {
        HostCommandResult page = tap.Namespace.Run("curl", ["-s", "-m", "10", $"{url}/"], TimeSpan.FromSeconds(15), allowFailure: true);
        Match m = Regex.Match(page.Output, $@"(?m)^{counter}: (\d+)");
        return m.Success ? long.Parse(m.Groups[1].Value) : -1;
    }

    /// <summary>A keep-alive connection left idle after one answer is closed by the server after the idle timeout, not before.</summary>
    private static async Task<(string, bool, string)> IdleTimeout(TapNetwork tap, IPAddress kernel, CancellationToken cancel)
    {
        long idleMs = HttpLimits.IdleTimeoutMs;
        string name = $"HTTP: an idle keep-alive connection is closed by the server after {idleMs / 1000} s, not before";
        try
        {
            using Socket socket = tap.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            limit.CancelAfter(TimeSpan.FromMilliseconds(idleMs + 15_000));
            await socket.ConnectAsync(new IPEndPoint(kernel, HttpServer.Port), limit.Token);
            var reader = new ResponseReader(socket);
            var exchange = Stopwatch.StartNew();
            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {HttpSite.HelloPath} HTTP/1.1\r\nHost: {kernel}\r\n\r\n"), SocketFlags.None, limit.Token);
            Response r = await reader.ReadAsync(head: false, limit.Token);
            long exchangeMs = exchange.ElapsedMilliseconds;
            var watch = Stopwatch.StartNew();
            int extra = await reader.ReadToEndAsync(limit.Token);
            long closedAfter = watch.ElapsedMilliseconds;
            // The timer runs on the kernel's clock from when it answered; the client's clock starts when the answer
            // arrives, which is at most the whole request-to-answer time later (on a loaded machine, hundreds of ms).
            bool ok = r.Status == 200 && extra == 0 && closedAfter >= idleMs - exchangeMs - 100 && closedAfter <= idleMs + 3000;
            return (name, ok, $"{r.StatusLine} {exchangeMs} ms after the request, then closed by the server {closedAfter} ms later with {extra} bytes more");
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or InvalidDataException)
        {
            return (name, false, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private sealed record Response(string StatusLine, int Status, Dictionary<string, string> Fields, string Body)
    {
        public string? Field(string name) => Fields.TryGetValue(name, out string? v) ? v : null;
        public int ContentLength => int.TryParse(Field("content-length"), out int n) ? n : -1;
    }

    /// <summary>Reads whole responses off a socket by their Content-Length (none after a HEAD), keeping what follows.</summary>
    private sealed class ResponseReader(Socket socket)
    {
        private readonly List<byte> _buffer = [];
        private readonly byte[] _chunk = new byte[16384];

        private async Task<bool> FillAsync(CancellationToken cancel)
        {
            int n = await socket.ReceiveAsync(_chunk, SocketFlags.None, cancel);
            if (n == 0) return false;
            _buffer.AddRange(_chunk.AsSpan(0, n).ToArray());
            return true;
        }

        public async Task<Response> ReadAsync(bool head, CancellationToken cancel)
        {
            int end;
            while ((end = IndexOfEndOfHead()) < 0)
                if (!await FillAsync(cancel)) throw new InvalidDataException($"connection closed in a response head ({_buffer.Count} bytes)");
            string text = Encoding.Latin1.GetString(_buffer.GetRange(0, end).ToArray());
            string[] lines = text.Split("\r\n");
            Match status = Regex.Match(lines[0], @"^HTTP/1\.1 (\d{3}) ");
            if (!status.Success) throw new InvalidDataException($"not a status line: \"{Trim(Escape(lines[0]))}\"");
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string line in lines.Skip(1))
            {
                int colon = line.IndexOf(':');
                if (colon <= 0) throw new InvalidDataException($"bad field line \"{Escape(line)}\"");
                fields[line[..colon]] = line[(colon + 1)..].Trim();
            }
            if (!fields.TryGetValue("Content-Length", out string? lengthText) || !int.TryParse(lengthText, out int length))
                throw new InvalidDataException($"no Content-Length in \"{Escape(lines[0])}\"");
            int bodyLength = head ? 0 : length;
            while (_buffer.Count < end + 4 + bodyLength)
                if (!await FillAsync(cancel)) throw new InvalidDataException("connection closed in a response body");
            string body = Encoding.Latin1.GetString(_buffer.GetRange(end + 4, bodyLength).ToArray());
            _buffer.RemoveRange(0, end + 4 + bodyLength);
            return new Response(lines[0], int.Parse(status.Groups[1].Value), fields, body);
        }

        /// <summary>Reads until the server closes; the bytes that came after the last response.</summary>
        public async Task<int> ReadToEndAsync(CancellationToken cancel)
        {
            while (await FillAsync(cancel)) { }
            return _buffer.Count;
        }

        private int IndexOfEndOfHead()
        {
            for (int i = 3; i < _buffer.Count; i++)
                if (_buffer[i - 3] == '\r' && _buffer[i - 2] == '\n' && _buffer[i - 1] == '\r' && _buffer[i] == '\n') return i - 3;
            return -1;
        }
    }
}
