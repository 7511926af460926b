using Cosmos.Drivers.Virtio.Queues;
using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Drivers.VirtioNet;
using Cosmos.Drivers.VirtioNet.Spec;
using Cosmos.Hal.Network;
using Cosmos.HostTests.VirtioModel;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>The virtio-net driver, unchanged, against the device model on both PCI transports.</summary>
public class VirtioNetDriverTests
{
    public static TheoryData<string> Transports => new() { "legacy", "modern" };

    [Theory, MemberData(nameof(Transports))]
    public void InitialisationFollowsTheStatusSequence(string transport)
    {
        using var rig = new Rig(transport).Started();
        var statuses = rig.Pci.Journal.Where(j => j.StartsWith("status=")).ToList();
        // §3.1.1: reset, ACKNOWLEDGE, DRIVER, (FEATURES_OK), DRIVER_OK.
        string[] expected = transport == "modern"
            ? ["status=0", "status=1", "status=3", "status=11", "status=15"]
            : ["status=0", "status=1", "status=3", "status=7"];
        Assert.Equal(expected, statuses);
        int features = rig.Pci.Journal.FindIndex(j => j.StartsWith("features"));
        int firstQueue = rig.Pci.Journal.FindIndex(j => j.StartsWith("queue"));
        Assert.True(features >= 0 && features < firstQueue, "features are written before the queues are set up");
        Assert.Equal(0UL, rig.Driver.NegotiatedFeatures & ~rig.Model.DeviceFeatures);
        Assert.False(rig.Driver.Has(NetFeatures.ControlRx));      // offered but not supported: declined
        Assert.True(rig.Driver.Has(NetFeatures.ControlQueue));    // offered and supported: taken
        Assert.Equal(transport == "modern", rig.Driver.Has(VirtioFeatures.Version1));
        Assert.True(rig.Driver.IsOperational);
        Assert.True(rig.Driver.LinkUp);
        Assert.Equal(rig.Model.Mac, MacBytes(rig.Driver.Mac));
    }

    private static byte[] MacBytes(MacAddress mac) { var b = new byte[6]; mac.CopyTo(b); return b; }

    [Fact]
    public void DeviceThatRefusesFeaturesOkIsMarkedFailed()
    {
        using var rig = new Rig("modern", configure: m => m.RefuseFeaturesOk = true);
        Assert.False(rig.Driver.Initialize());
        Assert.Contains("FEATURES_OK", rig.Driver.Error);
        Assert.NotEqual(0, rig.Model.Status & DeviceStatus.Failed);
        Assert.DoesNotContain(rig.Pci.Journal, j => j.StartsWith("queue"));
    }

    [Fact]
    public void ModernDeviceWithoutVersion1IsRefused()
    {
        using var rig = new Rig("modern", features: Rig.QemuLikeFeatures & ~VirtioFeatures.Bit(VirtioFeatures.Version1));
        Assert.False(rig.Driver.Initialize());
        Assert.Contains("VERSION_1", rig.Driver.Error);
    }

    public static TheoryData<string, bool, bool, bool> Variants()
    {
        var data = new TheoryData<string, bool, bool, bool>();
        foreach (string t in new[] { "legacy", "modern" })
            foreach (bool eventIndex in new[] { true, false })
                foreach (bool indirect in new[] { true, false })
                    foreach (bool merge in new[] { true, false })
                        data.Add(t, eventIndex, indirect, merge);
        return data;
    }

