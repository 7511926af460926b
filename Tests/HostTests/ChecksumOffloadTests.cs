using Cosmos.Drivers.VirtioNet.Spec;
using Cosmos.HostTests.VirtioModel;
using Cosmos.Net.Interface;
using Cosmos.Net.Wire;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>The stack over the real virtio-net driver and the device model: checksum offload used when negotiated.</summary>
public class ChecksumOffloadTests
{
    private static bool ValidUdp(byte[] frame)
    {
        var udp = PacketDotNet.Packet.ParsePacket(PacketDotNet.LinkLayers.Ethernet, frame).Extract<PacketDotNet.UdpPacket>();
        return udp != null && udp.ValidUdpChecksum;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void UdpLeavesWithAPartialChecksumOnlyWhenTheNicCompletesIt(bool negotiated)
    {
        ulong features = Rig.QemuLikeFeatures;
        if (!negotiated) features &= ~(1UL << NetFeatures.Checksum);
        using var rig = new Rig("modern", features).Started();
        var nif = new NetworkInterface(rig.Driver);
        var peer = new Ipv4Address(10, 0, 2, 2);
        nif.Configure(new Ipv4Address(10, 0, 2, 15), 24, peer, default);
        nif.Arp.Update(peer, new Cosmos.Hal.Network.MacAddress(new byte[] { 2, 0, 0, 0, 0, 9 }), 0);
        var socket = nif.Udp.Bind(4000)!;
        Assert.Equal(negotiated, nif.OffloadsTransmitChecksum);
        Assert.True(socket.TrySend(peer, 7, new byte[] { 1, 2, 3, 4, 5, 6, 7 }));
        rig.Pump();

        byte[] frame = rig.Model.Transmitted[^1];
        VirtioNetHeader header = rig.Model.TransmittedHeaders[^1];
        if (negotiated)
        {
            Assert.Equal(NetHeaderFlags.NeedsChecksum, header.Flags);
            Assert.Equal(34, header.ChecksumStart);
            Assert.Equal(6, header.ChecksumOffset);
            Assert.False(ValidUdp(frame));                        // the device's job...
            Cosmos.Hal.Network.InternetChecksum.Complete(frame, 34, 6);
            Assert.True(ValidUdp(frame));                         // ...and once done, it is right
        }
        else
        {
            Assert.Equal(0, header.Flags);
            Assert.True(ValidUdp(frame));
        }
    }
}
