using System.Text;

namespace Cosmos.TestRunner.Apps;

/// <summary>
/// What the HTTP sample (Samples/HttpServer) must do, checked from outside over real TCP: the same checks against the
/// kernel image (through QEMU's forwarded port) and against the same source running on .NET on the host.
/// </summary>
public static class HttpSampleChecks
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public static async Task<List<(string Name, bool Passed, string Detail)>> RunAsync(string label, string host, int port, string sampleDirectory, CancellationToken cancel)
    {
        var results = new List<(string, bool, string)>();
        async Task Check(string name, Func<CancellationToken, Task<(bool, string)>> check)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(Bound);
            try
            {
                var (ok, detail) = await check(timeout.Token);
                results.Add(($"{label}: {name}", ok, detail));
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or InvalidDataException)
            {
                results.Add(($"{label}: {name}", false, $"{e.GetType().Name}: {e.Message}"));
            }
        }
        byte[] index = File.ReadAllBytes(Path.Combine(sampleDirectory, "wwwroot", "index.html"));
        byte[] css = File.ReadAllBytes(Path.Combine(sampleDirectory, "wwwroot", "site.css"));

        await Check("GET / is the embedded index.html, byte for byte", async c =>
        {
            using var x = await HttpExchange.OpenAsync(host, port, c);
            await x.SendAsync("GET / HTTP/1.1\r\nHost: sample\r\n\r\n", c);
            var r = await x.ReadAsync(c);
            return (r is { Status: 200 } && r.Header("content-type").StartsWith("text/html") && r.Body.AsSpan().SequenceEqual(index),
                r == null ? "no response" : $"{r.Status} {r.Header("content-type")}, {r.Body.Length} bytes (file {index.Length})");
        });
        await Check("GET /static/site.css is the embedded stylesheet", async c =>
        {
            using var x = await HttpExchange.OpenAsync(host, port, c);
            await x.SendAsync("GET /static/site.css HTTP/1.1\r\nHost: sample\r\n\r\n", c);
            var r = await x.ReadAsync(c);
            return (r is { Status: 200 } && r.Header("content-type").StartsWith("text/css") && r.Body.AsSpan().SequenceEqual(css),
                r == null ? "no response" : $"{r.Status} {r.Header("content-type")}, {r.Body.Length} bytes");
        });
        await Check("GET /api/status is JSON with the counters", async c =>
        {
            using var x = await HttpExchange.OpenAsync(host, port, c);
            await x.SendAsync("GET /api/status HTTP/1.1\r\nHost: sample\r\n\r\n", c);
            var r = await x.ReadAsync(c);
            string text = r?.Text ?? "";
            bool ok = r is { Status: 200 } && r.Header("content-type") == "application/json"
                && text.StartsWith("{\"server\":\"cosmos-net-sample\",\"requests\":") && text.Contains("\"uptime_ms\":") && text.TrimEnd().EndsWith('}');
            return (ok, text.Trim());
        });
        await Check("keep-alive: 5 requests on one connection", async c =>
        {
            using var x = await HttpExchange.OpenAsync(host, port, c);
            var seen = new List<string>();
            for (int i = 0; i < 5; i++)
            {
                await x.SendAsync($"GET /hello/k{i} HTTP/1.1\r\nHost: sample\r\n\r\n", c);
                var r = await x.ReadAsync(c);
                seen.Add(r == null ? "closed" : $"{r.Status}:{r.Text.Trim()}:{r.Header("connection")}");
            }
            bool ok = seen.Select((s, i) => s == $"200:Hello, k{i}!:keep-alive").All(b => b);
            return (ok, string.Join(", ", seen));
        });
        await Check("pipelining: 3 requests in one write, 3 responses in order", async c =>
        {
            using var x = await HttpExchange.OpenAsync(host, port, c);
            await x.SendAsync("GET /hello/a HTTP/1.1\r\nHost: s\r\n\r\nGET /hello/b HTTP/1.1\r\nHost: s\r\n\r\nGET /hello/c HTTP/1.1\r\nHost: s\r\n\r\n", c);
            var texts = new List<string>();
            for (int i = 0; i < 3; i++) texts.Add((await x.ReadAsync(c))?.Text.Trim() ?? "closed");
            return (texts.SequenceEqual(["Hello, a!", "Hello, b!", "Hello, c!"]), string.Join(", ", texts));
        });
        await Check("HEAD / has the length of GET / and no body", async c =>
        {
            using var x = await HttpExchange.OpenAsync(host, port, c);
            await x.SendAsync("HEAD / HTTP/1.1\r\nHost: sample\r\n\r\nGET /hello/after HTTP/1.1\r\nHost: sample\r\n\r\n", c);
            var head = await x.ReadAsync(c, head: true);
            var next = await x.ReadAsync(c);
            bool ok = head is { Status: 200 } && head.Header("content-length") == index.Length.ToString() && next?.Text.Trim() == "Hello, after!";
            return (ok, $"HEAD {head?.Status} length {head?.Header("content-length")}; the next response: {next?.Text.Trim() ?? "none"}");
        });
        await Check("POST /api/echo returns a 48 KiB body byte for byte", async c =>
        {
            byte[] body = new byte[48 * 1024];
            new Random(15).NextBytes(body);
            using var x = await HttpExchange.OpenAsync(host, port, c);
            await x.SendAsync($"POST /api/echo HTTP/1.1\r\nHost: sample\r\nContent-Type: application/x-test\r\nContent-Length: {body.Length}\r\n\r\n", c);
            await x.SendAsync(body, c);
            var r = await x.ReadAsync(c);
            return (r is { Status: 200 } && r.Header("content-type") == "application/x-test" && r.Body.AsSpan().SequenceEqual(body),
                r == null ? "no response" : $"{r.Status}, {r.Body.Length} bytes");
        });
        await Check("errors: 404, 405 with Allow, 400, 414, 431; Connection: close honoured", async c =>
        {
            var got = new List<string>();
            async Task<HttpReply?> One(string request)
            {
                using var x = await HttpExchange.OpenAsync(host, port, c);
                await x.SendAsync(request, c);
                return await x.ReadAsync(c);
            }
            var notFound = await One("GET /nope HTTP/1.1\r\nHost: s\r\n\r\n");
            var notAllowed = await One("DELETE / HTTP/1.1\r\nHost: s\r\n\r\n");
            var bad = await One("GARBAGE\r\n\r\n");
            var tooLong = await One($"GET /{new string('a', 3000)} HTTP/1.1\r\nHost: s\r\n\r\n");
            var tooBig = await One($"GET / HTTP/1.1\r\nHost: s\r\nX-Filler: {new string('b', 9000)}\r\n\r\n");
            got.Add($"404:{notFound?.Status}");
            got.Add($"405:{notAllowed?.Status} allow '{notAllowed?.Header("allow")}'");
            got.Add($"400:{bad?.Status}");
            got.Add($"414:{tooLong?.Status}");
            got.Add($"431:{tooBig?.Status}");
            using var closing = await HttpExchange.OpenAsync(host, port, c);
            await closing.SendAsync("GET /hello/bye HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n", c);
            var last = await closing.ReadAsync(c);
            bool closed = await closing.ClosedByServerAsync(TimeSpan.FromSeconds(5), c);
            got.Add($"close:{last?.Header("connection")} closed={closed}");
            bool ok = notFound?.Status == 404 && notAllowed?.Status == 405 && notAllowed.Header("allow") == "GET, HEAD" && bad?.Status == 400
                && tooLong?.Status == 414 && tooBig?.Status == 431 && last?.Header("connection") == "close" && closed;
            return (ok, string.Join("; ", got));
        });
        await Check("20 connections at once, each answered", async c =>
        {
            var tasks = Enumerable.Range(0, 20).Select(async i =>
            {
                using var x = await HttpExchange.OpenAsync(host, port, c);
                await x.SendAsync($"GET /hello/c{i} HTTP/1.1\r\nHost: s\r\n\r\n", c);
                return (await x.ReadAsync(c))?.Text.Trim() == $"Hello, c{i}!";
            });
            bool[] answered = await Task.WhenAll(tasks);
            return (answered.All(a => a), $"{answered.Count(a => a)} of 20 answered");
        });
        return results;
    }
}
