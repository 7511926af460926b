using Cosmos.Net.Protocols.Tcp;
using CsCheck;
using Xunit;

namespace Cosmos.HostTests.Tcp;

/// <summary>The buffer pool's guarantees and the block-backed byte ring, against a plain list of bytes.</summary>
public sealed class ByteRingTests
{
    private const int Block = TcpBufferPool.BlockSize;

    [Fact]
    public void AnEmptyRingHoldsNoBlocks()
    {
        var pool = new TcpBufferPool(64);
        var account = new BufferAccount();
        Assert.True(pool.Open(account, 2));
        var ring = new ByteRing(pool, account, 16 * Block);
        Assert.Equal(0, ring.BlocksHeld);
        Assert.Equal(5000, ring.Append(new byte[5000]));
        Assert.Equal(3, ring.BlocksHeld);
        Assert.Equal(3, account.Held);
        ring.Consume(2 * Block);     // two blocks passed: given back
        Assert.Equal(1, ring.BlocksHeld);
        Assert.Equal(5000 - 2 * Block, ring.Read(new byte[10_000]));
        Assert.Equal(0, ring.BlocksHeld);
        Assert.Equal(64, pool.FreeBlocks);
        pool.Close(account);
        Assert.Equal(0, pool.ReservedBlocks);
    }

    [Fact]
    public void GuaranteesHoldWhateverOthersTake()
    {
        var pool = new TcpBufferPool(10);
        var a = new BufferAccount();
        var b = new BufferAccount();
        Assert.True(pool.Open(a, 4));
        Assert.True(pool.Open(b, 4));
        var greedy = new BufferAccount();
        Assert.False(pool.Open(greedy, 4));       // only 2 unreserved: a third connection cannot be promised 4
        var ringA = new ByteRing(pool, a, 64 * Block);
        var ringB = new ByteRing(pool, b, 64 * Block);
        // A takes its 4 and the 2 unreserved; then it is refused.
        Assert.Equal(6 * Block, ringA.Append(new byte[20 * Block]));
        Assert.Equal(1, pool.Exhausted);
        Assert.Equal(0, ringA.Writable);
        // B still gets its 4.
        Assert.Equal(4 * Block, ringB.Writable);
        Assert.Equal(4 * Block, ringB.Append(new byte[20 * Block]));
        Assert.Equal(0, pool.FreeBlocks);
        ringA.Clear();
        ringB.Clear();
        pool.Close(a);
        pool.Close(b);
        Assert.Equal(10, pool.FreeBlocks);
        Assert.Equal(0, pool.ReservedBlocks);
    }

    [Fact]
    public void OutOfOrderBytesWaitBeyondTheCountUntilCommitted()
    {
        var pool = new TcpBufferPool(64);
        var account = new BufferAccount();
        pool.Open(account, 4);
        var ring = new ByteRing(pool, account, 8 * Block);
        byte[] data = Enumerable.Range(0, 6000).Select(i => (byte)(i * 7)).ToArray();
        Assert.True(ring.WriteAt(3000, data.AsSpan(3000, 3000)));
        Assert.Equal(0, ring.Count);
        Assert.False(ring.WriteAt(8 * Block - 10, new byte[11])); // past the capacity
        Assert.Equal(3000, ring.Append(data.AsSpan(0, 3000)));
        ring.Commit(3000);
        var back = new byte[6000];
        Assert.Equal(6000, ring.Read(back));
        Assert.Equal(data, back);
        Assert.Equal(0, ring.BlocksHeld);
    }

    [Fact]
    public void DroppingOutOfOrderBytesGivesTheirBlocksBackAtOnce()
    {
        var pool = new TcpBufferPool(16);
        var account = new BufferAccount();
        pool.Open(account, 2);
        var ring = new ByteRing(pool, account, 8 * Block);
        Assert.Equal(100, ring.Append(new byte[100]));
        Assert.True(ring.WriteAt(3 * Block, new byte[2 * Block]));
        Assert.Equal(3, ring.BlocksHeld);
        ring.DropBeyondCount();
        Assert.Equal(1, ring.BlocksHeld);          // the block holding the 100 in-order bytes stays
        Assert.Equal(100, ring.Count);
    }

