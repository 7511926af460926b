using Cosmos.HostTests.NetModel;
using Cosmos.Net.Protocols.Tcp;
using Cosmos.Net.Wire;
using Xunit;

namespace Cosmos.HostTests.Tcp;

/// <summary>
/// Connections coming and going in numbers: TIME-WAIT kept out of the connection records (and what it still
/// answers, RFC 9293 §3.10.7.4, RFC 1337, RFC 6191), the listen backlog, hundreds of connections at once within the
/// buffer pool, and RFC 6528 initial sequence numbers.
/// </summary>
public sealed class TcpLifecycleTests
{
    /// <summary>A server that answers each connection with a few bytes and closes first, as the HTTP server does.</summary>
    private sealed class CloseFirst(TcpListenerQueue listener)
    {
        public int Served;
        public void Poll()
        {
            for (TcpConnection? c; (c = listener.Accept()) != null;)
            {
                c.Write("bye\n"u8);
                c.Close();
                Served++;
            }
        }
    }

    /// <summary>
    /// Regression: a connection in TIME-WAIT held its record for the whole wait, so a server that closes first ran
    /// out of its 32 records after 32 connections (120 curls gave 31 answers, then immediate failures). Now TIME-WAIT
    /// is a table entry and 300 connections in a row all get their answer.
    /// </summary>
    [Fact]
    public void AServerThatClosesFirstServesHundredsInARow()
    {
        using var pair = new TcpPair();
        var server = new CloseFirst(pair.Server.Tcp.Listen(80)!);
        var sink = new byte[16];
        for (int i = 0; i < 300; i++)
        {
            TcpConnection c = pair.Client.Tcp.Connect(TcpPair.ServerIp, 80, pair.Now)!;
            Assert.NotNull(c);
            int got = 0;
            Assert.True(pair.RunUntil(() => { got += c.Read(sink); return c.IsReadClosed; }, 400, server.Poll), $"connection {i} got no answer");
            Assert.Equal(4, got);
            c.Close();
            pair.Run(4, server.Poll);
        }
        Assert.Equal(300, server.Served);
        Assert.Equal(0, pair.Server.Tcp.ActiveConnections);
        Assert.Equal(300, pair.Server.Tcp.TimeWaitConnections);   // each closed first: each in TIME-WAIT, in the table
        Assert.Equal(0, pair.Server.Tcp.NoConnectionSlot);
        Assert.Equal(pair.Server.Tcp.Buffers.TotalBlocks, pair.Server.Tcp.Buffers.FreeBlocks);
        pair.Run((int)(TcpConnection.TimeWaitMs / 5) + 40, server.Poll);
        Assert.Equal(0, pair.Server.Tcp.TimeWaitConnections);      // and they expire
    }

    /// <summary>Opens a connection from <paramref name="port"/> to a close-first server and sees it through; the server ends in TIME-WAIT.</summary>
    private static void ServeOnce(TcpPair pair, CloseFirst server, ushort port)
    {
        TcpConnection c = pair.Client.Tcp.Connect(TcpPair.ServerIp, 80, port, pair.Now)!;
        Assert.NotNull(c);
        var sink = new byte[16];
        Assert.True(pair.RunUntil(() => { c.Read(sink); return c.IsReadClosed; }, 400, server.Poll));
        c.Close();
        pair.Run(10, server.Poll);
        Assert.True(c.IsFree);
    }

    [Fact]
    public void ARetransmittedFinIsAcknowledgedFromTheTable()
    {
        using var pair = new TcpPair();
        var server = new CloseFirst(pair.Server.Tcp.Listen(80)!);
        TcpConnection c = pair.Client.Tcp.Connect(TcpPair.ServerIp, 80, 40000, pair.Now)!;
        var sink = new byte[16];
        Assert.True(pair.RunUntil(() => { c.Read(sink); return c.IsReadClosed; }, 400, server.Poll));
        // The server's ACK of our FIN is lost once: we resend the FIN, and only the TIME-WAIT entry is left to answer.
        bool dropped = false;
        pair.Drop = f => f.Source == TcpPair.ServerIp && !dropped && (dropped = true);
        c.Close();
        Assert.True(pair.RunUntil(() => c.IsFree, 2000, server.Poll));
        Assert.True(dropped);
        Assert.Equal(1, pair.Server.Tcp.TimeWaitAcks);
        Assert.Equal(1, pair.Server.Tcp.TimeWaitConnections);
    }

