using Cosmos.HostTests.NetModel;
using Cosmos.Net.Protocols.Tcp;
using Cosmos.Net.Wire;
using Xunit;

namespace Cosmos.HostTests.Tcp;

/// <summary>
/// Window scaling and timestamps (RFC 7323) and SACK (RFC 2018, RFC 6675) between two copies of the stack:
/// used when both ends offer them, left off (and every byte still delivered) when either does not, and doing what
/// each is for: windows past 64 KiB, PAWS and round-trip timing, and loss recovery without a timeout.
/// </summary>
public sealed class TcpNegotiationTests
{
    /// <summary>An echo server for any number of connections on one port (the services' own slots are fixed).</summary>
    private sealed class Echo(TcpListenerQueue listener)
    {
        public readonly List<TcpConnection> Connections = [];
        private readonly byte[] _buffer = new byte[8192];
        public long Echoed;

        public void Poll()
        {
            for (TcpConnection? c; (c = listener.Accept()) != null;) Connections.Add(c);
            foreach (TcpConnection c in Connections)
            {
                if (c.IsFree) continue;
                int n = Math.Min(Math.Min(c.Available, c.SendSpace), _buffer.Length);
                if (n > 0) { c.Read(_buffer.AsSpan(0, n)); c.Write(_buffer.AsSpan(0, n)); Echoed += n; }
                if (c.IsReadClosed) c.Close();
            }
        }
    }

    /// <summary>Writes <paramref name="bytes"/> and reads them back; the steps it took.</summary>
    private static int EchoBytes(TcpPair pair, TcpConnection c, Echo echo, int bytes, int maxSteps = 100_000)
    {
        var data = new byte[bytes];
        new Random(bytes).NextBytes(data);
        var received = new byte[bytes];
        int sent = 0, got = 0, step = 0;
        for (; step < maxSteps && got < bytes; step++)
        {
            pair.Step(echo.Poll);
            if (c.IsEstablished && sent < bytes) sent += c.Write(data.AsSpan(sent, Math.Min(16384, bytes - sent)));
            got += c.Read(received.AsSpan(got));
        }
        Assert.Equal(bytes, got);
        Assert.Equal(data, received);
        return step;
    }

    private static (TcpConnection Client, TcpConnection Server, Echo Echo) Connect(TcpPair pair, ushort port = 7)
    {
        var echo = new Echo(pair.Server.Tcp.Listen(port)!);
        TcpConnection client = pair.Client.Tcp.Connect(TcpPair.ServerIp, port, pair.Now)!;
        Assert.True(pair.RunUntil(() => client.IsEstablished && echo.Connections.Count == 1, 5000, echo.Poll));
        return (client, echo.Connections[0], echo);
    }

    [Fact]
    public void BothOfferingUseWindowScaleTimestampsAndSack()
    {
        using var pair = new TcpPair();
        var (client, server, echo) = Connect(pair);
        foreach (TcpConnection c in new[] { client, server })
        {
            Assert.True(c.WindowScalingNegotiated);
            Assert.True(c.TimestampsNegotiated);
            Assert.True(c.SackNegotiated);
            // The smallest shift that lets a 16-bit window field announce the whole ring (RFC 7323 §2.3):
            // 4 for 512 KiB; both ends run the same stack, so each sends the other the same shift.
            int shift = 0;
            while ((65535 << shift) < TcpConnection.BufferSize - 1) shift++;
            Assert.Equal(shift, TcpConnection.OurWindowShift);
            Assert.Equal(shift, c.ReceiveWindowShift);
            Assert.Equal(shift, c.SendWindowShift);
            Assert.Equal(1448, c.SendMss);            // 1460 less the 12 bytes of timestamps (RFC 6691)
        }
        TcpFrame syn = pair.Segments(TcpPair.ClientIp).First(f => f.IsSyn);
        TcpFrame synAck = pair.Segments(TcpPair.ServerIp).First(f => f.IsSyn);
        foreach (TcpFrame f in new[] { syn, synAck })
        {
            Assert.True(f.Options.HasWindowScale && f.Options.SackPermitted && f.Options.HasTimestamps);
            Assert.Equal(1460, f.Options.Mss);
        }
        Assert.Equal(syn.Options.TsVal, synAck.Options.TsEcr);  // the SYN-ACK echoes the SYN's timestamp
        EchoBytes(pair, client, echo, 100_000);
        // After the handshake every segment carries timestamps (RFC 7323 §3.2).
        Assert.All(pair.Segments().Where(f => !f.IsSyn && !f.Has(TcpFlags.Rst)), f => Assert.True(f.Options.HasTimestamps));
    }

