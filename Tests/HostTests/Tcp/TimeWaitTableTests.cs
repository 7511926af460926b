using Cosmos.Net.Protocols.Tcp;
using Cosmos.Net.Wire;
using Xunit;

namespace Cosmos.HostTests.Tcp;

/// <summary>The TIME-WAIT table: bounded, expiring, and RFC 6191's test for reopening a 4-tuple.</summary>
public sealed class TimeWaitTableTests
{
    private static TimeWaitTable.Entry Entry(ushort port, long expires, bool ts = false) => new()
    {
        RemoteAddress = 0x0A000002, RemotePort = port, LocalPort = 80, SndNxt = 1000, RcvNxt = 5000,
        HasTimestamps = ts, TsRecent = 700, ExpiresMs = expires,
    };

    [Fact]
    public void EntriesAreFoundExpireAndTheSoonestIsEvictedWhenFull()
    {
        var t = new TimeWaitTable(4);
        for (ushort p = 1; p <= 4; p++) t.Add(Entry(p, 1000 + p));
        Assert.Equal(4, t.Count);
        Assert.True(t.Find(new Ipv4Address(0x0A000002), 3, 80) >= 0);
        Assert.True(t.Find(new Ipv4Address(0x0A000002), 3, 81) < 0);
        t.Add(Entry(9, 5000));                              // full: the one expiring first (port 1) goes
        Assert.Equal(1, t.Evicted);
        Assert.True(t.Find(new Ipv4Address(0x0A000002), 1, 80) < 0);
        Assert.True(t.Find(new Ipv4Address(0x0A000002), 9, 80) >= 0);
        Assert.Equal(3, t.Expire(1004));                    // ports 2, 3, 4
        Assert.Equal(1, t.Count);
    }

    [Theory]
    // RFC 6191 §2 with timestamps on both incarnations: a newer TSval reopens, an older is an old duplicate.
    [InlineData(true, true, 701u, 10u, true)]
    [InlineData(true, true, 699u, 9999u, false)]
    [InlineData(true, true, 700u, 5000u, true)]    // equal TSval, sequence above the old RCV.NXT
    [InlineData(true, true, 700u, 4999u, false)]
    // Without timestamps on one side: the sequence number decides.
    [InlineData(false, true, 1u, 5001u, true)]
    [InlineData(true, false, 0u, 5000u, true)]
    [InlineData(false, false, 0u, 4000u, false)]
    public void ANewSynReopensOnlyWhenItIsNewer(bool oldTs, bool synTs, uint tsVal, uint sequence, bool accepted)
    {
        var e = Entry(1, 0, oldTs);
        var o = new TcpOptions { HasTimestamps = synTs, TsVal = tsVal };
        Assert.Equal(accepted, TimeWaitTable.AcceptsNewIncarnation(in e, sequence, in o, timestampsEnabled: true));
    }

    [Fact]
    public void TheNewIncarnationStartsPastTheOldSequenceNumbers()
    {
        var e = Entry(1, 0);
        Assert.Equal(1000u + 65537, TimeWaitTable.IsnForNewIncarnation(in e, 1200));
        Assert.Equal(900_000u, TimeWaitTable.IsnForNewIncarnation(in e, 900_000));
    }
}
