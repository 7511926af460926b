using Cosmos.HostTests.NetModel;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols.Tcp;
using Cosmos.Net.Services;
using Cosmos.Net.Wire;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>Two copies of the kernel's stack on an in-memory link that loses, reorders and duplicates frames.</summary>
public sealed class TcpTests : IDisposable
{
    private readonly LinkDevice _serverDevice = new(1), _clientDevice = new(2);
    private readonly NetworkInterface _server, _client;
    private readonly Link _link;
    private long _now = 1000;
    private static readonly Ipv4Address ServerIp = new(10, 0, 0, 1), ClientIp = new(10, 0, 0, 2);

    public TcpTests()
    {
        _link = new Link(_serverDevice, _clientDevice, seed: 42);
        _server = new NetworkInterface(_serverDevice);
        _client = new NetworkInterface(_clientDevice);
        _server.Configure(ServerIp, 24, default, default);
        _client.Configure(ClientIp, 24, default, default);
    }

    public void Dispose()
    {
        _serverDevice.Dispose();
        _clientDevice.Dispose();
    }

    /// <summary>Advances simulated time by 5 ms per step: both stacks poll, the link carries.</summary>
    private void Step(Action? services = null)
    {
        _now += 5;
        _server.Poll(_now);
        services?.Invoke();
        _client.Poll(_now);
        _link.Step();
    }

    private void EchoThroughLossyLink(int bytes, double loss, double reorder, double duplicate, out TcpConnection client)
    {
        var echo = new TcpEchoService(_server);
        _link.LossRate = loss;
        _link.ReorderRate = reorder;
        _link.DuplicateRate = duplicate;
        client = _client.Tcp.Connect(ServerIp, 7, _now)!;
        Echo(client, echo, bytes, maxSteps: 400_000);
    }

    [Fact]
    public void EchoOverACleanLink()
    {
        EchoThroughLossyLink(200_000, 0, 0, 0, out TcpConnection c);
        Assert.Equal(0, c.Retransmissions);
    }

    [Theory]
    [InlineData(0.05, 0.0, 0.0)]
    [InlineData(0.0, 0.10, 0.0)]
    [InlineData(0.0, 0.0, 0.05)]
    [InlineData(0.05, 0.10, 0.03)]
    public void EchoSurvivesLossReorderingAndDuplication(double loss, double reorder, double duplicate)
    {
        EchoThroughLossyLink(150_000, loss, reorder, duplicate, out TcpConnection c);
        if (loss > 0) Assert.True(c.Retransmissions > 0 || _server.Tcp.SegmentsOut > 0);
        if (reorder > 0) Assert.True(_link.Reordered > 0);
        if (duplicate > 0) Assert.True(_link.Duplicated > 0);
    }

    [Fact]
    public void OutOfOrderSegmentsAreKeptNotDiscarded()
    {
        EchoThroughLossyLink(100_000, 0.0, 0.2, 0.0, out TcpConnection c);
        Assert.True(c.OutOfOrderSegments > 0, "reordered segments arrived ahead of the gap and were kept");
    }

    [Fact]
    public void RetransmissionTimeoutFollowsRfc6298()
    {
        var echo = new TcpEchoService(_server);
        TcpConnection c = _client.Tcp.Connect(ServerIp, 7, _now)!;
        for (int i = 0; i < 200 && !c.IsEstablished; i++) Step(() => echo.Poll());
        Assert.True(c.IsEstablished);
        // A few round trips on a link with 5 ms steps: the RTO converges to its floor.
        for (int i = 0; i < 50; i++) { c.Write(new byte[100]); for (int k = 0; k < 10; k++) Step(() => echo.Poll()); c.Read(new byte[1000]); }
        Assert.InRange(c.RtoMs, 200, 1000);
        // Cut the link: the RTO doubles with each timeout (exponential backoff, §5.5).
        _link.LossRate = 1.0;
        long before = c.RtoMs;
        c.Write(new byte[100]);
        for (int i = 0; i < 2000; i++) Step(() => echo.Poll());
        Assert.True(c.RtoMs >= before * 4, $"RTO {c.RtoMs} ms did not back off from {before} ms");
        Assert.True(c.Retransmissions >= 2);
    }

