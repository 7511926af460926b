using System.Runtime.CompilerServices;
using System.Text;
using Cosmos.Net.Protocols.Tcp;
using Cosmos.Net.Services.Http;
using Xunit;

namespace Cosmos.HostTests.Http;

/// <summary>The HTTP server on one copy of the stack, clients on another, over the in-memory link.</summary>
public sealed class HttpServerTests : IDisposable
{
    private readonly HttpRig _rig = new();
    public void Dispose() => _rig.Dispose();

    private static void AssertOpen(HttpTestClient c) =>
        Assert.True(c.Tcp.IsEstablished && !c.Tcp.IsReadClosed, $"connection should be open: {c.Tcp.State}, read closed {c.Tcp.IsReadClosed}");

    [Fact]
    public void GetOfTheRootIsTheStatusPage_WithContentLength_AndTheConnectionStaysOpen()
    {
        HttpTestClient c = _rig.Connect();
        c.Request("GET", "/");
        HttpTestResponse r = c.ReadOne();
        Assert.Equal("HTTP/1.1 200 OK", r.StatusLine);
        Assert.Equal(FixedStatusPage.Body, r.Body);
        Assert.Equal(FixedStatusPage.Body.Length, r.ContentLength);
        Assert.Equal("text/plain; charset=us-ascii", r.Field("content-type"));
        Assert.Null(r.Field("connection"));      // HTTP/1.1 persists without saying so
        Assert.Null(r.Field("date"));            // no clock that knows UTC (RFC 9110 §6.6.1)
        _rig.Steps(100);
        AssertOpen(c);
    }

    [Fact]
    public void GetOfHelloIsTheFixedBenchmarkBody()
    {
        HttpTestClient c = _rig.Connect();
        c.Request("GET", "/hello?x=1");
        HttpTestResponse r = c.ReadOne();
        Assert.Equal(200, r.Status);
        Assert.Equal(HttpSite.HelloBody, r.Body);
        Assert.Equal(14, r.ContentLength);
    }

    [Fact]
    public void AbsoluteFormTargetsAreAccepted()
    {
        HttpTestClient c = _rig.Connect();
        c.Send("GET http://10.0.0.1/hello HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\nGET http://10.0.0.1 HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n", true, true);
        List<HttpTestResponse> r = c.Read(2);
        Assert.Equal(HttpSite.HelloBody, r[0].Body);
        Assert.Equal(FixedStatusPage.Body, r[1].Body);
    }

    [Fact]
    public void HeadHasTheHeadersOfGetAndNoBody()
    {
        HttpTestClient c = _rig.Connect();
        // HEAD then GET pipelined: if the HEAD response carried a body, the GET's status line would not come next.
        c.Send("HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n", false, true);
        List<HttpTestResponse> r = c.Read(2);
        Assert.Equal(2, r.Count);
        Assert.Equal(200, r[0].Status);
        Assert.Equal(FixedStatusPage.Body.Length, r[0].ContentLength);
        Assert.Equal("", r[0].Body);
        Assert.Equal(HttpSite.HelloBody, r[1].Body);
        Assert.Equal(0, c.Leftover);
    }

    [Fact]
    public void UnknownPathIs404_AndTheConnectionStaysOpen()
    {
        HttpTestClient c = _rig.Connect();
        c.Request("GET", "/nothing-here");
        HttpTestResponse r = c.ReadOne();
        Assert.Equal("HTTP/1.1 404 Not Found", r.StatusLine);
        Assert.Equal("404 Not Found\n", r.Body);
        c.Request("HEAD", "/nothing-here");
        HttpTestResponse head = c.ReadOne();
        Assert.Equal(404, head.Status);
        Assert.Equal("", head.Body);
        Assert.Equal(14, head.ContentLength);
        c.Request("GET", "/hello");
        Assert.Equal(200, c.ReadOne().Status);
        AssertOpen(c);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("OPTIONS")]
    [InlineData("get")]     // methods are case-sensitive
    [InlineData("BREW")]
    public void OtherMethodsAre405WithAllow_AndTheConnectionStaysOpen(string method)
    {
        HttpTestClient c = _rig.Connect();
        c.Request(method, "/");
        HttpTestResponse r = c.ReadOne();
        Assert.Equal("HTTP/1.1 405 Method Not Allowed", r.StatusLine);
        Assert.Equal("GET, HEAD", r.Field("allow"));
        c.Request("GET", "/hello");
        Assert.Equal(200, c.ReadOne().Status);
    }

