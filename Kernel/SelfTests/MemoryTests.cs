using System;
using System.Runtime;
using Cosmos.Hal.Cpu;
using Cosmos.Hal.Memory;
using static Cosmos.Kernel.SelfTests.SelfTestRunner;

namespace Cosmos.Kernel.SelfTests
{
    /// <summary>
    /// Allocator.Free still gives memory back early (checking mode quarantines it until the next collection); the
    /// page allocator's addresses are real and aligned. What the collector reclaims by itself: CollectorTests.
    /// </summary>
    internal static unsafe class MemoryTests
    {
        public static void Register()
        {
            Run("memory.allocator-frees", AllocatorFrees);
            Run("memory.allocator-reuses-freed-blocks", AllocatorReusesExactly);
            Run("memory.large-objects-return-pages", LargeObjectsReturnPages);
            Run("memory.page-allocator-physical", PageAllocatorPhysicalAddresses);
            Run("memory.copy-and-fill", CopyAndFill);
            Run("checksum.matches-rfc1071", ChecksumMatchesReference);
        }

        private sealed class Node { public Node Next; public long Payload; }

        /// <summary>
        /// Allocates far more than the heap could hold without reuse (1.2 million objects, ~150 MB in all,
        /// in a machine that may have 64 MiB) and frees them as it goes: live bytes and free pages must
        /// come back to where they started. Counted from a collection, so garbage made before does not count.
        /// </summary>
        private static void AllocatorFrees()
        {
            GC.Collect();
            long liveBefore = Allocator.LiveBytes;
            long objectsBefore = Allocator.LiveObjectCount;
            ulong pagesBefore = PhysicalMemory.Pages.FreePages;
            long allocated = 0;
            for (int round = 0; round < 2000; round++)
            {
                Node head = null;
                for (int i = 0; i < 300; i++) { head = new Node { Next = head, Payload = i }; allocated += 32; }
                byte[][] arrays = new byte[100][];
                for (int i = 0; i < arrays.Length; i++) { arrays[i] = new byte[(i * 37 + round) % 1900 + 1]; allocated += arrays[i].Length; }
                long sum = 0;
                while (head != null) { Node next = head.Next; sum += head.Payload; Allocator.Free(head); head = next; }
                for (int i = 0; i < arrays.Length; i++) Allocator.Free(arrays[i]);
                Allocator.Free(arrays);
                if (sum != 299 * 300 / 2) { Expect(false, "list contents corrupted"); return; }
            }
            Expect(allocated > 100_000_000, "the loop allocated less than 100 MB");
            GC.Collect();   // in checking mode, Free quarantined; this collection frees what it held
            ExpectEqual(liveBefore, Allocator.LiveBytes, "live heap bytes after freeing everything");
            ExpectEqual(objectsBefore, Allocator.LiveObjectCount, "live objects after freeing everything");
            // Free lists keep their chunks: allow the heap to have grown by a few 64 KiB chunks at most.
            Expect(pagesBefore - PhysicalMemory.Pages.FreePages <= 16 * 8, "the heap kept growing although everything was freed");
        }

        /// <summary>
        /// A freed block is the next one its size class hands out; in checking mode (gc.stress, gc.verify) it is
        /// quarantined instead, and only a collection that finds nothing referring to it frees it.
        /// </summary>
        private static void AllocatorReusesExactly()
        {
            GC.Collect();
            object a = new Node();
            nint first = Address(a);
            Allocator.Free(a);
            a = null;
            object b = new Node();
            if (GarbageCollector.Checking)
            {
                Expect(first != Address(b), "in checking mode a freed block is quarantined, not handed out again at once");
                Expect(!GarbageCollector.IsAllocatedObjectAt((nuint)first), "a quarantined block counts as no object");
            }
            else
            {
                ExpectEqual(first, Address(b), "a freed block is the next one handed out in its size class");
            }
            Expect(((Node)b).Next == null && ((Node)b).Payload == 0, "new memory is zeroed");
            Allocator.Free(b);
        }