    private TcpConnection Established(TcpEchoService echo)
    {
        TcpConnection c = _client.Tcp.Connect(ServerIp, 7, _now)!;
        for (int i = 0; i < 200 && !c.IsEstablished; i++) Step(() => echo.Poll());
        Assert.True(c.IsEstablished);
        return c;
    }

    /// <summary>Bytes of TCP payload in an Ethernet frame (-1 if it is not IPv4/TCP), and its source address.</summary>
    private static int TcpPayloadLength(byte[] frame, out Ipv4Address source)
    {
        source = default;
        if (frame.Length < 54 || frame[12] != 0x08 || frame[13] != 0x00 || frame[23] != 6) return -1;
        int ipHeader = (frame[14] & 0x0F) * 4;
        int total = frame[16] << 8 | frame[17];
        int tcpHeader = (frame[14 + ipHeader + 12] >> 4) * 4;
        source = new Ipv4Address(frame[26], frame[27], frame[28], frame[29]);
        return total - ipHeader - tcpHeader;
    }

    /// <summary>Echoes <paramref name="bytes"/> on one connection; returns the simulated steps it took.</summary>
    private int Echo(TcpConnection c, TcpEchoService echo, int bytes, int maxSteps = 100_000)
    {
        var data = new byte[bytes];
        new Random(9).NextBytes(data);
        var received = new byte[bytes];
        int sent = 0, got = 0, step = 0;
        for (; step < maxSteps && got < bytes; step++)
        {
            Step(() => echo.Poll());
            if (c.IsEstablished && sent < bytes) sent += c.Write(data.AsSpan(sent, Math.Min(8192, bytes - sent)));
            got += c.Read(received.AsSpan(got));
        }
        Assert.Equal(bytes, got);
        Assert.Equal(data, received);
        return step;
    }

    [Fact]
    public void TheFirstFlightIsTheInitialWindow()
    {
        var echo = new TcpEchoService(_server);
        TcpConnection c = Established(echo);
        Assert.Equal(4380, c.CongestionWindow); // RFC 5681 §3.1: min(4 SMSS, max(2 SMSS, 4380)) for SMSS 1448 (1460 less timestamps)
        int dataFrames = 0;
        _link.DropWhen = f => { if (TcpPayloadLength(f, out Ipv4Address from) > 0 && from == ClientIp) dataFrames++; return false; };
        c.Write(new byte[30_000]);
        _client.Poll(_now); // one turn: no ACK can have come back yet
        Assert.Equal(3, dataFrames);
    }

    [Fact]
    public void SlowStartOpensTheWindowOnACleanLink()
    {
        var echo = new TcpEchoService(_server);
        TcpConnection c = Established(echo);
        // Slow start adds what each ACK covers (RFC 5681 §3.1), so twice the ring's worth of echo without loss
        // must have opened the window to at least the ring.
        int bytes = 2 * TcpConnection.BufferSize;
        Echo(c, echo, bytes);
        Assert.True(c.CongestionWindow >= TcpConnection.BufferSize, $"congestion window {c.CongestionWindow} after {bytes} bytes without loss");
        Assert.Equal(0, c.Timeouts);
        Assert.Equal(0, c.Retransmissions);
    }

    [Fact]
    public void ThreeDuplicateAcksRetransmitBeforeTheTimer()
    {
        var echo = new TcpEchoService(_server);
        TcpConnection c = Established(echo);
        int dataFrames = 0;
        // Drop the 20th data segment from the client, once: the segments after it reach the server out of order.
        _link.DropWhen = f => TcpPayloadLength(f, out Ipv4Address from) > 0 && from == ClientIp && ++dataFrames == 20;
        int steps = Echo(c, echo, 120_000);
        Assert.True(dataFrames >= 20, "the segment to drop was sent");
        Assert.Equal(1, c.FastRetransmits);
        Assert.Equal(0, c.Timeouts);
        Assert.True(steps * 5 < 1000, $"took {steps * 5} ms of link time");
        Assert.True(c.SlowStartThreshold < 1 << 20, "the loss halved the window into the threshold");
    }

