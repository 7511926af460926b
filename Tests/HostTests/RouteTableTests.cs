using Cosmos.HostTests.NetModel;
using Cosmos.Net.Interface;
using Cosmos.Net.Routing;
using Cosmos.Net.Wire;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>Which interface the kernel's own packets leave by: the longest matching subnet, else the default route.</summary>
public sealed class RouteTableTests : IDisposable
{
    public void Dispose() { foreach (var d in _devices) d.Dispose(); }

    private static Ipv4Address Ip(string text) { Assert.True(Ipv4Address.TryParse(text, out var a)); return a; }

    private readonly List<IDisposable> _devices = [];

    private NetworkInterface Interface(byte id, string address, int prefix, string? gateway)
    {
        var device = new LinkDevice(id);
        var peer = new LinkDevice((byte)(id + 100));
        _devices.Add(device); _devices.Add(peer);
        _ = new Link(device, peer, id); // the gratuitous ARP on Configure needs somewhere to go
        var nif = new NetworkInterface(device);
        if (address != "") nif.Configure(Ip(address), prefix, gateway == null ? default : Ip(gateway), default);
        return nif;
    }

    [Fact]
    public void ASubnetGoesOutOfItsOwnInterface_AndTheLongestPrefixWins()
    {
        var routes = new RouteTable();
        NetworkInterface lan = Interface(1, "10.0.2.15", 24, "10.0.2.2"), wide = Interface(2, "10.0.0.9", 8, null), lab = Interface(3, "192.168.100.58", 24, null);
        routes.Add(wide); routes.Add(lan); routes.Add(lab); // the wider subnet first: order must not decide
        Assert.Same(lan, routes.Lookup(Ip("10.0.2.3")));      // in both 10.0.2.0/24 and 10.0.0.0/8: /24 wins
        Assert.Same(wide, routes.Lookup(Ip("10.7.1.1")));     // only in 10.0.0.0/8
        Assert.Same(lab, routes.Lookup(Ip("192.168.100.1")));
        Assert.Same(lan, routes.Lookup(Ip("8.8.8.8")));       // elsewhere: the first with a gateway (wide has none)
    }

    [Fact]
    public void TheDefaultRouteCanBeNamed_AndNeedsAGateway()
    {
        var routes = new RouteTable();
        NetworkInterface a = Interface(1, "10.0.2.15", 24, "10.0.2.2"), b = Interface(2, "10.0.5.15", 24, "10.0.5.2");
        routes.Add(a); routes.Add(b);
        routes.DefaultInterface = 1;
        Assert.Same(b, routes.Lookup(Ip("1.1.1.1")));
        Assert.Same(a, routes.Lookup(Ip("10.0.2.9")));        // its own subnet still wins over the default
        var noGateway = new RouteTable();
        noGateway.Add(Interface(3, "10.0.3.15", 24, null));
        Assert.Null(noGateway.Lookup(Ip("1.1.1.1")));
        noGateway.DefaultInterface = 0;
        Assert.Null(noGateway.Lookup(Ip("1.1.1.1")));
    }

    [Fact]
    public void AnInterfaceWithoutAnAddressYet_RoutesNothing()
    {
        var routes = new RouteTable();
        NetworkInterface waiting = Interface(1, "", 0, null), ready = Interface(2, "10.0.5.15", 24, "10.0.5.2");
        routes.Add(waiting); routes.Add(ready);
        Assert.Same(ready, routes.Lookup(Ip("10.0.2.3")));
        Assert.Same(ready, routes.Lookup(Ip("0.0.0.1")));
    }
}