    [Fact]
    public void WindowsPromiseAGuaranteeAndAnEvenShareOfTheRest()
    {
        var pool = new TcpBufferPool(20);
        var a = new BufferAccount();
        var b = new BufferAccount();
        pool.Open(a, 2);
        Assert.Equal(2 + 18, pool.Promisable(a));
        pool.Open(b, 2);
        Assert.Equal(2 + 16 / 2, pool.Promisable(a));   // two accounts share the 16 unreserved
        Assert.Equal(2 + 16, pool.Available(a));        // what it could take this instant is still all of them
        var ring = new ByteRing(pool, a, 64 * Block);
        Assert.Equal(10 * Block, ring.Promisable);
    }

    /// <summary>Random appends, out-of-order writes, commits, peeks and reads across wrap-around, against a model.</summary>
    [Fact]
    public void BehavesLikeAListOfBytes()
    {
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 9000], Gen.Int[0, 5000]).Array[1, 120].Sample(ops =>
        {
            var pool = new TcpBufferPool(40);
            var account = new BufferAccount();
            pool.Open(account, 6);
            var ring = new ByteRing(pool, account, 12 * Block);
            var model = new List<byte>();
            var pending = new Dictionary<int, byte>();   // offset (from the head) -> byte written beyond the count
            byte next = 1;
            foreach (var (op, size, at) in ops)
            {
                switch (op)
                {
                    case 0:
                        int room = ring.Writable;
                        byte[] chunk = Enumerable.Range(0, size).Select(_ => next++).ToArray();
                        int n = ring.Append(chunk);
                        Assert.Equal(Math.Min(size, room), n);
                        model.AddRange(chunk.Take(n));
                        for (int i = 0; i < n; i++) pending.Remove(model.Count - n + i);
                        break;
                    case 1:
                        int offset = ring.Count + at;
                        int len = Math.Min(size, 3000);
                        byte[] piece = Enumerable.Range(0, len).Select(_ => next++).ToArray();
                        if (ring.WriteAt(offset, piece)) for (int i = 0; i < len; i++) pending[offset + i] = piece[i];
                        break;
                    case 2:
                        // Commit the pending bytes that follow the count without a gap.
                        int k = 0;
                        while (pending.TryGetValue(ring.Count + k, out _)) k++;
                        for (int i = 0; i < k; i++) { model.Add(pending[ring.Count + i]); }
                        for (int i = 0; i < k; i++) pending.Remove(ring.Count + i);
                        ring.Commit(k);
                        break;
                    case 3:
                        var out1 = new byte[size];
                        int got = ring.Read(out1);
                        Assert.Equal(Math.Min(size, model.Count), got);
                        Assert.Equal(model.Take(got), out1.Take(got));
                        model.RemoveRange(0, got);
                        pending = pending.Where(p => p.Key >= got).ToDictionary(p => p.Key - got, p => p.Value);
                        break;
                }
                Assert.Equal(model.Count, ring.Count);
                if (model.Count > 0)
                {
                    var peek = new byte[model.Count];
                    ring.Peek(0, peek);
                    Assert.Equal(model, peek);
                    // The in-order bytes again, as the block views ForwardTo copies from: the same bytes, each view
                    // within one block, and nothing at or past the count.
                    var viewed = new List<byte>();
                    for (int offset = 0; offset < model.Count;)
                    {
                        ReadOnlySpan<byte> view = ring.PeekContiguous(offset);
                        Assert.InRange(view.Length, 1, Block);
                        viewed.AddRange(view.ToArray());
                        offset += view.Length;
                    }
                    Assert.Equal(model, viewed);
                }
                Assert.True(ring.PeekContiguous(ring.Count).IsEmpty);
                Assert.True(account.Held <= ring.Capacity / Block);
                Assert.Equal(account.Held, ring.BlocksHeld);
            }
            ring.Clear();
            Assert.Equal(40, pool.FreeBlocks);
        });
    }
}