    [Fact]
    public void AResetDoesNotEndTimeWait()
    {
        using var pair = new TcpPair();
        var server = new CloseFirst(pair.Server.Tcp.Listen(80)!);
        ServeOnce(pair, server, 40000);
        TcpFrame ack = pair.Segments(TcpPair.ClientIp).Last(f => f.Has(TcpFlags.Ack));
        pair.InjectToServer(ack.With(flags: TcpFlags.Rst));       // RFC 1337: TIME-WAIT assassination
        pair.Run(3, server.Poll);
        Assert.Equal(1, pair.Server.Tcp.TimeWaitResetsIgnored);
        Assert.Equal(1, pair.Server.Tcp.TimeWaitConnections);
    }

    /// <summary>RFC 6191: a SYN for a 4-tuple in TIME-WAIT opens a new connection when its timestamp is newer; an old one is dropped.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ANewerSynReopensATimeWaitFourTupleAndAnOldOneIsDropped(bool timestamps)
    {
        using var pair = new TcpPair();
        pair.Server.Tcp.OfferTimestamps = timestamps;
        var server = new CloseFirst(pair.Server.Tcp.Listen(80)!);
        ServeOnce(pair, server, 40000);
        TcpFrame firstSyn = pair.Segments(TcpPair.ClientIp).First(f => f.IsSyn);
        TcpFrame firstSynAck = pair.Segments(TcpPair.ServerIp).First(f => f.IsSyn);
        Assert.Equal(1, pair.Server.Tcp.TimeWaitConnections);

        // The old SYN again (a duplicate from the network): no answer, the entry stays.
        int answersBefore = pair.Segments(TcpPair.ServerIp).Count();
        pair.InjectToServer(firstSyn.Bytes);
        pair.Run(3, server.Poll);
        Assert.Equal(1, pair.Server.Tcp.TimeWaitSynsDropped);
        Assert.Equal(answersBefore, pair.Segments(TcpPair.ServerIp).Count());

        // A new connection from the same port, 100 ms later: newer timestamp (or higher ISN), so it is taken.
        pair.Run(20, server.Poll);
        ServeOnce(pair, server, 40000);
        Assert.Equal(1, pair.Server.Tcp.TimeWaitReused);
        Assert.Equal(2, server.Served);
        // The new incarnation's ISN lies past everything the old one sent.
        TcpFrame secondSynAck = pair.Segments(TcpPair.ServerIp).Last(f => f.IsSyn);
        Assert.True(Seq.Gt(secondSynAck.Sequence, firstSynAck.Sequence + 65536));
    }

    /// <summary>
    /// A listener whose application does not accept: SYNs beyond its backlog are dropped, not reset, and the clients'
    /// retransmitted SYNs get in once the application accepts.
    /// </summary>
    [Fact]
    public void SynsBeyondTheBacklogAreDroppedAndGetInOnRetry()
    {
        using var pair = new TcpPair();
        TcpListenerQueue listener = pair.Server.Tcp.Listen(7, backlog: 4)!;
        var clients = Enumerable.Range(0, 10).Select(_ => pair.Client.Tcp.Connect(TcpPair.ServerIp, 7, pair.Now)!).ToArray();
        pair.Run(50);
        Assert.Equal(4, listener.Waiting);
        Assert.Equal(6, listener.Refused);
        Assert.Equal(0, pair.Server.Tcp.ResetsSent);
        Assert.Equal(4, clients.Count(c => c.IsEstablished));
        Assert.Equal(6, clients.Count(c => c.State == TcpState.SynSent));
        var accepted = new List<TcpConnection>();
        Assert.True(pair.RunUntil(() => clients.All(c => c.IsEstablished) && accepted.Count == 10, 2000, () => { for (TcpConnection? s; (s = listener.Accept()) != null;) accepted.Add(s); }));
        Assert.Equal(10, accepted.Count);
    }

