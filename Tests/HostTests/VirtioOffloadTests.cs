using System.Buffers.Binary;
using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Drivers.VirtioNet;
using Cosmos.Drivers.VirtioNet.Spec;
using Cosmos.HostTests.VirtioModel;
using PacketDotNet;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>
/// Receive offloads against the device model (virtio 1.2 §5.1.6.4, §5.1.6.5.6): coalesced TCP packets larger than
/// the MTU (GUEST_TSO4) over mergeable buffers, their checksums, the feature dependencies of §5.1.3.1, and
/// GUEST_OFFLOADS_SET on the control queue.
/// </summary>
public class VirtioOffloadTests
{
    public static TheoryData<string, bool> Rings => new() { { "legacy", false }, { "modern", false }, { "modern", true } };

    private static ulong Bit(int b) => VirtioFeatures.Bit(b);

    private static readonly ulong OffloadFeatures = Rig.QemuLikeFeatures | Bit(NetFeatures.GuestTso6) | Bit(NetFeatures.GuestEcn) |
        Bit(NetFeatures.ControlGuestOffloads) | Bit(NetFeatures.HostTso4);

    private static Rig Make(string transport, bool packed, ulong? features = null, VirtioNetOptions? options = null, Action<VirtioNetModel>? configure = null)
    {
        ulong offered = (features ?? OffloadFeatures) | (packed ? Bit(VirtioFeatures.RingPacked) : 0);
        return new Rig(transport, offered, options, configure).Started();
    }