    [Theory, MemberData(nameof(Variants))]
    public void FramesCrossIntactAndInOrderBothWays(string transport, bool eventIndex, bool indirect, bool merge)
    {
        ulong features = Rig.QemuLikeFeatures;
        if (!eventIndex) features &= ~VirtioFeatures.Bit(VirtioFeatures.EventIndex);
        if (!indirect) features &= ~VirtioFeatures.Bit(VirtioFeatures.IndirectDescriptors);
        if (!merge) features &= ~VirtioFeatures.Bit(NetFeatures.MergeableRxBuffers);
        using var rig = new Rig(transport, features).Started();
        Assert.Equal(transport == "modern" || merge ? 12 : 10, rig.Driver.HeaderSize);
        const int frames = 600;
        var received = new List<byte[]>();
        for (int i = 0; i < frames; i++)
        {
            Assert.True(rig.Send(Rig.Frame(i, Rig.SizeFor(i))), $"transmit {i} refused");
            Assert.True(rig.Model.Receive(Rig.Frame(100_000 + i, Rig.SizeFor(i))), $"device had no receive buffer for {i}");
            rig.Pump();
            while (rig.ReceiveOne() is { } f) received.Add(f);
        }
        rig.Pump();
        Assert.Equal(frames, rig.Model.Transmitted.Count);
        for (int i = 0; i < frames; i++) Assert.Equal(Rig.Frame(i, Rig.SizeFor(i)), rig.Model.Transmitted[i]);
        Assert.Equal(frames, received.Count);
        for (int i = 0; i < frames; i++) Assert.Equal(Rig.Frame(100_000 + i, Rig.SizeFor(i)), received[i]);
        ref readonly var c = ref rig.Driver.Counters;
        Assert.Equal(frames, c.TxFrames);
        Assert.Equal(frames, c.RxFrames);
        Assert.Equal(0, c.RxErrors + c.RxDropped + c.TxErrors + c.DeviceErrors);
        Assert.Equal(rig.Model.Transmitted.Sum(f => (long)f.Length), c.TxBytes);
        Assert.Equal(0, rig.Driver.ReceiveBuffersLent);
        Assert.Empty(rig.MemoryFaults());
    }

