using Cosmos.TestRunner.Soak;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>The soak's reading of the kernel's idle report and of the tap's packet counters (Tools/TestRunner/Soak/).</summary>
public class SoakIdleReportTests
{
    private const string Before = "[    3.1] net: idle: rx-lent=0 tx-outstanding=0 udp-queued=0 arp-pending=0 tcp=0 tcp-time-wait=0 tcp-pool-free=8192/8192 " +
        "tcp-syn-no-record=0 tcp-syn-no-memory=0 tcp-rx-no-memory=0 heap=18836104 allocs=4241 gcs=5 rx-frames=7 echoed=0 tx-busy=0 rx-dropped=0 " +
        "empty-interrupts=0 link-changes=0 tx-link-down=0 cycles-per-frame=1229663";

    private static IdleReport Report(string line) => IdleReport.Parse(line) ?? throw new InvalidOperationException("not an idle line");

    [Fact]
    public void ParsesFieldsAndNumbers()
    {
        IdleReport r = Report(Before);
        Assert.Equal("8192/8192", r.Fields["tcp-pool-free"]);
        Assert.Equal(8192, r.Number("tcp-pool-free"));
        Assert.Equal(18836104, r.Number("heap"));
        Assert.Null(IdleReport.Parse("net: ready"));
    }

    [Fact]
    public void SameHeldResourcesAndHeapWithinToleranceSettle()
    {
        string after = Before.Replace("rx-frames=7", "rx-frames=2000000").Replace("heap=18836104", "heap=18840000").Replace("allocs=4241", "allocs=4300");
        Assert.True(IdleReport.Settled(Report(Before), Report(after)));
        Assert.All(IdleReport.Compare(Report(Before), Report(after)), r => Assert.True(r.Passed, r.Name));
    }

    [Theory]
    [InlineData("tcp=0", "tcp=1")]
    [InlineData("rx-lent=0", "rx-lent=3")]
    [InlineData("tx-outstanding=0", "tx-outstanding=1")]
    [InlineData("tcp-pool-free=8192/8192", "tcp-pool-free=8190/8192")]
    [InlineData("tcp-time-wait=0", "tcp-time-wait=2")]
    [InlineData("udp-queued=0 ", "")] // a field gone from the report
    public void AnyHeldResourceNotBackFails(string was, string now)
    {
        IdleReport after = Report(Before.Replace(was, now));
        Assert.False(IdleReport.Settled(Report(Before), after));
        Assert.Single(IdleReport.Compare(Report(Before), after), r => !r.Passed);
    }

    [Fact]
    public void AHeapBeyondToleranceFails()
    {
        long grown = 18836104 + IdleReport.HeapToleranceBytes + 1;
        Assert.False(IdleReport.Settled(Report(Before), Report(Before.Replace("heap=18836104", $"heap={grown}"))));
        Assert.True(IdleReport.Settled(Report(Before), Report(Before.Replace("heap=18836104", $"heap={grown - 1}"))));
    }

    [Fact]
    public void ReadsTheTapsPacketCounters()
    {
        const string dev = "Inter-|   Receive                                                |  Transmit\n" +
            " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n" +
            "    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n" +
            "  tap0: 123456     789    0    0    0     0          0         0   654321     987    0    0    0     0       0          0\n";
        Assert.Equal((789L, 987L), SoakCheck.ParseProcNetDev(dev, "tap0"));
        Assert.Equal((-1L, -1L), SoakCheck.ParseProcNetDev(dev, "tap1"));
    }
}