    [Theory]
    [InlineData(false, true, true)]
    [InlineData(true, false, true)]
    [InlineData(true, true, false)]
    [InlineData(false, false, false)]
    public void WhatThePeerDoesNotOfferIsNotUsed(bool windowScale, bool timestamps, bool sack)
    {
        using var pair = new TcpPair();
        pair.Server.Tcp.OfferWindowScale = windowScale;
        pair.Server.Tcp.OfferTimestamps = timestamps;
        pair.Server.Tcp.OfferSack = sack;
        pair.Link.LossRate = 0.02;
        var (client, server, echo) = Connect(pair);
        foreach (TcpConnection c in new[] { client, server })
        {
            Assert.Equal(windowScale, c.WindowScalingNegotiated);
            Assert.Equal(timestamps, c.TimestampsNegotiated);
            Assert.Equal(sack, c.SackNegotiated);
        }
        TcpFrame synAck = pair.Segments(TcpPair.ServerIp).First(f => f.IsSyn);
        Assert.Equal(windowScale, synAck.Options.HasWindowScale);
        Assert.Equal(timestamps, synAck.Options.HasTimestamps);
        Assert.Equal(sack, synAck.Options.SackPermitted);
        Assert.Equal(timestamps ? 1448 : 1460, client.SendMss);
        EchoBytes(pair, client, echo, 300_000, maxSteps: 400_000);
        var after = pair.Segments().Where(f => !f.IsSyn && !f.Has(TcpFlags.Rst)).ToList();
        Assert.All(after, f => Assert.Equal(timestamps, f.Options.HasTimestamps));
        if (!sack) Assert.All(after, f => Assert.Equal(0, f.Options.SackBlockCount));
        else Assert.Contains(after, f => f.Options.SackBlockCount > 0);
        if (!sack) { Assert.Equal(0, client.SackRecoveries); Assert.Equal(0, server.SackRecoveries); }
    }

    /// <summary>
    /// A receiver that does not read, and a sender with plenty to send: with window scaling the sender has more than
    /// 64 KiB unacknowledged at once (the whole 128 KiB ring), without it never more than 65,535 bytes.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WindowScalingPutsMoreThan64KiBInFlight(bool windowScale)
    {
        using var pair = new TcpPair();
        pair.Server.Tcp.OfferWindowScale = windowScale;
        TcpListenerQueue listener = pair.Server.Tcp.Listen(9)!;
        TcpConnection client = pair.Client.Tcp.Connect(TcpPair.ServerIp, 9, pair.Now)!;
        TcpConnection? server = null;
        Assert.True(pair.RunUntil(() => (server ??= listener.Accept()) != null && client.IsEstablished, 100));
        // Open the congestion window first (the receiver reads), then stop reading.
        var sink = new byte[65536];
        for (int i = 0; i < 300; i++) { client.Write(new byte[16384]); pair.Step(); server!.Read(sink); }
        // Each step fills the send ring, so the sender is limited by the windows, not by what it was given: at 16 KiB
        // a step the peak in flight depended on how often the receiver acknowledged (46 KiB with delayed ACKs).
        for (int i = 0; i < 300; i++) { client.Write(new byte[client.SendSpace]); pair.Step(); }
        // The ring fills, up to less than a segment the receiver's SWS avoidance keeps closed.
        Assert.InRange(server!.Available, TcpConnection.BufferSize - TcpConnection.DefaultMss, TcpConnection.BufferSize);
        // The most the client had sent beyond the server's latest acknowledgment, read off the wire.
        long highest = 0, acked = 0, inFlight = 0;
        uint first = pair.Segments(TcpPair.ClientIp).First().Sequence;
        foreach (TcpFrame f in pair.Segments())
        {
            if (f.Source == TcpPair.ClientIp) highest = Math.Max(highest, (long)(f.Sequence - first) + f.PayloadLength);
            else if (f.Has(TcpFlags.Ack)) acked = Math.Max(acked, (long)(f.Acknowledgment - first));
            inFlight = Math.Max(inFlight, highest - acked);
        }
        if (windowScale) Assert.True(inFlight > 65535, $"at most {inFlight} bytes in flight");
        else Assert.InRange(inFlight, 32768, 65535);
    }