    /// <summary>256 connections at once, each echoing its own bytes; then all closed, the pool is whole again.</summary>
    [Fact]
    public void TwoHundredFiftySixConnectionsAtOnce()
    {
        using var pair = new TcpPair();
        TcpListenerQueue listener = pair.Server.Tcp.Listen(7, backlog: 256)!;
        var served = new List<TcpConnection>();
        var buffer = new byte[4096];
        void Serve()
        {
            for (TcpConnection? s; (s = listener.Accept()) != null;) served.Add(s);
            foreach (TcpConnection s in served)
            {
                int n = Math.Min(Math.Min(s.Available, s.SendSpace), buffer.Length);
                if (n > 0) { s.Read(buffer.AsSpan(0, n)); s.Write(buffer.AsSpan(0, n)); }
                if (s.IsReadClosed && !s.IsFree) s.Close();
            }
        }
        var clients = new TcpConnection[TcpEndpoint.MaxConnections];
        for (int i = 0; i < clients.Length; i++) clients[i] = pair.Client.Tcp.Connect(TcpPair.ServerIp, 7, pair.Now)!;
        Assert.All(clients, Assert.NotNull);
        Assert.Null(pair.Client.Tcp.Connect(TcpPair.ServerIp, 7, pair.Now));   // the 257th: no record
        Assert.True(pair.RunUntil(() => clients.All(c => c.IsEstablished), 3000, Serve));
        Assert.Equal(256, pair.Server.Tcp.ActiveConnections);
        // Every connection holds its guarantee: 256 x 6 blocks of the 2,048.
        Assert.Equal(256 * TcpConnection.GuaranteedBlocks, pair.Server.Tcp.Buffers.ReservedBlocks + pair.Server.Tcp.Buffers.TotalBlocks - pair.Server.Tcp.Buffers.FreeBlocks);
        const int each = 6000;
        var sent = new int[clients.Length];
        var got = new int[clients.Length];
        var sink = new byte[8192];
        Assert.True(pair.RunUntil(() => got.All(g => g == each), 20_000, () =>
        {
            Serve();
            for (int i = 0; i < clients.Length; i++)
            {
                if (sent[i] < each) sent[i] += clients[i].Write(Enumerable.Repeat((byte)i, Math.Min(1500, each - sent[i])).ToArray());
                int n = clients[i].Read(sink);
                for (int k = 0; k < n; k++) Assert.Equal((byte)i, sink[k]);
                got[i] += n;
            }
        }));
        foreach (TcpConnection c in clients) c.Close();
        Assert.True(pair.RunUntil(() => pair.Server.Tcp.ActiveConnections == 0 && pair.Client.Tcp.ActiveConnections == 0, 3000, Serve));
        foreach (var tcp in new[] { pair.Server.Tcp, pair.Client.Tcp })
        {
            Assert.Equal(tcp.Buffers.TotalBlocks, tcp.Buffers.FreeBlocks);
            Assert.Equal(0, tcp.Buffers.ReservedBlocks);
            Assert.Equal(TcpEndpoint.MaxConnections, tcp.FreeRecords);
        }
    }

    /// <summary>
    /// A pool that can guarantee only five connections at a time: the sixth SYN onwards is dropped (counted) until one
    /// closes; every client is served in the end and the pool's memory never exceeds its size.
    /// </summary>
    [Fact]
    public void ASmallPoolServesWhatItCanGuaranteeAndTheRestInTurn()
    {
        using var pair = new TcpPair(serverBlocks: 5 * TcpConnection.GuaranteedBlocks);
        var server = new CloseFirst(pair.Server.Tcp.Listen(80)!);
        var clients = Enumerable.Range(0, 12).Select(_ => pair.Client.Tcp.Connect(TcpPair.ServerIp, 80, pair.Now)!).ToArray();
        var done = new bool[clients.Length];
        var sink = new byte[16];
        int most = 0;
        Assert.True(pair.RunUntil(() => done.All(d => d), 5000, () =>
        {
            server.Poll();
            most = Math.Max(most, pair.Server.Tcp.ActiveConnections);
            for (int i = 0; i < clients.Length; i++)
            {
                clients[i].Read(sink);
                if (!done[i] && clients[i].IsReadClosed) { clients[i].Close(); done[i] = true; }
            }
        }));
        Assert.Equal(12, server.Served);
        Assert.Equal(5, most);
        Assert.True(pair.Server.Tcp.NoBufferMemory > 0);
        Assert.Equal(0, pair.Server.Tcp.ResetsSent);
    }

