using System.Text;
using Cosmos.Net.Services.Http;
using CsCheck;
using Xunit;
using Xunit.Abstractions;
using HttpMethod = Cosmos.Net.Services.Http.HttpMethod;

namespace Cosmos.HostTests.Http;

/// <summary>
/// The request parser as a pure function: the corpus (Tests/HostTests/Corpus/http) replayed, requests generated
/// from the grammar with and without one known defect, random bytes, and mutated corpus requests. It must
/// parse or refuse with a status, never throw or read outside its span, and give the same answer however the
/// bytes are split into arrivals.
/// </summary>
public class HttpParserTests(ITestOutputHelper output)
{
    private static readonly Lazy<List<HttpCorpusEntry>> Corpus = new(HttpCorpus.Load);

    private static HttpParseResult Parse(byte[] bytes, out HttpRequest request)
    {
        try { return HttpRequestParser.Parse(bytes, out request); }
        catch (Exception e) { throw new InvalidOperationException($"parser threw on:\n{HttpCorpus.Escape(bytes)}", e); }
    }

    private static HttpParseResult Parse(string text, out HttpRequest request) => Parse(Encoding.Latin1.GetBytes(text), out request);

    [Fact]
    public void CorpusReplay_EachRequestGivesItsExpectedResult()
    {
        Assert.True(Corpus.Value.Count >= 60, $"{Corpus.Value.Count} corpus files");
        var wrong = new List<string>();
        foreach (HttpCorpusEntry e in Corpus.Value)
        {
            HttpParseResult got = Parse(e.Bytes, out HttpRequest request);
            if (got != e.Result || request.Rejection != e.Rejection)
                wrong.Add($"{e}: {got} {request.Rejection}, expected {e.Result} {e.Rejection}");
        }
        Assert.Empty(wrong);
        // Every way of being refused has a corpus file.
        foreach (HttpRejection r in Enum.GetValues<HttpRejection>())
            Assert.True(r == HttpRejection.None || Corpus.Value.Any(e => e.Rejection == r), $"no corpus file is refused for {r}");
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n", HttpMethod.Get, "/", 1, true)]
    [InlineData("HEAD /hello?x=1 HTTP/1.1\r\nHost: a\r\n\r\n", HttpMethod.Head, "/hello", 1, true)]
    [InlineData("GET http://a:80/b/c?d HTTP/1.1\r\nHost: a:80\r\n\r\n", HttpMethod.Get, "/b/c", 1, true)]
    [InlineData("GET http://a?x HTTP/1.1\r\nHost: a\r\n\r\n", HttpMethod.Get, "", 1, true)]
    [InlineData("GET / HTTP/1.0\r\n\r\n", HttpMethod.Get, "/", 0, false)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", HttpMethod.Get, "/", 0, true)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n", HttpMethod.Get, "/", 1, false)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nconnection: Upgrade\r\nCONNECTION: CLOSE\r\n\r\n", HttpMethod.Get, "/", 1, false)]
    [InlineData("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 007\r\n\r\n", HttpMethod.Other, "/x", 1, true)]
    [InlineData("GET / HTTP/1.7\r\nHost: a\r\n\r\n", HttpMethod.Get, "/", 1, true)]
    public void ValidRequestsParseToTheirParts(string text, HttpMethod method, string path, int minor, bool keepAlive)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(text);
        Assert.Equal(HttpParseResult.Complete, Parse(bytes, out HttpRequest r));
        Assert.Equal(method, r.Method);
        Assert.Equal(path, Encoding.Latin1.GetString(bytes, r.PathStart, r.PathLength));
        Assert.Equal(minor, r.MinorVersion);
        Assert.Equal(keepAlive, r.KeepAlive);
        Assert.Equal(bytes.Length, r.HeadLength);
    }

    [Fact]
    public void ContentLengthAndExpectAreRead()
    {
        Assert.Equal(HttpParseResult.Complete, Parse("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 1048576\r\nExpect: 100-Continue\r\n\r\n", out HttpRequest r));
        Assert.Equal(HttpLimits.MaxRequestBody, r.ContentLength);
        Assert.True(r.ExpectContinue);
    }