        private static nint Address(object o) => System.Runtime.CompilerServices.Unsafe.As<object, nint>(ref o);

        /// <summary>
        /// A large object takes whole pages and Free gives them back to the page allocator at once (in checking mode
        /// at the next collection). Counted in the heap's large-object pages, which only large objects change.
        /// </summary>
        private static void LargeObjectsReturnPages()
        {
            GC.Collect();
            long before = GarbageCollector.LargeObjectPages;
            ulong freeBefore = PhysicalMemory.Pages.FreePages;
            AllocateAndFreeLarge(before);
            // In checking mode the pages come back at the next collection. The helper's frame held the only
            // reference; the stack below this frame is zeroed so that no stale copy of it lies where the
            // collector's own frames will be (the stack scan is conservative).
            ScrubStackBelow();
            if (GarbageCollector.Checking) GC.Collect();
            ExpectEqual(before, GarbageCollector.LargeObjectPages, "large-object pages after freeing the 1 MiB array");
            if (!GarbageCollector.Checking)
                ExpectEqual((long)freeBefore, (long)PhysicalMemory.Pages.FreePages, "free pages after freeing the 1 MiB array");
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        internal static void ScrubStackBelow()
        {
            Span<byte> dead = stackalloc byte[4096];
            dead.Clear();
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void AllocateAndFreeLarge(long pagesBefore)
        {
            byte[] big = new byte[1 << 20];
            big[big.Length - 1] = 1;
            ExpectEqual(257, GarbageCollector.LargeObjectPages - pagesBefore, "pages taken by a 1 MiB array (1 MiB + 24-byte header)");
            Allocator.Free(big);
        }

        private static void PageAllocatorPhysicalAddresses()
        {
            ulong freeBefore = PhysicalMemory.Pages.FreePages;
            DmaRegion ring = PhysicalMemory.AllocateDma(64 * 1024, 64 * 1024);
            Expect(ring.IsValid, "64 KiB DMA run");
            ExpectEqual(0, (long)(ring.Physical & 0xFFFF), "64 KiB alignment of the physical address");
            Expect(ring.Physical >= CpuNative.KernelImageEnd() || ring.Physical + ring.Size <= CpuNative.KernelImageStart(), "DMA run overlaps the kernel image");
            Expect(ring.Physical + ring.Size <= PhysicalMemory.IdentityMappedLimit, "DMA run beyond the mapped range");
            ExpectEqual((long)ring.Physical, (long)(ulong)ring.Virtual, "identity mapping: virtual equals physical");
            bool zero = true;
            for (int i = 0; i < (int)ring.Size; i += 512) zero &= ring.Virtual[i] == 0;
            Expect(zero, "DMA memory is zeroed");
            for (int i = 0; i < (int)ring.Size; i += 4096) ring.Virtual[i] = (byte)(i >> 12);
            Expect(ring.Virtual[4096 * 15] == 15, "DMA memory is writable");

            DmaRegion single = PhysicalMemory.AllocateDma(100);
            Expect(single.IsValid && (single.Physical & 0xFFF) == 0 && single.Size == 4096, "single page");
            Expect(single.Physical + 4096 <= ring.Physical || single.Physical >= ring.Physical + ring.Size, "two allocations overlap");
            PhysicalMemory.FreeDma(ring);
            PhysicalMemory.FreeDma(single);
            ExpectEqual((long)freeBefore, (long)PhysicalMemory.Pages.FreePages, "free pages after returning DMA memory");
            Expect(!PhysicalMemory.Pages.FreeRun(single.Physical, 1), "a double free of a page is refused");
        }

        /// <summary>
        /// The Internet checksum (its word loop is cpu.asm's adc chain) against a byte-wise RFC 1071 reference:
        /// every length from 0 to 80 and some long ones, at each of eight alignments, over bytes that make many
        /// carries (0xFF runs) and over mixed bytes.
        /// </summary>
        private static void ChecksumMatchesReference()
        {
            byte[] buffer = new byte[1600];
            int[] longLengths = { 127, 128, 129, 1471, 1472, 1480, 1500, 1514 };
            for (int pattern = 0; pattern < 2; pattern++)
            {
                for (int i = 0; i < buffer.Length; i++) buffer[i] = pattern == 0 ? (byte)0xFF : (byte)(i * 73 + 11);
                for (int offset = 0; offset < 8; offset++)
                {
                    for (int n = 0; n <= 80 + longLengths.Length; n++)
                    {
                        int length = n <= 80 ? n : longLengths[n - 81];
                        var data = new ReadOnlySpan<byte>(buffer, offset, length);
                        uint reference = 0;
                        for (int k = 0; k + 1 < length; k += 2) reference += (uint)(data[k] << 8 | data[k + 1]);
                        if ((length & 1) != 0) reference += (uint)(data[length - 1] << 8);
                        ushort want = Cosmos.Hal.Network.InternetChecksum.Fold(reference);
                        ushort got = Cosmos.Hal.Network.InternetChecksum.Fold(Cosmos.Hal.Network.InternetChecksum.Add(0, data));
                        if (got != want)
                        {
                            Expect(false, string.Concat("checksum of ", ((long)length).ToString(), string.Concat(" bytes at offset ", ((long)offset).ToString(), " is wrong")));
                            return;
                        }
                    }
                }
            }
        }

        /// <summary>
        /// memmove and memset (cpu.asm: 64-byte SSE turns, then qwords, then a byte tail) against byte-by-byte
        /// references: short lengths, each side of the 64-byte turn, and large ones; forward and overlapping both
        /// ways, by less than a qword, less than a turn and more than a turn.
        /// </summary>
        private static void CopyAndFill()
        {
            byte[] buffer = new byte[4200];
            byte[] expected = new byte[4200];
            int[] lengths = { 0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 40, 63, 64, 65, 127, 128, 129, 200, 1471, 1472, 1473, 4000 };
            int[] shifts = { -100, -70, -64, -63, -9, -6, -3, 0, 3, 6, 9, 63, 64, 70 };
            for (int li = 0; li < lengths.Length; li++)
            {
                int n = lengths[li];
                for (int si = 0; si < shifts.Length; si++)
                {
                    int shift = shifts[si];
                    int source = 100, destination = 100 + shift;
                    for (int i = 0; i < buffer.Length; i++) { buffer[i] = (byte)(i * 7 + 3); expected[i] = buffer[i]; }
                    // Reference: a copy through a temporary, which is what memmove must equal when ranges overlap.
                    byte[] temporary = new byte[n];
                    for (int i = 0; i < n; i++) temporary[i] = expected[source + i];
                    for (int i = 0; i < n; i++) expected[destination + i] = temporary[i];
                    new Span<byte>(buffer, source, n).CopyTo(new Span<byte>(buffer, destination, n));
                    for (int i = 0; i < buffer.Length; i++)
                        if (buffer[i] != expected[i]) { Expect(false, string.Concat("memmove of ", ((long)n).ToString(), string.Concat(" bytes, shift ", ((long)shift).ToString(), " is wrong"))); return; }
                    Allocator.Free(temporary);
                }
                for (int i = 0; i < buffer.Length; i++) buffer[i] = 0x11;
                new Span<byte>(buffer, 5, n).Fill(0xA7);
                for (int i = 0; i < buffer.Length; i++)
                {
                    byte want = i >= 5 && i < 5 + n ? (byte)0xA7 : (byte)0x11;
                    if (buffer[i] != want) { Expect(false, string.Concat("memset of ", ((long)n).ToString(), " bytes is wrong")); return; }
                }
            }
        }
}
}