    /// <summary>
    /// 70,000 frames each way through 64-entry queues: every 16-bit ring index wraps once. After every frame the
    /// driver's own indices (its private available index, the one it published, and its last-seen used index,
    /// for both queues) must equal the number of buffers made available and used, modulo 65,536, and agree with
    /// the device's side; each must have wrapped exactly once by the end.
    /// </summary>
    [Theory, MemberData(nameof(Transports))]
    public void RingIndexesWrapAround(string transport)
    {
        var options = VirtioNetOptions.Default;
        options.QueueSize = 64;
        using var rig = new Rig(transport, configure: m => { if (transport == "legacy") { m.Queues[0].MaxSize = 64; m.Queues[1].MaxSize = 64; } }, options: options).Started();
        var rx = Assert.IsType<SplitVirtqueue>(rig.Driver.ReceiveQueue);
        var tx = Assert.IsType<SplitVirtqueue>(rig.Driver.TransmitQueue);
        Assert.Equal(64, rx.Size);
        Assert.Equal(64, tx.Size);
        VirtioNetModel.VirtQueue deviceRx = rig.Model.Queues[NetQueues.Receive], deviceTx = rig.Model.Queues[NetQueues.Transmit];
        var wraps = new WrapCounter();
        void CheckIndices(int sent, int received, string when)
        {
            // Receive: 64 buffers posted at start, one reposted per frame taken; the device used one per frame.
            if ((ushort)(64 + received) != rx.AvailableIndex) Assert.Fail($"{when}: receive available index {rx.AvailableIndex}, expected {(ushort)(64 + received)}");
            if (rig.Model.PublishedAvailIndex(NetQueues.Receive) != rx.PublishedAvailableIndex) Assert.Fail($"{when}: receive index in the ring {rig.Model.PublishedAvailIndex(NetQueues.Receive)}, driver says it published {rx.PublishedAvailableIndex}");
            Assert.InRange((int)(ushort)(rx.AvailableIndex - rx.PublishedAvailableIndex), 0, 15); // refills are published in batches of a quarter ring
            if ((ushort)received != rx.LastUsedIndex) Assert.Fail($"{when}: receive last used index {rx.LastUsedIndex}, expected {(ushort)received}");
            if (deviceRx.UsedIndex != rx.LastUsedIndex) Assert.Fail($"{when}: device's receive used index {deviceRx.UsedIndex}, driver's {rx.LastUsedIndex}");
            // Transmit: one buffer per frame, published at once, all used by the device and reclaimed by Poll.
            if ((ushort)sent != tx.AvailableIndex) Assert.Fail($"{when}: transmit available index {tx.AvailableIndex}, expected {(ushort)sent}");
            if (tx.AvailableIndex != tx.PublishedAvailableIndex) Assert.Fail($"{when}: transmit index {tx.AvailableIndex} not published ({tx.PublishedAvailableIndex})");
            if (rig.Model.PublishedAvailIndex(NetQueues.Transmit) != tx.PublishedAvailableIndex) Assert.Fail($"{when}: transmit index in the ring {rig.Model.PublishedAvailIndex(NetQueues.Transmit)}, driver says {tx.PublishedAvailableIndex}");
            if (deviceTx.LastAvail != tx.AvailableIndex) Assert.Fail($"{when}: device consumed transmit up to {deviceTx.LastAvail}, driver made {tx.AvailableIndex} available");
            if ((ushort)sent != tx.LastUsedIndex) Assert.Fail($"{when}: transmit last used index {tx.LastUsedIndex}, expected {(ushort)sent}");
            if (deviceTx.UsedIndex != tx.LastUsedIndex) Assert.Fail($"{when}: device's transmit used index {deviceTx.UsedIndex}, driver's {tx.LastUsedIndex}");
            wraps.See("rx avail", rx.AvailableIndex);
            wraps.See("rx published", rx.PublishedAvailableIndex);
            wraps.See("rx used", rx.LastUsedIndex);
            wraps.See("tx avail", tx.AvailableIndex);
            wraps.See("tx used", tx.LastUsedIndex);
        }
        CheckIndices(0, 0, "after start");
        const int frames = 70_000;
        int got = 0;
        for (int i = 0; i < frames; i++)
        {
            Assert.True(rig.Send(Rig.Frame(i, 60 + i % 200)));
            Assert.True(rig.Model.Receive(Rig.Frame(i, 61 + i % 300)));
            rig.Pump();
            while (rig.ReceiveOne() is { } f)
            {
                Assert.Equal(Rig.Frame(got, 61 + got % 300), f);
                got++;
            }
            CheckIndices(i + 1, got, $"frame {i}");
        }
        rig.Pump();
        CheckIndices(frames, frames, "at the end");
        Assert.Equal(rx.AvailableIndex, rx.PublishedAvailableIndex); // the last refills went out with the final poll
        Assert.Equal((64 + frames) % 65_536, rx.AvailableIndex);   // 4,528: past the wrap
        Assert.Equal(frames % 65_536, tx.LastUsedIndex);           // 4,464
        Assert.Equal(frames, got);
        Assert.Equal(frames, rig.Model.Transmitted.Count);
        Assert.Equal(Rig.Frame(frames - 1, 60 + (frames - 1) % 200), rig.Model.Transmitted[^1]);
        foreach (string index in new[] { "rx avail", "rx published", "rx used", "tx avail", "tx used" })
            Assert.True(wraps[index] == 1, $"{index} wrapped {wraps[index]} times, expected once");
        Assert.True(rig.Driver.IsOperational);
        Assert.Equal(0, rig.Driver.Counters.DeviceErrors);
        Assert.Empty(rig.MemoryFaults());
    }

    /// <summary>Counts how often each 16-bit index went down (wrapped past 65,535) between observations.</summary>
    private sealed class WrapCounter
    {
        private readonly Dictionary<string, (ushort Last, int Wraps)> _seen = new();
        public void See(string name, ushort value)
        {
            var (last, wraps) = _seen.TryGetValue(name, out var s) ? s : (value, 0);
            _seen[name] = (value, value < last ? wraps + 1 : wraps);
        }
        public int this[string name] => _seen.TryGetValue(name, out var s) ? s.Wraps : 0;
    }

    [Fact]
    public void SmallMergeableBuffersCarryLargeFrames()
    {
        var options = VirtioNetOptions.Default;
        options.ReceiveBufferSize = 256;
        using var rig = new Rig("modern", options: options).Started();
        for (int i = 0; i < 300; i++)
        {
            byte[] frame = Rig.Frame(i, 1514 - i);
            Assert.True(rig.Model.Receive(frame));
            rig.Pump();
            Assert.Equal(frame, rig.ReceiveOne());
        }
        Assert.Equal(300, rig.Driver.MergedFrames);
    }

