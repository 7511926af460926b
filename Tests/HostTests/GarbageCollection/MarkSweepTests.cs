using Internal.Runtime.GarbageCollection;
using Xunit;
using static Cosmos.HostTests.GarbageCollection.SyntheticHeap;

namespace Cosmos.HostTests.GarbageCollection;

/// <summary>
/// The kernel collector's mark and sweep (Core/Runtime/GarbageCollection, the same files) over synthetic object
/// graphs: what is reachable from exact roots or from ambiguous stack words survives with its contents, everything
/// else goes back, cycles included; deep and wide graphs trace within a small mark stack; interior words keep their
/// object; references are found through GC descriptors only (data that looks like a pointer keeps nothing); the
/// checking mode and the verifier report what they must.
/// </summary>
[Collection("synthetic heap")]
public sealed unsafe class MarkSweepTests
{
    private static nuint List(SyntheticHeap h, int count, nuint payloadEvery = 0)
    {
        nuint head = 0;
        for (int i = 0; i < count; i++)
            head = h.NewNode(head, payloadEvery != 0 && i % (int)payloadEvery == 0 ? h.New(h.ByteArrayType, (uint)(i % 300 + 1)) : 0, i);
        return head;
    }

    private static List<nuint> Nodes(nuint head)
    {
        var nodes = new List<nuint>();
        for (nuint n = head; n != 0; n = Get(n, NodeNext)) nodes.Add(n);
        return nodes;
    }

    [Fact]
    public void UnreachableObjectsAreFreedAndReachableOnesKeptIntact()
    {
        using var h = new SyntheticHeap();
        nuint kept = List(h, 400, payloadEvery: 4);
        nuint garbage = List(h, 400, payloadEvery: 4);
        List<nuint> garbageNodes = Nodes(garbage);
        long liveBefore = h.Heap->LiveObjects;

        var (marker, freed) = h.Collect([kept]);

        Assert.Equal(500, marker.MarkedObjects);        // 400 nodes and 100 payload arrays
        Assert.Equal(500, h.Heap->LiveObjects);
        Assert.Equal(1000, liveBefore);
        Assert.True(freed > 0);
        Assert.All(Nodes(kept), n => Assert.True(h.IsLive(n)));
        Assert.All(garbageNodes, n => Assert.False(h.IsLive(n)));
        long sum = 0;
        foreach (nuint n in Nodes(kept)) sum += *(long*)(n + NodeValue);
        Assert.Equal(399L * 400 / 2, sum);
        Assert.Equal(0, h.Verify(kept));
    }

    [Fact]
    public void CyclesAreReclaimedUnlessRooted()
    {
        using var h = new SyntheticHeap();
        nuint Ring(int length)
        {
            nuint first = h.NewNode(), last = first;
            for (int i = 1; i < length; i++) last = h.NewNode(last);
            Set(first, NodeNext, last);
            nuint self = h.New(h.ObjectArrayType, 3);   // an array that holds itself and the ring
            SetElement(self, 0, self);
            SetElement(self, 1, first);
            SetElement(self, 2, last);
            Set(first, NodePayload, self);
            return first;
        }
        for (int r = 0; r < 300; r++) Ring(51);
        nuint rooted = Ring(51);

        h.Collect([rooted]);

        Assert.Equal(52, h.Heap->LiveObjects);
        Assert.True(h.IsLive(rooted));
        int count = 0;
        nuint n = rooted;
        do { Assert.True(h.IsLive(n)); n = Get(n, NodeNext); count++; } while (n != rooted && count < 100);
        Assert.Equal(51, count);
        Assert.Equal(0, h.Verify(rooted));

        h.Collect();
        Assert.Equal(0, h.Heap->LiveObjects);
    }

