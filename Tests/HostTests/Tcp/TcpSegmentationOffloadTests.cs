using Cosmos.HostTests.NetModel;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols.Tcp;
using Cosmos.Net.Services;
using Cosmos.Net.Wire;
using Xunit;

namespace Cosmos.HostTests.Tcp;

/// <summary>
/// TCP with a NIC that segments for it (TSO, virtio-net HOST_TSO4): the sender hands over packets of many segments,
/// the link cuts them as a device would (its own IP IDs and checksums, sequence numbers, FIN/PSH on the last), and
/// the receiver sees ordinary MTU-sized segments carrying the data intact.
/// </summary>
public sealed class TcpSegmentationOffloadTests : IDisposable
{
    private readonly LinkDevice _serverDevice = new(1), _clientDevice = new(2);
    private readonly NetworkInterface _server, _client;
    private readonly Link _link;
    private long _now = 1000;
    private static readonly Ipv4Address ServerIp = new(10, 0, 0, 1), ClientIp = new(10, 0, 0, 2);
    private readonly List<byte[]> _wire = [];

    public TcpSegmentationOffloadTests()
    {
        _link = new Link(_serverDevice, _clientDevice, seed: 7) { DropWhen = f => { _wire.Add(f); return false; } };
        _serverDevice.SegmentsTcp = true; // the echo server's NIC segments; the client's does not
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

    private void Step(TcpEchoService echo)
    {
        _now += 5;
        _server.Poll(_now);
        echo.Poll();
        _client.Poll(_now);
        _link.Step();
    }

    [Fact]
    public void TheEchoComesBackIntact_SentAsLargePackets_CutIntoFullSegments()
    {
        var echo = new TcpEchoService(_server);
        TcpConnection c = _client.Tcp.Connect(ServerIp, 7, _now)!;
        for (int i = 0; i < 200 && !c.IsEstablished; i++) Step(echo);
        Assert.True(c.IsEstablished);
        byte[] data = new byte[600_000];
        new Random(5).NextBytes(data);
        var back = new List<byte>();
        int written = 0;
        var chunk = new byte[65536];
        for (int step = 0; step < 200_000 && back.Count < data.Length; step++)
        {
            if (written < data.Length) written += c.Write(data.AsSpan(written, Math.Min(16384, data.Length - written)));
            Step(echo);
            int n = c.Read(chunk);
            back.AddRange(chunk.AsSpan(0, n).ToArray());
        }
        Assert.Equal(data.Length, back.Count);
        Assert.True(data.AsSpan().SequenceEqual(back.ToArray()), "the echo differs from what was sent");

        Assert.True(_server.Tcp.SegmentedSends > 0, "the server handed the NIC packets of several segments");
        Assert.True(_serverDevice.SegmentsMade >= _serverDevice.SegmentedFrames * 2, $"{_serverDevice.SegmentedFrames} packets cut into {_serverDevice.SegmentsMade} segments");
        Assert.Equal(0, _client.Tcp.SegmentedSends); // the client's NIC cannot: it never tried
        // On the wire every frame fits the MTU, and every server segment but a packet's last is full.
        Assert.All(_wire, f => Assert.True(f.Length <= 1514, $"a {f.Length}-byte frame on the wire"));
        Assert.Equal(0, _client.Counters.Ipv4BadChecksum);
    }

    [Fact]
    public void WithoutAnOffloadingNic_NothingIsSegmented()
    {
        _serverDevice.SegmentsTcp = false;
        var echo = new TcpEchoService(_server);
        TcpConnection c = _client.Tcp.Connect(ServerIp, 7, _now)!;
        for (int i = 0; i < 200 && !c.IsEstablished; i++) Step(echo);
        c.Write(new byte[50_000]);
        for (int i = 0; i < 2000; i++) { Step(echo); c.Read(new byte[65536]); }
        Assert.Equal(0, _server.Tcp.SegmentedSends);
        Assert.Equal(0, _server.MaxSegmentationPayload);
    }
}