    [Fact]
    public void ATimeoutCollapsesTheWindowToOneSegment()
    {
        var echo = new TcpEchoService(_server);
        TcpConnection c = Established(echo);
        Echo(c, echo, 50_000);
        int before = c.CongestionWindow;
        _link.LossRate = 1.0;
        c.Write(new byte[20_000]);
        for (int i = 0; i < 300 && c.Timeouts == 0; i++) Step(() => echo.Poll());
        Assert.Equal(1, c.Timeouts);
        Assert.Equal(c.SendMss, c.CongestionWindow); // RFC 5681 §3.1: the loss window is one segment
        // Half the flight, which is at most the window before the loss, and never below two segments (eq. 4).
        Assert.InRange(c.SlowStartThreshold, 2 * c.SendMss, Math.Max(before / 2, 2 * c.SendMss));
        _link.LossRate = 0;
        var sink = new byte[65536];
        int got = 0;
        for (int i = 0; i < 20_000 && got < 20_000; i++) { Step(() => echo.Poll()); got += c.Read(sink); }
        Assert.Equal(20_000, got);
    }

    /// <summary>
    /// Sixteen connections through a bottleneck that tail-drops beyond 24 frames per 5 ms each way: every byte
    /// comes back, the senders back off so that few frames are lost, and some losses are repaired by fast
    /// retransmit. (Timer expiries remain: at 1.5 frames per flow per step, windows are often too small for
    /// three duplicate ACKs, and the first flights meet the initial 1 s RTO.)
    /// </summary>
    [Fact]
    public void SixteenConnectionsShareABottleneck()
    {
        var echo = new TcpEchoService(_server);
        _link.QueueLimit = 24;
        var clients = new TcpConnection[16];
        for (int i = 0; i < clients.Length; i++) clients[i] = _client.Tcp.Connect(ServerIp, 7, _now)!;
        const int each = 64 * 1024;
        var sent = new int[clients.Length];
        var got = new int[clients.Length];
        var buffer = new byte[65536];
        int step = 0;
        for (; step < 200_000 && got.Any(g => g < each); step++)
        {
            Step(() => echo.Poll());
            for (int i = 0; i < clients.Length; i++)
            {
                if (clients[i].IsEstablished && sent[i] < each)
                    sent[i] += clients[i].Write(Enumerable.Repeat((byte)i, Math.Min(8192, each - sent[i])).ToArray());
                int n = clients[i].Read(buffer);
                for (int k = 0; k < n; k++) Assert.Equal((byte)i, buffer[k]);
                got[i] += n;
            }
        }
        Assert.All(got, g => Assert.Equal(each, g));
        long fast = clients.Sum(c => c.FastRetransmits), timeouts = clients.Sum(c => c.Timeouts);
        string summary = $"fast retransmits {fast}, timeouts {timeouts}, {_link.QueueDrops} of {_link.Offered} frames dropped, {step * 5} ms";
        Console.WriteLine(summary);
        Assert.True(_link.QueueDrops > 0, "the bottleneck dropped frames");
        // The senders back off: a small share of what they offer is lost (sending whole receive windows into the
        // queue, as before congestion control, loses most of every burst).
        Assert.True(_link.QueueDrops * 10 < _link.Offered, summary);
        Assert.True(fast > 0, "some losses were repaired without waiting for the timer: " + summary);
    }

    [Fact]
    public void SixteenConnectionsAtOnce()
    {
        var echo = new TcpEchoService(_server);
        var clients = new TcpConnection[16];
        for (int i = 0; i < clients.Length; i++) clients[i] = _client.Tcp.Connect(ServerIp, 7, _now)!;
        var got = new int[clients.Length];
        var buffer = new byte[8192];
        const int each = 20_000;
        var sent = new int[clients.Length];
        for (int step = 0; step < 100_000 && got.Any(g => g < each); step++)
        {
            Step(() => echo.Poll());
            for (int i = 0; i < clients.Length; i++)
            {
                if (clients[i].IsEstablished && sent[i] < each)
                {
                    byte[] chunk = Enumerable.Repeat((byte)i, Math.Min(1000, each - sent[i])).ToArray();
                    sent[i] += clients[i].Write(chunk);
                }
                int n = clients[i].Read(buffer);
                Assert.All(buffer.Take(n), b => Assert.Equal((byte)i, b)); // no crosstalk between connections
                got[i] += n;
            }
        }
        Assert.All(got, g => Assert.Equal(each, g));
        Assert.Equal(16, echo.ConnectionsServed);
    }

