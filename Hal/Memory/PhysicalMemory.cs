using System;
using System.Runtime;
using Cosmos.Hal.Boot;
using Cosmos.Hal.Cpu;
using Cosmos.Hal.Diagnostics;

namespace Cosmos.Hal.Memory
{
    /// <summary>
    /// The machine's RAM: builds the page allocator from the multiboot2 memory map, feeds the object
    /// heap, and hands out DMA memory. The boot stub identity-maps the first 4 GiB, so a page's
    /// virtual address equals its physical one; drivers still use <see cref="DmaRegion.Physical"/>
    /// for what the device sees, so a different mapping later changes only this file.
    /// </summary>
    public static unsafe class PhysicalMemory
    {
        public const ulong IdentityMappedLimit = 4UL << 30;
        private static PageAllocator s_pages;

        public static PageAllocator Pages => s_pages;
        public static ulong TotalUsableBytes { get; private set; }

        public static bool Initialize(Multiboot2Info info, ulong infoAddress)
        {
            ulong top = 0;
            for (int i = 0; i < info.RegionCount; i++)
            {
                MemoryRegion r = info.Regions[i];
                if (!r.IsAvailable) continue;
                TotalUsableBytes += r.Length;
                ulong end = r.Base + r.Length;
                if (end > top) top = end;
            }
            if (top > IdentityMappedLimit) top = IdentityMappedLimit;
            if (top == 0) return false;

            ulong imageStart = CpuNative.KernelImageStart();
            ulong imageEnd = CpuNative.KernelImageEnd();
            ulong bitmapBytes = PageAllocator.BitmapBytes(top);

            // Place the bitmap in the first available RAM above the image and the boot modules.
            ulong floor = imageEnd;
            for (int m = 0; m < info.ModuleCount; m++) if (info.Modules[m].End > floor) floor = info.Modules[m].End;
            if (infoAddress + (ulong)info.TotalSize > floor) floor = infoAddress + (ulong)info.TotalSize;
            floor = (floor + PageAllocator.PageSize - 1) & ~(ulong)(PageAllocator.PageSize - 1);
            ulong bitmapAt = 0;
            for (int i = 0; i < info.RegionCount && bitmapAt == 0; i++)
            {
                MemoryRegion r = info.Regions[i];
                if (!r.IsAvailable) continue;
                ulong start = r.Base > floor ? (r.Base + PageAllocator.PageSize - 1) & ~(ulong)(PageAllocator.PageSize - 1) : floor;
                if (start + bitmapBytes <= r.Base + r.Length && start + bitmapBytes <= IdentityMappedLimit) bitmapAt = start;
            }
            if (bitmapAt == 0) return false;

            s_pages = new PageAllocator((ulong*)bitmapAt, top >> PageAllocator.PageShift);
            for (int i = 0; i < info.RegionCount; i++)
                if (info.Regions[i].IsAvailable) s_pages.AddFreeRange(info.Regions[i].Base, info.Regions[i].Length);

            s_pages.Reserve(0, 1UL << 20);                              // real-mode IVT, BIOS data, option ROMs
            s_pages.Reserve(imageStart, imageEnd - imageStart);         // the kernel image (includes the boot arena)
            s_pages.Reserve(infoAddress, (ulong)info.TotalSize);        // multiboot2 information
            for (int m = 0; m < info.ModuleCount; m++)
                s_pages.Reserve(info.Modules[m].Start, info.Modules[m].End - info.Modules[m].Start);
            s_pages.Reserve(bitmapAt, bitmapBytes);

            Allocator.SetPageSource(&HeapAllocatePages, &HeapFreePages, (nuint)(top >> PageAllocator.PageShift));
            return true;
        }

        private static nuint HeapAllocatePages(int pages) => (nuint)s_pages.AllocateRun((ulong)pages);

        private static void HeapFreePages(nuint address, int pages)
        {
            if (!s_pages.FreeRun(address, (ulong)pages)) Panic.Fail("heap returned pages that were not allocated");
        }

        /// <summary>Zeroed, physically contiguous DMA memory, aligned to <paramref name="alignment"/> (a power of two, at least 4 KiB).</summary>
        public static DmaRegion AllocateDma(ulong bytes, ulong alignment = PageAllocator.PageSize)
        {
            ulong pages = (bytes + PageAllocator.PageSize - 1) >> PageAllocator.PageShift;
            ulong alignPages = alignment <= PageAllocator.PageSize ? 1 : alignment >> PageAllocator.PageShift;
            ulong physical = s_pages.AllocateRun(pages, alignPages);
            if (physical == 0)
            {
                // DMA memory is not the collected heap's, but the heap's empty chunks go back to the page allocator
                // when a collection sweeps them: collect once and try again.
                GC.Collect();
                physical = s_pages.AllocateRun(pages, alignPages);
            }
            if (physical == 0) return default;
            byte* virt = (byte*)physical; // identity map
            new Span<byte>(virt, (int)(pages << PageAllocator.PageShift)).Clear();
            return new DmaRegion(virt, physical, pages << PageAllocator.PageShift);
        }

        public static void FreeDma(DmaRegion region)
        {
            if (!region.IsValid) return;
            if (!s_pages.FreeRun(region.Physical, region.Size >> PageAllocator.PageShift))
                Panic.Fail("DMA region freed twice or never allocated");
        }

        /// <summary>The kernel's <see cref="IDmaAllocator"/> for drivers.</summary>
        public static readonly IDmaAllocator Dma = new KernelDmaAllocator();

        private sealed class KernelDmaAllocator : IDmaAllocator
        {
            public DmaRegion Allocate(ulong bytes, ulong alignment) => AllocateDma(bytes, alignment);
            public void Free(DmaRegion region) => FreeDma(region);
        }

        public static void LogSummary()
        {
            Log.Begin("mem");
            Log.Write("usable RAM ");
            Log.Decimal((long)(TotalUsableBytes >> 10));
            Log.Write(" KiB, free pages ");
            Log.Decimal((long)s_pages.FreePages);
            Log.Write(" of ");
            Log.Decimal((long)s_pages.PageCount);
            Log.Write(", image ");
            Log.Hex(CpuNative.KernelImageStart());
            Log.Write("-");
            Log.Hex(CpuNative.KernelImageEnd());
            Log.End();
        }
    }
}