    [Theory]
    [InlineData(HttpRejection.BadRequestLine, 400)]
    [InlineData(HttpRejection.MissingHost, 400)]
    [InlineData(HttpRejection.ObsoleteLineFolding, 400)]
    [InlineData(HttpRejection.DuplicateContentLength, 400)]
    [InlineData(HttpRejection.BadTransferEncoding, 400)]
    [InlineData(HttpRejection.ContentTooLarge, 413)]
    [InlineData(HttpRejection.TargetTooLong, 414)]
    [InlineData(HttpRejection.TooManyFields, 431)]
    [InlineData(HttpRejection.HeadTooLarge, 431)]
    [InlineData(HttpRejection.ChunkedNotSupported, 501)]
    [InlineData(HttpRejection.VersionNotSupported, 505)]
    public void EachRejectionHasItsStatus(HttpRejection rejection, int status) => Assert.Equal(status, HttpRejections.Status(rejection));

    [Fact]
    public void TheMethodIsKnownEvenWhenALaterPartIsRefused()
    {
        Assert.Equal(HttpParseResult.Rejected, Parse("HEAD / HTTP/1.1\r\n\r\n", out HttpRequest r));
        Assert.Equal(HttpRejection.MissingHost, r.Rejection);
        Assert.Equal(HttpMethod.Head, r.Method);     // so the 400 goes without a body
    }

    [Fact]
    public void AHeadOfExactlyTheLimitParses_OneByteMoreIs431()
    {
        string start = "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: ";
        string fits = start + new string('p', HttpLimits.MaxHeadBytes - start.Length - 4) + "\r\n\r\n";
        Assert.Equal(HttpLimits.MaxHeadBytes, fits.Length);
        Assert.Equal(HttpParseResult.Complete, Parse(fits, out _));
        string over = start + new string('p', HttpLimits.MaxHeadBytes - start.Length - 3) + "\r\n\r\n";
        Assert.Equal(HttpParseResult.Rejected, Parse(over, out HttpRequest r));
        Assert.Equal(HttpRejection.HeadTooLarge, r.Rejection);
        // Its first MaxHeadBytes bytes alone (what the server's buffer holds) give the same answer.
        Assert.Equal(HttpParseResult.Rejected, Parse(Encoding.Latin1.GetBytes(over)[..HttpLimits.MaxHeadBytes], out HttpRequest cut));
        Assert.Equal(HttpRejection.HeadTooLarge, cut.Rejection);
    }

    /// <summary>What must hold of any answer, whatever the input; null when it does.</summary>
    private static string? Problem(byte[] input, HttpParseResult result, in HttpRequest r)
    {
        int n = Math.Min(input.Length, HttpLimits.MaxHeadBytes);
        switch (result)
        {
            case HttpParseResult.Incomplete:
                if (r.Rejection != HttpRejection.None) return "incomplete with a rejection";
                if (input.Length >= HttpLimits.MaxHeadBytes) return "incomplete with a full buffer";
                return null;
            case HttpParseResult.Rejected:
                int status = HttpRejections.Status(r.Rejection);
                if (r.Rejection == HttpRejection.None || status is not (400 or 413 or 414 or 431 or 501 or 505)) return $"rejected for {r.Rejection} ({status})";
                if (r.KeepAlive) return "a refused request keeps the connection";
                return null;
            default:
                if (r.Rejection != HttpRejection.None) return "complete with a rejection";
                if (r.HeadLength <= 0 || r.HeadLength > n || input[r.HeadLength - 1] != '\n') return $"head length {r.HeadLength} of {n}";
                if (r.Method == HttpMethod.None) return "no method";
                if (r.TargetLength <= 0 || r.TargetStart + r.TargetLength > r.HeadLength) return "target outside the head";
                for (int i = r.TargetStart; i < r.TargetStart + r.TargetLength; i++)
                    if (input[i] <= 0x20 || input[i] >= 0x7F || input[i] == '#') return "target holds a forbidden byte";
                if (r.TargetLength > HttpLimits.MaxTargetLength) return "target too long";
                if (r.PathLength < 0 || r.PathLength > 0 && (r.PathStart < r.TargetStart || r.PathStart + r.PathLength > r.TargetStart + r.TargetLength)) return "path outside the target";
                if (r.ContentLength < 0 || r.ContentLength > HttpLimits.MaxRequestBody) return $"content length {r.ContentLength}";
                if (r.MinorVersion > 1) return "minor version";
                if (r.FieldCount > HttpLimits.MaxFieldCount) return "too many fields";
                return null;
        }
    }