    [Fact]
    public void DeepListTracesWithAMarkStackOfEightEntries()
    {
        using var h = new SyntheticHeap(markStackEntries: 8);
        nuint head = List(h, 300_000);
        var (marker, _) = h.Collect([head]);
        Assert.Equal(300_000, marker.MarkedObjects);
        Assert.Equal(300_000, h.Heap->LiveObjects);
        Assert.Equal(0, marker.OverflowPasses);     // a list needs one slot at a time
        Assert.Equal(0, h.Verify(head));
    }

    [Fact]
    public void WideGraphOverflowsTheMarkStackAndIsRescanned()
    {
        using var h = new SyntheticHeap(markStackEntries: 16);
        nuint array = h.New(h.ObjectArrayType, 2000);
        for (int i = 0; i < 2000; i++) SetElement(array, i, List(h, 3, payloadEvery: 2));
        nuint garbage = List(h, 1000);

        var (marker, _) = h.Collect([array]);

        Assert.True(marker.OverflowPasses > 0, "the mark stack never overflowed: the test does not test the rescan");
        Assert.Equal(1 + 2000 * 5, h.Heap->LiveObjects);
        for (int i = 0; i < 2000; i++)
            foreach (nuint n in Nodes(Get(array, 16 + 8 * i))) Assert.True(h.IsLive(n));
        Assert.False(h.IsLive(garbage));
        Assert.Equal(0, h.Verify(array));
    }

    [Fact]
    public void InteriorStackWordsKeepTheirObject()
    {
        using var h = new SyntheticHeap();
        nuint small = h.New(h.ByteArrayType, 100);          // a size-class block
        nuint large = h.New(h.ByteArrayType, 20_000);       // a run of pages
        nuint node = h.NewNode(List(h, 10));
        nuint dropped = h.New(h.ByteArrayType, 100);

        // Words as a conservative stack scan reads them: into the middle of each, one past the large one's first
        // page, a field of the node; and noise: small integers, an address outside the heap.
        nuint[] stack = [small + 50, large + 3 * 4096 + 17, node + NodeValue, 42, 0, (nuint)0x1000];
        h.Collect(ambiguousWords: stack);

        Assert.True(h.IsLive(small));
        Assert.True(h.IsLive(large));
        Assert.True(h.IsLive(node));
        Assert.All(Nodes(Get(node, NodeNext)), n => Assert.True(h.IsLive(n)));  // traced precisely from there
        Assert.False(h.IsLive(dropped));
        Assert.Equal(3 + 10, h.Heap->LiveObjects);
    }

    [Fact]
    public void StackWordIntoAFreeBlockKeepsNothing()
    {
        using var h = new SyntheticHeap();
        nuint gone = h.NewNode();
        nuint kept = h.NewNode();
        h.Collect([kept]);
        Assert.False(h.IsLive(gone));
        var (marker, _) = h.Collect([kept], ambiguousWords: [gone, gone + 8]);
        Assert.Equal(1, marker.MarkedObjects);
        Assert.Equal(1, h.Heap->LiveObjects);
    }

    [Fact]
    public void StructArrayReferencesAreTracedAndDataThatLooksLikeAPointerIsNot()
    {
        using var h = new SyntheticHeap();
        const int Count = 300;
        nuint slots = h.New(h.SlotArrayType, Count);
        var decoys = new List<nuint>();
        for (int i = 0; i < Count; i++)
        {
            nuint decoy = h.NewNode();
            decoys.Add(decoy);
            SetSlotField(slots, i, SlotBefore, decoy);          // longs that hold object addresses: not references
            SetSlotField(slots, i, SlotA, h.NewNode(value: i));
            SetSlotField(slots, i, SlotMiddle, decoy + 8);
            SetSlotField(slots, i, SlotB, h.New(h.ByteArrayType, (uint)i));
            SetSlotField(slots, i, SlotAfter, decoy);
        }

        h.Collect([slots]);

        Assert.All(decoys, d => Assert.False(h.IsLive(d)));
        for (int i = 0; i < Count; i++)
        {
            nuint a = Get(slots, 16 + SlotSize * i + SlotA), b = Get(slots, 16 + SlotSize * i + SlotB);
            Assert.True(h.IsLive(a));
            Assert.Equal(i, *(long*)(a + NodeValue));
            Assert.True(h.IsLive(b));
            Assert.Equal((uint)i, *(uint*)(b + 8));
        }
        Assert.Equal(1 + 2 * Count, h.Heap->LiveObjects);
    }