    [Fact]
    public void LegacyWithoutAnyLayoutPutsTheHeaderInItsOwnDescriptor()
    {
        ulong features = Rig.QemuLikeFeatures & ~(VirtioFeatures.Bit(VirtioFeatures.AnyLayout) | VirtioFeatures.Bit(NetFeatures.MergeableRxBuffers));
        using var rig = new Rig("legacy", features).Started();
        var q = rig.Model.Queues[NetQueues.Receive];
        var chain = rig.Model.WalkChain(q, 0);
        Assert.Equal(2, chain.Count);
        Assert.Equal(10u, chain[0].Length);
        byte[] frame = Rig.Frame(1, 1514);
        Assert.True(rig.Model.Receive(frame));
        rig.Pump();
        Assert.Equal(frame, rig.ReceiveOne());
    }

    [Fact]
    public void EventIndexSuppressesNotificationsWhileTheDeviceIsBusy()
    {
        using var rig = new Rig("modern", configure: m => m.DeferTransmit = true).Started();
        int before = rig.Model.Notifications;
        for (int i = 0; i < 50; i++) Assert.True(rig.Send(Rig.Frame(i, 100)));
        // avail_event stays at 0 until the device processes: only the first kick crosses it (§2.7.10).
        Assert.Equal(1, rig.Model.Notifications - before);
        Assert.Equal(49, rig.Driver.TransmitQueue.NotificationsSuppressed);
        rig.Model.ProcessTransmit();
        Assert.Equal(50, rig.Model.Transmitted.Count);
        Assert.True(rig.Send(Rig.Frame(50, 100)));
        Assert.Equal(2, rig.Model.Notifications - before);
    }

    [Fact]
    public void NoNotifyFlagIsHonouredWithoutEventIndex()
    {
        using var rig = new Rig("legacy", Rig.QemuLikeFeatures & ~VirtioFeatures.Bit(VirtioFeatures.EventIndex),
            configure: m => m.RequestNoNotify = true).Started();
        Assert.True(rig.Send(Rig.Frame(0, 100)));       // the device has not set the flag yet: notified
        int notified = rig.Model.Notifications;
        for (int i = 1; i < 20; i++) Assert.True(rig.Send(Rig.Frame(i, 100)));
        Assert.Equal(notified, rig.Model.Notifications); // the flag is set now: no more notifications
        rig.Model.ProcessTransmit();                     // the device polls instead
        Assert.Equal(20, rig.Model.Transmitted.Count);
    }

    [Theory, MemberData(nameof(Transports))]
    public void TransmitCompletionsRaiseNoInterrupts(string transport)
    {
        using var rig = new Rig(transport).Started();
        for (int i = 0; i < 300; i++) { Assert.True(rig.Send(Rig.Frame(i, 80))); rig.Pump(); }
        Assert.Equal(0, rig.Model.Interrupts);
        Assert.True(rig.Model.Receive(Rig.Frame(1, 80)));
        Assert.Equal(1, rig.Model.Interrupts);
    }

    [Fact]
    public void WorkThatArrivedWhileInterruptsWereOffIsSeenBeforeSleeping()
    {
        var options = VirtioNetOptions.Default;
        options.Interrupts = InterruptMode.Intx;
        using var rig = new Rig("modern", options: options).Started();
        rig.Driver.ReceiveQueue.DisableInterrupts();
        Assert.True(rig.Model.Receive(Rig.Frame(7, 90)));
        Assert.Equal(0, rig.Model.Interrupts);         // suppressed
        Assert.False(rig.Driver.PrepareToWait());      // re-enabling finds the frame: do not sleep
        Assert.Equal(Rig.Frame(7, 90), rig.ReceiveOne());
        Assert.True(rig.Driver.PrepareToWait());
    }

