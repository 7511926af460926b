namespace Internal.Runtime.GarbageCollection
{
    /// <summary>Whole 4 KiB pages for the heap: the kernel's physical page allocator, or test memory on the host.</summary>
    public unsafe struct PageSource
    {
        /// <summary>A run of contiguous pages, or 0 when there is none.</summary>
        public delegate*<int, nuint> Allocate;
        public delegate*<nuint, int, void> Free;
    }

    /// <summary>What a block of the heap holds, told by its second word (where an object has its MethodTable).</summary>
    public enum BlockState
    {
        Allocated,
        /// <summary>On its class's free list.</summary>
        Free,
        /// <summary>Given back by <see cref="ObjectHeap.Release"/> in checking mode: kept out of use until a collection proves nothing reaches it.</summary>
        Released,
    }

    /// <summary>
    /// The object heap's memory, without policy: size-class chunks with free lists, whole-page runs for large
    /// objects, and a page map that says for every page of the covered range what it holds, so any address
    /// (an interior one included) leads to its block. Chunks are <see cref="ChunkPages"/> pages of one size class;
    /// blocks never straddle chunks. A block's first word is the object header (the mark bit while a collection
    /// runs; the next free block while it is free); its second word is the MethodTable pointer, or
    /// <see cref="FreeMarker"/> / <see cref="ReleasedMarker"/>. Allocation hands out zeroed blocks.
    /// Sweeping rebuilds every free list in address order and gives empty chunks back to the page source.
    /// </summary>
    public unsafe struct ObjectHeap
    {
        public const int PageSize = 4096;
        public const int PageShift = 12;
        public const int ChunkPages = 4;
        public const int ChunkBytes = ChunkPages * PageSize;
        public const ulong FreeMarker = 0xDEADF4EEDEADF4EEUL;
        public const ulong ReleasedMarker = 0xDEADC0DEDEADC0DEUL;
        public const ulong MarkBit = 1;
        /// <summary>What a released or swept block's body is filled with in checking mode, so a stale use shows.</summary>
        public const byte PoisonByte = 0xCB;

        // Page map entries: kind in bits 0-7; a chunk page has its class in bits 8-15 and its index in the chunk in
        // bits 16-31; a large object's page has its index in the run in bits 8-31. 0: not the heap's.
        private const uint KindChunk = 1;
        private const uint KindLarge = 2;

        private uint* _map;
        private nuint _mapBase;
        private nuint _mapPages;
        private nuint _mapBytes;
        private PageSource _source;
        private fixed ulong _freeLists[SizeClasses.Count];

        /// <summary>Bytes of the blocks and page runs objects occupy (released ones excluded).</summary>
        public long LiveBytes;
        public long LiveObjects;
        public long Chunks;
        public long LargePages;
        /// <summary>Checking mode: released blocks are quarantined and poisoned instead of reused at once; sweeps poison what they free.</summary>
        public bool Checking;

        public bool IsInitialized => _map != null;
        public long HeapBytes => Chunks * ChunkBytes + LargePages * PageSize;

        /// <summary>
        /// Covers <paramref name="pages"/> pages from <paramref name="baseAddress"/> (every page the source can
        /// return must be in that range); the page map itself comes from the source. False if it cannot.
        /// </summary>
        public bool Initialize(nuint baseAddress, nuint pages, PageSource source)
        {
            _source = source;
            _mapBase = baseAddress;
            _mapPages = pages;
            _mapBytes = pages * sizeof(uint);
            int mapPages = (int)((_mapBytes + PageSize - 1) / PageSize);
            nuint map = source.Allocate(mapPages);
            if (map == 0) return false;
            _map = (uint*)map;
            Fill((byte*)_map, 0, (nuint)mapPages * PageSize);
            for (int i = 0; i < SizeClasses.Count; i++) _freeLists[i] = 0;
            return true;
        }

        /// <summary>Pages the page map takes from the source.</summary>
        public int MapPages => (int)((_mapBytes + PageSize - 1) / PageSize);

        // ---- page map ----

        private uint EntryFor(nuint address)
        {
            nuint index = (address - _mapBase) >> PageShift;
            return address >= _mapBase && index < _mapPages ? _map[index] : 0;
        }

        /// <summary>Whether the address lies in memory the heap holds (a chunk or a large object's run).</summary>
        public bool Contains(nuint address) => EntryFor(address) != 0;

        private void SetEntries(nuint start, int pages, uint kind, uint sizeClass)
        {
            nuint index = (start - _mapBase) >> PageShift;
            for (int i = 0; i < pages; i++)
                _map[index + (nuint)i] = kind == 0 ? 0 : kind == KindChunk ? KindChunk | (sizeClass << 8) | ((uint)i << 16) : KindLarge | ((uint)i << 8);
        }

        private bool InRange(nuint start, int pages) =>
            start >= _mapBase && ((start - _mapBase) >> PageShift) + (nuint)pages <= _mapPages;

        /// <summary>
        /// The block that contains <paramref name="address"/> (any byte of it), if that block holds an object or a
        /// released one; null for free blocks, the unused tail of a chunk, and addresses the heap does not hold.
        /// </summary>
        public byte* FindBlock(nuint address, out BlockState state)
        {
            state = BlockState.Free;
            uint entry = EntryFor(address);
            if (entry == 0) return null;
            byte* block;
            if ((entry & 0xFF) == KindChunk)
            {
                int size = SizeClasses.SizeOf((int)((entry >> 8) & 0xFF));
                nuint chunk = (address & ~(nuint)(PageSize - 1)) - ((nuint)(entry >> 16) << PageShift);
                nuint index = (address - chunk) / (nuint)size;
                if (index >= (nuint)(ChunkBytes / size)) return null;
                block = (byte*)(chunk + index * (nuint)size);
            }
            else
            {
                block = (byte*)((address & ~(nuint)(PageSize - 1)) - ((nuint)(entry >> 8) << PageShift));
            }
            ulong word = *(ulong*)(block + 8);
            if (word == FreeMarker) return null;
            state = word == ReleasedMarker ? BlockState.Released : BlockState.Allocated;
            return block;
        }

        /// <summary>The start of the chunk block (in any state) that contains <paramref name="address"/>; null outside chunks and in a chunk's tail.</summary>
        public byte* ChunkBlockAt(nuint address)
        {
            uint entry = EntryFor(address);
            if ((entry & 0xFF) != KindChunk) return null;
            int size = SizeClasses.SizeOf((int)((entry >> 8) & 0xFF));
            nuint chunk = (address & ~(nuint)(PageSize - 1)) - ((nuint)(entry >> 16) << PageShift);
            nuint index = (address - chunk) / (nuint)size;
            return index < (nuint)(ChunkBytes / size) ? (byte*)(chunk + index * (nuint)size) : null;
        }

        /// <summary>Bytes of the block that holds <paramref name="block"/> (its class size, or its whole page run).</summary>
        public nuint BlockSize(byte* block)
        {
            uint entry = EntryFor((nuint)block);
            if ((entry & 0xFF) == KindChunk) return (nuint)SizeClasses.SizeOf((int)((entry >> 8) & 0xFF));
            return LargeRunPages(block) * (nuint)PageSize;
        }

        private nuint LargeRunPages(byte* start)
        {
            nuint index = ((nuint)start - _mapBase) >> PageShift;
            nuint n = 1;
            while (index + n < _mapPages && (_map[index + n] & 0xFF) == KindLarge && (_map[index + n] >> 8) == n) n++;
            return n;
        }

        /// <summary>The size class of a chunk block, or -1 for a large object.</summary>
        public int ClassOf(byte* block)
        {
            uint entry = EntryFor((nuint)block);
            return (entry & 0xFF) == KindChunk ? (int)((entry >> 8) & 0xFF) : -1;
        }

        // ---- allocation ----

        /// <summary>A zeroed block of at least <paramref name="size"/> bytes (header included), or null when the source has no pages.</summary>
        public byte* TryAllocate(nuint size)
        {
            int sizeClass = SizeClasses.For(size);
            if (sizeClass < 0) return TryAllocateLarge(size);
            byte* block = (byte*)_freeLists[sizeClass];
            if (block == null)
            {
                if (!AddChunk(sizeClass)) return null;
                block = (byte*)_freeLists[sizeClass];
            }
            _freeLists[sizeClass] = *(ulong*)block;
            int classSize = SizeClasses.SizeOf(sizeClass);
            Fill(block, 0, (nuint)classSize);
            LiveBytes += classSize;
            LiveObjects++;
            return block;
        }

        private byte* TryAllocateLarge(nuint size)
        {
            int pages = (int)((size + PageSize - 1) / PageSize);
            nuint run = _source.Allocate(pages);
            if (run == 0) return null;
            if (!InRange(run, pages)) { _source.Free(run, pages); return null; }
            Fill((byte*)run, 0, (nuint)pages * PageSize);
            SetEntries(run, pages, KindLarge, 0);
            LargePages += pages;
            LiveBytes += (long)pages * PageSize;
            LiveObjects++;
            return (byte*)run;
        }

        private bool AddChunk(int sizeClass)
        {
            nuint chunk = _source.Allocate(ChunkPages);
            if (chunk == 0) return false;
            if (!InRange(chunk, ChunkPages)) { _source.Free(chunk, ChunkPages); return false; }
            SetEntries(chunk, ChunkPages, KindChunk, (uint)sizeClass);
            Chunks++;
            int size = SizeClasses.SizeOf(sizeClass);
            int blocks = ChunkBytes / size;
            // Thread the blocks from the last, so the list hands them out in address order.
            ulong head = _freeLists[sizeClass];
            for (int i = blocks - 1; i >= 0; i--)
            {
                byte* block = (byte*)chunk + i * size;
                *(ulong*)block = head;
                *(ulong*)(block + 8) = FreeMarker;
                head = (ulong)block;
            }
            _freeLists[sizeClass] = head;
            return true;
        }

        /// <summary>
        /// An owner's early release of an object's block. Normally the block is free at once (a large object's
        /// pages go back to the source); in checking mode it is marked released and poisoned, and the next sweep
        /// frees it unless the collection found it still referenced.
        /// </summary>
        public void Release(byte* block)
        {
            int sizeClass = ClassOf(block);
            nuint size = BlockSize(block);
            LiveBytes -= (long)size;
            LiveObjects--;
            if (Checking)
            {
                ulong type = *(ulong*)(block + 8);
                *(ulong*)(block + 8) = ReleasedMarker;
                if (size > 16)
                {
                    Fill(block + 16, PoisonByte, size - 16);
                    *(ulong*)(block + 16) = type;   // what it was, for the report
                }
                return;
            }
            if (sizeClass < 0)
            {
                FreeLarge(block, (int)(size / PageSize));
                return;
            }
            *(ulong*)(block + 8) = FreeMarker;
            *(ulong*)block = _freeLists[sizeClass];
            _freeLists[sizeClass] = (ulong)block;
        }

        /// <summary>For a released block of at least 24 bytes, the MethodTable it had; 0 if unknown.</summary>
        public static ulong ReleasedType(byte* block, nuint blockSize) => blockSize > 16 ? *(ulong*)(block + 16) : 0;

        private void FreeLarge(byte* start, int pages)
        {
            SetEntries((nuint)start, pages, 0, 0);
            LargePages -= pages;
            _source.Free((nuint)start, pages);
        }

        // ---- walking ----

        /// <summary>Walks every chunk block and large object in address order (see <see cref="HeapWalker"/>).</summary>
        public HeapWalker Walk() => new HeapWalker(_map, _mapBase, _mapPages);

        /// <summary>The free list of a size class, for the verifier.</summary>
        public byte* FreeListHead(int sizeClass) => (byte*)_freeLists[sizeClass];

        // ---- sweeping ----

        /// <summary>
        /// After marking: every allocated block without the mark bit becomes free, every marked one loses it;
        /// released blocks are freed unless marked (then they stay released: something still pointed at them);
        /// chunks left empty go back to the source; free lists are rebuilt in address order. Returns the bytes freed.
        /// </summary>
        public long Sweep()
        {
            long liveBytes = 0, liveObjects = 0, freed = 0;
            ulong* tails = stackalloc ulong[SizeClasses.Count];
            for (int i = 0; i < SizeClasses.Count; i++) { _freeLists[i] = 0; tails[i] = 0; }
            for (nuint index = 0; index < _mapPages; index++)
            {
                uint entry = _map[index];
                if (entry == 0) continue;
                byte* start = (byte*)(_mapBase + (index << PageShift));
                if ((entry & 0xFF) == KindLarge)
                {
                    if ((entry >> 8) != 0) continue;
                    nuint pages = LargeRunPages(start);
                    ulong word = *(ulong*)(start + 8);
                    ulong* header = (ulong*)start;
                    if ((*header & MarkBit) != 0)
                    {
                        *header &= ~MarkBit;
                        if (word != ReleasedMarker) { liveBytes += (long)pages * PageSize; liveObjects++; }
                    }
                    else
                    {
                        if (word != ReleasedMarker) freed += (long)pages * PageSize;
                        FreeLarge(start, (int)pages);
                    }
                    index += pages - 1;
                    continue;
                }
                if ((entry >> 16) != 0) continue;
                int sizeClass = (int)((entry >> 8) & 0xFF);
                int size = SizeClasses.SizeOf(sizeClass);
                int blocks = ChunkBytes / size;
                int used = 0;
                ulong chunkHead = 0, chunkTail = 0;
                for (int i = 0; i < blocks; i++)
                {
                    byte* block = start + i * size;
                    ulong word = *(ulong*)(block + 8);
                    ulong* header = (ulong*)block;
                    if (word != FreeMarker && (*header & MarkBit) != 0)
                    {
                        *header &= ~MarkBit;
                        used++;
                        if (word != ReleasedMarker) { liveBytes += size; liveObjects++; }
                        continue;
                    }
                    if (word != FreeMarker)
                    {
                        if (word != ReleasedMarker) freed += size;
                        *(ulong*)(block + 8) = FreeMarker;
                        if (Checking && size > 16) Fill(block + 16, PoisonByte, (nuint)(size - 16));
                    }
                    *header = 0;
                    if (chunkTail == 0) chunkHead = (ulong)block; else *(ulong*)chunkTail = (ulong)block;
                    chunkTail = (ulong)block;
                }
                if (used == 0)
                {
                    SetEntries((nuint)start, ChunkPages, 0, 0);
                    Chunks--;
                    _source.Free((nuint)start, ChunkPages);
                    index += ChunkPages - 1;
                    continue;
                }
                if (chunkTail != 0)
                {
                    if (tails[sizeClass] == 0) _freeLists[sizeClass] = chunkHead; else *(ulong*)tails[sizeClass] = chunkHead;
                    tails[sizeClass] = chunkTail;
                }
                index += ChunkPages - 1;
            }
            LiveBytes = liveBytes;
            LiveObjects = liveObjects;
            return freed;
        }

        internal static void Fill(byte* p, byte value, nuint count)
        {
            // Word stores, then bytes; the kernel's memset would do, but this file also runs on the host.
            ulong pattern = value * 0x0101010101010101UL;
            while (count >= 8) { *(ulong*)p = pattern; p += 8; count -= 8; }
            while (count > 0) { *p++ = value; count--; }
        }
    }

    /// <summary>
    /// Enumerates the heap's blocks in address order: every block of every chunk (free ones included, so the
    /// verifier sees them) and every large object, each with its size.
    /// </summary>
    public unsafe struct HeapWalker
    {
        private readonly uint* _map;
        private readonly nuint _base;
        private readonly nuint _pages;
        private nuint _index;
        private byte* _chunk;
        private int _blockSize;
        private int _nextBlock;

        internal HeapWalker(uint* map, nuint baseAddress, nuint pages)
        {
            _map = map;
            _base = baseAddress;
            _pages = pages;
            _index = 0;
            _chunk = null;
            _blockSize = 0;
            _nextBlock = 0;
        }

        /// <summary>The next block: its address, size in bytes, its size class (-1: a large object), and its state.</summary>
        public bool MoveNext(out byte* block, out nuint size, out int sizeClass, out BlockState state)
        {
            while (true)
            {
                if (_chunk != null)
                {
                    if (_nextBlock < ObjectHeap.ChunkBytes / _blockSize)
                    {
                        block = _chunk + _nextBlock * _blockSize;
                        _nextBlock++;
                        size = (nuint)_blockSize;
                        sizeClass = (int)((_map[((nuint)_chunk - _base) >> ObjectHeap.PageShift] >> 8) & 0xFF);
                        state = StateOf(block);
                        return true;
                    }
                    _chunk = null;
                }
                if (_index >= _pages) break;
                uint entry = _map[_index];
                byte* start = (byte*)(_base + (_index << ObjectHeap.PageShift));
                _index++;
                if ((entry & 0xFF) == 1 && (entry >> 16) == 0)
                {
                    _chunk = start;
                    _blockSize = SizeClasses.SizeOf((int)((entry >> 8) & 0xFF));
                    _nextBlock = 0;
                    _index += ObjectHeap.ChunkPages - 1;
                    continue;
                }
                if ((entry & 0xFF) == 2 && (entry >> 8) == 0)
                {
                    nuint n = 1;
                    while (_index < _pages && (_map[_index] & 0xFF) == 2 && (_map[_index] >> 8) == n) { n++; _index++; }
                    block = start;
                    size = n * ObjectHeap.PageSize;
                    sizeClass = -1;
                    state = StateOf(block);
                    return true;
                }
            }
            block = null;
            size = 0;
            sizeClass = 0;
            state = BlockState.Free;
            return false;
        }

        private static BlockState StateOf(byte* block)
        {
            ulong word = *(ulong*)(block + 8);
            return word == ObjectHeap.FreeMarker ? BlockState.Free : word == ObjectHeap.ReleasedMarker ? BlockState.Released : BlockState.Allocated;
        }
    }
}
