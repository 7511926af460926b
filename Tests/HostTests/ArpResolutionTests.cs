using Cosmos.Hal.Network;
using Cosmos.HostTests.NetModel;
using Cosmos.Net.Interface;
using Cosmos.Net.Wire;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>
/// Frames waiting for ARP (RFC 826, RFC 1122 §2.3.2.1-2): one request per next hop however many frames wait,
/// retried at most once a second with backoff, the frames released in order on the answer, or dropped and
/// counted when none comes.
/// </summary>
public sealed class ArpResolutionTests : IDisposable
{
    private readonly LinkDevice _device = new(1), _peer = new(2);
    private readonly Link _link;
    private readonly NetworkInterface _nif;
    private static readonly Ipv4Address Us = new(10, 0, 0, 1), Hop = new(10, 0, 0, 9), Other = new(10, 0, 0, 10);
    private long _now = 1000;

    public ArpResolutionTests()
    {
        _link = new Link(_device, _peer, 1);
        _nif = new NetworkInterface(_device);
        _nif.Configure(Us, 24, default, default);
        _link.Step();
        Drain(); // the gratuitous ARP
    }

    public void Dispose()
    {
        _device.Dispose();
        _peer.Dispose();
    }

    private List<byte[]> Drain() => _peer.TakeAll();

    private static bool IsArpRequestFor(byte[] f, Ipv4Address target) =>
        f[12] == 0x08 && f[13] == 0x06 && f[21] == 1 && new Ipv4Address(f[38], f[39], f[40], f[41]) == target;

    /// <summary>Advances time in 100 ms turns; returns every frame the interface sent meanwhile, with when.</summary>
    private List<(long At, byte[] Frame)> Run(long ms)
    {
        var sent = new List<(long, byte[])>();
        for (long end = _now + ms; _now < end;)
        {
            _now += 100;
            _nif.Poll(_now);
            _link.Step();
            foreach (byte[] f in Drain()) sent.Add((_now, f));
        }
        return sent;
    }

    /// <summary>Regression: every frame held for ARP sent a request of its own (ten pings, ten requests).</summary>
    [Fact]
    public void TenFramesToOneNextHopMakeOneRequest()
    {
        _nif.Poll(_now);
        for (ushort i = 1; i <= 10; i++) _nif.Icmp.SendEchoRequest(Hop, i);
        _link.Step();
        List<byte[]> sent = Drain();
        Assert.Single(sent, f => IsArpRequestFor(f, Hop));
        Assert.Equal(10, _nif.PendingPackets);
    }

    [Fact]
    public void WithoutAnAnswerItAsksThreeTimesWithBackoffThenDropsAndCounts()
    {
        _nif.Poll(_now);
        long start = _now;
        for (ushort i = 1; i <= 10; i++) _nif.Icmp.SendEchoRequest(Hop, i);
        _link.Step();
        var first = Drain().Select(f => (At: start, Frame: f)).ToList();
        var sent = Run(8000);
        var requests = first.Concat(sent).Where(x => IsArpRequestFor(x.Frame, Hop)).Select(x => x.At - start).ToList();
        Assert.Equal(new long[] { 0, 1000, 3000 }, requests);      // at once, then after 1 s, then 2 s more
        Assert.Equal(0, _nif.PendingPackets);
        Assert.Equal(10, _nif.Counters.ArpPendingDropped);
        Assert.Equal(1, _nif.Counters.ArpResolutionsFailed);
        Assert.DoesNotContain(sent, x => x.Frame[12] == 0x08 && x.Frame[13] == 0x00); // nothing was sent to nobody
    }

    [Fact]
    public void TheAnswerReleasesEveryFrameInOrder()
    {
        _nif.Poll(_now);
        for (ushort i = 1; i <= 10; i++) _nif.Icmp.SendEchoRequest(Hop, i);
        Run(1500);                                                // two requests so far
        var reply = new byte[60];
        var hopMac = new MacAddress([2, 0, 0, 0, 0, 9]);
        Span<byte> payload = EthernetFrame.Emit(reply, new EthernetRepr { Destination = _device.Mac, Source = hopMac, EtherType = EtherType.Arp });
        ArpPacket.Emit(payload, new ArpRepr { Operation = ArpPacket.Reply, SenderHardware = hopMac, SenderProtocol = Hop, TargetHardware = _device.Mac, TargetProtocol = Us });
        _device.Deliver(reply);
        var sent = Run(200);
        var pings = sent.Where(x => x.Frame[12] == 0x08 && x.Frame[13] == 0x00 && x.Frame[23] == IpProtocol.Icmp).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (ushort)i), pings.Select(x => (ushort)(x.Frame[40] << 8 | x.Frame[41])));
        Assert.All(pings, x => Assert.Equal(new byte[] { 2, 0, 0, 0, 0, 9 }, x.Frame[..6]));
        Assert.Equal(0, _nif.PendingPackets);
        Assert.DoesNotContain(Run(5000), x => IsArpRequestFor(x.Frame, Hop));   // no more requests
        Assert.Equal(0, _nif.Counters.ArpPendingDropped);
    }

    [Fact]
    public void EachNextHopHasItsOwnResolutionAndTheHeldFramesAreBounded()
    {
        _nif.Poll(_now);
        for (ushort i = 1; i <= 20; i++) _nif.Icmp.SendEchoRequest(Hop, i);
        for (ushort i = 1; i <= 20; i++) _nif.Icmp.SendEchoRequest(Other, i);
        _link.Step();
        List<byte[]> sent = Drain();
        Assert.Single(sent, f => IsArpRequestFor(f, Hop));
        Assert.Single(sent, f => IsArpRequestFor(f, Other));
        Assert.Equal(ArpResolver.HeldCapacity, _nif.PendingPackets);
        Assert.Equal(40 - ArpResolver.HeldCapacity, _nif.Counters.ArpPendingDropped);
    }
}
