using CsCheck;
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
            Assert.Equal(34, header.ChecksumStart.Value);
            Assert.Equal(6, header.ChecksumOffset.Value);
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

/// <summary>The word-at-a-time Internet checksum against the byte-pair definition of RFC 1071.</summary>
public class InternetChecksumPropertyTests
{
    private static uint Reference(uint sum, byte[] data)
    {
        int i = 0;
        for (; i + 1 < data.Length; i += 2) sum += (uint)(data[i] << 8 | data[i + 1]);
        if (i < data.Length) sum += (uint)(data[i] << 8);
        return sum;
    }

    private static ushort Fold(uint sum)
    {
        while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    [Fact]
    public void WordAtATimeSum_FoldsToTheSameValueAsTheByteDefinition()
    {
        CsCheck.Gen.Select(CsCheck.Gen.Byte.Array[0, 1600], CsCheck.Gen.UInt[0, 0x3FFFF]).Sample((data, start) =>
        {
            ushort expected = Fold(Reference(start, data));
            ushort actual = Fold(Cosmos.Hal.Network.InternetChecksum.Add(start, data));
            // 0x0000 and 0xFFFF are the same number in one's complement; the folds may pick either.
            return expected == actual || (expected == 0xFFFF && actual == 0) || (expected == 0 && actual == 0xFFFF);
        });
    }

    [Fact]
    public void AllOnesData_AndOddLengths_MatchTheReference()
    {
        foreach (int length in new[] { 0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 1471, 1472, 1473 })
        {
            var ones = Enumerable.Repeat((byte)0xFF, length).ToArray();
            var ramp = Enumerable.Range(0, length).Select(i => (byte)(i * 37 + 11)).ToArray();
            Assert.Equal(Fold(Reference(0, ramp)), Fold(Cosmos.Hal.Network.InternetChecksum.Add(0, ramp)));
            ushort a = Fold(Reference(0, ones)), b = Fold(Cosmos.Hal.Network.InternetChecksum.Add(0, ones));
            Assert.True(a == b || (a ^ b) == 0xFFFF && (a == 0 || b == 0), $"length {length}: {a:x4} vs {b:x4}");
        }
    }
}