    /// <summary>
    /// The answer for every prefix of the input is "incomplete" until the answer for the whole, and the same
    /// answer after it: the server parses again from the start at each arrival, so however TCP splits the bytes
    /// the outcome is the one for the whole request.
    /// </summary>
    private static string? SplitProblem(byte[] input, HttpParseResult whole, in HttpRequest wholeRequest)
    {
        bool decided = false;
        int limit = Math.Min(input.Length, HttpLimits.MaxHeadBytes);
        for (int k = 0; k <= limit; k++)
        {
            HttpParseResult r = HttpRequestParser.Parse(input.AsSpan(0, k), out HttpRequest request);
            if (r == HttpParseResult.Incomplete)
            {
                if (decided) return $"incomplete at {k} bytes after being decided";
                continue;
            }
            decided = true;
            if (r != whole || request.Rejection != wholeRequest.Rejection || request.HeadLength != wholeRequest.HeadLength)
                return $"at {k} bytes: {r} {request.Rejection}, whole: {whole} {wholeRequest.Rejection}";
        }
        return null;
    }

    private static void Check(byte[] input, bool checkSplits)
    {
        HttpParseResult result = Parse(input, out HttpRequest r);
        string? problem = Problem(input, result, r) ?? (checkSplits ? SplitProblem(input, result, r) : null);
        if (problem != null) throw new InvalidOperationException($"{problem} ({result} {r.Rejection}) on:\n{HttpCorpus.Escape(input)}");
    }

    [Fact]
    public void CorpusRequests_EverySplitGivesTheSameAnswer()
    {
        foreach (HttpCorpusEntry e in Corpus.Value) Check(e.Bytes, checkSplits: true);
    }

