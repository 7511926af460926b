using Cosmos.Net.Protocols.Tcp;
using Cosmos.Net.Wire;
using CsCheck;
using Xunit;

namespace Cosmos.HostTests.Tcp;

/// <summary>
/// The receiver's out-of-order ranges and the SACK blocks made from them (RFC 2018 §4), and the sender's
/// scoreboard (RFC 6675 §4: IsLost, SetPipe, NextSeg), each against a byte-by-byte model.
/// </summary>
public sealed class SackTests
{
    [Fact]
    public void RangesMergeAndTheMostRecentComesFirst()
    {
        var r = new OutOfOrderRanges();
        r.Add(2000, 3000);
        r.Add(5000, 6000);
        r.Add(3000, 3500);                      // extends the first: it is now the most recent
        var o = new TcpOptions();
        r.FillSackBlocks(ref o);
        Assert.Equal(2, o.SackBlockCount);
        Assert.Equal((2000u, 3500u), (o.SackStart(0), o.SackEnd(0)));
        Assert.Equal((5000u, 6000u), (o.SackStart(1), o.SackEnd(1)));
        Assert.Equal(3500u, r.Advance(2000));   // the gap before 2000 filled: [2000, 3500) joins
        Assert.Equal(1, r.Count);
        Assert.Equal(6000u, r.HighestEnd(3500));
    }

    [Fact]
    public void AFullSetRefusesADisjointRangeButMergesATouchingOne()
    {
        var r = new OutOfOrderRanges();
        for (uint i = 0; i < OutOfOrderRanges.Capacity; i++) Assert.True(r.Add(1000 + i * 100, 1050 + i * 100));
        Assert.False(r.CanAdd(5000, 5010));
        Assert.False(r.Add(5000, 5010));
        Assert.True(r.Add(1050, 1100));         // touches two: they become one
        Assert.Equal(OutOfOrderRanges.Capacity - 1, r.Count);
    }

    [Fact]
    public void RangesAgreeWithAModelAcrossSequenceWrap()
    {
        Gen.Select(Gen.Int[0, 4000], Gen.Int[1, 600]).Array[1, 40].Sample(segments =>
        {
            uint rcvNxt = 0xFFFF_F000;            // wraps during the test
            var r = new OutOfOrderRanges();
            var held = new HashSet<uint>();
            foreach (var (offset, length) in segments)
            {
                uint start = rcvNxt + 1 + (uint)offset, end = start + (uint)length;
                if (r.Add(start, end)) for (uint s = start; s != end; s++) held.Add(s);
                for (int i = 0; i < r.Count; i++)
                    for (int j = i + 1; j < r.Count; j++)   // disjoint and not touching
                        Assert.True(Seq.Lt(r.End(i), r.Start(j)) || Seq.Lt(r.End(j), r.Start(i)));
                int covered = 0;
                for (int i = 0; i < r.Count; i++) covered += (int)(r.End(i) - r.Start(i));
                Assert.Equal(held.Count, covered);
                foreach (uint s in held) Assert.Contains(Enumerable.Range(0, r.Count), i => Seq.Le(r.Start(i), s) && Seq.Lt(s, r.End(i)));
            }
            // Fill [rcvNxt, lowest start): the ranges contiguous with it become in order.
            uint next = r.Advance(rcvNxt + 1);
            uint expect = rcvNxt + 1;
            while (held.Contains(expect)) expect++;
            Assert.Equal(expect, next);
        });
    }

    private static TcpOptions Blocks(params (uint Start, uint End)[] blocks)
    {
        var o = new TcpOptions();
        foreach (var (s, e) in blocks) o.AddSackBlock(s, e);
        return o;
    }

    [Fact]
    public void BlocksOutsideTheFlightAreIgnored()
    {
        var sb = new SackScoreboard();
        var o = Blocks((500, 900), (1000, 2000), (9000, 9500), (3000, 2500));
        Assert.True(sb.Update(1000, 8000, in o));   // below SND.UNA (a D-SACK), above SND.MAX, inverted: ignored
        Assert.Equal(1, sb.Count);
        Assert.False(sb.Update(1000, 8000, in o));  // nothing new the second time
        sb.Advance(1500);
        Assert.Equal((1500u, 2000u), (sb.Start(0), sb.End(0)));
    }

    [Fact]
    public void IsLostPipeAndNextSegFollowRfc6675()
    {
        const int smss = 1000;
        var sb = new SackScoreboard();
        uint una = 10_000, max = 20_000;
        // Segments 10000..19999 in flight; 11000-12000, 13000-15000 SACKed.
        var o = Blocks((11_000, 12_000), (13_000, 15_000));
        sb.Update(una, max, in o);
        Assert.True(sb.IsLost(10_000, smss));       // 3000 bytes SACKed above: more than 2 SMSS
        Assert.False(sb.IsLost(12_000, smss));      // 2000 above: not more than 2 SMSS, and one range
        Assert.False(sb.IsLost(15_000, smss));
        // Pipe: the hole at 10000 is lost (0), 12000-13000 counts, 15000-20000 counts.
        Assert.Equal(6000, sb.Pipe(una, max, smss));
        Assert.True(sb.NextRetransmission(una, smss, lostOnly: true, out uint s, out int len));
        Assert.Equal((10_000u, 1000), (s, len));
        sb.HighRxt = 11_000;                          // retransmitted: it counts in the pipe again
        Assert.Equal(7000, sb.Pipe(una, max, smss));
        Assert.False(sb.NextRetransmission(una, smss, lostOnly: true, out _, out _));
        Assert.True(sb.NextRetransmission(una, smss, lostOnly: false, out s, out len)); // rule 3: the hole not presumed lost
        Assert.Equal((12_000u, 1000), (s, len));
    }

    /// <summary>Pipe against the definition octet by octet, for random SACK blocks and HighRxt.</summary>
    [Fact]
    public void PipeAgreesWithItsDefinition()
    {
        Gen.Select(Gen.Int[0, 30].Array[0, 8], Gen.Int[0, 30], Gen.Int[1, 4]).Sample((edges, rxt, smss) =>
        {
            uint una = 0xFFFF_FF00, max = una + 30;
            var sb = new SackScoreboard();
            var sacked = new bool[30];
            for (int i = 0; i + 1 < edges.Length; i += 2)
            {
                int a = Math.Min(edges[i], edges[i + 1]), b = Math.Max(edges[i], edges[i + 1]);
                if (a == b) continue;
                var o = Blocks((una + (uint)a, una + (uint)b));
                sb.Update(una, max, in o);
                for (int k = a; k < b; k++) sacked[k] = true;
            }
            if (sb.Count < SackScoreboard.Capacity)
                for (int k = 0; k < 30; k++) Assert.Equal(sacked[k], sb.IsSacked(una + (uint)k));
            sb.HighRxt = una + (uint)rxt;
            int expected = 0;
            for (int k = 0; k < 30; k++)
            {
                if (sb.IsSacked(una + (uint)k)) continue;
                if (!sb.IsLost(una + (uint)k, smss)) expected++;
                if (k < rxt) expected++;
            }
            Assert.Equal(expected, sb.Pipe(una, max, smss));
        });
    }
}
