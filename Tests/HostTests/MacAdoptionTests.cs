using Cosmos.Hal.Network;
using Cosmos.HostTests.NetModel;
using Cosmos.Net.Interface;
using Cosmos.Net.Wire;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>
/// An interface whose device was replaced by one with another MAC (a new Xen vif after xl network-detach and
/// network-attach) takes the new address for everything it sends from then on, its gratuitous ARP first; a device
/// with the same MAC changes nothing.
/// </summary>
public sealed class MacAdoptionTests : IDisposable
{
    private readonly LinkDevice _device = new(1), _peer = new(2);
    private readonly Link _link;
    private readonly NetworkInterface _nif;
    private static readonly Ipv4Address Us = new(10, 0, 0, 1);

    public MacAdoptionTests()
    {
        _link = new Link(_device, _peer, 1);
        _nif = new NetworkInterface(_device);
        _nif.Configure(Us, 24, default, default);
        _link.Step();
        Drain();
    }

    public void Dispose()
    {
        _device.Dispose();
        _peer.Dispose();
    }

    private List<byte[]> Drain() => _peer.TakeAll();

    private byte[] AnnounceAndCapture()
    {
        _nif.AnnounceAddress();
        _link.Step();
        return Assert.Single(Drain());
    }

    [Fact]
    public void SameMacChangesNothing()
    {
        Assert.False(_nif.AdoptDeviceMac());
        byte[] arp = AnnounceAndCapture();
        Assert.Equal(new byte[] { 2, 0, 0, 0, 0, 1 }, arp[6..12]);
    }

    [Fact]
    public void ANewMacIsTakenForFramesAndArp()
    {
        var fresh = new byte[] { 0x00, 0x16, 0x3e, 0x12, 0x34, 0x56 };
        _device.Mac = new MacAddress(fresh);
        Assert.True(_nif.AdoptDeviceMac());
        Assert.False(_nif.AdoptDeviceMac());
        byte[] arp = AnnounceAndCapture();
        Assert.Equal(fresh, arp[6..12]);    // Ethernet source
        Assert.Equal(fresh, arp[22..28]);   // ARP sender hardware address
        Assert.Equal(new byte[] { 10, 0, 0, 1 }, arp[28..32]);
    }
}
