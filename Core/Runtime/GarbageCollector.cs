using Internal.Runtime;
using Internal.Runtime.CompilerHelpers;
using Internal.Runtime.GarbageCollection;
using System.Runtime.CompilerServices;

namespace System.Runtime
{
    /// <summary>
    /// The kernel's tracing collector: non-moving mark and sweep over <see cref="ObjectHeap"/>, stop the world (one
    /// CPU, interrupts off while it runs). Its policy lives here; the heap's memory, the marker and the verifier are
    /// in Core/Runtime/GarbageCollection, the format of ilc's GC descriptors in its Decoding folder.
    ///
    /// Roots: the GC static bases ilc's modules list (every static reference field lives in one), the image's
    /// frozen objects that contain references (a preinitialised array may later be given heap objects), every
    /// object in the boot arena (allocated before the page allocator existed; never freed), and the running stack
    /// from the collector's own frame to the stack's top, scanned conservatively with the callee-saved registers
    /// pushed on it first (Kernel/Boot/gc.asm): every 8-byte word that falls inside a heap block keeps that block's
    /// object, interior pointers included. Interrupt handlers run on that same stack and exceptions are dispatched
    /// on it, so their frames are covered; a collection never starts inside an interrupt handler.
    ///
    /// When: when the bytes allocated since the last collection pass the budget (the live heap after it, at least
    /// <see cref="MinimumBudget"/>), on <see cref="GC.Collect()"/>, and when an allocation finds no memory, after
    /// which it is tried once more and fails with <see cref="OutOfMemoryException"/>. With <c>gc.stress=N</c> every
    /// Nth allocation collects and the heap verifier runs after every collection (checking mode: references are
    /// checked as they are traced, and <see cref="Allocator.Free"/> quarantines instead of freeing, so a free of
    /// something still referenced is reported at the next collection).
    /// </summary>
    public static unsafe class GarbageCollector
    {
        public const long MinimumBudget = 1 << 20;
        private const int MarkStackEntries = 8192;

        private static ObjectHeap* s_heap;
        private static nuint* s_markStack;

        private static long s_budget;
        private static long s_allocatedSinceCollection;
        private static long s_stressInterval;
        private static long s_stressCountdown;
        private static bool s_checking;
        private static bool s_collecting;
        private static delegate*<bool> s_inInterruptHandler;
        private static nuint s_bootStackTop;

        // Statistics.
        private static long s_collections;
        private static long s_lastPauseCycles;
        private static long s_maxPauseCycles;
        private static long s_totalPauseCycles;
        private static long s_lastFreedBytes;
        private static long s_lastMarkedObjects;
        private static long s_verifications;
        private static long s_lastStackBytes;

