using Cosmos.Net.Protocols.Tcp;
using Xunit;

namespace Cosmos.HostTests.Tcp;

/// <summary>RFC 6298's estimator (with RFC 7323 Appendix G's weighting) and RFC 5681 / 6582 / 6675 window arithmetic.</summary>
public sealed class RttAndCongestionTests
{
    [Fact]
    public void TheFirstSampleSetsSrttAndHalfOfItAsVariation()
    {
        var rtt = RttEstimator.Initial;
        Assert.Equal(1000, rtt.RtoMs);                   // §2.1
        rtt.Sample(400);
        Assert.Equal(400_000, rtt.SmoothedRttUs);        // §2.2
        Assert.Equal(200_000, rtt.RttVariationUs);
        Assert.Equal(1200, rtt.RtoMs);                   // 400 + 4 * 200
        rtt.Sample(400);                                 // §2.3: RTTVAR = 3/4 200 + 1/4 0, SRTT stays
        Assert.Equal(150_000, rtt.RttVariationUs);
        Assert.Equal(1000, rtt.RtoMs);
    }

    [Fact]
    public void RtoHasAFloorACeilingAndDoublesOnExpiry()
    {
        var rtt = RttEstimator.Initial;
        rtt.Sample(1);
        Assert.Equal(RttEstimator.MinRtoMs, rtt.RtoMs);
        for (int i = 0; i < 20; i++) rtt.Backoff();
        Assert.Equal(RttEstimator.MaxRtoMs, rtt.RtoMs);
        rtt.Sample(1);                                   // a new sample ends the backoff
        Assert.Equal(RttEstimator.MinRtoMs, rtt.RtoMs);
    }

    [Fact]
    public void TimestampSamplesAreWeightedByHowManyAWindowBrings()
    {
        var one = RttEstimator.Initial;
        var many = RttEstimator.Initial;
        one.Sample(100);
        many.Sample(100);
        one.Sample(500);
        many.Sample(500, expectedSamples: 8);            // RFC 7323 Appendix G: alpha / 8, beta / 8
        Assert.Equal(150_000, one.SmoothedRttUs);
        Assert.Equal(106_250, many.SmoothedRttUs);
    }

    [Fact]
    public void SlowStartThenCongestionAvoidance()
    {
        var cc = new CongestionControl();
        cc.Reset(1448);
        Assert.Equal(4380, cc.Cwnd);
        cc.OnAcknowledged(10 * 1448);                    // RFC 3465 L = 2 SMSS per ACK
        Assert.Equal(4380 + 2 * 1448, cc.Cwnd);
        cc.Ssthresh = cc.Cwnd;
        int before = cc.Cwnd;
        cc.OnAcknowledged(1448);
        Assert.Equal(before + 1448 * 1448 / before, cc.Cwnd);
    }

    [Fact]
    public void NewRenoRecoveryInflatesAndDeflates()
    {
        var cc = new CongestionControl();
        cc.Reset(1000);
        cc.Cwnd = 20_000;
        cc.EnterNewRenoRecovery(20_000, 5000);
        Assert.Equal(10_000, cc.Ssthresh);
        Assert.Equal(13_000, cc.Cwnd);                   // ssthresh + 3 SMSS
        cc.InflateForDuplicate();
        Assert.Equal(14_000, cc.Cwnd);
        cc.DeflateForPartialAck(4000);
        Assert.Equal(11_000, cc.Cwnd);
        cc.ExitRecovery();
        Assert.Equal(10_000, cc.Cwnd);
    }

    [Fact]
    public void SackRecoveryHalvesWithoutInflating()
    {
        var cc = new CongestionControl();
        cc.Reset(1000);
        cc.EnterSackRecovery(30_000, 777);
        Assert.Equal(15_000, cc.Cwnd);
        Assert.Equal(15_000, cc.Ssthresh);
        Assert.Equal(777u, cc.Recover);
        cc.EnterSackRecovery(1000, 778);
        Assert.Equal(2000, cc.Ssthresh);                 // never below two segments
    }

    [Fact]
    public void ATimeoutFencesRecoveryUntilItsFlightIsAcknowledged()
    {
        var cc = new CongestionControl();
        cc.Reset(1000);
        cc.OnTimeout(8000, 5000);
        Assert.Equal(1000, cc.Cwnd);
        Assert.Equal(4000, cc.Ssthresh);
        Assert.False(cc.MayEnterRecovery(4000));         // RFC 6582 §4.1: duplicate ACKs of the old flight
        Assert.True(cc.MayEnterRecovery(5000));
    }
}