    /// <summary>
    /// RFC 7323 §5: a segment whose timestamp is older than TS.Recent is an old duplicate, even when its sequence
    /// number is in the window; it is dropped and answered with an ACK. The same forgery without timestamps is taken.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PawsDropsASegmentWithAnOldTimestamp(bool timestamps)
    {
        using var pair = new TcpPair();
        pair.Server.Tcp.OfferTimestamps = timestamps;
        var (client, server, echo) = Connect(pair);
        client.Write("first"u8);
        pair.Run(10, echo.Poll);
        Assert.Equal(5, client.Read(new byte[5]));
        TcpFrame old = pair.Segments(TcpPair.ClientIp).First(f => f.PayloadLength == 5);
        EchoBytes(pair, client, echo, 20_000);     // time passes; TS.Recent moves on
        long echoedBefore = echo.Echoed;
        uint rcvNxt = pair.Segments(TcpPair.ServerIp).Last().Acknowledgment;
        pair.InjectToServer(old.With(sequence: rcvNxt));  // in window by sequence, old by timestamp
        pair.Run(10, echo.Poll);
        if (timestamps)
        {
            Assert.Equal(1, server.PawsRejected);
            Assert.Equal(echoedBefore, echo.Echoed);
        }
        else
        {
            Assert.Equal(0, server.PawsRejected);
            Assert.Equal(echoedBefore + 5, echo.Echoed);
        }
    }

    [Fact]
    public void ASegmentWithoutTheAgreedTimestampsIsDropped()
    {
        using var pair = new TcpPair();
        var (client, server, echo) = Connect(pair);
        client.Write("x"u8);
        pair.Run(10, echo.Poll);
        TcpFrame withTs = pair.Segments(TcpPair.ClientIp).First(f => f.PayloadLength == 1);
        // Rebuild it without options: a 20-byte header (RFC 7323 §3.2: silently dropped once timestamps are in use).
        byte[] bare = StripOptions(withTs.Bytes);
        uint rcvNxt = pair.Segments(TcpPair.ServerIp).Last().Acknowledgment;
        pair.InjectToServer(TcpFrame.TryParse(bare, out TcpFrame b) ? b.With(sequence: rcvNxt) : bare);
        pair.Run(5, echo.Poll);
        Assert.Equal(1, server.MissingTimestamps);
        Assert.Equal(1, echo.Echoed);
    }

    private static byte[] StripOptions(byte[] frame)
    {
        int ip = 14, ipHeader = (frame[ip] & 0x0F) * 4, tcp = ip + ipHeader;
        int tcpHeader = (frame[tcp + 12] >> 4) * 4;
        int total = frame[ip + 2] << 8 | frame[ip + 3];
        int payload = total - ipHeader - tcpHeader;
        var bare = new byte[tcp + 20 + payload];
        frame.AsSpan(0, tcp + 20).CopyTo(bare);
        frame.AsSpan(tcp + tcpHeader, payload).CopyTo(bare.AsSpan(tcp + 20));
        bare[tcp + 12] = 5 << 4;
        int newTotal = ipHeader + 20 + payload;
        bare[ip + 2] = (byte)(newTotal >> 8);
        bare[ip + 3] = (byte)newTotal;
        bare[ip + 10] = bare[ip + 11] = 0;
        ushort c = Checksum.Compute(bare.AsSpan(ip, ipHeader));
        bare[ip + 10] = (byte)(c >> 8);
        bare[ip + 11] = (byte)c;
        return bare;
    }

