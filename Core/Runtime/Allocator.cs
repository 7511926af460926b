using Internal.Runtime;
using System.Runtime.CompilerServices;

namespace System.Runtime
{
    /// <summary>
    /// The object heap. There is no tracing GC: the kernel owns its objects explicitly and returns
    /// them with <see cref="Free"/>; steady-state paths (packets, descriptors) use pools and never
    /// allocate. Small objects come from segregated size classes with free lists, so freed memory is
    /// reused exactly; objects larger than the biggest class get whole pages, returned on free.
    /// Memory comes from a page source the HAL installs; until then a boot arena in .bss serves.
    /// </summary>
    public static unsafe class Allocator
    {
        // Class sizes include the 8-byte object header that precedes the MethodTable pointer.
        private const int ClassCount = 16;
        private const int LargestClass = 2048;
        private const int PageSize = 4096;
        private const int ChunkPages = 16;
        private const ulong FreedMarker = 0xDEADF4EEDEADF4EEUL;

        // Non-GC statics only: this code runs before the GC static bases exist.
        private struct SizeClassTable
        {
            public fixed int Sizes[ClassCount];
            public fixed ulong FreeLists[ClassCount];
            public fixed long LiveObjects[ClassCount];
        }

        private static SizeClassTable s_classes;
        private static byte* s_chunkCursor;
        private static byte* s_chunkEnd;
        private static delegate*<int, nuint> s_allocatePages;
        private static delegate*<nuint, int, void> s_freePages;
        private static long s_largeLiveObjects;
        private static long s_liveBytes;
        private static long s_totalAllocations;
        private static long s_totalFrees;
        private static bool s_initialized;

        // The counters' getters are NoInlining: the compiler assumes its allocation helpers leave user
        // fields alone, so an inlined read could be hoisted across a `new` and report a stale value.

        /// <summary>Objects currently alive (allocated and not freed), all sizes.</summary>
        public static long LiveObjectCount
        {
            [MethodImpl(MethodImplOptions.NoInlining)]
            get
            {
                long n = s_largeLiveObjects;
                for (int i = 0; i < ClassCount; i++) n += s_classes.LiveObjects[i];
                return n;
            }
        }

