using System;

namespace Cosmos.Hal.Memory
{
    /// <summary>
    /// Physical page allocator over a bitmap (one bit per 4 KiB page, 1 = in use). It hands out single
    /// pages and physically contiguous runs with an alignment, which is what DMA rings need, and takes
    /// them back. Everything starts "in use"; the boot code frees the RAM the firmware reports and then
    /// reserves what is taken (image, boot modules, this bitmap). Freeing a page that is not in use is
    /// reported (a double free), never silently accepted.
    /// </summary>
    public sealed unsafe class PageAllocator
    {
        public const int PageSize = 4096;
        public const int PageShift = 12;

        private readonly ulong* _bitmap;
        private readonly ulong _pageCount;
        private ulong _searchHint;
        private ulong _freePages;

        public ulong PageCount => _pageCount;
        /// <summary>
        /// Pages not in use. NoInlining on purpose: the compiler treats its allocation helpers as having no
        /// side effects on user fields, yet large objects take pages from here; an inlined read could be
        /// hoisted across a <c>new</c> and report a stale count.
        /// </summary>
        public ulong FreePages
        {
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
            get => _freePages;
        }
        public long DoubleFrees { get; private set; }

        /// <summary>Bytes of bitmap needed to track memory up to <paramref name="limit"/>.</summary>
        public static ulong BitmapBytes(ulong limit) => ((limit >> PageShift) + 63) / 64 * 8;

        public PageAllocator(ulong* bitmap, ulong pageCount)
        {
            _bitmap = bitmap;
            _pageCount = pageCount;
            ulong words = (pageCount + 63) / 64;
            for (ulong i = 0; i < words; i++) bitmap[i] = ~0UL;
            _freePages = 0;
        }

        private bool IsUsed(ulong page) => (_bitmap[page >> 6] & (1UL << (int)(page & 63))) != 0;
        private void SetUsed(ulong page) => _bitmap[page >> 6] |= 1UL << (int)(page & 63);
        private void SetFree(ulong page) => _bitmap[page >> 6] &= ~(1UL << (int)(page & 63));

        /// <summary>Marks usable RAM as free; partial pages at the edges stay in use.</summary>
        public void AddFreeRange(ulong physicalBase, ulong length)
        {
            ulong first = (physicalBase + PageSize - 1) >> PageShift;
            ulong end = (physicalBase + length) >> PageShift;
            if (end > _pageCount) end = _pageCount;
            for (ulong p = first; p < end; p++)
                if (IsUsed(p)) { SetFree(p); _freePages++; }
        }

        /// <summary>Marks a range as taken (firmware, image, modules); whole pages that touch it.</summary>
        public void Reserve(ulong physicalBase, ulong length)
        {
            if (length == 0) return;
            ulong first = physicalBase >> PageShift;
            ulong end = (physicalBase + length + PageSize - 1) >> PageShift;
            if (end > _pageCount) end = _pageCount;
            for (ulong p = first; p < end; p++)
                if (!IsUsed(p)) { SetUsed(p); _freePages--; }
        }

        /// <summary>
        /// Finds <paramref name="pages"/> free contiguous pages whose first page number is a multiple of
        /// <paramref name="alignPages"/>; returns the physical address, or 0 when none is free.
        /// </summary>
        public ulong AllocateRun(ulong pages, ulong alignPages = 1)
        {
            if (pages == 0 || pages > _freePages) return 0;
            if (alignPages == 0) alignPages = 1;
            ulong found = FindRun(_searchHint, _pageCount, pages, alignPages);
            if (found == ulong.MaxValue) found = FindRun(0, _pageCount, pages, alignPages);
            if (found == ulong.MaxValue) return 0;
            for (ulong p = found; p < found + pages; p++) SetUsed(p);
            _freePages -= pages;
            _searchHint = found + pages;
            return found << PageShift;
        }

        private ulong FindRun(ulong from, ulong limit, ulong pages, ulong align)
        {
            ulong start = (from + align - 1) / align * align;
            if (start == 0) start = align; // never hand out page 0: a null physical address is an error value
            while (start + pages <= limit)
            {
                // Skip whole used words quickly.
                if ((start & 63) == 0 && _bitmap[start >> 6] == ~0UL) { start += 64; start = (start + align - 1) / align * align; continue; }
                ulong p = start;
                while (p < start + pages && !IsUsed(p)) p++;
                if (p == start + pages) return start;
                start = (p + 1 + align - 1) / align * align;
            }
            return ulong.MaxValue;
        }

        /// <summary>Returns a run; false (and nothing changed) if any page of it was not in use.</summary>
        public bool FreeRun(ulong physicalAddress, ulong pages)
        {
            ulong first = physicalAddress >> PageShift;
            if ((physicalAddress & (PageSize - 1)) != 0 || first + pages > _pageCount) { DoubleFrees++; return false; }
            for (ulong p = first; p < first + pages; p++)
                if (!IsUsed(p)) { DoubleFrees++; return false; }
            for (ulong p = first; p < first + pages; p++) SetFree(p);
            _freePages += pages;
            if (first < _searchHint) _searchHint = first;
            return true;
        }

        public bool IsPageInUse(ulong physicalAddress) => IsUsed(physicalAddress >> PageShift);
    }
}