    [Fact]
    public void EmptyObjectArrayAndLongArraysOfReferences()
    {
        using var h = new SyntheticHeap();
        nuint empty = h.New(h.ObjectArrayType, 0);
        nuint big = h.New(h.ObjectArrayType, 5000);         // 40 KB: a large object whose series covers every element
        for (int i = 0; i < 5000; i += 7) SetElement(big, i, h.NewNode(value: i));
        h.Collect([empty, big]);
        Assert.True(h.IsLive(empty));
        for (int i = 0; i < 5000; i += 7) Assert.True(h.IsLive(Get(big, 16 + 8 * i)));
        Assert.Equal(2 + (5000 + 6) / 7, h.Heap->LiveObjects);
        Assert.Equal(0, h.Verify(empty, big));
    }

    [Fact]
    public void EmptyChunksAndLargeRunsGoBackToThePageSource()
    {
        using var h = new SyntheticHeap();
        int pagesAtStart = h.PagesInUse;   // the page map
        nuint kept = h.NewNode();
        for (int round = 0; round < 5; round++)
        {
            List(h, 20_000, payloadEvery: 3);
            for (int i = 0; i < 20; i++) h.New(h.ByteArrayType, (uint)(10_000 + i * 1000));
            h.Collect([kept]);
            Assert.Equal(1, h.Heap->LiveObjects);
            Assert.Equal(pagesAtStart + ObjectHeap.ChunkPages, h.PagesInUse);  // the one chunk that holds the kept node
        }
        Assert.Equal(0, h.Verify(kept));
    }

    [Fact]
    public void SweptBlocksAreReusedBeforeNewChunks()
    {
        using var h = new SyntheticHeap();
        nuint kept = 0, garbage = 0;
        for (int i = 0; i < 3000; i++)      // interleaved, so every chunk keeps half its blocks
        {
            kept = h.NewNode(kept);
            garbage = h.NewNode(garbage);
        }
        long chunks = h.Heap->Chunks;
        h.Collect([kept]);
        Assert.Equal(chunks, h.Heap->Chunks);
        List(h, 3000);
        Assert.Equal(chunks, h.Heap->Chunks);
        Assert.Equal(6000, h.Heap->LiveObjects);
        Assert.Equal(0, h.Verify());
    }

    [Fact]
    public void RandomGraphsKeepExactlyWhatIsReachable()
    {
        for (int seed = 1; seed <= 20; seed++)
        {
            using var h = new SyntheticHeap(markStackEntries: 32);
            var random = new Random(seed);
            int count = random.Next(100, 3000);
            var objects = new nuint[count];
            var edges = new List<int>[count];
            for (int i = 0; i < count; i++)
            {
                edges[i] = [];
                objects[i] = random.Next(4) == 0 ? h.New(h.ObjectArrayType, (uint)random.Next(0, 6)) : h.NewNode(value: i);
            }
            for (int i = 0; i < count; i++)
            {
                bool isArray = *(Internal.Runtime.MethodTable**)objects[i] == h.ObjectArrayType;
                int slots = isArray ? (int)*(uint*)(objects[i] + 8) : 2;
                for (int s = 0; s < slots; s++)
                {
                    if (random.Next(3) == 0) continue;
                    int target = random.Next(count);
                    edges[i].Add(target);
                    Set(objects[i], isArray ? 16 + 8 * s : NodeNext + 8 * s, objects[target]);
                }
            }
            var exact = Enumerable.Range(0, random.Next(1, 5)).Select(_ => random.Next(count)).ToList();
            var ambiguous = Enumerable.Range(0, random.Next(0, 5)).Select(_ => random.Next(count)).ToList();

            var reachable = new bool[count];
            var work = new Stack<int>(exact.Concat(ambiguous));
            while (work.Count > 0)
            {
                int i = work.Pop();
                if (reachable[i]) continue;
                reachable[i] = true;
                foreach (int t in edges[i]) work.Push(t);
            }

            h.Collect(exact.Select(i => objects[i]), ambiguous.Select(i => objects[i] + 8).ToArray());

            for (int i = 0; i < count; i++) Assert.True(reachable[i] == h.IsLive(objects[i]), $"seed {seed}: object {i} reachable {reachable[i]}");
            Assert.Equal(reachable.Count(r => r), h.Heap->LiveObjects);
            Assert.Equal(0, h.Verify(exact.Select(i => objects[i]).ToArray()));
        }
    }