        // Boot arena: the objects allocated before the heap has pages (exact sizes, bump allocated, never freed).
        private static byte* s_arenaStart;
        private static byte* s_arenaCursor;
        private static byte* s_arenaEnd;
        private static long s_arenaObjects;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "boot_arena_start")]
        private static extern byte* BootArenaStart();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "boot_arena_end")]
        private static extern byte* BootArenaEnd();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "kernel_image_start")]
        private static extern byte* KernelImageStart();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "kernel_image_end")]
        private static extern byte* KernelImageEnd();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "gc_collect_saving_registers")]
        private static extern void CollectSavingRegisters();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "gc_stack_top")]
        private static extern nuint StackTop(nuint address);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_rdtsc")]
        private static extern ulong ReadTsc();

        public static long Collections { [MethodImpl(MethodImplOptions.NoInlining)] get => s_collections; }
        public static long LastPauseCycles => s_lastPauseCycles;
        public static long MaxPauseCycles => s_maxPauseCycles;
        public static long TotalPauseCycles => s_totalPauseCycles;
        public static long LastFreedBytes => s_lastFreedBytes;
        public static long LastMarkedObjects => s_lastMarkedObjects;
        public static long Verifications => s_verifications;
        public static long Budget => s_budget;
        public static long LastStackBytesScanned => s_lastStackBytes;
        public static bool Checking => s_checking;
        public static long StressInterval => s_stressInterval;
        public static long ArenaBytes => s_arenaCursor - s_arenaStart;
        public static long ArenaObjects => s_arenaObjects;
        public static long HeapBytes => s_heap == null ? 0 : s_heap->HeapBytes;
        public static long LargeObjectPages => s_heap == null ? 0 : s_heap->LargePages;
        public static long Chunks => s_heap == null ? 0 : s_heap->Chunks;

        /// <summary>Whether the address lies in an allocated heap object (any byte of it): for tests and diagnostics.</summary>
        public static bool IsAllocatedObjectAt(nuint address) =>
            s_heap != null && s_heap->FindBlock(address, out BlockState state) != null && state == BlockState.Allocated;

        internal static long HeapLiveBytes => s_heap == null ? 0 : s_heap->LiveBytes;
        internal static long HeapLiveObjects => s_heap == null ? 0 : s_heap->LiveObjects;

        // ---- set-up ----

        private static void EnsureArena()
        {
            if (s_arenaStart != null) return;
            s_arenaStart = BootArenaStart();
            s_arenaCursor = s_arenaStart;
            s_arenaEnd = BootArenaEnd();
        }

        /// <summary>
        /// Gives the heap its pages: the page source, and the range of addresses it can return (the page map covers
        /// them). Objects allocated before this stay in the boot arena for good.
        /// </summary>
        internal static void Initialize(PageSource source, nuint pageCount)
        {
            EnsureArena();
            nuint control = source.Allocate(1);
            if (control == 0) Panic.Fail("no page for the heap's control block");
            s_heap = (ObjectHeap*)control;
            *s_heap = default;
            if (!s_heap->Initialize(0, pageCount, source)) Panic.Fail("no memory for the heap's page map");
            s_markStack = (nuint*)source.Allocate(MarkStackEntries * sizeof(nuint) / ObjectHeap.PageSize);
            if (s_markStack == null) Panic.Fail("no memory for the collector's mark stack");
            s_heap->Checking = s_checking;
            s_budget = MinimumBudget;
            s_bootStackTop = StackTop(Native.ReadStackPointer());
            s_preallocatedOutOfMemory = new OutOfMemoryException();
        }

        private static OutOfMemoryException s_preallocatedOutOfMemory;

        /// <summary>
        /// <paramref name="stressInterval"/> &gt; 0: collect every that many allocations and verify the heap after
        /// each collection. <paramref name="checking"/>: verify after every collection and check references while
        /// tracing; Free quarantines.
        /// </summary>
        public static void Configure(long stressInterval, bool checking)
        {
            s_stressInterval = stressInterval;
            s_stressCountdown = stressInterval;
            s_checking = checking || stressInterval > 0;
            if (s_heap != null) s_heap->Checking = s_checking;
        }

        /// <summary>The kernel tells how to know that an interrupt handler is running (no collection starts there).</summary>
        public static void SetInterruptProbe(delegate*<bool> inInterruptHandler) => s_inInterruptHandler = inInterruptHandler;

        // ---- allocation ----

        /// <summary>A zeroed block for an object of <paramref name="size"/> bytes; collects first when the policy says so.</summary>
        internal static byte* AllocateBlock(nuint size)
        {
            if (s_heap == null) return ArenaAllocate(size);
            if (s_collecting) Panic.Fail("allocation during a garbage collection");
            s_allocatedSinceCollection += (long)size;
            if (s_allocatedSinceCollection >= s_budget || (s_stressInterval > 0 && --s_stressCountdown <= 0)) TryCollect();
            byte* block = s_heap->TryAllocate(size);
            if (block != null) return block;
            // Out of pages: everything unreachable goes back, then once more.
            TryCollect();
            block = s_heap->TryAllocate(size);
            if (block != null) return block;
            ThrowOutOfMemory(size);
            return null;
        }

        private static void ThrowOutOfMemory(nuint size)
        {
            if (s_collecting || InInterruptHandler() || s_preallocatedOutOfMemory == null) Panic.OutOfMemory(size);
            throw s_preallocatedOutOfMemory;
        }

        private static byte* ArenaAllocate(nuint size)
        {
            EnsureArena();
            if (s_arenaCursor + size > s_arenaEnd) Panic.Fail("boot arena exhausted before the page allocator is ready");
            byte* block = s_arenaCursor;
            s_arenaCursor += size;
            s_arenaObjects++;
            Native.MemSet(block, 0, size);
            return block;
        }

        internal static bool IsInArena(void* p) => p >= s_arenaStart && p < s_arenaCursor;

        internal static bool OwnsBlock(byte* block) => s_heap != null && s_heap->Contains((nuint)block);

        /// <summary>An owner's early release (see <see cref="Allocator.Free"/>).</summary>
        internal static void Release(byte* block)
        {
            ulong word = *(ulong*)(block + 8);
            if (word == ObjectHeap.FreeMarker || word == ObjectHeap.ReleasedMarker) Panic.Fail("double free of a heap object");
            if (s_heap->FindBlock((nuint)block + 8, out _) != block) Panic.Fail("Allocator.Free of something that is not a heap object");
            s_heap->Release(block);
        }

        internal static nuint BlockSizeOf(byte* block) => s_heap->BlockSize(block);

        // ---- collection ----

        private static bool InInterruptHandler() => s_inInterruptHandler != null && s_inInterruptHandler();

        /// <summary>Collects unless a collection cannot run here (inside an interrupt handler, or during one). Returns whether it ran.</summary>
        public static bool TryCollect()
        {
            if (s_heap == null || s_collecting || InInterruptHandler()) return false;
            // A CPU-exception handler runs on an IST stack; nothing there may collect.
            if (StackTop(Native.ReadStackPointer()) != s_bootStackTop) return false;
            CollectSavingRegisters();
            return true;
        }

        [RuntimeExport("GcCollectFromStack")]
        private static void CollectFromStack(nuint stackPointer)
        {
            ulong start = ReadTsc();
            s_collecting = true;
            var marker = new Marker(s_heap, s_markStack, MarkStackEntries);
            if (s_checking)
            {
                marker.Checking = true;
                marker.OnReleasedReached = &ReportReleasedReached;
                marker.OnDangling = &ReportDangling;
                marker.OnNotAnObject = &ReportNotAnObject;
            }
            MarkRoots(ref marker, stackPointer);
            marker.Finish();
            s_lastMarkedObjects = marker.MarkedObjects;
            s_lastFreedBytes = s_heap->Sweep();

            s_collections++;
            s_allocatedSinceCollection = 0;
            long live = s_heap->LiveBytes;
            s_budget = live > MinimumBudget ? live : MinimumBudget;
            s_stressCountdown = s_stressInterval;
            if (s_checking) Verify();
            s_collecting = false;
            long pause = (long)(ReadTsc() - start);
            s_lastPauseCycles = pause;
            s_totalPauseCycles += pause;
            if (pause > s_maxPauseCycles) s_maxPauseCycles = pause;
        }

        private static void MarkRoots(ref Marker marker, nuint stackPointer)
        {
            ref StartupCodeHelpers.RootRegions roots = ref StartupCodeHelpers.Roots;
            for (int r = 0; r < roots.GCStaticCount; r++)
                for (byte* entry = (byte*)roots.GCStaticStart[r]; entry < (byte*)roots.GCStaticEnd[r]; entry += sizeof(int))
                    marker.MarkReference(StartupCodeHelpers.StaticsObjectOf(entry), null);

            for (int r = 0; r < roots.FrozenCount; r++)
            {
                var frozen = new FrozenObjectEnumerator((byte*)roots.FrozenStart[r], (byte*)roots.FrozenEnd[r]);
                while (frozen.MoveNext(out byte* obj))
                    if ((*(MethodTable**)obj)->ContainsGCPointers) marker.ScanRootObject(obj);
            }

            for (byte* block = s_arenaStart; block < s_arenaCursor; block += ObjectLayout.SizeOf(block + ObjectLayout.HeaderSize))
                marker.ScanRootObject(block + ObjectLayout.HeaderSize);

            nuint top = StackTop(stackPointer);
            if (top == 0) Panic.Fail("garbage collection on a stack the collector does not know");
            s_lastStackBytes = (long)(top - stackPointer);
            marker.MarkRange(stackPointer, top);
        }

        // ---- checking mode ----

        private static void ReportReleasedReached(byte* referrer, byte* block)
        {
            Panic.Begin();
            Panic.Write("Allocator.Free released an object that is still referenced: ");
            WriteType((MethodTable*)ObjectHeap.ReleasedType(block, s_heap->BlockSize(block)));
            Panic.Write(" at ");
            Panic.WriteHex((ulong)block + 8);
            WriteReferrer(referrer);
            Panic.End();
        }

        private static void ReportDangling(byte* referrer, nuint reference)
        {
            Panic.Begin();
            Panic.Write("a reference to a freed heap block: ");
            Panic.WriteHex(reference);
            WriteReferrer(referrer);
            Panic.End();
        }

        private static void ReportNotAnObject(byte* referrer, nuint reference)
        {
            Panic.Begin();
            Panic.Write("a reference that is not the start of a heap object: ");
            Panic.WriteHex(reference);
            WriteReferrer(referrer);
            Panic.End();
        }

        private static void WriteReferrer(byte* referrer)
        {
            if (referrer == null) { Panic.Write(", held by a root"); return; }
            Panic.Write(", held by ");
            WriteType(*(MethodTable**)referrer);
            Panic.Write(" at ");
            Panic.WriteHex((ulong)referrer);
        }

        private static void WriteType(MethodTable* mt)
        {
            if (mt == null) { Panic.Write("(type unknown)"); return; }
            Panic.WriteSymbol((nuint)mt);
        }

        /// <summary>Runs the heap verifier now (also from the in-kernel tests); panics with a report on any error.</summary>
        public static void Verify()
        {
            if (s_heap == null) return;
            var verifier = new HeapVerifier
            {
                IsValidType = &IsValidType,
                IsValidExternalObject = &IsValidExternalObject,
                OnError = &ReportHeapError,
            };
            verifier.Verify(s_heap);
            // Roots: statics, frozen objects and arena objects refer only to live objects too.
            ref StartupCodeHelpers.RootRegions roots = ref StartupCodeHelpers.Roots;
            for (int r = 0; r < roots.GCStaticCount; r++)
                for (byte* entry = (byte*)roots.GCStaticStart[r]; entry < (byte*)roots.GCStaticEnd[r]; entry += sizeof(int))
                    verifier.VerifyReference(s_heap, null, StartupCodeHelpers.StaticsObjectOf(entry));
            for (byte* block = s_arenaStart; block < s_arenaCursor; block += ObjectLayout.SizeOf(block + ObjectLayout.HeaderSize))
                verifier.VerifyExternalObject(s_heap, block + ObjectLayout.HeaderSize);
            s_verifications++;
        }

        private static bool IsValidType(MethodTable* mt)
        {
            if (((nuint)mt & 7) != 0 || (byte*)mt < KernelImageStart() || (byte*)mt >= KernelImageEnd()) return false;
            return mt->BaseSize >= ObjectLayout.MinimumObjectSize && mt->BaseSize < (1u << 20);
        }

        private static bool IsValidExternalObject(nuint reference)
        {
            if ((reference & 7) != 0) return false;
            bool inArena = IsInArena((void*)reference);
            bool inFrozen = false;
            ref StartupCodeHelpers.RootRegions roots = ref StartupCodeHelpers.Roots;
            for (int r = 0; r < roots.FrozenCount && !inFrozen; r++)
                inFrozen = reference >= roots.FrozenStart[r] && reference < roots.FrozenEnd[r];
            return (inArena || inFrozen) && IsValidType(*(MethodTable**)reference);
        }

        private static void ReportHeapError(HeapError kind, byte* at, nuint detail)
        {
            Panic.Begin();
            Panic.Write("heap verifier: ");
            Panic.Write(kind switch
            {
                HeapError.BadType => "an object with an invalid type",
                HeapError.BadSize => "an object whose size does not fit its block",
                HeapError.MarkLeft => "a mark bit left set",
                HeapError.BadReference => "a reference that does not start an allocated object",
                HeapError.ReferenceToReleased => "a reference to an object released with Allocator.Free",
                HeapError.BadExternalReference => "a reference to something that is neither a heap, image nor arena object",
                HeapError.FreeListCorrupt => "a corrupt free list",
                _ => "live counts that do not match the heap",
            });
            Panic.Write(" (object ");
            Panic.WriteHex((ulong)at);
            if (at != null && kind != HeapError.FreeListCorrupt && kind != HeapError.MarkLeft && IsValidType(*(MethodTable**)at))
            {
                Panic.Write(" of type ");
                WriteType(*(MethodTable**)at);
            }
            Panic.Write(", detail ");
            Panic.WriteHex(detail);
            Panic.Write(") after collection ");
            Panic.WriteDecimal(s_collections);
            Panic.End();
        }
    }
}
