namespace Internal.Runtime.GarbageCollection
{
    /// <summary>What <see cref="HeapVerifier"/> found wrong.</summary>
    public enum HeapError
    {
        /// <summary>An allocated block whose MethodTable pointer is not a type of the image.</summary>
        BadType = 1,
        /// <summary>An object whose size does not fit its block (or would have fit a smaller class).</summary>
        BadSize,
        /// <summary>A mark bit left set outside a collection.</summary>
        MarkLeft,
        /// <summary>A reference into the heap that does not start an allocated object (a free block, a chunk's tail, an interior address).</summary>
        BadReference,
        /// <summary>A reference to a block its owner released (Allocator.Free of something still referenced).</summary>
        ReferenceToReleased,
        /// <summary>A reference outside the heap that is not an object of the image or the boot arena.</summary>
        BadExternalReference,
        /// <summary>A free list whose entries are not free blocks of its class, or that loses or repeats blocks.</summary>
        FreeListCorrupt,
        /// <summary>The heap's live byte and object counts differ from what the walk found.</summary>
        AccountingMismatch,
    }

    /// <summary>
    /// Checks the heap's invariants (run after every collection in the stress mode): every allocated block holds an
    /// object of a valid type whose size fits the block; every reference in it is null, an allocated object's
    /// start, or an object outside the heap that the caller vouches for (image, boot arena); no block is marked;
    /// the free lists hold exactly the free blocks of their class; the counts add up. Errors go to a callback
    /// with the object at fault and a detail (the bad reference, or the type); the count is returned.
    /// </summary>
    public unsafe struct HeapVerifier
    {
        public delegate*<MethodTable*, bool> IsValidType;
        public delegate*<nuint, bool> IsValidExternalObject;
        /// <summary>(kind, object or block at fault, detail).</summary>
        public delegate*<HeapError, byte*, nuint, void> OnError;

        public long ObjectsChecked;
        public long ReferencesChecked;
        private int _errors;

        public int Verify(ObjectHeap* heap)
        {
            _errors = 0;
            ObjectsChecked = 0;
            ReferencesChecked = 0;
            long liveBytes = 0, liveObjects = 0;
            long* freeBlocks = stackalloc long[SizeClasses.Count];
            for (int i = 0; i < SizeClasses.Count; i++) freeBlocks[i] = 0;

            HeapWalker walker = heap->Walk();
            while (walker.MoveNext(out byte* block, out nuint blockSize, out int sizeClass, out BlockState state))
            {
                if (state == BlockState.Free)
                {
                    if (sizeClass >= 0) freeBlocks[sizeClass]++;
                    continue;
                }
                if ((*(ulong*)block & ObjectHeap.MarkBit) != 0) Error(HeapError.MarkLeft, block, (nuint)(*(ulong*)block));
                if (state == BlockState.Released) continue;
                liveBytes += (long)blockSize;
                liveObjects++;
                VerifyObject(heap, block + ObjectLayout.HeaderSize, blockSize, sizeClass);
            }

            for (int c = 0; c < SizeClasses.Count; c++)
            {
                long n = 0;
                for (byte* b = heap->FreeListHead(c); b != null; b = *(byte**)b)
                {
                    if (++n > freeBlocks[c] || heap->ClassOf(b) != c || *(ulong*)(b + 8) != ObjectHeap.FreeMarker || !IsBlockStart(heap, b))
                    {
                        Error(HeapError.FreeListCorrupt, b, (nuint)c);
                        break;
                    }
                }
                if (n != freeBlocks[c]) Error(HeapError.FreeListCorrupt, null, (nuint)c);
            }

            if (liveBytes != heap->LiveBytes || liveObjects != heap->LiveObjects)
                Error(HeapError.AccountingMismatch, null, (nuint)liveBytes);
            return _errors;
        }

        private static bool IsBlockStart(ObjectHeap* heap, byte* b) => heap->ChunkBlockAt((nuint)b) == b;

        /// <summary>Checks one object outside the heap (a root the caller owns) the way heap objects are checked.</summary>
        public void VerifyExternalObject(ObjectHeap* heap, byte* obj) => VerifyReferences(heap, obj);

        private void VerifyObject(ObjectHeap* heap, byte* obj, nuint blockSize, int sizeClass)
        {
            ObjectsChecked++;
            MethodTable* mt = *(MethodTable**)obj;
            if (IsValidType != null && !IsValidType(mt))
            {
                Error(HeapError.BadType, obj, (nuint)mt);
                return;
            }
            nuint size = ObjectLayout.SizeOf(mt, ObjectLayout.LengthOf(obj, mt));
            bool fits = size <= blockSize && (sizeClass < 0
                ? size > SizeClasses.Largest && (size + ObjectHeap.PageSize - 1) / ObjectHeap.PageSize == blockSize / ObjectHeap.PageSize
                : sizeClass == 0 || size > (nuint)SizeClasses.SizeOf(sizeClass - 1));
            if (!fits)
            {
                Error(HeapError.BadSize, obj, size);
                return;
            }
            VerifyReferences(heap, obj);
        }

        private void VerifyReferences(ObjectHeap* heap, byte* obj)
        {
            MethodTable* mt = *(MethodTable**)obj;
            if (!mt->ContainsGCPointers) return;
            uint length = ObjectLayout.LengthOf(obj, mt);
            var series = new GCDescription(mt, length, ObjectLayout.SizeOf(mt, length));
            while (series.MoveNext(out nuint offset, out uint count))
            {
                nuint* slot = (nuint*)(obj + offset);
                for (uint i = 0; i < count; i++) VerifyReference(heap, obj, slot[i]);
            }
        }

        public void VerifyReference(ObjectHeap* heap, byte* referrer, nuint reference)
        {
            ReferencesChecked++;
            if (reference == 0) return;
            if (!heap->Contains(reference))
            {
                if (IsValidExternalObject != null && !IsValidExternalObject(reference)) Error(HeapError.BadExternalReference, referrer, reference);
                return;
            }
            byte* block = heap->FindBlock(reference, out BlockState state);
            if (block == null || block + ObjectLayout.HeaderSize != (byte*)reference) Error(HeapError.BadReference, referrer, reference);
            else if (state == BlockState.Released) Error(HeapError.ReferenceToReleased, referrer, reference);
        }

        private void Error(HeapError kind, byte* at, nuint detail)
        {
            _errors++;
            if (OnError != null) OnError(kind, at, detail);
        }
    }
}
