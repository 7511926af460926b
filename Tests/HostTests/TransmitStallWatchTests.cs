using Cosmos.Kernel.Devices;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>The kernel's watch for a device that keeps transmit buffers and completes none (Kernel/Devices/TransmitStallWatch.cs).</summary>
public class TransmitStallWatchTests
{
    private const long Stall = TransmitStallWatch.StallMilliseconds;

    [Fact]
    public void HeldBuffersWithNoCompletionAreReportedOnceAfterTheStretch()
    {
        var watch = new TransmitStallWatch();
        Assert.False(watch.Observe(transmitted: 10, inFlight: 3, nowMs: 0));
        Assert.False(watch.Observe(10, 3, Stall - 1));
        Assert.True(watch.Observe(10, 3, Stall));
        Assert.False(watch.Observe(10, 3, Stall + 5000)); // once
        Assert.True(watch.Reported);
    }

    [Fact]
    public void SendingMoreWithoutCompletionsIsStillAStall()
    {
        var watch = new TransmitStallWatch();
        watch.Observe(10, 3, 0);
        Assert.False(watch.Observe(20, 13, 1000)); // ten more sent, all still held: completed stays 7
        Assert.True(watch.Observe(30, 23, Stall));
    }

    [Fact]
    public void ACompletionBetweenLooksRestartsTheStretchEvenWhenInFlightDoesNotFall()
    {
        var watch = new TransmitStallWatch();
        watch.Observe(10, 3, 0);
        // Under load: 5 completed and 5 more sent between two looks, so in flight is the same, but completed moved.
        Assert.False(watch.Observe(15, 3, Stall - 100));
        Assert.False(watch.Observe(15, 3, Stall + 100));
        Assert.True(watch.Observe(15, 3, 2 * Stall - 100));
    }

    [Fact]
    public void NothingInFlightIsNeverAStallAndEndsAReportedOne()
    {
        var watch = new TransmitStallWatch();
        watch.Observe(10, 0, 0);
        Assert.False(watch.Observe(10, 0, 10 * Stall));
        watch.Observe(11, 1, 10 * Stall);
        Assert.True(watch.Observe(11, 1, 11 * Stall));
        Assert.False(watch.Observe(11, 0, 11 * Stall + 1)); // the device gave everything back
        Assert.False(watch.Reported);
        watch.Observe(12, 1, 12 * Stall);
        Assert.True(watch.Observe(12, 1, 13 * Stall)); // a later stall is reported again
    }
}
