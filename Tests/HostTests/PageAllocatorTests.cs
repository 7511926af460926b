using System.Runtime.InteropServices;
using Cosmos.Hal.Memory;
using CsCheck;
using Xunit;

namespace Cosmos.HostTests;

public sealed unsafe class PageAllocatorTests : IDisposable
{
    private const ulong Pages = 4096; // 16 MiB of "physical memory"
    private readonly ulong* _bitmap = (ulong*)NativeMemory.AllocZeroed((nuint)PageAllocator.BitmapBytes(Pages * 4096));

    public void Dispose() => NativeMemory.Free(_bitmap);

    private PageAllocator Fresh()
    {
        var pages = new PageAllocator(_bitmap, Pages);
        pages.AddFreeRange(0, Pages * 4096);
        return pages;
    }

    [Fact]
    public void StartsFullyUsedUntilRamIsAdded()
    {
        var pages = new PageAllocator(_bitmap, Pages);
        Assert.Equal(0UL, pages.FreePages);
        Assert.Equal(0UL, pages.AllocateRun(1));
    }

    [Fact]
    public void PartialPagesAtRegionEdgesStayUsed()
    {
        var pages = new PageAllocator(_bitmap, Pages);
        pages.AddFreeRange(0x1800, 0x3000); // covers 0x1800..0x4800: only pages 2 and 3 are whole
        Assert.Equal(2UL, pages.FreePages);
        Assert.True(pages.IsPageInUse(0x1000));
        Assert.False(pages.IsPageInUse(0x2000));
        Assert.False(pages.IsPageInUse(0x3000));
        Assert.True(pages.IsPageInUse(0x4000));
    }

    [Fact]
    public void ReservationsAreNeverHandedOut()
    {
        var pages = Fresh();
        pages.Reserve(0x100000, 0x280000); // an "image" at 1 MiB
        for (int i = 0; i < 1000; i++)
        {
            ulong p = pages.AllocateRun(1);
            Assert.NotEqual(0UL, p);
            Assert.False(p >= 0x100000 && p < 0x380000, $"page {p:x} is inside the reservation");
        }
    }

    [Fact]
    public void RunsAreContiguousAlignedAndExclusive()
    {
        var pages = Fresh();
        ulong a = pages.AllocateRun(16, 16);
        ulong b = pages.AllocateRun(3);
        Assert.Equal(0UL, a % (16 * 4096));
        Assert.NotEqual(0UL, a);
        Assert.True(b + 3 * 4096 <= a || b >= a + 16 * 4096);
        Assert.Equal(Pages - 19, pages.FreePages);
    }

    [Fact]
    public void DoubleFreeAndForeignFreeAreRefused()
    {
        var pages = Fresh();
        ulong a = pages.AllocateRun(4);
        Assert.True(pages.FreeRun(a, 4));
        Assert.False(pages.FreeRun(a, 4));
        Assert.False(pages.FreeRun(a + 1, 1));           // not page aligned
        Assert.False(pages.FreeRun(Pages * 4096, 1));     // beyond the tracked memory
        Assert.Equal(3, pages.DoubleFrees);
        Assert.Equal(Pages, pages.FreePages);
    }

    [Fact]
    public void ExhaustionReturnsZeroAndRecovers()
    {
        var pages = Fresh();
        var taken = new List<ulong>();
        for (ulong p; (p = pages.AllocateRun(64)) != 0;) taken.Add(p);
        Assert.Equal(0UL, pages.AllocateRun(64));
        foreach (ulong p in taken) Assert.True(pages.FreeRun(p, 64));
        Assert.NotEqual(0UL, pages.AllocateRun(64));
    }

    /// <summary>Random allocate/free sequences against a model: no overlap, exact free-page accounting.</summary>
    [Fact]
    public void RandomSequencesMatchAModel()
    {
        Gen.Select(Gen.Int[1, 40], Gen.Int[0, 4], Gen.Bool).Array[1, 300].Sample(ops =>
        {
            // CsCheck runs samples in parallel: each gets its own bitmap.
            ulong* bitmap = (ulong*)NativeMemory.AllocZeroed((nuint)PageAllocator.BitmapBytes(Pages * 4096));
            try
            {
                var pages = new PageAllocator(bitmap, Pages);
                pages.AddFreeRange(0, Pages * 4096);
                var owned = new Dictionary<ulong, ulong>(); // start -> count
                var rng = new Random(ops.Length);
                foreach (var (count, alignShift, free) in ops)
                {
                    if (free && owned.Count > 0)
                    {
                        var victim = owned.ElementAt(rng.Next(owned.Count));
                        Assert.True(pages.FreeRun(victim.Key, victim.Value));
                        owned.Remove(victim.Key);
                        continue;
                    }
                    ulong align = 1UL << alignShift;
                    ulong start = pages.AllocateRun((ulong)count, align);
                    if (start == 0) continue;
                    Assert.Equal(0UL, (start >> 12) % align);
                    foreach (var (s, n) in owned)
                        Assert.True(start + (ulong)count * 4096 <= s || start >= s + n * 4096, "runs overlap");
                    owned[start] = (ulong)count;
                }
                ulong used = owned.Values.Aggregate(0UL, (a, b) => a + b);
                Assert.Equal(Pages - used, pages.FreePages);
            }
            finally
            {
                NativeMemory.Free(bitmap);
            }
        }, iter: 300);
    }
}