        public static long LiveBytes { [MethodImpl(MethodImplOptions.NoInlining)] get => s_liveBytes; }
        public static long TotalAllocations { [MethodImpl(MethodImplOptions.NoInlining)] get => s_totalAllocations; }
        public static long TotalFrees { [MethodImpl(MethodImplOptions.NoInlining)] get => s_totalFrees; }

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "boot_arena_start")]
        private static extern byte* BootArenaStart();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "boot_arena_end")]
        private static extern byte* BootArenaEnd();

        private static void EnsureInitialized()
        {
            if (s_initialized) return;
            // Fine steps for the small objects the kernel makes most, then two classes per power of two
            // (waste under 1/3) up to LargestClass.
            int size = 16;
            for (int i = 0; i < ClassCount; i++)
            {
                s_classes.Sizes[i] = size;
                // 16..96 in steps of 16, then 128, 160, 192, 256, 384, 512, 768, 1024, 1536, 2048.
                size = size < 96 ? size + 16 : (size == 96 ? 128 : (size == 128 ? 160 : (size == 160 ? 192 : ((size & (size - 1)) == 0 ? size + size / 2 : size / 3 * 4))));
            }
            s_chunkCursor = BootArenaStart();
            s_chunkEnd = BootArenaEnd();
            s_initialized = true;
        }

        /// <summary>Connects the heap to the physical page allocator (contiguous runs of 4 KiB pages).</summary>
        public static void SetPageSource(delegate*<int, nuint> allocatePages, delegate*<nuint, int, void> freePages)
        {
            EnsureInitialized();
            s_allocatePages = allocatePages;
            s_freePages = freePages;
        }

        private static int ClassFor(nuint size)
        {
            for (int i = 0; i < ClassCount; i++)
                if (size <= (nuint)s_classes.Sizes[i]) return i;
            return -1;
        }

        public static int SizeOfClass(int sizeClass) => s_classes.Sizes[sizeClass];

        private static byte* AllocateBlock(nuint size)
        {
            EnsureInitialized();
            int cls = ClassFor(size);
            if (cls < 0)
            {
                int pages = (int)((size + PageSize - 1) / PageSize);
                if (s_allocatePages == null) Panic.Fail("large allocation before the page allocator is ready");
                byte* run = (byte*)s_allocatePages(pages);
                if (run == null) Panic.OutOfMemory(size);
                Native.MemSet(run, 0, (nuint)pages * PageSize);
                s_largeLiveObjects++;
                s_liveBytes += pages * PageSize;
                s_totalAllocations++;
                return run;
            }

            int classSize = s_classes.Sizes[cls];
            byte* block = (byte*)s_classes.FreeLists[cls];
            if (block != null)
            {
                s_classes.FreeLists[cls] = *(ulong*)block;
            }
            else
            {
                if (s_chunkCursor + classSize > s_chunkEnd) RefillChunk();
                block = s_chunkCursor;
                s_chunkCursor += classSize;
            }
            Native.MemSet(block, 0, (nuint)classSize);
            s_classes.LiveObjects[cls]++;
            s_liveBytes += classSize;
            s_totalAllocations++;
            return block;
        }

        private static void RefillChunk()
        {
            if (s_allocatePages == null) Panic.Fail("boot arena exhausted before the page allocator is ready");
            byte* chunk = (byte*)s_allocatePages(ChunkPages);
            if (chunk == null) Panic.OutOfMemory(ChunkPages * PageSize);
            // The tail of the previous chunk (smaller than one block) is abandoned: at most 2 KiB per 64 KiB.
            s_chunkCursor = chunk;
            s_chunkEnd = chunk + ChunkPages * PageSize;
        }

        private static nuint ObjectSize(MethodTable* mt, int length)
        {
            nuint size = mt->BaseSize;
            if (mt->HasComponentSize) size += (nuint)((ulong)mt->ComponentSize * (uint)length);
            return (size + 7) & ~(nuint)7;
        }

        /// <summary>The object reference whose value is <paramref name="address"/> (not the object stored there).</summary>
        private static object ObjectAt(byte* address)
        {
            nint value = (nint)address;
            return Unsafe.As<nint, object>(ref value);
        }

        internal static object NewObject(MethodTable* mt)
        {
            byte* block = AllocateBlock(ObjectSize(mt, 0));
            *(MethodTable**)(block + 8) = mt;
            return ObjectAt(block + 8);
        }

        internal static object NewArray(MethodTable* mt, int length)
        {
            if (length < 0) throw new OverflowException(); // as .NET: new T[-1] overflows
            if ((ulong)mt->ComponentSize * (uint)length > 0x7FFF0000) Panic.OutOfMemory((nuint)((ulong)mt->ComponentSize * (uint)length));
            byte* block = AllocateBlock(ObjectSize(mt, length));
            *(MethodTable**)(block + 8) = mt;
            *(int*)(block + 16) = length;
            return ObjectAt(block + 8);
        }

        /// <summary>
        /// Returns an object's memory to the heap. The caller must hold the only reference.
        /// A second free of the same object, or a free of an object that is part of the kernel image
        /// (string literals, preinitialised data), is detected and reported.
        /// </summary>
        public static void Free(object obj)
        {
            if (obj == null) return;
            byte* p = (byte*)Unsafe.As<object, nint>(ref obj);
            byte* block = p - 8;
            MethodTable* mt = *(MethodTable**)p;
            if (*(ulong*)p == FreedMarker) Panic.Fail("double free of a heap object");
            if (!IsHeapObject(block)) return; // frozen object in the image: nothing to free
            int length = mt->HasComponentSize ? *(int*)(p + 8) : 0;
            nuint size = ObjectSize(mt, length);
            int cls = ClassFor(size);
            *(ulong*)p = FreedMarker;
            s_totalFrees++;
            if (cls < 0)
            {
                int pages = (int)((size + PageSize - 1) / PageSize);
                s_largeLiveObjects--;
                s_liveBytes -= pages * PageSize;
                s_freePages((nuint)block, pages);
                return;
            }
            *(ulong*)block = s_classes.FreeLists[cls];
            s_classes.FreeLists[cls] = (ulong)block;
            s_classes.LiveObjects[cls]--;
            s_liveBytes -= s_classes.Sizes[cls];
        }

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "kernel_image_end")]
        private static extern byte* KernelImageEnd();

        private static bool IsHeapObject(byte* block)
        {
            // Heap memory is either the boot arena (inside the image's .bss) or pages above the image.
            byte* arenaStart = BootArenaStart();
            if (block >= arenaStart && block < BootArenaEnd()) return true;
            return block >= KernelImageEnd();
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