    [Fact]
    public void ARequestBodyIsReadByContentLengthAndDiscarded()
    {
        HttpTestClient c = _rig.Connect();
        string body = new('x', 20_000);
        // The body holds what would be a request if it were parsed as one.
        string tricky = "GET /nothing HTTP/1.1\r\nHost: a\r\n\r\n";
        c.Send($"POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: {body.Length + tricky.Length}\r\n\r\n{tricky}{body}GET /hello HTTP/1.1\r\nHost: a\r\n\r\n", true, true);
        List<HttpTestResponse> r = c.Read(2, 5000);
        Assert.Equal(2, r.Count);
        Assert.Equal(405, r[0].Status);
        Assert.Equal(200, r[1].Status);
        Assert.Equal(0, c.Leftover);
    }

    [Fact]
    public void PipelinedRequestsAreAnsweredInOrder()
    {
        HttpTestClient c = _rig.Connect();
        var request = new StringBuilder();
        string[] paths = ["/hello", "/", "/missing", "/hello", "/"];
        foreach (string p in paths) request.Append($"GET {p} HTTP/1.1\r\nHost: a\r\n\r\n");
        c.Send(request.ToString(), true, true, true, true, true);
        List<HttpTestResponse> r = c.Read(paths.Length);
        Assert.Equal([200, 200, 404, 200, 200], r.Select(x => x.Status));
        Assert.Equal([HttpSite.HelloBody, FixedStatusPage.Body, "404 Not Found\n", HttpSite.HelloBody, FixedStatusPage.Body], r.Select(x => x.Body));
        AssertOpen(c);
    }

    [Fact]
    public void ManyPipelinedRequestsThenTheClientsCloseAreAllAnswered()
    {
        // More than one turn's worth (MaxRequestsPerTurn), and the client's FIN right behind them: the FIN must not
        // end the connection while requests are still waiting in the buffer.
        const int count = 3 * HttpLimits.MaxRequestsPerTurn + 5;
        HttpTestClient c = _rig.Connect();
        var request = new StringBuilder();
        for (int i = 0; i < count; i++) request.Append($"GET /{(i % 2 == 0 ? "hello" : "x" + i)} HTTP/1.1\r\nHost: a\r\n\r\n");
        c.Send(request.ToString(), Enumerable.Repeat(true, count).ToArray());
        c.Tcp.Close();
        List<HttpTestResponse> r = c.Read(count, 5000);
        Assert.Equal(count, r.Count);
        for (int i = 0; i < count; i++) Assert.Equal(i % 2 == 0 ? 200 : 404, r[i].Status);
        Assert.True(c.WaitForServerClose());
    }

    [Fact]
    public void ARequestSplitIntoSingleBytesIsStillAnswered()
    {
        HttpTestClient c = _rig.Connect();
        byte[] request = Encoding.ASCII.GetBytes("GET /hello HTTP/1.1\r\nHost: a\r\nUser-Agent: test\r\n\r\n");
        foreach (byte b in request) { c.Send([b]); _rig.Steps(2); }
        HttpTestResponse r = c.ReadOne();
        Assert.Equal(HttpSite.HelloBody, r.Body);
    }

    [Fact]
    public void ConnectionCloseIsAnsweredThenClosed()
    {
        HttpTestClient c = _rig.Connect();
        // A request after the one that asked for close is never answered.
        c.Send("GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", true);
        HttpTestResponse r = c.ReadOne();
        Assert.Equal(200, r.Status);
        Assert.Equal("close", r.Field("connection"));
        Assert.True(c.WaitForServerClose(), "the server closed after the response");
        Assert.Equal(0, c.Leftover);
    }