    [Fact]
    public void GeneratedRequests_AreParsedAsTheGrammarSays()
    {
        var counts = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        Gen.Select(Gen.Int, Gen.Int[0, HttpRequestGenerator.Defects.Length - 1]).Sample((seed, d) =>
        {
            string defect = HttpRequestGenerator.Defects[d];
            GeneratedRequest g = HttpRequestGenerator.Generate(new Random(seed), defect);
            HttpParseResult result = Parse(g.Bytes, out HttpRequest r);
            string text = HttpCorpus.Escape(g.Bytes);
            if (g.Expected == HttpRejection.None)
            {
                if (result != HttpParseResult.Complete) throw new InvalidOperationException($"valid request: {result} {r.Rejection}:\n{text}");
                Assert.Equal(g.HeadLength, r.HeadLength);
                Assert.Equal(g.MinorVersion, r.MinorVersion);
                Assert.Equal(g.ContentLength, r.ContentLength);
                Assert.Equal(g.KeepAlive, r.KeepAlive);
                Assert.Equal(g.Path, Encoding.Latin1.GetString(g.Bytes, r.PathStart, r.PathLength));
                HttpMethod method = g.Method switch { "GET" => HttpMethod.Get, "HEAD" => HttpMethod.Head, "OPTIONS" => HttpMethod.Options, "CONNECT" => HttpMethod.Connect, _ => HttpMethod.Other };
                Assert.Equal(method, r.Method);
            }
            else if (result != HttpParseResult.Rejected || r.Rejection != g.Expected)
                throw new InvalidOperationException($"defect {defect}: {result} {r.Rejection}, expected {g.Expected}:\n{text}");
            string? problem = Problem(g.Bytes, result, r);
            if (problem != null) throw new InvalidOperationException($"{problem}:\n{text}");
            counts.AddOrUpdate(defect, 1, (_, c) => c + 1);
        }, iter: 30_000);
        output.WriteLine(string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")));
        Assert.Equal(HttpRequestGenerator.Defects.Distinct().Count(), counts.Count);
    }

    [Fact]
    public void GeneratedRequests_EverySplitGivesTheSameAnswer()
    {
        Gen.Select(Gen.Int, Gen.Int[0, HttpRequestGenerator.Defects.Length - 1]).Sample((seed, d) =>
            Check(HttpRequestGenerator.Generate(new Random(seed), HttpRequestGenerator.Defects[d]).Bytes, checkSplits: true), iter: 1_500);
    }

    [Fact]
    public void RandomBytes_ParseOrAreRefused_NeverThrow()
    {
        Gen.Byte.Array[0, 600].Sample(bytes => Check(bytes, checkSplits: false), iter: 50_000);
        // Bytes drawn from the characters that matter to the grammar reach much deeper than uniform ones.
        byte[] alphabet = Encoding.ASCII.GetBytes("GET HEAD / HTTP/1.1 \r\n\r\n: Host:a Content-Length:5 Transfer-Encoding:chunked Connection:close ,\t\0\x7f");
        Gen.Int[0, alphabet.Length - 1].Array[0, 300].Sample(ix => Check(ix.Select(i => alphabet[i]).ToArray(), checkSplits: false), iter: 50_000);
        Gen.Byte.Array[HttpLimits.MaxHeadBytes - 10, HttpLimits.MaxHeadBytes + 10].Sample(bytes => Check(bytes, checkSplits: false), iter: 500);
    }

    /// <summary>Mutations of corpus requests: bytes flipped, replaced by grammar characters, inserted, deleted, lines repeated.</summary>
    private static byte[] Mutate(byte[] seed, Random r)
    {
        var bytes = new List<byte>(seed);
        byte[] special = [13, 10, 32, 9, (byte)':', (byte)',', 0, 0x7F, 0x80, 0xFF, (byte)'/', (byte)'#', (byte)'?', (byte)'H'];
        int mutations = 1 + r.Next(4);
        for (int m = 0; m < mutations; m++)
        {
            int at = bytes.Count == 0 ? 0 : r.Next(bytes.Count);
            switch (r.Next(7))
            {
                case 0: if (bytes.Count > 0) bytes[at] ^= (byte)(1 << r.Next(8)); break;
                case 1: if (bytes.Count > 0) bytes[at] = special[r.Next(special.Length)]; break;
                case 2: bytes.Insert(at, special[r.Next(special.Length)]); break;
                case 3: if (bytes.Count > 0) bytes.RemoveAt(at); break;
                case 4: // repeat a line
                    if (bytes.Count == 0) break;
                    int start = bytes.LastIndexOf(10, Math.Max(at - 1, 0)) + 1, end = bytes.IndexOf(10, at);
                    if (end > start) bytes.InsertRange(end + 1, bytes.GetRange(start, end - start + 1));
                    break;
                case 5: if (bytes.Count > at + 1) bytes.RemoveRange(at, r.Next(1, Math.Min(20, bytes.Count - at))); break;
                default: bytes.InsertRange(at, Enumerable.Repeat((byte)'a', r.Next(1, 3000))); break;
            }
        }
        return bytes.ToArray();
    }

    [Fact]
    public void MutatedCorpusRequests_ParseOrAreRefused_AndSplitsAgree()
    {
        byte[][] seeds = Corpus.Value.Select(e => e.Bytes).ToArray();
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Int).Sample((s, seed) =>
        {
            var random = new Random(seed);
            byte[] input = Mutate(seeds[s], random);
            Check(input, checkSplits: random.Next(20) == 0);
            HttpParseResult result = HttpRequestParser.Parse(input, out HttpRequest r);
            outcomes.AddOrUpdate(result == HttpParseResult.Rejected ? r.Rejection.ToString() : result.ToString(), 1, (_, c) => c + 1);
        }, iter: 40_000);
        output.WriteLine(string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}")));
        // The mutations reach both answers and most ways of being refused.
        Assert.True(outcomes.ContainsKey("Complete") && outcomes.ContainsKey("Incomplete"));
        Assert.True(outcomes.Count >= 15, $"{outcomes.Count} distinct outcomes");
    }
}
