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