    [Fact]
    public void Http10ClosesUnlessKeepAliveIsAsked()
    {
        HttpTestClient plain = _rig.Connect();
        plain.Send("GET / HTTP/1.0\r\n\r\n", true);
        HttpTestResponse r = plain.ReadOne();
        Assert.Equal("HTTP/1.1 200 OK", r.StatusLine);       // the server's own version (RFC 9110 §6.2)
        Assert.Equal("close", r.Field("connection"));
        Assert.True(plain.WaitForServerClose());

        HttpTestClient keep = _rig.Connect();
        keep.Send("GET /hello HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true);
        HttpTestResponse k = keep.ReadOne();
        Assert.Equal("keep-alive", k.Field("connection"));
        keep.Send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true);
        Assert.Equal(200, keep.ReadOne().Status);
        _rig.Steps(50);
        AssertOpen(keep);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n", 400)]                                                   // no Host
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400)]                             // two Hosts
    [InlineData("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400)]                                      // invalid Host
    [InlineData("GET /  HTTP/1.1\r\nHost: a\r\n\r\n", 400)]                                       // bad request line
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", 400)]                         // bad header syntax
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nName : x\r\n\r\n", 400)]                            // space before colon
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n  folded\r\n\r\n", 400)]                  // obs-fold
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n", 400)]                  // invalid Content-Length
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 400)] // duplicate
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501)] // chunked: not implemented
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n", 413)]
    [InlineData("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400)]                             // bare CR
    public void MalformedRequestsGetTheirStatus_AndTheConnectionIsClosed(string request, int status)
    {
        HttpTestClient c = _rig.Connect();
        c.Send(request, true);
        HttpTestResponse r = c.ReadOne();
        Assert.Equal(status, r.Status);
        Assert.Equal("close", r.Field("connection"));
        Assert.Equal($"{status} {HttpStatus.Reason(status)}\n", r.Body);
        Assert.True(c.WaitForServerClose());
        Assert.Equal(1, _rig.Http.Rejected);
    }

    [Fact]
    public void ATooLongTargetIs414()
    {
        HttpTestClient c = _rig.Connect();
        c.Request("GET", "/" + new string('a', HttpLimits.MaxTargetLength));
        HttpTestResponse r = c.ReadOne();
        Assert.Equal(414, r.Status);
        Assert.True(c.WaitForServerClose());
    }

    [Fact]
    public void ATargetOfTheLimitIsServed()
    {
        HttpTestClient c = _rig.Connect();
        c.Request("GET", "/" + new string('a', HttpLimits.MaxTargetLength - 1));
        Assert.Equal(404, c.ReadOne().Status);
    }

    [Fact]
    public void HeaderFieldsTooLargeAre431()
    {
        HttpTestClient big = _rig.Connect();
        big.Request("GET", "/", $"X-Big: {new string('b', HttpLimits.MaxHeadBytes)}\r\n");
        Assert.Equal(431, big.ReadOne().Status);
        Assert.True(big.WaitForServerClose());

        HttpTestClient many = _rig.Connect();
        many.Request("GET", "/", string.Concat(Enumerable.Range(0, HttpLimits.MaxFieldCount).Select(i => $"X-{i}: {i}\r\n")));
        Assert.Equal(431, many.ReadOne().Status);
    }

    [Fact]
    public void AnIdleConnectionIsClosedAfterTheIdleTimeout_NotBefore()
    {
        HttpTestClient c = _rig.Connect();
        c.Request("GET", "/hello");
        c.ReadOne();
        long answeredAt = _rig.Now;
        while (_rig.Now - answeredAt < HttpLimits.IdleTimeoutMs - 100) _rig.Step();
        AssertOpen(c);
        c.Request("GET", "/hello");                    // activity restarts the timer
        Assert.Equal(200, c.ReadOne().Status);
        answeredAt = _rig.Now;
        Assert.True(c.WaitForServerClose((int)(HttpLimits.IdleTimeoutMs / 5) + 200), "closed by the idle timeout");
        long closedAfter = _rig.Now - answeredAt;
        Assert.InRange(closedAfter, HttpLimits.IdleTimeoutMs, HttpLimits.IdleTimeoutMs + 200);
        Assert.Equal(0, c.Leftover);                   // a graceful close, no response
        Assert.Equal(1, _rig.Http.IdleCloses);
        Assert.Equal(0, _rig.Http.OpenConnections);
    }

    [Fact]
    public void AConnectionThatNeverSendsIsClosedByTheIdleTimeout()
    {
        HttpTestClient c = _rig.Connect();
        Assert.True(c.WaitForServerClose((int)(HttpLimits.IdleTimeoutMs / 5) + 200));
    }

    [Fact]
    public void ASlowRequestHeadGets408AfterTheHeadTimeout()
    {
        HttpTestClient c = _rig.Connect();
        // A byte every 2 s keeps the idle timer quiet; the head timer still runs out.
        string request = "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaa";
        int i = 0;
        long started = _rig.Now;
        while (!c.Tcp.IsReadClosed && _rig.Now - started < HttpLimits.HeadTimeoutMs + 3000)
        {
            if (i < request.Length && (_rig.Now - started) % 2000 == 0) c.Send(request[i++].ToString());
            _rig.Step();
            _ = c.Leftover;
        }
        HttpTestResponse r = c.ReadOne();
        Assert.Equal(408, r.Status);
        Assert.Equal("close", r.Field("connection"));
        Assert.InRange(_rig.Now - started, HttpLimits.HeadTimeoutMs, HttpLimits.HeadTimeoutMs + 500);
        Assert.Equal(1, _rig.Http.HeadTimeouts);
    }

    [Fact]
    public void TheClientsCloseWithNothingPendingClosesOurSide()
    {
        HttpTestClient c = _rig.Connect();
        c.Request("GET", "/hello");
        c.ReadOne();
        c.Tcp.Close();
        _rig.Steps(100);
        Assert.Equal(0, _rig.Http.OpenConnections);
        _rig.Steps((int)(TcpConnection.TimeWaitMs / 5) + 100);
        Assert.Equal(0, _rig.Server.Tcp.ActiveConnections);   // the server closed second: no TIME_WAIT on its side
    }

    [Fact]
    public void AsManyConnectionsAsTheTcpEndpointHasAreServedAtOnce()
    {
        var clients = new List<HttpTestClient>();
        for (int i = 0; i < TcpEndpoint.MaxConnections; i++) clients.Add(_rig.Connect());
        _rig.Steps(5); // the last client is established a step before the server has the handshake's last ACK
        Assert.Equal(TcpEndpoint.MaxConnections, _rig.Http.OpenConnections);
        for (int round = 0; round < 3; round++)
        {
            foreach (HttpTestClient c in clients) c.Request("GET", round == 1 ? "/" : "/hello");
            foreach (HttpTestClient c in clients) Assert.Equal(200, c.ReadOne().Status);
        }
        Assert.Equal(3 * TcpEndpoint.MaxConnections, _rig.Http.Requests);
        Assert.Equal(0, _rig.Http.Buffers.Lent);
    }

    [Fact]
    public void WhenEveryBufferHoldsAPartialHeadOtherConnectionsWaitAndAreServedAfter()
    {
        int buffers = _rig.Http.Buffers.Count;
        var slow = new List<HttpTestClient>();
        var fast = new List<HttpTestClient>();
        for (int i = 0; i < buffers; i++) slow.Add(_rig.Connect());
        for (int i = 0; i < 3 && slow.Count + fast.Count < TcpEndpoint.MaxConnections; i++) fast.Add(_rig.Connect());
        foreach (HttpTestClient c in slow) c.Send("GET /hello HTTP/1.1\r\nHost: a\r\n");
        _rig.Steps(20);
        Assert.Equal(buffers, _rig.Http.Buffers.Lent);
        foreach (HttpTestClient c in fast) c.Request("GET", "/hello");
        _rig.Steps(20);
        foreach (HttpTestClient c in fast) Assert.Empty(c.Read(1, 0));   // no buffer: waiting, not refused
        Assert.True(_rig.Http.PoolWaits > 0);
        foreach (HttpTestClient c in slow) c.Send("\r\n", true);
        foreach (HttpTestClient c in slow.Concat(fast)) Assert.Equal(200, c.ReadOne().Status);
        Assert.Equal(0, _rig.Http.Buffers.Lent);
    }

    [Fact]
    public void AConnectionResetByThePeerIsForgotten_AndItsPooledObjectServesTheNextOne()
    {
        HttpTestClient first = _rig.Connect();
        first.Send("GET / HTTP/1.1\r\nHost: a\r\n");      // a partial head holds a buffer
        _rig.Steps(10);
        Assert.Equal(1, _rig.Http.Buffers.Lent);
        first.Tcp.Abort();                                // RST: the server's connection object is freed at once
        HttpTestClient second = _rig.Connect();           // and may be the very object the stack hands out next
        second.Request("GET", "/hello");
        Assert.Equal(HttpSite.HelloBody, second.ReadOne().Body);
        Assert.Equal(1, _rig.Http.OpenConnections);
        Assert.Equal(0, _rig.Http.Buffers.Lent);
    }

    [Fact]
    public void AConnectionObjectReusedByAnotherServiceIsNotReadByHttp()
    {
        var echo = new Cosmos.Net.Services.TcpEchoService(_rig.Server);
        _rig.OtherServices = () => echo.Poll();
        HttpTestClient http = _rig.Connect();
        http.Send("GET / HTTP/1.1\r\n");                 // a partial head: the slot holds a buffer
        _rig.Steps(10);
        http.Tcp.Abort();                                 // RST, and in the same step a SYN to the echo port:
        TcpConnection c = _rig.Client.Tcp.Connect(HttpRig.ServerIp, 7, _rig.Now)!; // the freed object is taken for it
        for (int i = 0; i < 100 && !c.IsEstablished; i++) _rig.Step();
        c.Write("echo me"u8);
        var got = new byte[64];
        int n = 0;
        for (int i = 0; i < 100 && n < 7; i++) { _rig.Step(); n += c.Read(got.AsSpan(n)); }
        Assert.Equal("echo me", Encoding.ASCII.GetString(got, 0, n));
        Assert.Equal(0, _rig.Http.OpenConnections);
        Assert.Equal(0, _rig.Http.Buffers.Lent);
    }

    [Fact]
    public void AClientThatDoesNotReadIsAbortedOnceItsResponsesStopDraining()
    {
        HttpTestClient c = _rig.Connect();
        // Requests for the status page, written whenever they fit and never a response read, until the client's
        // receive window and the server's send buffer are full (however large the stack makes them).
        byte[] request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        long start = _rig.Now, lastAnswered = -1, stalledSince = _rig.Now;
        while (!c.Tcp.IsFree && _rig.Now - stalledSince < HttpLimits.IdleTimeoutMs + 5000 && _rig.Now - start < 600_000)
        {
            while (c.Tcp.SendSpace >= request.Length && c.Tcp.Write(request) == request.Length) { }
            _rig.Step();
            if (_rig.Http.Requests != lastAnswered) { lastAnswered = _rig.Http.Requests; stalledSince = _rig.Now; }
        }
        Assert.True(_rig.Http.Requests > 0);
        Assert.Equal(1, _rig.Http.StalledAborts);
        Assert.True(c.Tcp.IsFree, "the server's reset ended the client's connection");
        Assert.Equal(0, _rig.Http.OpenConnections);
        Assert.Equal(0, _rig.Http.Buffers.Lent);
    }

    /// <summary>
    /// The server allocates nothing per request. Measured in three windows of 50 request triples after 10 unmeasured
    /// ones: an allocation per request, or one every few requests, shows in every window. The .NET runtime itself now and
    /// then allocates once on the test's thread inside the server's Poll (about 6 KB in one step, no frame sent and no
    /// collection in it; 1 run in 6 to 10 of the Http and Tcp tests on 1 December, never twice in a run), which one
    /// window may show; so at least two of the three must be empty.
    /// </summary>
    [Fact]
    public void ServingAllocatesNothing()
    {
        HttpTestClient c = _rig.Connect();
        void Triples(int n)
        {
            for (int i = 0; i < n; i++)
            {
                c.Send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\nHEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n", true, false, true);
                Assert.Equal(3, c.Read(3).Count);
            }
        }
        Triples(10);
        var windows = new long[3];
        for (int w = 0; w < windows.Length; w++)
        {
            long before = _rig.ServerAllocatedBytes;
            Triples(50);
            windows[w] = _rig.ServerAllocatedBytes - before;
        }
        Assert.Equal(480, _rig.Http.Requests);
        Assert.True(windows.Count(b => b == 0) >= 2, $"bytes the server allocated per window of 150 requests: {string.Join(", ", windows)}");
    }

    [Fact]
    public void PerConnectionStateIsSmall()
    {
        // The README quotes this: the table has one per TCP connection, whatever the pool holds.
        Assert.Equal(56, Unsafe.SizeOf<HttpConnection>());
    }
}
