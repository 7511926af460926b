using Cosmos.Drivers.Virtio.Queues;
using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Drivers.VirtioNet;
using Cosmos.Drivers.VirtioNet.Spec;
using Cosmos.Hal.Network;
using Cosmos.HostTests.VirtioModel;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>The driver on packed virtqueues (virtio 1.2 §2.8) against the device model.</summary>
public class VirtioPackedTests
{
    private static readonly ulong PackedFeatures = Rig.QemuLikeFeatures | VirtioFeatures.Bit(VirtioFeatures.RingPacked);

    public static TheoryData<bool, bool, bool> Variants()
    {
        var data = new TheoryData<bool, bool, bool>();
        foreach (bool eventIndex in new[] { true, false })
            foreach (bool indirect in new[] { true, false })
                foreach (bool merge in new[] { true, false })
                    data.Add(eventIndex, indirect, merge);
        return data;
    }

    [Theory, MemberData(nameof(Variants))]
    public void FramesCrossIntactAndInOrderBothWays(bool eventIndex, bool indirect, bool merge)
    {
        ulong features = PackedFeatures;
        if (!eventIndex) features &= ~VirtioFeatures.Bit(VirtioFeatures.EventIndex);
        if (!indirect) features &= ~VirtioFeatures.Bit(VirtioFeatures.IndirectDescriptors);
        if (!merge) features &= ~VirtioFeatures.Bit(NetFeatures.MergeableRxBuffers);
        using var rig = new Rig("modern", features).Started();
        Assert.Equal("packed", rig.Driver.ReceiveQueue.Kind);
        var received = new List<byte[]>();
        for (int i = 0; i < 600; i++)
        {
            Assert.True(rig.Send(Rig.Frame(i, Rig.SizeFor(i))));
            Assert.True(rig.Model.Receive(Rig.Frame(50_000 + i, Rig.SizeFor(i))));
            rig.Pump();
            while (rig.ReceiveOne() is { } f) received.Add(f);
        }
        Assert.Equal(600, rig.Model.Transmitted.Count);
        for (int i = 0; i < 600; i++) Assert.Equal(Rig.Frame(i, Rig.SizeFor(i)), rig.Model.Transmitted[i]);
        for (int i = 0; i < 600; i++) Assert.Equal(Rig.Frame(50_000 + i, Rig.SizeFor(i)), received[i]);
        Assert.Equal(600, rig.Driver.Counters.TxFrames);
        Assert.Equal(0, rig.Driver.Counters.DeviceErrors + rig.Driver.Counters.RxErrors);
        Assert.Empty(rig.MemoryFaults());
    }

    /// <summary>
    /// A 64-entry ring wraps (and flips both wrap counters) over a thousand times. After every frame the driver's
    /// ring positions and wrap counters, on both queues, must be where the number of descriptors made available
    /// and used puts them (position = count mod 64, counter = 1 after an even number of passes), and agree with
    /// the device's. Without indirect descriptors each frame takes two slots (header, frame), so a driver that
    /// skipped one slot per used buffer would be caught.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WrapCountersFlipCorrectly(bool indirect)
    {
        var options = VirtioNetOptions.Default;
        options.QueueSize = 64;
        ulong features = indirect ? PackedFeatures : PackedFeatures & ~VirtioFeatures.Bit(VirtioFeatures.IndirectDescriptors);
        using var rig = new Rig("modern", features, options).Started();
        int perFrame = indirect ? 1 : 2;
        var rx = Assert.IsType<PackedVirtqueue>(rig.Driver.ReceiveQueue);
        var tx = Assert.IsType<PackedVirtqueue>(rig.Driver.TransmitQueue);
        Assert.Equal(64, rx.Size);
        Assert.Equal(64, tx.Size);
        VirtioNetModel.VirtQueue deviceRx = rig.Model.Queues[NetQueues.Receive], deviceTx = rig.Model.Queues[NetQueues.Transmit];
        int availFlips = 0, usedFlips = 0;
        bool lastAvailWrap = tx.AvailableWrapCounter, lastUsedWrap = tx.UsedWrapCounter;
        void Check(string what, int count, ushort position, bool wrap, string when)
        {
            // §2.8.1: both counters start at 1 and flip each time the position passes the end of the ring.
            ushort expectedPosition = (ushort)(count % 64);
            bool expectedWrap = count / 64 % 2 == 0;
            if (expectedPosition != position || expectedWrap != wrap)
                Assert.Fail($"{when}: {what} at slot {position} wrap {(wrap ? 1 : 0)}, expected slot {expectedPosition} wrap {(expectedWrap ? 1 : 0)} after {count} descriptors");
        }
        void CheckAll(int sent, int received, string when)
        {
            // One descriptor per receive buffer (one segment); per transmitted frame an indirect table, or two.
            Check("receive available", 64 + received, rx.NextAvailable, rx.AvailableWrapCounter, when);
            Check("receive used", received, rx.NextUsed, rx.UsedWrapCounter, when);
            Check("transmit available", perFrame * sent, tx.NextAvailable, tx.AvailableWrapCounter, when);
            Check("transmit used", perFrame * sent, tx.NextUsed, tx.UsedWrapCounter, when);
            // The device has consumed everything offered for transmit and written a used descriptor for each.
            if (!(deviceTx.NextAvail == tx.NextAvailable && deviceTx.AvailWrap == tx.AvailableWrapCounter)) Assert.Fail($"{when}: device's transmit read position differs from the driver's");
            if (!(deviceTx.UsedPosition == tx.NextUsed && deviceTx.UsedWrap == tx.UsedWrapCounter)) Assert.Fail($"{when}: device's transmit used position differs from the driver's");
            if (!(deviceRx.UsedPosition == rx.NextUsed && deviceRx.UsedWrap == rx.UsedWrapCounter)) Assert.Fail($"{when}: device's receive used position differs from the driver's");
            if (!(deviceRx.NextAvail == rx.NextUsed && deviceRx.AvailWrap == rx.UsedWrapCounter)) Assert.Fail($"{when}: device read receive buffers up to where it used them");
            if (tx.AvailableWrapCounter != lastAvailWrap) { availFlips++; lastAvailWrap = tx.AvailableWrapCounter; }
            if (tx.UsedWrapCounter != lastUsedWrap) { usedFlips++; lastUsedWrap = tx.UsedWrapCounter; }
        }
        CheckAll(0, 0, "after start");
        int got = 0;
        for (int i = 0; i < 70_000; i++)
        {
            Assert.True(rig.Send(Rig.Frame(i, 60 + i % 100)));
            Assert.True(rig.Model.Receive(Rig.Frame(i, 70 + i % 400)));
            rig.Pump();
            while (rig.ReceiveOne() is { } f) { Assert.Equal(Rig.Frame(got, 70 + got % 400), f); got++; }
            CheckAll(i + 1, got, $"frame {i}");
        }
        Assert.Equal(70_000, got);
        Assert.Equal(70_000, rig.Model.Transmitted.Count);
        Assert.Equal(perFrame * 70_000 / 64, availFlips); // 1,093 (2,187) passes over the transmit ring, each flipping the counters
        Assert.Equal(perFrame * 70_000 / 64, usedFlips);
        Assert.Equal(0, rig.Driver.Counters.DeviceErrors);
        Assert.Empty(rig.MemoryFaults());
    }