    [Fact]
    public void CloseHandshakeFreesBothSides()
    {
        var echo = new TcpEchoService(_server);
        TcpConnection c = _client.Tcp.Connect(ServerIp, 7, _now)!;
        for (int i = 0; i < 100 && !c.IsEstablished; i++) Step(() => echo.Poll());
        c.Write("hello"u8);
        for (int i = 0; i < 100; i++) Step(() => echo.Poll());
        Assert.Equal(5, c.Read(new byte[16]));
        c.Close();
        for (int i = 0; i < 100; i++) Step(() => echo.Poll());
        Assert.True(c.State is TcpState.TimeWait or TcpState.FinWait2 or TcpState.Closed, c.State.ToString());
        for (int i = 0; i < (int)(TcpConnection.TimeWaitMs / 5) + 100; i++) Step(() => echo.Poll());
        Assert.Equal(0, _client.Tcp.ActiveConnections);
        Assert.Equal(0, _server.Tcp.ActiveConnections);
    }

    /// <summary>
    /// Regression (found by the benchmark): once our FIN was acknowledged, the sender counted -1 bytes in flight
    /// and sent a byte from before its buffer (IndexOutOfRange when the buffer head was at 0).
    /// </summary>
    [Theory]
    [InlineData(TcpConnection.BufferSize)]  // the send head wraps to exactly 0
    [InlineData(5)]
    public void NothingIsSentAfterOurFinIsAcknowledged(int bytes)
    {
        var echo = new TcpEchoService(_server);
        TcpConnection c = _client.Tcp.Connect(ServerIp, 7, _now)!;
        for (int i = 0; i < 100 && !c.IsEstablished; i++) Step(() => echo.Poll());
        var data = new byte[bytes];
        int sent = 0, got = 0;
        var sink = new byte[65536];
        for (int i = 0; i < 20_000 && got < bytes; i++)
        {
            if (sent < bytes) sent += c.Write(data.AsSpan(sent));
            Step(() => echo.Poll());
            got += c.Read(sink);
        }
        Assert.Equal(bytes, got);
        c.Close();
        for (int i = 0; i < 200; i++) Step(() => echo.Poll());
        Assert.Equal(bytes, echo.BytesEchoed); // not one byte more reached the server
        Assert.True(c.State is TcpState.TimeWait or TcpState.Closed, c.State.ToString());
    }

    [Fact]
    public void SegmentToAClosedPortGetsAReset()
    {
        TcpConnection c = _client.Tcp.Connect(ServerIp, 4444, _now)!;
        for (int i = 0; i < 50; i++) Step();
        Assert.Equal(TcpState.Closed, c.State);
        Assert.True(_server.Tcp.ResetsSent >= 1);
    }

    [Fact]
    public void ZeroWindowIsProbedAndRecovers()
    {
        // A server that accepts but does not read: its window closes; the client must keep probing, not give up.
        var listener = _server.Tcp.Listen(9)!;
        TcpConnection c = _client.Tcp.Connect(ServerIp, 9, _now)!;
        TcpConnection? server = null;
        // The client is established one step before the server sees the handshake's last ACK.
        for (int i = 0; i < 100 && server == null; i++) { Step(); server = listener.Accept(); }
        Assert.NotNull(server);
        int written = 0;
        for (int i = 0; i < 4000; i++)
        {
            written += c.Write(new byte[4096]);
            Step();
        }
        Assert.Equal(TcpConnection.BufferSize, server.Available);
        Assert.True(c.IsEstablished, "the sender must not abort against a zero window");
        var sink = new byte[TcpConnection.BufferSize];
        int drained = 0;
        for (int i = 0; i < 20_000 && drained < written; i++) { drained += server.Read(sink); Step(); }
        Assert.Equal(written, drained);
    }
}