    /// <summary>
    /// Three segments lost from one flight. With SACK (RFC 6675) the sender learns of all three from the first
    /// duplicate ACKs and resends exactly those, in about one round trip; NewReno (the peer not offering SACK) finds
    /// them one partial ACK at a time. Neither waits for the timer.
    /// </summary>
    [Fact]
    public void SackRepairsSeveralLossesInOneRoundTrip()
    {
        (int Steps, TcpConnection Client) Run(bool sack)
        {
            using var pair = new TcpPair();
            pair.Server.Tcp.OfferSack = sack;
            var (client, _, echo) = Connect(pair);
            EchoBytes(pair, client, echo, 200_000);   // open the congestion window
            int dataFrames = 0;
            var lost = new HashSet<int> { 30, 33, 36 };
            pair.Drop = f => f.Source == TcpPair.ClientIp && f.PayloadLength > 0 && lost.Contains(++dataFrames);
            int steps = EchoBytes(pair, client, echo, 120_000);
            Assert.True(dataFrames > 36);
            return (steps, client);
        }
        var (sackSteps, withSack) = Run(sack: true);
        var (renoSteps, withReno) = Run(sack: false);
        Assert.Equal(0, withSack.Timeouts);
        Assert.Equal(1, withSack.SackRecoveries);
        Assert.Equal(3, withSack.Retransmissions);    // exactly the three lost segments, nothing SACKed is resent
        Assert.Equal(3, withSack.SackRetransmits);
        Assert.Equal(0, withReno.Timeouts);
        Assert.Equal(0, withReno.SackRecoveries);
        Assert.True(withReno.Retransmissions >= 3);
        Assert.True(sackSteps < renoSteps, $"SACK took {sackSteps} steps, NewReno {renoSteps}");
    }

    [Theory]
    [InlineData(true, 0.03, 0.05)]
    [InlineData(false, 0.03, 0.05)]
    [InlineData(true, 0.08, 0.0)]
    public void EchoIsIntactThroughLossAndReorderingWithAndWithoutSack(bool sack, double loss, double reorder)
    {
        using var pair = new TcpPair(seed: 7);
        pair.Server.Tcp.OfferSack = sack;
        pair.Link.LossRate = loss;
        pair.Link.ReorderRate = reorder;
        pair.Link.DuplicateRate = 0.02;
        var (client, server, echo) = Connect(pair);
        EchoBytes(pair, client, echo, 400_000, maxSteps: 600_000);
        Assert.Equal(sack, client.SackRecoveries + server.SackRecoveries > 0);
    }

    /// <summary>
    /// With timestamps the ACK of a retransmitted segment times the round trip (RFC 7323 §4: the echoed TSval says
    /// which transmission it answers), so the backed-off RTO comes down at once; without them Karn's rule takes no
    /// sample from it and the RTO stays backed off until new data is timed.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TimestampsTimeTheAckOfARetransmission(bool timestamps)
    {
        using var pair = new TcpPair();
        pair.Server.Tcp.OfferTimestamps = timestamps;
        var (client, _, echo) = Connect(pair);
        EchoBytes(pair, client, echo, 50_000);
        Assert.InRange(client.RtoMs, RttEstimator.MinRtoMs, 300);
        pair.Link.LossRate = 1.0;
        client.Write(new byte[1000]);
        Assert.True(pair.RunUntil(() => client.Timeouts >= 3, 10_000, echo.Poll));
        long backedOff = client.RtoMs;
        Assert.True(backedOff >= 1600);
        pair.Link.LossRate = 0;
        var sink = new byte[1000];
        int got = 0;
        Assert.True(pair.RunUntil(() => (got += client.Read(sink)) >= 1000, 10_000, echo.Poll));
        if (timestamps) Assert.True(client.RtoMs < 300, $"RTO {client.RtoMs} after backing off to {backedOff}");
        else Assert.True(client.RtoMs >= backedOff, $"RTO {client.RtoMs} came down from {backedOff} without a valid sample");
    }
}
