using Cosmos.HostTests.NetModel;
using Cosmos.Net.Protocols.Tcp;
using Cosmos.Net.Wire;
using Xunit;

namespace Cosmos.HostTests.Tcp;

/// <summary>
/// Delayed acknowledgments (RFC 9293 §3.8.6.3, RFC 5681 §4.2): in-order data's ACK waits up to
/// <see cref="TcpConnection.DelayedAckMs"/> for a reply to carry it, but never past two full-sized segments.
/// The pair's steps are 5 ms: a frame sent in one step arrives in the next, so an ACK sent at once leaves 5 ms after
/// the data did, and a held one that nothing carried leaves one step later.
/// </summary>
public sealed class DelayedAckTests
{
    private const int Port = 6379;

    private static (TcpConnection Client, TcpConnection Server) Connect(TcpPair pair)
    {
        TcpListenerQueue listener = pair.Server.Tcp.Listen(Port)!;
        TcpConnection client = pair.Client.Tcp.Connect(TcpPair.ServerIp, Port, pair.Now)!;
        TcpConnection? server = null;
        Assert.True(pair.RunUntil(() => (server ??= listener.Accept()) != null && client.IsEstablished, 100));
        pair.Run(5);
        return (client, server!);
    }

    /// <summary>Frames from one side after <paramref name="since"/> (the time a frame was put on the link) with their times.</summary>
    private static List<(long At, TcpFrame Frame)> From(TcpPair pair, Ipv4Address source, long since) =>
        pair.Frames.Where(f => f.At > since).Select(f => (f.At, Ok: TcpFrame.TryParse(f.Frame, out TcpFrame t), t))
            .Where(x => x.Ok && x.t.Source == source).Select(x => (x.At, x.t)).ToList();

    /// <summary>
    /// <paramref name="rounds"/> 36-byte requests, each answered with a 9-byte reply as soon as the server has read it
    /// (as a program does in the event loop's next turn), the next request sent once the reply is in.
    /// </summary>
    private static void RequestsAndReplies(TcpPair pair, TcpConnection client, TcpConnection server, int rounds)
    {
        var request = new byte[36];
        for (int round = 0; round < rounds; round++)
        {
            Assert.Equal(request.Length, client.Write(request));
            Assert.True(pair.RunUntil(() => client.Available >= 9, 20, () =>
            {
                if (server.Available >= request.Length) { server.Read(new byte[request.Length]); server.Write("$3\r\nabc\r\n"u8); }
            }));
            client.Read(new byte[9]);
        }
    }

    [Fact]
    public void AReplyCarriesTheAcknowledgmentOfItsRequest()
    {
        using var pair = new TcpPair();
        var (client, server) = Connect(pair);
        long start = pair.Now;
        RequestsAndReplies(pair, client, server, 20);
        var fromServer = From(pair, TcpPair.ServerIp, start);
        Assert.Equal(20, fromServer.Count(f => f.Frame.PayloadLength == 9));
        // No pure ACKs: every request's acknowledgment went out on its reply.
        Assert.DoesNotContain(fromServer, f => f.Frame.PayloadLength == 0);
        Assert.Equal(0, pair.Server.Tcp.DelayedAcksSent);
    }

    [Fact]
    public void DataNobodyAnswersIsAcknowledgedWhenTheDelayRunsOut()
    {
        using var pair = new TcpPair();
        var (client, _) = Connect(pair);
        long start = pair.Now;
        Assert.Equal(100, client.Write(new byte[100]));
        pair.Run(4);
        var sent = From(pair, TcpPair.ClientIp, start).Single(f => f.Frame.PayloadLength == 100);
        var ack = From(pair, TcpPair.ServerIp, start).Single(f => f.Frame.Has(TcpFlags.Ack) && f.Frame.PayloadLength == 0);
        Assert.Equal(sent.Frame.Sequence + 100, ack.Frame.Acknowledgment);
        // Not at once (that would be the step it arrived in), but in the first step after the delay.
        Assert.Equal(sent.At + 10, ack.At);
        Assert.Equal(1, pair.Server.Tcp.DelayedAcksSent);
    }

    [Fact]
    public void TwoFullSegmentsAreAcknowledgedAtOnce()
    {
        using var pair = new TcpPair();
        var (client, _) = Connect(pair);
        long start = pair.Now;
        int full = client.SendMss;
        Assert.Equal(2 * full, client.Write(new byte[2 * full]));
        pair.Run(4);
        var sent = From(pair, TcpPair.ClientIp, start).Where(f => f.Frame.PayloadLength > 0).ToList();
        Assert.Equal(2, sent.Count);
        var ack = From(pair, TcpPair.ServerIp, start).First(f => f.Frame.Has(TcpFlags.Ack));
        Assert.Equal(sent[1].Frame.Sequence + (uint)full, ack.Frame.Acknowledgment);
        Assert.Equal(sent[1].At + 5, ack.At);
        Assert.Equal(0, pair.Server.Tcp.DelayedAcksSent);
    }

    [Fact]
    public void WithoutDelayEveryRequestCostsAPureAck()
    {
        using var pair = new TcpPair();
        pair.Server.Tcp.DelayAcks = false;
        var (client, server) = Connect(pair);
        long start = pair.Now;
        RequestsAndReplies(pair, client, server, 5);
        Assert.Equal(5, From(pair, TcpPair.ServerIp, start).Count(f => f.Frame.PayloadLength == 0));
    }
}
