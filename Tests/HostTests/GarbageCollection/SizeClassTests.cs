using Internal.Runtime.GarbageCollection;
using Xunit;

namespace Cosmos.HostTests.GarbageCollection;

/// <summary>
/// The heap's size classes (Core/Runtime/GarbageCollection/SizeClasses.cs), whose two lookups are tables: every
/// size up to the largest class gets the smallest class that holds it, the sizes grow, and nothing past the largest
/// class gets one.
/// </summary>
public sealed class SizeClassTests
{
    [Fact]
    public void EverySizeGetsTheSmallestClassThatHoldsIt()
    {
        for (nuint size = 0; size <= SizeClasses.Largest; size++)
        {
            int sizeClass = SizeClasses.For(size);
            Assert.InRange(sizeClass, 0, SizeClasses.Count - 1);
            Assert.True(SizeClasses.SizeOf(sizeClass) >= (int)size, $"size {size}: class {sizeClass} holds {SizeClasses.SizeOf(sizeClass)}");
            if (sizeClass > 0)
                Assert.True(SizeClasses.SizeOf(sizeClass - 1) < (int)size, $"size {size}: class {sizeClass - 1} would hold it");
        }
    }

    [Fact]
    public void ClassesGrowInSixteensUpToTheLargest()
    {
        Assert.Equal(16, SizeClasses.SizeOf(0));
        Assert.Equal(SizeClasses.Largest, SizeClasses.SizeOf(SizeClasses.Count - 1));
        for (int c = 1; c < SizeClasses.Count; c++)
        {
            Assert.True(SizeClasses.SizeOf(c) > SizeClasses.SizeOf(c - 1));
            Assert.Equal(0, SizeClasses.SizeOf(c) % 16);
        }
    }

    [Theory]
    [InlineData(2049)]
    [InlineData(4096)]
    [InlineData(1u << 30)]
    public void PastTheLargestClassOnlyPagesWillDo(uint size) => Assert.Equal(-1, SizeClasses.For(size));
}
