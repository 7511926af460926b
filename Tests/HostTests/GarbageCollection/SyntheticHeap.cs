using System.Runtime.InteropServices;
using Internal.Runtime;
using Internal.Runtime.GarbageCollection;

namespace Cosmos.HostTests.GarbageCollection;

/// <summary>
/// The kernel's <see cref="ObjectHeap"/>, <see cref="Marker"/> and <see cref="HeapVerifier"/> (the same source files)
/// over 32 MiB of host memory, with hand-made MethodTables and GC descriptors laid out as ilc lays them out (see
/// Core/Runtime/GarbageCollection/Decoding/GCDescription.cs): so a test builds an object graph, names its roots, and
/// looks at what a collection kept. The constants below are written here from the NativeAOT MethodTable layout
/// rather than taken from the kernel's MethodTable, so a wrong flag there would not be mirrored here.
/// Only one instance may exist at a time (the page source is a pair of static function pointers).
/// </summary>
public sealed unsafe class SyntheticHeap : IDisposable
{
    public const int RegionPages = 8192;
    private const int PageSize = 4096;

    // MethodTable flags (NativeAOT: the upper half of the first word; the lower half is the component size).
    private const uint HasPointers = 0x01000000;
    private const uint HasComponentSize = 0x80000000;

    private static SyntheticHeap? s_current;

    private readonly byte* _region;
    private readonly bool[] _used = new bool[RegionPages];
    private readonly nuint* _markStack;
    private readonly int _markStackEntries;
    private readonly List<nint> _typeMemory = [];
    private readonly HashSet<nint> _types = [];

    public readonly ObjectHeap* Heap;
    public int PagesInUse { get; private set; }

    /// <summary>class Node { Node Next; object Payload; long Value; }: base size 40, one series of two references at offset 8.</summary>
    public readonly MethodTable* NodeType;
    /// <summary>object[]: component size 8, one series from offset 16 whose length follows the element count.</summary>
    public readonly MethodTable* ObjectArrayType;
    /// <summary>byte[]: component size 1, no references.</summary>
    public readonly MethodTable* ByteArrayType;
    /// <summary>
    /// Slot[] with struct Slot { long Before; object A; long Middle; object B; long After; } (40 bytes): the repeating
    /// form of the descriptor, first reference at offset 24, then {1 reference, skip 8}, {1 reference, skip 16}.
    /// </summary>
    public readonly MethodTable* SlotArrayType;

    public const int NodeNext = 8, NodePayload = 16, NodeValue = 24;
    public const int SlotSize = 40, SlotBefore = 0, SlotA = 8, SlotMiddle = 16, SlotB = 24, SlotAfter = 32;

    /// <summary>Errors the verifier reported in the last <see cref="Verify"/>, and what the marker's callbacks reported.</summary>
    public static readonly List<(HeapError Kind, nuint At, nuint Detail)> VerifierErrors = [];
    public static readonly List<(nuint Referrer, nuint Target)> ReleasedReached = [];
    public static readonly List<(nuint Referrer, nuint Reference)> NotAnObject = [];

    public SyntheticHeap(bool checking = false, int markStackEntries = 1024)
    {
        if (s_current != null) throw new InvalidOperationException("one synthetic heap at a time");
        s_current = this;
        _region = (byte*)NativeMemory.AlignedAlloc(RegionPages * PageSize, PageSize);
        _markStackEntries = markStackEntries;
        _markStack = (nuint*)NativeMemory.Alloc((nuint)markStackEntries, (nuint)sizeof(nuint));
        Heap = (ObjectHeap*)NativeMemory.AllocZeroed((nuint)sizeof(ObjectHeap));
        var source = new PageSource { Allocate = &AllocatePages, Free = &FreePages };
        if (!Heap->Initialize((nuint)_region, RegionPages, source)) throw new InvalidOperationException("no page map");
        Heap->Checking = checking;

        NodeType = MakeType(HasPointers, 40, [1, NodeNext, 2 * 8 - 40]);
        ObjectArrayType = MakeType(HasPointers | HasComponentSize | 8, 24, [1, 16, -24]);
        ByteArrayType = MakeType(HasComponentSize | 1, 24, []);
        SlotArrayType = MakeType(HasPointers | HasComponentSize | SlotSize, 24, [-2, 16 + SlotA, Item(1, 8), Item(1, 16)]);
        VerifierErrors.Clear();
        ReleasedReached.Clear();
        NotAnObject.Clear();
    }

    private static long Item(uint references, uint skip) => (long)((ulong)skip << 32 | references);

    /// <summary>A MethodTable with the given descriptor words below it (word i at mt - 8(i+1)).</summary>
    private MethodTable* MakeType(uint flags, uint baseSize, long[] descriptorBelow)
    {
        int below = descriptorBelow.Length * 8;
        byte* memory = (byte*)NativeMemory.AllocZeroed((nuint)(below + 256));
        _typeMemory.Add((nint)memory);
        var mt = (MethodTable*)(memory + ((below + 15) & ~7));
        for (int i = 0; i < descriptorBelow.Length; i++) ((long*)mt)[-1 - i] = descriptorBelow[i];
        mt->Flags = flags;
        mt->BaseSize = baseSize;
        _types.Add((nint)mt);
        return mt;
    }