    [Fact]
    public void FullTransmitRingAppliesBackpressureAndCountsIt()
    {
        using var rig = new Rig("modern", configure: m => m.DeferTransmit = true).Started();
        int accepted = 0;
        while (rig.Send(Rig.Frame(accepted, 100))) accepted++;
        Assert.Equal(rig.Driver.TransmitQueue.Size, accepted); // indirect: one descriptor per frame
        Assert.Equal(1, rig.Driver.Counters.TxBusy);
        rig.Model.ProcessTransmit();
        Assert.True(rig.Send(Rig.Frame(accepted, 100)));
        Assert.Equal(accepted, rig.Driver.Counters.TxFrames);
        Assert.Empty(rig.MemoryFaults()); // every descriptor, indirect table and header slot in use once, none written past
    }

    [Fact]
    public void ConfigurationReadRepeatsWhenTheGenerationChanges()
    {
        using var rig = new Rig("modern", configure: m => m.BumpGenerationAfterReads = 3).Started();
        Assert.Equal(rig.Model.Mac, MacBytes(rig.Driver.Mac)); // the value after the change, read consistently
        Assert.True(rig.Model.ConfigReads >= 14, "the MAC and status were read twice");
    }

    public static TheoryData<string, Hostility, string> HostileCases()
    {
        var data = new TheoryData<string, Hostility, string>();
        foreach (string t in new[] { "legacy", "modern" })
        {
            data.Add(t, Hostility.UsedIdOutOfRange, "out of range");
            data.Add(t, Hostility.UsedIdNotInFlight, "not in flight");
            data.Add(t, Hostility.UsedLengthTooLarge, "larger than the buffer");
            data.Add(t, Hostility.UsedIndexJump, "jumped");
        }
        return data;
    }

    [Theory, MemberData(nameof(HostileCases))]
    public void HostileReceiveCompletionStopsTheDriver(string transport, Hostility hostility, string reason)
    {
        using var rig = new Rig(transport).Started();
        Assert.True(rig.Model.Receive(Rig.Frame(0, 100)));
        rig.Pump();
        // Keep the first frame's buffer lent to the "stack": it is not in flight, so a device that reports
        // it used again is lying (the other buffers are all legitimately in flight; any order is allowed).
        Assert.True(rig.Driver.TryReceive(out ReceivedFrame held));
        int resets = rig.Model.Resets;
        rig.Model.Hostile = hostility;
        rig.Model.Receive(Rig.Frame(1, 100));
        rig.Pump();
        Assert.Null(rig.ReceiveOne());
        Assert.False(rig.Driver.IsOperational);
        Assert.Contains(reason, rig.Driver.Error);
        Assert.Equal(1, rig.Driver.Counters.DeviceErrors);
        Assert.Equal(resets + 1, rig.Model.Resets);           // reset: the device stops using our memory
        Assert.NotEqual(0, rig.Model.Status & DeviceStatus.Failed);
        Assert.False(rig.Driver.TryReserveTransmit(out _));    // and the driver uses it no more
        rig.Driver.Release(held);                              // returning a lease after the stop is harmless
        Assert.Equal(0, rig.Model.AvailableReceiveBuffers);
        Assert.Empty(rig.MemoryFaults());                      // and nothing was written where nobody may write
    }

    /// <summary>
    /// What the split queue must report for each lie about a transmit completion. A transmit buffer has no
    /// device-writable part, so any used length above 0 is "larger than the buffer" (§2.7.8: len counts bytes
    /// written). An id out of range and an id already completed share one message in the queue; the cases are
    /// told apart by the used element the driver stopped at. The first frame is completed honestly, so the
    /// driver reclaims it before meeting the lie, except when the used index jumps: that is checked first.
    /// </summary>
    public static TheoryData<string, Hostility, string, int> HostileTransmitCases()
    {
        var data = new TheoryData<string, Hostility, string, int>();
        foreach (string t in new[] { "legacy", "modern" })
        {
            data.Add(t, Hostility.UsedIdOutOfRange, "transmit queue: used id out of range or not in flight", 1);
            data.Add(t, Hostility.UsedIdNotInFlight, "transmit queue: used id out of range or not in flight", 1);
            data.Add(t, Hostility.UsedLengthTooLarge, "transmit queue: used length larger than the buffer", 1);
            data.Add(t, Hostility.UsedIndexJump, "transmit queue: used index jumped past the buffers in flight", 0);
        }
        return data;
    }