    [Fact]
    public void CheckingModeReportsAReleasedObjectThatIsStillReferenced()
    {
        using var h = new SyntheticHeap(checking: true);
        nuint held = h.NewNode(value: 7);
        nuint owner = h.NewNode(payload: held);
        nuint alone = h.NewNode();
        h.Heap->Release((byte*)held - 8);
        h.Heap->Release((byte*)alone - 8);
        Assert.Equal(1, h.Verify(owner));
        Assert.Equal(HeapError.ReferenceToReleased, VerifierErrors[0].Kind);
        Assert.Equal(owner, VerifierErrors[0].At);

        h.Collect([owner], checking: true);

        Assert.Equal((owner, held - 8), Assert.Single(ReleasedReached));
        Assert.Equal(BlockState.Released, BlockStateAt(h, held));   // kept out of use: something points at it
        Assert.True(FindBlock(h, alone) == null);                 // released and unreferenced: now free
    }

    [Fact]
    public void CheckingModeReportsAnExactReferenceThatDoesNotStartAnObject()
    {
        using var h = new SyntheticHeap(checking: true);
        nuint bytes = h.New(h.ByteArrayType, 64);
        nuint owner = h.NewNode(payload: bytes + 16);
        h.Collect([owner], checking: true);
        Assert.Equal((owner, bytes + 16), Assert.Single(NotAnObject));
    }

    [Fact]
    public void VerifierReportsCorruptReferencesTypesAndLeftoverMarks()
    {
        using var h = new SyntheticHeap();
        nuint bytes = h.New(h.ByteArrayType, 64);
        nuint owner = h.NewNode(payload: bytes);
        Assert.Equal(0, h.Verify(owner));

        Set(owner, NodePayload, bytes + 8);
        Assert.Equal(1, h.Verify(owner));
        Assert.Equal((HeapError.BadReference, owner, bytes + 8), VerifierErrors[0]);

        Set(owner, NodePayload, bytes);
        *(nuint*)bytes = 0x1234560;                                // not a type
        *(ulong*)(owner - 8) |= ObjectHeap.MarkBit;                // a mark left behind
        h.Verify(owner);
        Assert.Contains(VerifierErrors, e => e.Kind == HeapError.BadType && e.At == bytes);
        Assert.Contains(VerifierErrors, e => e.Kind == HeapError.MarkLeft && e.At == owner - 8);
        *(nuint*)bytes = (nuint)h.ByteArrayType;
        *(ulong*)(owner - 8) &= ~ObjectHeap.MarkBit;
        Assert.Equal(0, h.Verify(owner));
    }

    private static byte* FindBlock(SyntheticHeap h, nuint obj) => h.Heap->FindBlock(obj, out _);

    private static BlockState BlockStateAt(SyntheticHeap h, nuint obj)
    {
        h.Heap->FindBlock(obj, out BlockState state);
        return state;
    }
}