    private static nuint AllocatePages(int count) => s_current!.Take(count);
    private static void FreePages(nuint start, int count) => s_current!.Give(start, count);

    private nuint Take(int count)
    {
        for (int start = 0; start + count <= RegionPages; start++)
        {
            int run = 0;
            while (run < count && !_used[start + run]) run++;
            if (run == count)
            {
                for (int i = 0; i < count; i++) _used[start + i] = true;
                PagesInUse += count;
                return (nuint)(_region + (long)start * PageSize);
            }
            start += run;
        }
        return 0;
    }

    private void Give(nuint start, int count)
    {
        int first = (int)((start - (nuint)_region) / PageSize);
        for (int i = 0; i < count; i++)
        {
            if (!_used[first + i]) throw new InvalidOperationException($"page {first + i} freed twice");
            _used[first + i] = false;
        }
        PagesInUse -= count;
    }

    // ---- objects ----

    /// <summary>A new object of the type (arrays with <paramref name="length"/> elements); its reference (the MethodTable pointer's address).</summary>
    public nuint New(MethodTable* type, uint length = 0)
    {
        nuint size = ObjectLayout.SizeOf(type, length);
        byte* block = Heap->TryAllocate(size);
        if (block == null) throw new OutOfMemoryException("synthetic heap full");
        byte* obj = block + ObjectLayout.HeaderSize;
        *(MethodTable**)obj = type;
        if (type->HasComponentSize) *(uint*)(obj + 8) = length;
        return (nuint)obj;
    }

    public nuint NewNode(nuint next = 0, nuint payload = 0, long value = 0)
    {
        nuint node = New(NodeType);
        Set(node, NodeNext, next);
        Set(node, NodePayload, payload);
        *(long*)(node + NodeValue) = value;
        return node;
    }

    public static void Set(nuint obj, int offset, nuint value) => *(nuint*)(obj + (nuint)offset) = value;
    public static nuint Get(nuint obj, int offset) => *(nuint*)(obj + (nuint)offset);
    public static void SetElement(nuint array, int index, nuint value) => Set(array, 16 + 8 * index, value);
    public static void SetSlotField(nuint array, int index, int field, nuint value) => Set(array, 16 + SlotSize * index + field, value);

    /// <summary>Whether <paramref name="obj"/> still starts an allocated object.</summary>
    public bool IsLive(nuint obj) =>
        Heap->FindBlock(obj, out BlockState state) == (byte*)obj - ObjectLayout.HeaderSize && state == BlockState.Allocated;

    // ---- collection ----

    /// <summary>
    /// Marks from exact roots and from ambiguous words (as a conservative stack scan would read them, through
    /// <see cref="Marker.MarkRange"/> over a copy), then sweeps. Returns the marker (its counts) and the bytes freed.
    /// </summary>
    public (Marker Marker, long Freed) Collect(IEnumerable<nuint>? exactRoots = null, nuint[]? ambiguousWords = null, bool checking = false)
    {
        var marker = new Marker(Heap, _markStack, _markStackEntries);
        if (checking)
        {
            marker.Checking = true;
            marker.OnReleasedReached = &OnReleasedReached;
            marker.OnNotAnObject = &OnNotAnObject;
        }
        foreach (nuint root in exactRoots ?? []) marker.MarkReference(root, null);
        if (ambiguousWords is { Length: > 0 })
            fixed (nuint* words = ambiguousWords) marker.MarkRange((nuint)words, (nuint)(words + ambiguousWords.Length));
        marker.Finish();
        long freed = Heap->Sweep();
        return (marker, freed);
    }

    private static void OnReleasedReached(byte* referrer, byte* block) => ReleasedReached.Add(((nuint)referrer, (nuint)block));
    private static void OnNotAnObject(byte* referrer, nuint reference) => NotAnObject.Add(((nuint)referrer, reference));

    /// <summary>Runs the heap verifier; the errors land in <see cref="VerifierErrors"/>.</summary>
    public int Verify(params nuint[] externalRoots)
    {
        VerifierErrors.Clear();
        var verifier = new HeapVerifier { IsValidType = &IsKnownType, IsValidExternalObject = &NoExternalObjects, OnError = &OnVerifierError };
        int errors = verifier.Verify(Heap);
        foreach (nuint root in externalRoots) verifier.VerifyReference(Heap, null, root);
        return VerifierErrors.Count;
    }

    private static bool IsKnownType(MethodTable* mt) => s_current!._types.Contains((nint)mt);
    private static bool NoExternalObjects(nuint reference) => false;
    private static void OnVerifierError(HeapError kind, byte* at, nuint detail) => VerifierErrors.Add((kind, (nuint)at, detail));

    public void Dispose()
    {
        NativeMemory.AlignedFree(_region);
        NativeMemory.Free(_markStack);
        NativeMemory.Free(Heap);
        foreach (nint p in _typeMemory) NativeMemory.Free((void*)p);
        s_current = null;
    }
}
