using Cosmos.Net.Protocols.Tcp;
using CsCheck;
using Xunit;

namespace Cosmos.HostTests.Tcp;

/// <summary>
/// The receiver's reassembly on its own: where segment data goes relative to RCV.NXT, what joins when a gap fills,
/// and the reneging that keeps a connection moving when out-of-order data holds the pool's blocks.
/// </summary>
public sealed class SegmentReassemblyTests
{
    private const int Block = TcpBufferPool.BlockSize;
    private const uint Isn = 0xFFFF_F000; // close to wrapping, so sequence arithmetic is exercised

    private sealed class Receiver
    {
        public readonly TcpBufferPool Pool;
        public readonly ByteRing Ring;
        public readonly OutOfOrderRanges Ranges = new();
        public readonly SegmentReassembly Reassembly;
        public uint RcvNxt = Isn;

        public Receiver(int poolBlocks = 64, int capacity = 32 * Block, int guarantee = 2)
        {
            Pool = new TcpBufferPool(poolBlocks);
            var account = new BufferAccount();
            Assert.True(Pool.Open(account, guarantee));
            Ring = new ByteRing(Pool, account, capacity);
            Reassembly = new SegmentReassembly(Ring, Ranges);
        }

        public ReassemblyOutcome Accept(int streamOffset, ReadOnlySpan<byte> data, out int delivered, out bool dropped) =>
            Reassembly.Accept(ref RcvNxt, Isn + (uint)streamOffset, data, out delivered, out dropped);

        public ReassemblyOutcome Accept(byte[] stream, int from, int length) =>
            Accept(from, stream.AsSpan(from, length), out _, out _);

        public byte[] ReadAll()
        {
            var bytes = new byte[Ring.Count];
            Assert.Equal(bytes.Length, Ring.Read(bytes));
            return bytes;
        }
    }