    [Fact]
    public void SmallMergeableBuffersOnPackedRings()
    {
        var options = VirtioNetOptions.Default;
        options.ReceiveBufferSize = 200;
        using var rig = new Rig("modern", PackedFeatures, options).Started();
        for (int i = 0; i < 200; i++)
        {
            byte[] frame = Rig.Frame(i, 1514 - 3 * i);
            Assert.True(rig.Model.Receive(frame));
            rig.Pump();
            Assert.Equal(frame, rig.ReceiveOne());
        }
        Assert.Equal(200, rig.Driver.MergedFrames);
    }

    [Fact]
    public void DisabledInterruptsAreHonouredAndRechecked()
    {
        using var rig = new Rig("modern", PackedFeatures).Started();
        for (int i = 0; i < 100; i++) Assert.True(rig.Send(Rig.Frame(i, 80)));
        Assert.Equal(0, rig.Model.Interrupts); // transmit completions are not interrupted for
        rig.Driver.ReceiveQueue.DisableInterrupts();
        Assert.True(rig.Model.Receive(Rig.Frame(1, 80)));
        Assert.Equal(0, rig.Model.Interrupts);
        Assert.False(rig.Driver.PrepareToWait());
        Assert.NotNull(rig.ReceiveOne());
    }

    public static TheoryData<Hostility, string> HostileCases() => new()
    {
        { Hostility.UsedIdOutOfRange, "out of range" },
        { Hostility.UsedIdNotInFlight, "not in flight" },
        { Hostility.UsedLengthTooLarge, "larger than the buffer" },
        // No index to jump on a packed ring: a used descriptor names its buffer by id, checked above.
    };

    [Theory, MemberData(nameof(HostileCases))]
    public void HostileReceiveCompletionStopsTheDriver(Hostility hostility, string reason)
    {
        using var rig = new Rig("modern", PackedFeatures).Started();
        Assert.True(rig.Model.Receive(Rig.Frame(0, 100)));
        rig.Pump();
        Assert.True(rig.Driver.TryReceive(out ReceivedFrame held)); // lent to the stack: not in flight
        rig.Model.Hostile = hostility;
        rig.Model.Receive(Rig.Frame(1, 100));
        rig.Pump();
        Assert.Null(rig.ReceiveOne());
        Assert.False(rig.Driver.IsOperational);
        Assert.Contains(reason, rig.Driver.Error);
        Assert.NotEqual(0, rig.Model.Status & DeviceStatus.Failed);
        rig.Driver.Release(held);
        Assert.Empty(rig.MemoryFaults());
    }

    [Fact]
    public void UsedDescriptorWithNothingInFlightIsDetected()
    {
        using var rig = new Rig("modern", PackedFeatures).Started();
        Assert.True(rig.Send(Rig.Frame(0, 100)));
        rig.Pump();
        // Forge a used descriptor in the transmit ring where no buffer was made available.
        var q = rig.Model.Queues[NetQueues.Transmit];
        var slot = rig.Memory.Span(q.Descriptors + (ulong)(16 * q.UsedPosition), 16);
        slot[14] = (byte)((PackedFlags.Available | PackedFlags.Used) & 0xFF);
        slot[15] = (byte)((PackedFlags.Available | PackedFlags.Used) >> 8);
        rig.Pump();
        Assert.False(rig.Driver.IsOperational);
        Assert.Contains("no buffer in flight", rig.Driver.Error);
    }
}
