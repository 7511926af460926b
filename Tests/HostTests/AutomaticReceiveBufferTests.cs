using Cosmos.Drivers.VirtioNet;
using Xunit;

namespace HostTests;

/// <summary>The receive buffer size the virtio-net driver picks when the kernel leaves it to it (virtio.rx-buffer unset).</summary>
public class AutomaticReceiveBufferTests
{
    [Theory]
    [InlineData(256, 4L << 20, 16384)]      // 256 MiB of memory: the 4 MiB cap
    [InlineData(256, 2L << 20, 8192)]       // 64 MiB (and 128 MiB less what the firmware keeps: just under 4 MiB)
    [InlineData(256, 1L << 20, 4096)]       // 32 MiB
    [InlineData(256, 512L << 10, 2048)]     // 16 MiB: as before the automatic choice
    [InlineData(256, 384L << 10, 2048)]     // 12 MiB: never below 2 KiB, even over the budget
    [InlineData(1024, 4L << 20, 4096)]      // a larger ring gets smaller buffers within the same budget
    [InlineData(64, 4L << 20, 16384)]       // never above 16 KiB
    public void PicksTheLargestPowerOfTwoThatFitsTheBudget(int buffers, long budget, int expected)
    {
        Assert.Equal(expected, VirtioNetDevice.AutomaticReceiveBufferSize(buffers, budget));
    }

    [Fact]
    public void TheChoiceStaysWithinTheBudgetWheneverTheSmallestFits()
    {
        for (int buffers = 1; buffers <= 4096; buffers *= 2)
            for (long budget = 1L << 16; budget <= 1L << 24; budget <<= 1)
            {
                int size = VirtioNetDevice.AutomaticReceiveBufferSize(buffers, budget);
                Assert.InRange(size, VirtioNetDevice.SmallestAutomaticBuffer, VirtioNetDevice.LargestAutomaticBuffer);
                if ((long)VirtioNetDevice.SmallestAutomaticBuffer * buffers <= budget) Assert.True((long)size * buffers <= budget);
                if (size < VirtioNetDevice.LargestAutomaticBuffer) Assert.True((long)size * 2 * buffers > budget, "a larger buffer would have fit");
            }
    }
}