    /// <summary>
    /// Regression (found by the tap lane in an 8 MiB guest, 42 echo connections on a 512 KiB pool): with one guarantee
    /// shared by a connection's two rings, data that arrived before the application read it filled the receive ring
    /// up to the guarantee, the shared blocks went to the others, and the echo could take no block to write into: it
    /// stopped reading, and every connection stalled for good. Each ring now has a guarantee of its own.
    /// </summary>
    [Fact]
    public void EchoConnectionsProgressWhenThePoolHasNothingToShare()
    {
        const int connections = 42;
        using var pair = new TcpPair(serverBlocks: 256);   // what an 8 MiB guest gets: 42 guarantees and 4 blocks to share
        TcpListenerQueue listener = pair.Server.Tcp.Listen(7)!;
        var served = new List<TcpConnection>();
        var buffer = new byte[4096];
        bool reading = false;
        void Serve()
        {
            for (TcpConnection? s; (s = listener.Accept()) != null;) served.Add(s);
            if (!reading) return;                            // the data arrives before the application reads it
            foreach (TcpConnection s in served)
            {
                int n = Math.Min(Math.Min(s.Available, s.SendSpace), buffer.Length);
                if (n > 0) { s.Read(buffer.AsSpan(0, n)); s.Write(buffer.AsSpan(0, n)); }
            }
        }
        var clients = Enumerable.Range(0, connections).Select(_ => pair.Client.Tcp.Connect(TcpPair.ServerIp, 7, pair.Now)!).ToArray();
        const int each = 16 * 1024;
        var sent = new int[connections];
        var got = new int[connections];
        var sink = new byte[65536];
        int step = 0;
        bool done = pair.RunUntil(() => got.All(g => g == each), 6000, () =>
        {
            reading = ++step > 400;
            Serve();
            for (int i = 0; i < connections; i++)
            {
                if (clients[i].IsEstablished && sent[i] < each) sent[i] += clients[i].Write(new byte[each - sent[i]]);
                got[i] += clients[i].Read(sink);
            }
        });
        Assert.True(done, $"echoed {got.Sum()} of {connections * each} in 30 s of link time; server pool free {pair.Server.Tcp.Buffers.FreeBlocks} of 256");
    }

    /// <summary>
    /// The receiver gives up out-of-order data when it holds the blocks the missing data needs and the pool has none
    /// to spare (reneging, RFC 2018 §8, as Linux prunes its out-of-order queue): otherwise the gap could never be
    /// filled and the connection would stall for good. The sender resends what it had seen SACKed after its timer.
    /// </summary>
    [Fact]
    public void OutOfOrderDataIsGivenUpWhenTheGapCannotOtherwiseBeFilled()
    {
        using var pair = new TcpPair(serverBlocks: TcpConnection.GuaranteedBlocks + 2);
        TcpListenerQueue listener = pair.Server.Tcp.Listen(9)!;
        TcpConnection client = pair.Client.Tcp.Connect(TcpPair.ServerIp, 9, pair.Now)!;
        TcpConnection? server = null;
        Assert.True(pair.RunUntil(() => (server ??= listener.Accept()) != null && client.IsEstablished, 100));
        // The first two segments are lost: the rest arrive out of order and take the receive ring's two blocks.
        int dataFrames = 0;
        pair.Drop = f => f.Source == TcpPair.ClientIp && f.PayloadLength > 0 && ++dataFrames <= 2;
        byte[] data = Enumerable.Range(0, 6000).Select(i => (byte)(i * 13)).ToArray();
        Assert.Equal(data.Length, client.Write(data));
        pair.Run(3);
        Assert.True(server!.OutOfOrderSegments > 0);
        // Something else takes every block the pool had to share.
        var hog = new BufferAccount();
        Assert.True(pair.Server.Tcp.Buffers.Open(hog, 0));
        while (pair.Server.Tcp.Buffers.Take(hog) >= 0) { }
        var received = new List<byte>();
        var sink = new byte[8192];
        Assert.True(pair.RunUntil(() => { int n = server.Read(sink); received.AddRange(sink.Take(n)); return received.Count == data.Length; }, 2000),
            $"{received.Count} of {data.Length} bytes arrived");
        Assert.Equal(data, received);
    }

    /// <summary>
    /// Regression (RFC 6528): the ISN came from a counter stepped by a linear congruential generator. Now it is a
    /// keyed hash of the 4-tuple plus a 4 µs clock: the same 4-tuple advances with time alone, and another secret
    /// gives unrelated numbers.
    /// </summary>
    [Fact]
    public void InitialSequenceNumbersAreAKeyedHashPlusTheClock()
    {
        uint SynIsn(ulong secret, long openAtMs, ushort port)
        {
            using var pair = new TcpPair();
            pair.Client.Tcp.SetSecret(secret, ~secret);
            pair.Now = openAtMs;
            pair.Client.Tcp.Connect(TcpPair.ServerIp, 7, port, pair.Now);
            pair.Run(3);   // ARP, then the SYN
            return pair.Segments(TcpPair.ClientIp).First(f => f.IsSyn).Sequence;
        }
        uint a = SynIsn(1, 1000, 40000);
        Assert.Equal(a + 250u * 700, SynIsn(1, 1700, 40000));     // 700 ms later: 250 ticks of 4 µs per ms
        Assert.NotEqual(a, SynIsn(2, 1000, 40000));
        uint b = SynIsn(1, 1000, 40001);
        Assert.NotEqual(a + 1, b);
        Assert.NotEqual(a, b);
    }
}