    private static byte[] Stream(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void InOrderDataIsAppended_AndRcvNxtMovesPastIt()
    {
        var r = new Receiver();
        byte[] s = Stream(3000);
        Assert.Equal(ReassemblyOutcome.InOrder, r.Accept(0, s.AsSpan(0, 1000), out int delivered, out bool dropped));
        Assert.Equal(1000, delivered);
        Assert.False(dropped);
        Assert.Equal(Isn + 1000, r.RcvNxt);
        Assert.Equal(ReassemblyOutcome.InOrder, r.Accept(s, 1000, 2000));
        Assert.Equal(Isn + 3000, r.RcvNxt);
        Assert.Equal(s, r.ReadAll());
    }

    [Fact]
    public void ARetransmissionIsADuplicate_AndAPartialOneIsTrimmed()
    {
        var r = new Receiver();
        byte[] s = Stream(3000);
        r.Accept(s, 0, 1500);
        Assert.Equal(ReassemblyOutcome.Duplicate, r.Accept(0, s.AsSpan(0, 1500), out int delivered, out _));
        Assert.Equal(0, delivered);
        Assert.Equal(ReassemblyOutcome.Duplicate, r.Accept(s, 500, 1000)); // ends exactly at RCV.NXT
        // Starts before RCV.NXT and reaches past it: only the new bytes are taken (RFC 9293 §3.10.7.4).
        Assert.Equal(ReassemblyOutcome.InOrder, r.Accept(1000, s.AsSpan(1000, 2000), out delivered, out _));
        Assert.Equal(1500, delivered);
        Assert.Equal(Isn + 3000, r.RcvNxt);
        Assert.Equal(s, r.ReadAll());
    }

    [Fact]
    public void DataBeyondAGapWaits_ThenJoinsWhenTheGapFills()
    {
        var r = new Receiver();
        byte[] s = Stream(4000);
        Assert.Equal(ReassemblyOutcome.OutOfOrder, r.Accept(3000, s.AsSpan(3000, 1000), out int delivered, out _));
        Assert.Equal(0, delivered);
        Assert.Equal(ReassemblyOutcome.OutOfOrder, r.Accept(s, 1000, 1000));
        Assert.Equal(Isn, r.RcvNxt);
        Assert.Equal(0, r.Ring.Count);
        Assert.Equal(2, r.Ranges.Count);
        // The first gap fills: [1000, 2000) joins, [3000, 4000) still waits.
        Assert.Equal(ReassemblyOutcome.FilledGap, r.Accept(0, s.AsSpan(0, 1000), out delivered, out _));
        Assert.Equal(2000, delivered);
        Assert.Equal(Isn + 2000, r.RcvNxt);
        Assert.Equal(1, r.Ranges.Count);
        // The last one: everything is in order and no range is left.
        Assert.Equal(ReassemblyOutcome.FilledGap, r.Accept(2000, s.AsSpan(2000, 1000), out delivered, out _));
        Assert.Equal(2000, delivered);
        Assert.Equal(Isn + 4000, r.RcvNxt);
        Assert.Equal(0, r.Ranges.Count);
        Assert.Equal(s, r.ReadAll());
    }

    [Fact]
    public void DataBeyondTheRingIsNotKept_AndASegmentReachingPastItIsCut()
    {
        var r = new Receiver(capacity: 4 * Block);
        byte[] s = Stream(5 * Block);
        Assert.Equal(ReassemblyOutcome.NoRoom, r.Accept(4 * Block, s.AsSpan(4 * Block, 100), out _, out _));
        Assert.Equal(0, r.Ranges.Count);
        Assert.Equal(ReassemblyOutcome.InOrder, r.Accept(0, s.AsSpan(0, 5 * Block), out int delivered, out bool dropped));
        Assert.Equal(4 * Block, delivered); // the ring's capacity, not a lack of memory
        Assert.False(dropped);
    }

    [Fact]
    public void WhenHeldDataTakesTheBlocksTheGapNeeds_ItIsGivenUp_AndTheGapIsTaken()
    {
        // A pool of 4 blocks, none of them promised beyond the ring's guarantee of 1: out-of-order data past the
        // gap takes all 4, so the in-order segment finds none; the held data is given up (RFC 2018 §8) for it.
        var r = new Receiver(poolBlocks: 4, capacity: 16 * Block, guarantee: 1);
        byte[] s = Stream(6 * Block);
        Assert.Equal(ReassemblyOutcome.OutOfOrder, r.Accept(2 * Block, s.AsSpan(2 * Block, 4 * Block), out _, out bool dropped));
        Assert.False(dropped);
        Assert.Equal(0, r.Pool.FreeBlocks);
        Assert.Equal(ReassemblyOutcome.InOrder, r.Accept(0, s.AsSpan(0, Block), out int delivered, out dropped));
        Assert.Equal(Block, delivered);
        Assert.False(dropped);
        Assert.Equal(0, r.Ranges.Count); // reneged: the sender will send it again
        Assert.Equal(Isn + (uint)Block, r.RcvNxt);
        Assert.Equal(s.AsSpan(0, Block).ToArray(), r.ReadAll());
    }

    /// <summary>
    /// Any arrival order, with duplicates and overlaps, followed by the sender's retransmission of everything in
    /// order: the ring ends up holding exactly the stream, and RCV.NXT its end.
    /// </summary>
    [Fact]
    public void AnyOrderOfArrival_EndsAsTheStream()
    {
        Gen.Select(Gen.Int[1, 40_000], Gen.Int[1, 3000], Gen.Int, Gen.Int[0, 60]).Sample((length, mss, seed, extra) =>
        {
            var r = new Receiver(poolBlocks: 128, capacity: 32 * Block);
            byte[] s = Stream(length, seed);
            var random = new Random(seed);
            var segments = new List<(int From, int Length)>();
            for (int from = 0; from < length; from += mss) segments.Add((from, Math.Min(mss, length - from)));
            for (int i = 0; i < extra; i++)
            {
                int from = random.Next(length);
                segments.Add((from, Math.Min(random.Next(1, 2 * mss), length - from)));
            }
            foreach (var (from, n) in segments.OrderBy(_ => random.Next())) r.Accept(s, from, n);
            foreach (var (from, n) in segments.Take((length + mss - 1) / mss)) r.Accept(s, from, n);
            Assert.Equal(Isn + (uint)length, r.RcvNxt);
            Assert.Equal(0, r.Ranges.Count);
            Assert.Equal(s, r.ReadAll());
        }, iter: 300);
    }
}
