using System.Buffers.Binary;
using Cosmos.Drivers.XenNetfront;
using Cosmos.Hal.Network;
using Cosmos.HostTests.XenModel;
using PacketDotNet;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>
/// The netfront's offloads against the netback model (io/netif.h): partial checksums both ways (csum_blank,
/// feature-no-csum-offload), TCP/IPv4 segmentation both ways (feature-gso-tcpv4, the GSO extra, multi-slot
/// packets), each declinable, and what a hostile backend can do with them.
/// </summary>
public class XenNetfrontOffloadTests
{
    private static XenRig Rig(Action<NetbackModel>? configure = null, XenNetfrontOffloads? offloads = null)
    {
        XenNetfrontOptions? options = null;
        if (offloads != null)
        {
            var o = XenNetfrontOptions.Default;
            o.ConnectTimeoutMilliseconds = 2000;
            o.Offloads = offloads.Value;
            options = o;
        }
        return new XenRig(configure, options).Connected();
    }

    /// <summary>Ethernet + IPv4 + TCP (or UDP) with <paramref name="payload"/> bytes; checksums complete, or partial (the pseudo-header sum).</summary>
    internal static byte[] IpPacket(int payload, bool partial, bool udp = false, int seed = 1)
    {
        var data = new byte[payload];
        new Random(seed).NextBytes(data);
        Packet transport = udp
            ? new UdpPacket(40000, 7) { PayloadData = data }
            : new TcpPacket(40000, 7) { SequenceNumber = 1000, AcknowledgmentNumber = 1, Acknowledgment = true, Push = true, WindowSize = 65535, PayloadData = data };
        var ip = new IPv4Packet(System.Net.IPAddress.Parse("192.168.77.81"), System.Net.IPAddress.Parse("192.168.77.1")) { PayloadPacket = transport, TimeToLive = 64, Id = 0x1234 };
        var eth = new EthernetPacket(System.Net.NetworkInformation.PhysicalAddress.Parse("00163E123456"),
            System.Net.NetworkInformation.PhysicalAddress.Parse("020000000001"), EthernetType.IPv4) { PayloadPacket = ip };
        ip.UpdateCalculatedValues();
        ip.UpdateIPChecksum();
        byte[] frame = eth.Bytes;
        ModelChecksum.FillTransport(frame);
        if (partial)
        {
            uint sum = ModelChecksum.PseudoHeader(frame);
            while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(34 + (udp ? 6 : 16)), (ushort)sum);
        }
        return frame;
    }

    private static ChecksumOffload Partial(bool udp = false) => new() { Start = 34, Offset = udp ? 6 : 16 };

    private static void SendLarge(XenRig rig, byte[] frame, int mss)
    {
        TransmitBuffer buffer = default;
        for (int i = 0; i < 50 && !rig.Device.TryReserveLargeTransmit(out buffer); i++) rig.Pump();
        Assert.NotNull(buffer.Span.ToArray()); // (reserved within 50 pumps, else the next line fails)
        Assert.Equal(65535, buffer.Capacity);
        frame.CopyTo(buffer.Span);
        rig.Device.TransmitSegmented(buffer, frame.Length, Partial(), new SegmentationOffload { HeaderLength = 54, SegmentSize = mss });
    }

    [Fact]
    public void Handshake_TakesEveryOffloadNetbackOffers()
    {
        using var rig = Rig();
        var d = rig.Device;
        Assert.Equal("0", rig.Netback.FrontendKey("feature-no-csum-offload")); // netback may send csum_blank
        Assert.Equal("1", rig.Netback.FrontendKey("feature-gso-tcpv4"));       // and coalesced TCP/IPv4
        Assert.True(d.UsingTransmitChecksum && d.UsingReceiveChecksum && d.UsingTransmitSegmentation && d.UsingReceiveSegmentation);
        Assert.True(d.CanOffloadTransmitChecksum);
        Assert.Equal(65535, d.MaxSegmentationFrame); // netif.h: the request size field is 16 bits and counts the Ethernet header
        Assert.True(rig.Netback.FrontendTakesPartialChecksums && rig.Netback.FrontendGsoTcpV4);
    }

    public static TheoryData<string, XenNetfrontOffloads> Declines => new()
    {
        { "tx-csum", XenNetfrontOffloads.TransmitChecksum | XenNetfrontOffloads.TransmitSegmentation }, // TSO stands on csum_blank
        { "rx-csum", XenNetfrontOffloads.ReceiveChecksum | XenNetfrontOffloads.ReceiveSegmentation },
        { "tx-gso", XenNetfrontOffloads.TransmitSegmentation },
        { "rx-gso", XenNetfrontOffloads.ReceiveSegmentation },
        { "all", XenNetfrontOffloads.All },
        { "tx-gso,rx-csum", XenNetfrontOffloads.TransmitSegmentation | XenNetfrontOffloads.ReceiveChecksum | XenNetfrontOffloads.ReceiveSegmentation },
    };

    /// <summary>xen.offloads-off=...: each name turns its offload off (and those that stand on it), and the keys say so.</summary>
    [Theory, MemberData(nameof(Declines))]
    public void EachOffloadCanBeDeclinedOnTheCommandLine(string list, XenNetfrontOffloads expectedOff)
    {
        XenNetfrontOffloads off = XenNetfrontOptions.ParseOffloadsOff(list, out bool unknown);
        Assert.False(unknown);
        using var rig = Rig(offloads: XenNetfrontOffloads.All & ~off);
        var d = rig.Device;
        Assert.Equal((expectedOff & XenNetfrontOffloads.TransmitChecksum) == 0, d.UsingTransmitChecksum);
        Assert.Equal((expectedOff & XenNetfrontOffloads.ReceiveChecksum) == 0, d.UsingReceiveChecksum);
        Assert.Equal((expectedOff & XenNetfrontOffloads.TransmitSegmentation) == 0, d.UsingTransmitSegmentation);
        Assert.Equal((expectedOff & XenNetfrontOffloads.ReceiveSegmentation) == 0, d.UsingReceiveSegmentation);
        Assert.Equal(d.UsingReceiveChecksum ? "0" : "1", rig.Netback.FrontendKey("feature-no-csum-offload"));
        Assert.Equal(d.UsingReceiveSegmentation ? "1" : "0", rig.Netback.FrontendKey("feature-gso-tcpv4"));
        Assert.Equal(d.UsingTransmitChecksum, d.CanOffloadTransmitChecksum);
        Assert.Equal(d.UsingTransmitSegmentation ? 65535 : 0, d.MaxSegmentationFrame);
        if (!d.UsingTransmitSegmentation) Assert.False(d.TryReserveLargeTransmit(out _));
    }

    [Fact]
    public void OffloadsOffList_ReportsUnknownNames()
    {
        Assert.Equal(XenNetfrontOffloads.ReceiveSegmentation, XenNetfrontOptions.ParseOffloadsOff("rx-gso,tso9", out bool unknown));
        Assert.True(unknown);
        Assert.Equal(XenNetfrontOffloads.None, XenNetfrontOptions.ParseOffloadsOff("", out unknown));
        Assert.False(unknown);
    }

    [Fact]
    public void Dependencies_FollowWhatNetbackOffers()
    {
        // No feature-sg: nothing spans slots, so no segmentation either way.
        using (var rig = Rig(nb => nb.OfferScatterGather = false))
        {
            Assert.False(rig.Device.UsingTransmitSegmentation);
            Assert.False(rig.Device.UsingReceiveSegmentation);
            Assert.Equal("0", rig.Netback.FrontendKey("feature-gso-tcpv4"));
            Assert.True(rig.Device.UsingTransmitChecksum);
        }
        // netback's feature-no-csum-offload=1: complete checksums only, hence no TSO.
        using (var rig = Rig(nb => nb.OfferNoChecksumOffload = true))
        {
            Assert.False(rig.Device.UsingTransmitChecksum);
            Assert.False(rig.Device.UsingTransmitSegmentation);
            Assert.True(rig.Device.UsingReceiveSegmentation);
        }
        // No feature-gso-tcpv4 from netback: we do not segment on it, but may still take coalesced packets.
        using (var rig = Rig(nb => nb.OfferGsoTcpV4 = false))
        {
            Assert.False(rig.Device.UsingTransmitSegmentation);
            Assert.False(rig.Device.BackendSegmentation);
            Assert.True(rig.Device.UsingReceiveSegmentation);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Transmit_PartialChecksum_GoesAsCsumBlank_AndNetbackCompletesIt(bool udp)
    {
        using var rig = Rig();
        byte[] frame = IpPacket(300, partial: true, udp);
        Assert.True(rig.Device.TryReserveTransmit(out TransmitBuffer buffer));
        frame.CopyTo(buffer.Span);
        rig.Device.Transmit(buffer, frame.Length, Partial(udp));
        rig.Pump();
        TxPacket sent = Assert.Single(rig.Netback.TransmittedPackets);
        Assert.Equal(NetbackModel.TxCsumBlank | NetbackModel.TxDataValidated, sent.Flags);
        Assert.True(ModelChecksum.TransportValid(rig.Netback.Transmitted[^1]));
        Assert.Equal(0, rig.Netback.PartialSumMismatches);
        Assert.Empty(rig.Netback.Violations);
    }

    [Fact]
    public void Transmit_WithTxChecksumDeclined_TheDriverCompletesTheChecksum()
    {
        using var rig = Rig(offloads: XenNetfrontOffloads.All & ~XenNetfrontOffloads.TransmitChecksum);
        byte[] frame = IpPacket(300, partial: true);
        Assert.True(rig.Device.TryReserveTransmit(out TransmitBuffer buffer));
        frame.CopyTo(buffer.Span);
        rig.Device.Transmit(buffer, frame.Length, Partial());
        rig.Pump();
        Assert.Equal(0, Assert.Single(rig.Netback.TransmittedPackets).Flags);
        Assert.True(ModelChecksum.TransportValid(rig.Netback.Transmitted[^1]));
    }

    [Theory]
    [InlineData(20_000, 1448)]
    [InlineData(65535 - 54, 1448)] // the largest frame a 16-bit size field holds: 16 slots, within XEN_NETIF_NR_SLOTS_MIN
    [InlineData(3000, 536)]
    public void Tso_ALargeTcpPacketGoesAsOneMultiSlotPacketWithAGsoExtra_AndNetbackSegmentsIt(int payload, int mss)
    {
        using var rig = Rig();
        byte[] frame = IpPacket(payload, partial: true);
        SendLarge(rig, frame, mss);
        rig.Pump();
        Assert.Empty(rig.Netback.Violations);
        TxPacket sent = Assert.Single(rig.Netback.TransmittedPackets);
        Assert.Equal(frame, sent.Frame);
        Assert.Equal((frame.Length + 4095) / 4096, sent.Slots);
        Assert.InRange(sent.Slots, 1, NetbackModel.SlotsMin);
        Assert.Equal(mss, sent.GsoSize);
        Assert.Equal(NetbackModel.GsoTypeTcpV4, sent.GsoType);
        Assert.Equal(0, rig.Netback.PartialSumMismatches);
        // On the bridge: segments of mss bytes, each with valid checksums, in sequence, PSH on the last only.
        int expected = (payload + mss - 1) / mss;
        Assert.Equal(expected, rig.Netback.Transmitted.Count);
        uint sequence = 1000;
        for (int i = 0; i < expected; i++)
        {
            var p = Packet.ParsePacket(LinkLayers.Ethernet, rig.Netback.Transmitted[i]).Extract<TcpPacket>();
            Assert.True(p.ValidChecksum);
            Assert.True(((IPv4Packet)p.ParentPacket).ValidIPChecksum);
            Assert.Equal(sequence, p.SequenceNumber);
            Assert.Equal(i == expected - 1, p.Push);
            sequence += (uint)p.PayloadData.Length;
        }
        Assert.Equal(1000u + (uint)payload, sequence);
        Assert.Equal(0, rig.Device.TransmitBuffersOutstanding); // every slot answered, the large buffer back
        Assert.Equal(1, rig.Device.SegmentedFrames);
        Assert.True(rig.Device.IsOperational, rig.Device.Error);
    }

    [Fact]
    public void Tso_ManyLargeAndSmallPackets_WrapTheRing_AndEveryBufferComesBack()
    {
        using var rig = Rig();
        int sentLarge = 0, sentSmall = 0;
        for (int i = 0; i < 120; i++)
        {
            SendLarge(rig, IpPacket(30_000 + i * 100, partial: true, seed: i), 1448);
            sentLarge++;
            for (int k = 0; k < 3; k++) { while (!rig.Send(XenRig.Frame(600, i * 3 + k))) rig.Pump(); sentSmall++; }
            if (i % 3 == 0) rig.Pump();
        }
        for (int i = 0; i < 5; i++) rig.Pump();
        Assert.Empty(rig.Netback.Violations);
        Assert.Equal(sentLarge + sentSmall, rig.Netback.TransmittedPackets.Count);
        Assert.Equal(sentLarge, rig.Netback.TransmittedPackets.Count(p => p.GsoSize > 0));
        Assert.Equal(0, rig.Device.TransmitBuffersOutstanding);
        Assert.Equal(0, rig.Netback.PartialSumMismatches);
        Assert.True(rig.Device.IsOperational, rig.Device.Error);
        Assert.Empty(rig.MemoryFaults());
    }

    [Fact]
    public void Tso_APacketThatFitsOneSegment_GoesWithoutAGsoExtra()
    {
        using var rig = Rig();
        SendLarge(rig, IpPacket(1000, partial: true), 1448);
        rig.Pump();
        TxPacket sent = Assert.Single(rig.Netback.TransmittedPackets);
        Assert.Equal(-1, sent.GsoSize);
        Assert.Equal(NetbackModel.TxCsumBlank | NetbackModel.TxDataValidated, sent.Flags);
        Assert.True(ModelChecksum.TransportValid(rig.Netback.Transmitted[^1]));
        Assert.Equal(0, rig.Device.SegmentedFrames);
    }

    [Fact]
    public void Receive_ACoalescedPacketOf64KiB_ArrivesWhole_AndValidated()
    {
        using var rig = Rig();
        byte[] frame = IpPacket(65535 - 40, partial: true);
        rig.Netback.ToDeliver.Enqueue(new RxPacket(frame) { ChecksumBlank = true, GsoSize = 1448 });
        rig.Pump();
        Assert.True(rig.Device.TryReceive(out ReceivedFrame received));
        Assert.Equal(frame, received.Span.ToArray()); // whole: a coalesced packet's checksum field is left partial
        Assert.True(received.ChecksumVerified);
        rig.Device.Release(received);
        Assert.Equal(1, rig.Device.CoalescedFrames);
        Assert.Equal(frame.Length, rig.Device.LargestFrame);
        Assert.Empty(rig.Netback.Violations);
        Assert.Empty(rig.MemoryFaults());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Receive_CsumBlankFrame_IsCompletedAndMarkedVerified(bool udp)
    {
        using var rig = Rig();
        byte[] frame = IpPacket(500, partial: true, udp);
        rig.Netback.ToDeliver.Enqueue(new RxPacket(frame) { ChecksumBlank = true });
        rig.Pump();
        Assert.True(rig.Device.TryReceive(out ReceivedFrame received));
        byte[] bytes = received.Span.ToArray();
        Assert.True(received.ChecksumVerified);
        Assert.True(ModelChecksum.TransportValid(bytes));
        rig.Device.Release(received);
        Assert.Equal(1, rig.Device.ChecksumBlankFrames);
    }

    /// <summary>Hostile or mistaken backends: each bad packet is dropped and counted; the device keeps working.</summary>
    public static TheoryData<string> BadPackets => new() { "gso-size-0", "gso-type-tcpv6", "gso-not-negotiated", "gso-not-tcp", "csum-blank-too-short", "csum-blank-not-ip", "larger-than-64k", "larger-than-mtu-without-gso" };

    [Theory, MemberData(nameof(BadPackets))]
    public void Receive_BadOffloadPackets_AreDroppedAndCounted_AndTheNextOneArrives(string kind)
    {
        bool declineGso = kind == "gso-not-negotiated";
        using var rig = Rig(offloads: declineGso ? XenNetfrontOffloads.All & ~XenNetfrontOffloads.ReceiveSegmentation : XenNetfrontOffloads.All);
        byte[] tcp = IpPacket(20_000, partial: true);
        RxPacket bad = kind switch
        {
            "gso-size-0" => new RxPacket(tcp) { ChecksumBlank = true, GsoSize = 0 },
            "gso-type-tcpv6" => new RxPacket(tcp) { ChecksumBlank = true, GsoSize = 1448, GsoType = NetbackModel.GsoTypeTcpV6 },
            "gso-not-negotiated" => new RxPacket(tcp) { ChecksumBlank = true, GsoSize = 1448, Hostile = true },
            "gso-not-tcp" => new RxPacket(IpPacket(20_000, partial: true, udp: true)) { ChecksumBlank = true, GsoSize = 1448 },
            // An IPv4 header claiming TCP, cut off before the TCP header ends.
            "csum-blank-too-short" => new RxPacket(IpPacket(0, partial: true)[..(14 + 20 + 10)]) { ChecksumBlank = true },
            "csum-blank-not-ip" => new RxPacket(XenRig.Frame(300, 3)) { ChecksumBlank = true },
            // 20 slots of 4 KiB: more than any IPv4 packet.
            "larger-than-64k" => new RxPacket(Enumerable.Range(0, 20).SelectMany(i => tcp.Take(4096)).ToArray()) { ChecksumBlank = true, GsoSize = 1448 },
            _ => new RxPacket(tcp) { ChecksumBlank = true },
        };
        rig.Netback.ToDeliver.Enqueue(bad);
        byte[] good = IpPacket(200, partial: false, seed: 9);
        rig.Netback.ToDeliver.Enqueue(good);
        for (int i = 0; i < 3; i++) rig.Pump();
        var received = rig.ReceiveAll();
        Assert.Equal(good, Assert.Single(received));
        Assert.Equal(1, rig.Device.OffloadErrors);
        Assert.Equal(1, rig.Device.Counters.RxErrors);
        Assert.True(rig.Device.IsOperational, rig.Device.Error);
        Assert.Equal(0, rig.Device.ReceiveBuffersLent);
        Assert.Empty(rig.MemoryFaults());
    }

    [Fact]
    public void Receive_AMoreDataChainThatNeverEnds_StopsTheDevice_WithoutTouchingOtherMemory()
    {
        using var rig = Rig();
        rig.Netback.ToDeliver.Enqueue(new RxPacket(XenRig.Frame(4096, 1)) { EndlessChain = true, Hostile = true });
        for (int i = 0; i < 3; i++) { rig.Pump(); rig.ReceiveAll(); }
        Assert.False(rig.Device.IsOperational);
        Assert.Contains("more_data chain runs longer than the ring", rig.Device.Error);
        Assert.Empty(rig.MemoryFaults());
    }

    [Fact]
    public void Transmit_ANullResponseWithNoExtraInFlight_StopsTheDevice()
    {
        using var rig = Rig(nb => { nb.Hostility = NetbackHostility.TxNullUnasked; nb.HostileAfterFrames = 2; });
        for (int i = 0; i < 10 && rig.Device.IsOperational; i++) { rig.Send(XenRig.Frame(100, i)); rig.Pump(); }
        Assert.False(rig.Device.IsOperational);
        Assert.Contains("NETIF_RSP_NULL", rig.Device.Error);
        Assert.Empty(rig.MemoryFaults());
    }
}