    [Theory, MemberData(nameof(HostileTransmitCases))]
    public void HostileTransmitCompletionStopsTheDriver(string transport, Hostility hostility, string error, int reclaimedBeforeTheLie)
    {
        using var rig = new Rig(transport).Started();
        var tx = Assert.IsType<SplitVirtqueue>(rig.Driver.TransmitQueue);
        Assert.True(rig.Send(Rig.Frame(0, 100)));  // completed honestly; reclaimed only at the next poll
        var (honestId, _) = rig.Model.UsedElement(NetQueues.Transmit, 0);
        int resets = rig.Model.Resets;
        rig.Model.Hostile = hostility;
        Assert.True(rig.Send(Rig.Frame(1, 100)));
        Assert.True(rig.Send(Rig.Frame(2, 100)));
        Assert.True(rig.Driver.IsOperational);     // no completion has been looked at yet
        // The device's lies, as they stand in the used ring (read before the driver resets the device).
        var (id, length) = rig.Model.UsedElement(NetQueues.Transmit, (ushort)reclaimedBeforeTheLie);
        ushort claimedUsed = rig.Model.Queues[NetQueues.Transmit].UsedIndex;
        rig.Pump();
        Assert.False(rig.Driver.IsOperational);
        Assert.Equal(error, rig.Driver.Error);
        Assert.Equal(reclaimedBeforeTheLie, rig.Driver.Counters.TxFrames);
        Assert.Equal(reclaimedBeforeTheLie, tx.LastUsedIndex); // it stopped at the lying element, having taken nothing from it
        switch (hostility)
        {
            case Hostility.UsedIdOutOfRange:
                Assert.True(id >= tx.Size, $"id {id} is in range");
                break;
            case Hostility.UsedIdNotInFlight:
                Assert.Equal(honestId, id);            // the id the driver had just taken back
                break;
            case Hostility.UsedLengthTooLarge:
                Assert.True(id < tx.Size);
                Assert.Equal(100u, length);            // the model's lie: 100 bytes "written" into a buffer with none writable
                break;
            case Hostility.UsedIndexJump:
                Assert.True(claimedUsed > 3, $"used index {claimedUsed}: no more than the 3 buffers in flight");
                break;
        }
        Assert.Equal(1, rig.Driver.Counters.DeviceErrors);
        Assert.Equal(resets + 1, rig.Model.Resets);            // reset: the device stops using our memory
        Assert.NotEqual(0, rig.Model.Status & DeviceStatus.Failed);
        Assert.False(rig.Driver.TryReserveTransmit(out _));
        Assert.Empty(rig.MemoryFaults());
    }

    // ---- checksums (VIRTIO_NET_F_CSUM / GUEST_CSUM) ----

    private static byte[] UdpFrame(int payloadLength, bool partialChecksum)
    {
        var udp = new PacketDotNet.UdpPacket(4000, 7) { PayloadData = Enumerable.Range(0, payloadLength).Select(i => (byte)i).ToArray() };
        var ip = new PacketDotNet.IPv4Packet(System.Net.IPAddress.Parse("10.0.2.15"), System.Net.IPAddress.Parse("10.0.2.2")) { PayloadPacket = udp };
        var eth = new PacketDotNet.EthernetPacket(System.Net.NetworkInformation.PhysicalAddress.Parse("525400123456"), System.Net.NetworkInformation.PhysicalAddress.Parse("525400ABCDEF"), PacketDotNet.EthernetType.IPv4) { PayloadPacket = ip };
        ip.UpdateCalculatedValues();
        ip.UpdateIPChecksum();
        udp.UpdateUdpChecksum();
        byte[] bytes = eth.Bytes;
        if (partialChecksum)
        {
            // As a device with GUEST_CSUM may deliver it: only the pseudo-header sum, not inverted (§5.1.6.4.1).
            uint sum = InternetChecksum.Add(0, bytes.AsSpan(26, 8)) + 17 + (uint)(8 + payloadLength);
            while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
            bytes[40] = (byte)(sum >> 8);
            bytes[41] = (byte)sum;
        }
        return bytes;
    }

