using System.Runtime.CompilerServices;
using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Drivers.VirtioNet.Spec;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>The spec layouts (virtio 1.2) have the sizes the spec gives; the notification test wraps correctly.</summary>
public class VirtioSpecTests
{
    [Fact]
    public void StructSizesMatchTheSpec()
    {
        Assert.Equal(16, Unsafe.SizeOf<VirtqDescriptor>());          // §2.7.5
        Assert.Equal(8, Unsafe.SizeOf<VirtqUsedElement>());          // §2.7.8
        Assert.Equal(16, Unsafe.SizeOf<PackedDescriptor>());         // §2.8.13
        Assert.Equal(4, Unsafe.SizeOf<PackedEventSuppression>());    // §2.8.14
        Assert.Equal(16, Unsafe.SizeOf<VirtioPciCapability>());      // §4.1.4
        Assert.Equal(12, Unsafe.SizeOf<VirtioNetHeader>());          // §5.1.6
    }

    [Theory]
    [InlineData(256, 4096, 6 + 512, 8192, 8192 + 6 + 2048)]   // legacy: used ring on the next page
    [InlineData(64, 1024, 6 + 128, 4096, 4096 + 6 + 512)]
    public void LegacyLayoutPutsTheUsedRingOnAPageBoundary(int size, int availAt, int availSize, int usedAt, int usedEnd)
    {
        var layout = new SplitRingLayout((ushort)size, legacy: true);
        Assert.Equal(0, layout.DescriptorTableOffset);
        Assert.Equal(availAt, layout.AvailableRingOffset);
        Assert.Equal(availSize, SplitRingLayout.AvailableRingSize(size));
        Assert.Equal(usedAt, layout.UsedRingOffset);
        Assert.Equal((usedEnd + 4095) & ~4095, layout.TotalSize);
    }

    [Fact]
    public void ModernLayoutIsCompact()
    {
        var layout = new SplitRingLayout(256, legacy: false);
        Assert.Equal(4096 + 518 + 2, layout.UsedRingOffset); // 4-byte alignment only (§2.7, Table 2.2)
        Assert.Equal(0, layout.UsedRingOffset % 4);
    }

    [Theory]
    // vring_need_event(event, new, old): notify when event lies in [old, new).
    [InlineData(0, 1, 0, true)]
    [InlineData(0, 2, 1, false)]
    [InlineData(5, 10, 3, true)]
    [InlineData(10, 10, 3, false)]
    [InlineData(65535, 1, 65534, true)]     // the window wraps past 65535
    [InlineData(65534, 2, 65535, false)]
    [InlineData(1, 3, 65530, true)]
    public void NeedEventHandlesWrapAround(int eventIndex, int newIndex, int oldIndex, bool expected) =>
        Assert.Equal(expected, SplitRingLayout.NeedEvent((ushort)eventIndex, (ushort)newIndex, (ushort)oldIndex));

    [Fact]
    public void NeedEventAgreesWithABruteForceModel()
    {
        var random = new Random(7);
        for (int i = 0; i < 100_000; i++)
        {
            ushort old = (ushort)random.Next(65536);
            ushort distance = (ushort)random.Next(1, 512);
            ushort @new = (ushort)(old + distance);
            ushort ev = (ushort)random.Next(65536);
            bool inWindow = (ushort)(ev - old) < distance;
            Assert.Equal(inWindow, SplitRingLayout.NeedEvent(ev, @new, old));
        }
    }
}

/// <summary>Device fields (Le16/Le32/Le64) hold their values in little-endian byte order in memory (virtio 1.2 §1.4).</summary>
public unsafe class DeviceByteOrderTests
{
    [Fact]
    public void FieldsAreLittleEndianInMemory_AtTheSpecsOffsets()
    {
        var d = new Cosmos.Drivers.Virtio.Spec.VirtqDescriptor
        {
            Address = Cosmos.Drivers.Virtio.Spec.Le64.Of(0x1122334455667788), Length = Cosmos.Drivers.Virtio.Spec.Le32.Of(0xAABBCCDD),
            Flags = Cosmos.Drivers.Virtio.Spec.Le16.Of(0x0102), Next = Cosmos.Drivers.Virtio.Spec.Le16.Of(0x0304),
        };
        byte[] bytes = new ReadOnlySpan<byte>(&d, 16).ToArray();
        Assert.Equal(new byte[] { 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0xDD, 0xCC, 0xBB, 0xAA, 0x02, 0x01, 0x04, 0x03 }, bytes);
        var h = new Cosmos.Drivers.VirtioNet.Spec.VirtioNetHeader { GsoSize = Cosmos.Drivers.Virtio.Spec.Le16.Of(0x05DC), NumBuffers = Cosmos.Drivers.Virtio.Spec.Le16.Of(0x0102) };
        byte[] header = new ReadOnlySpan<byte>(&h, 12).ToArray();
        Assert.Equal(new byte[] { 0xDC, 0x05 }, header[4..6]);   // gso_size at offset 4 (§5.1.6)
        Assert.Equal(new byte[] { 0x02, 0x01 }, header[10..12]); // num_buffers at offset 10
        Assert.Equal(0x05DC, h.GsoSize.Value);
    }
}
