using Internal.Runtime;
using Internal.Runtime.GarbageCollection;
using System.Runtime.CompilerServices;

namespace System.Runtime
{
    /// <summary>
    /// Object allocation: the helpers ilc's code calls by name, over the collected heap
    /// (<see cref="GarbageCollector"/>). Unreachable objects are reclaimed by collections; <see cref="Free"/> remains
    /// as an early release for an owner that knows it holds the only reference. Before the page allocator exists,
    /// objects come from a boot arena in the image and live for good.
    /// </summary>
    public static unsafe class Allocator
    {
        // Non-GC statics only: this code runs before the GC static bases exist.
        private static long s_totalAllocations;
        private static long s_totalFrees;
        private static long s_allocatedBytes;

        // The counters' getters are NoInlining: the compiler assumes its allocation helpers leave user
        // fields alone, so an inlined read could be hoisted across a `new` and report a stale value.

        /// <summary>Objects currently allocated (reachable or not yet collected), the boot arena's included.</summary>
        public static long LiveObjectCount
        {
            [MethodImpl(MethodImplOptions.NoInlining)]
            get => GarbageCollector.HeapLiveObjects + GarbageCollector.ArenaObjects;
        }

        /// <summary>Bytes of the blocks allocated objects occupy (reachable or not yet collected), the boot arena's included.</summary>
        public static long LiveBytes { [MethodImpl(MethodImplOptions.NoInlining)] get => GarbageCollector.HeapLiveBytes + GarbageCollector.ArenaBytes; }
        public static long TotalAllocations { [MethodImpl(MethodImplOptions.NoInlining)] get => s_totalAllocations; }
        public static long TotalFrees { [MethodImpl(MethodImplOptions.NoInlining)] get => s_totalFrees; }
        /// <summary>Bytes of all objects ever allocated (their exact sizes).</summary>
        public static long TotalAllocatedBytes { [MethodImpl(MethodImplOptions.NoInlining)] get => s_allocatedBytes; }

        /// <summary>
        /// Connects the heap to the physical page allocator (contiguous runs of 4 KiB pages, all below
        /// <paramref name="pageCount"/> pages from address 0).
        /// </summary>
        public static void SetPageSource(delegate*<int, nuint> allocatePages, delegate*<nuint, int, void> freePages, nuint pageCount)
        {
            var source = new PageSource { Allocate = allocatePages, Free = freePages };
            GarbageCollector.Initialize(source, pageCount);
        }

        public static int SizeOfClass(int sizeClass) => SizeClasses.SizeOf(sizeClass);

        /// <summary>The object reference whose value is <paramref name="address"/> (not the object stored there).</summary>
        private static object ObjectAt(byte* address)
        {
            nint value = (nint)address;
            return Unsafe.As<nint, object>(ref value);
        }

        internal static object NewObject(MethodTable* mt)
        {
            nuint size = ObjectLayout.SizeOf(mt, 0);
            byte* block = GarbageCollector.AllocateBlock(size);
            *(MethodTable**)(block + 8) = mt;
            s_totalAllocations++;
            s_allocatedBytes += (long)size;
            return ObjectAt(block + 8);
        }

        internal static object NewArray(MethodTable* mt, int length)
        {
            if (length < 0) throw new OverflowException(); // as .NET: new T[-1] overflows
            if ((ulong)mt->ComponentSize * (uint)length > 0x7FFF0000) throw new OutOfMemoryException("Array dimensions exceeded supported range.");
            nuint size = ObjectLayout.SizeOf(mt, (uint)length);
            byte* block = GarbageCollector.AllocateBlock(size);
            *(MethodTable**)(block + 8) = mt;
            *(int*)(block + 16) = length;
            s_totalAllocations++;
            s_allocatedBytes += (long)size;
            return ObjectAt(block + 8);
        }

        /// <summary>
        /// Gives an object's memory back before a collection would. The caller must hold the only reference: in
        /// checking mode (gc.stress or gc.verify) the block is quarantined instead, and the next collection reports
        /// (and stops the kernel) if anything still references it. A second free of the same object is detected;
        /// freeing an object of the image (a string literal) or of the boot arena does nothing.
        /// </summary>
        public static void Free(object obj)
        {
            if (obj == null) return;
            byte* block = (byte*)Unsafe.As<object, nint>(ref obj) - 8;
            if (!GarbageCollector.OwnsBlock(block)) return;   // frozen object in the image, or the boot arena
            GarbageCollector.Release(block);
            s_totalFrees++;
        }

        // ---- ilc's allocation helpers (names are the compiler's contract) ----

        [RuntimeExport("RhpNewFast")]
        private static object RhpNewFast(MethodTable* mt) => NewObject(mt);

        [RuntimeExport("RhpNewFinalizable")]
        private static object RhpNewFinalizable(MethodTable* mt) => NewObject(mt);

        [RuntimeExport("RhpNewArray")]
        private static object RhpNewArray(MethodTable* mt, int length) => NewArray(mt, length);

        [RuntimeExport("RhpNewArrayFast")]
        private static object RhpNewArrayFast(MethodTable* mt, int length) => NewArray(mt, length);

        [RuntimeExport("RhpNewPtrArrayFast")]
        private static object RhpNewPtrArrayFast(MethodTable* mt, int length) => NewArray(mt, length);

        [RuntimeExport("RhNewString")]
        private static object RhNewString(MethodTable* mt, int length) => NewArray(mt, length);

        [RuntimeExport("RhpNewArrayFastAlign8")]
        private static object RhpNewArrayFastAlign8(MethodTable* mt, int length) => NewArray(mt, length);

        [RuntimeExport("RhpNewFastAlign8")]
        private static object RhpNewFastAlign8(MethodTable* mt) => NewObject(mt);

        [RuntimeExport("RhpNewFastMisalign")]
        private static object RhpNewFastMisalign(MethodTable* mt) => NewObject(mt);
    }
}