    private static bool UdpChecksumValid(byte[] frame)
    {
        var packet = PacketDotNet.Packet.ParsePacket(PacketDotNet.LinkLayers.Ethernet, frame);
        var udp = packet.Extract<PacketDotNet.UdpPacket>();
        return udp != null && udp.ValidUdpChecksum;
    }

    [Theory, MemberData(nameof(Transports))]
    public void PartialReceiveChecksumsAreTakenAsValidated_AsSection5_1_6_4Says(string transport)
    {
        using var rig = new Rig(transport).Started();
        Assert.True(rig.Driver.Has(NetFeatures.GuestChecksum));
        byte[] partial = UdpFrame(301, partialChecksum: true);
        Assert.False(UdpChecksumValid(partial));
        var header = new VirtioNetHeader { Flags = NetHeaderFlags.NeedsChecksum, ChecksumStart = Le16.Of(34), ChecksumOffset = Le16.Of(6) };
        Assert.True(rig.Model.Receive(partial, header));
        rig.Pump();
        byte[] got = rig.ReceiveOne(out bool verified)!;
        Assert.True(verified, "NEEDS_CSUM means the device validated the checksums");
        Assert.Equal(partial, got); // the field is left partial: nothing re-sums the packet

        // A device that places the field outside the frame is lying: not verified, counted.
        var outside = new VirtioNetHeader { Flags = NetHeaderFlags.NeedsChecksum, ChecksumStart = Le16.Of(34), ChecksumOffset = Le16.Of(400) };
        Assert.True(rig.Model.Receive(UdpFrame(10, true), outside));
        rig.Pump();
        Assert.NotNull(rig.ReceiveOne(out verified));
        Assert.False(verified);
        Assert.Equal(1, rig.Driver.Counters.RxErrors);

        Assert.True(rig.Model.Receive(UdpFrame(20, false), new VirtioNetHeader { Flags = NetHeaderFlags.DataValid }));
        rig.Pump();
        Assert.NotNull(rig.ReceiveOne(out verified));
        Assert.True(verified);
    }

    [Theory, MemberData(nameof(Transports))]
    public void TransmitChecksumIsOffloadedWhenNegotiated(string transport)
    {
        using var rig = new Rig(transport).Started();
        byte[] frame = UdpFrame(100, partialChecksum: true);
        Assert.True(rig.Send(frame, new ChecksumOffload { Start = 34, Offset = 6 }));
        VirtioNetHeader header = rig.Model.TransmittedHeaders[^1];
        Assert.Equal(NetHeaderFlags.NeedsChecksum, header.Flags);
        Assert.Equal(34, header.ChecksumStart.Value);
        Assert.Equal(6, header.ChecksumOffset.Value);
        Assert.Equal(frame, rig.Model.Transmitted[^1]); // left for the device to complete
    }

    [Fact]
    public void TransmitChecksumIsCompletedInSoftwareWithoutCsum()
    {
        using var rig = new Rig("modern", Rig.QemuLikeFeatures & ~VirtioFeatures.Bit(NetFeatures.Checksum)).Started();
        Assert.False(rig.Driver.CanOffloadTransmitChecksum);
        Assert.True(rig.Send(UdpFrame(55, partialChecksum: true), new ChecksumOffload { Start = 34, Offset = 6 }));
        Assert.Equal(0, rig.Model.TransmittedHeaders[^1].Flags);
        Assert.True(UdpChecksumValid(rig.Model.Transmitted[^1]));
    }

    [Fact]
    public void DriverNeverGivesTheDeviceAddressesOutsideItsMemory()
    {
        // GuestMemory throws on any access outside live allocations; a full run through both queues with
        // indirect tables and merged buffers must not trip it, nor write over any canary.
        var options = VirtioNetOptions.Default;
        options.ReceiveBufferSize = 300;
        using var rig = new Rig("modern", options: options).Started();
        for (int i = 0; i < 2000; i++)
        {
            rig.Send(Rig.Frame(i, Rig.SizeFor(i)));
            rig.Model.Receive(Rig.Frame(i, Rig.SizeFor(i)));
            rig.Pump();
            while (rig.ReceiveOne() != null) { }
        }
        Assert.True(rig.Driver.IsOperational);
        Assert.Empty(rig.MemoryFaults());
    }
}