    /// <summary>An Ethernet + IPv4 + TCP packet of <paramref name="payload"/> bytes with valid checksums (or, partial, the pseudo-header sum only).</summary>
    private static byte[] TcpPacket(int payload, bool partialChecksum)
    {
        var tcp = new TcpPacket(40000, 7) { SequenceNumber = 1, AcknowledgmentNumber = 1, Acknowledgment = true, Push = true, WindowSize = 65535 };
        var data = new byte[payload];
        new Random(payload).NextBytes(data);
        tcp.PayloadData = data;
        var ip = new IPv4Packet(System.Net.IPAddress.Parse("10.0.2.2"), System.Net.IPAddress.Parse("10.0.2.15")) { PayloadPacket = tcp, TimeToLive = 64 };
        var eth = new EthernetPacket(System.Net.NetworkInformation.PhysicalAddress.Parse("525400123401"),
            System.Net.NetworkInformation.PhysicalAddress.Parse("5254AABBCCDD"), EthernetType.IPv4) { PayloadPacket = ip };
        ip.UpdateCalculatedValues();
        ip.UpdateIPChecksum();
        tcp.UpdateTcpChecksum();
        byte[] frame = eth.Bytes;
        if (partialChecksum)
        {
            // What a sender that offloads writes (§5.1.6.2): the folded pseudo-header sum, not complemented.
            uint sum = 0x0A00 + 0x0202 + 0x0A00 + 0x020F + 6 + (uint)(frame.Length - 34);
            while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(34 + 16), (ushort)sum);
        }
        return frame;
    }

    private static VirtioNetHeader Coalesced(byte flags, byte gso = NetGsoType.TcpV4) => new()
    {
        Flags = flags, GsoType = gso, GsoSize = Le16.Of(1448), HeaderLength = Le16.Of(14 + 20 + 20), ChecksumStart = Le16.Of(34), ChecksumOffset = Le16.Of(16),
    };

    [Theory, MemberData(nameof(Rings))]
    public void ACoalescedTcpPacket_OfUpTo64KiB_ArrivesWhole_AndValidated(string transport, bool packed)
    {
        using var rig = Make(transport, packed);
        Assert.True(rig.Driver.Has(NetFeatures.GuestTso4) && rig.Driver.ReceivesLargeFrames);
        foreach (int payload in new[] { 3000, 20_000, 65_535 - 40 })
        {
            byte[] partial = TcpPacket(payload, partialChecksum: true);
            Assert.True(rig.Model.Receive(partial, Coalesced(NetHeaderFlags.NeedsChecksum)), "the device took the packet");
            rig.Pump();
            byte[]? got = rig.ReceiveOne(out bool verified);
            Assert.NotNull(got);
            Assert.Equal(partial.Length, got!.Length);
            Assert.True(verified, "NEEDS_CSUM: validated by the device (§5.1.6.4)");
            Assert.Equal(partial, got); // whole and untouched: 64 KiB is not summed again
        }
        Assert.Equal(3, rig.Driver.CoalescedFrames);
        Assert.Equal(65_535 + 14, rig.Driver.LargestFrame);
        Assert.Equal(0, rig.Driver.ReceiveBuffersLent);
    }

    [Theory, MemberData(nameof(Rings))]
    public void WithoutGuestTso_ACoalescedPacketIsTheDevicesMistake_DroppedAndCounted(string transport, bool packed)
    {
        using var rig = Make(transport, packed, options: new VirtioNetOptions { DisabledFeatures = Bit(NetFeatures.GuestTso4) | Bit(NetFeatures.GuestTso6) } with
        {
            ReceiveBufferSize = 2048, ConfigVector = 0xFFFF, ReceiveVector = 0xFFFF, TransmitVector = 0xFFFF,
        });
        Assert.False(rig.Driver.ReceivesLargeFrames);
        Assert.True(rig.Model.Receive(TcpPacket(1000, false), Coalesced(NetHeaderFlags.DataValid)));
        rig.Pump();
        Assert.Null(rig.ReceiveOne());
        Assert.Equal(1, rig.Driver.Counters.RxErrors);
        Assert.True(rig.Driver.IsOperational);
        // An ordinary frame still comes through.
        Assert.True(rig.Model.Receive(TcpPacket(1000, false)));
        rig.Pump();
        Assert.NotNull(rig.ReceiveOne());
    }

    [Fact]
    public void FeatureDependencies_OfSection5_1_3_1_AreKept()
    {
        // GUEST_TSO4 without mergeable buffers (or without GUEST_CSUM) is declined; GUEST_ECN needs a GUEST_TSO;
        // CTRL_GUEST_OFFLOADS needs the control queue.
        using (var noMerge = Make("modern", false, OffloadFeatures & ~Bit(NetFeatures.MergeableRxBuffers)))
        {
            Assert.False(noMerge.Driver.Has(NetFeatures.GuestTso4));
            Assert.False(noMerge.Driver.Has(NetFeatures.GuestEcn));
        }
        using (var noChecksum = Make("modern", false, OffloadFeatures & ~Bit(NetFeatures.GuestChecksum)))
            Assert.False(noChecksum.Driver.Has(NetFeatures.GuestTso4) || noChecksum.Driver.Has(NetFeatures.GuestTso6));
        using (var noControl = Make("modern", false, OffloadFeatures & ~Bit(NetFeatures.ControlQueue)))
            Assert.False(noControl.Driver.Has(NetFeatures.ControlGuestOffloads));
        Assert.Equal(0UL, VirtioNetDevice.WithDependencies(Bit(NetFeatures.GuestEcn)));
    }

    [Theory]
    [InlineData(NetFeatures.GuestTso4)]
    [InlineData(NetFeatures.GuestTso6)]
    [InlineData(NetFeatures.GuestEcn)]
    [InlineData(NetFeatures.ControlQueue)]
    [InlineData(NetFeatures.ControlGuestOffloads)]
    public void EachOffloadCanBeDeclined(int feature)
    {
        var options = VirtioNetOptions.Default;
        options.DisabledFeatures = Bit(feature);
        using var rig = Make("modern", false, options: options);
        Assert.False(rig.Driver.Has(feature));
        Assert.Equal(0UL, rig.Model.DriverFeatures & Bit(feature));
        Assert.True(rig.Driver.IsOperational);
    }

    [Theory, MemberData(nameof(Rings))]
    public void GuestOffloadsSet_TurnsCoalescingOff_AndTheDriverHoldsTheDeviceToIt(string transport, bool packed)
    {
        var options = VirtioNetOptions.Default;
        options.GuestOffloadsOff = Bit(NetFeatures.GuestTso4) | Bit(NetFeatures.GuestTso6) | Bit(NetFeatures.GuestEcn);
        using var rig = Make(transport, packed, options: options);
        var command = Assert.Single(rig.Model.ControlCommands);
        Assert.Equal((byte)5, command.Class);   // VIRTIO_NET_CTRL_GUEST_OFFLOADS
        Assert.Equal((byte)0, command.Command); // VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET
        Assert.Equal(Bit(NetFeatures.GuestChecksum), BinaryPrimitives.ReadUInt64LittleEndian(command.Data));
        Assert.Equal((byte)0, command.Ack);
        Assert.Equal(Bit(NetFeatures.GuestChecksum), rig.Driver.GuestOffloads);
        Assert.Equal(Bit(NetFeatures.GuestChecksum), rig.Model.ActiveGuestOffloads);
        Assert.True(rig.Driver.Has(NetFeatures.GuestTso4), "still negotiated: only turned off");

        // A device that coalesces anyway is caught.
        Assert.True(rig.Model.Receive(TcpPacket(5000, false), Coalesced(NetHeaderFlags.DataValid)));
        rig.Pump();
        Assert.Null(rig.ReceiveOne());
        Assert.Equal(1, rig.Driver.Counters.RxErrors);

        // Turned on again at run time.
        Assert.True(rig.Driver.SetGuestOffloads(Bit(NetFeatures.GuestChecksum) | Bit(NetFeatures.GuestTso4)));
        Assert.True(rig.Model.Receive(TcpPacket(5000, false), Coalesced(NetHeaderFlags.DataValid)));
        rig.Pump();
        Assert.NotNull(rig.ReceiveOne());
        Assert.Equal(1, rig.Driver.CoalescedFrames);
    }

    [Fact]
    public void ARefusedCommand_LeavesTheOffloadsAsTheyWere_AndSaysWhy()
    {
        var options = VirtioNetOptions.Default;
        options.GuestOffloadsOff = Bit(NetFeatures.GuestTso4);
        using var rig = Make("modern", false, options: options, configure: m => m.RefuseControlCommands = true);
        Assert.Equal(1, rig.Driver.ControlFailures);
        Assert.Contains("VIRTIO_NET_ERR", rig.Driver.ControlError);
        Assert.True(rig.Driver.IsOperational);
        Assert.NotEqual(0UL, rig.Driver.GuestOffloads & Bit(NetFeatures.GuestTso4));
        // Offloads that were never negotiated cannot be asked for: the driver masks them out.
        using var plain = Make("modern", false, OffloadFeatures & ~Bit(NetFeatures.GuestTso6));
        Assert.True(plain.Driver.SetGuestOffloads(Bit(NetFeatures.GuestChecksum) | Bit(NetFeatures.GuestTso6)));
        Assert.Equal(Bit(NetFeatures.GuestChecksum), BinaryPrimitives.ReadUInt64LittleEndian(plain.Model.ControlCommands[^1].Data));
    }

    [Theory, MemberData(nameof(Rings))]
    public void HostTso4_ALargeTcpFrameGoesOutWithItsSegmentationHeader(string transport, bool packed)
    {
        using var rig = Make(transport, packed);
        Assert.True(rig.Driver.Has(NetFeatures.HostTso4));
        Assert.Equal(14 + 65535, rig.Driver.MaxSegmentationFrame);
        byte[] frame = TcpPacket(20_000, partialChecksum: true);
        Assert.True(rig.Driver.TryReserveLargeTransmit(out var buffer));
        frame.CopyTo(buffer.Span);
        rig.Driver.TransmitSegmented(buffer, frame.Length, new Cosmos.Hal.Network.ChecksumOffload { Start = 34, Offset = 16 },
            new Cosmos.Hal.Network.SegmentationOffload { HeaderLength = 54, SegmentSize = 1448 });
        rig.Pump();
        VirtioNetHeader h = rig.Model.TransmittedHeaders[^1];
        Assert.Equal(NetGsoType.TcpV4, h.GsoType);                  // §5.1.6.2: the device is to segment
        Assert.Equal(1448, h.GsoSize.Value);
        Assert.Equal(54, h.HeaderLength.Value);
        Assert.Equal(NetHeaderFlags.NeedsChecksum, h.Flags);         // TSO rides on checksum offload
        Assert.Equal(34, h.ChecksumStart.Value);
        Assert.Equal(16, h.ChecksumOffset.Value);
        Assert.Equal(frame, rig.Model.Transmitted[^1]);
        Assert.Equal(0, rig.Driver.TransmitBuffersOutstanding);      // reclaimed
        Assert.Equal(1, rig.Driver.SegmentedFrames);
    }

    [Fact]
    public void HostTso4_IsDeclinedWithoutChecksumOffload_AndThenNoLargeBufferIsLent()
    {
        var options = VirtioNetOptions.Default;
        options.DisabledFeatures = Bit(NetFeatures.Checksum);
        using var rig = Make("modern", false, options: options);
        Assert.False(rig.Driver.Has(NetFeatures.HostTso4));
        Assert.Equal(0, rig.Driver.MaxSegmentationFrame);
        Assert.False(rig.Driver.TryReserveLargeTransmit(out _));
    }
}
