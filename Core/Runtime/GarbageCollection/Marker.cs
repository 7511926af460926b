namespace Internal.Runtime.GarbageCollection
{
    /// <summary>
    /// The mark phase over an <see cref="ObjectHeap"/>: roots come in as exact references (statics, fields of objects
    /// outside the heap) or as ambiguous words (a conservative stack scan: any word that falls inside an object's
    /// block, its header or an interior byte, keeps that object); from them, every reachable object gets the mark
    /// bit, its references found through its type's GC descriptor (<see cref="GCDescription"/>).
    ///
    /// Tracing is depth first from an explicit stack of fixed size, so a list of a million nodes needs one slot at a
    /// time. When the stack is full, the object stays marked but unscanned and the marker remembers the overflow;
    /// <see cref="Finish"/> then walks the heap and scans every marked object again, which pushes whatever is still
    /// unmarked, until a pass ends without overflow. Objects without references are marked and never pushed.
    ///
    /// References the heap does not hold (the image's frozen objects, the boot arena) are left alone: the root
    /// scanner traces those objects' fields as roots. A reference to a released block (<see cref="ObjectHeap.Release"/>
    /// in checking mode) or to a free block is reported through the callbacks, with the object that holds it.
    /// </summary>
    public unsafe struct Marker
    {
        private ObjectHeap* _heap;
        private nuint* _stack;
        private int _capacity;
        private int _count;
        private bool _overflowed;

        public long MarkedObjects;
        public long OverflowPasses;
        /// <summary>Exact references to released blocks (an owner freed what something still referenced).</summary>
        public long ReleasedReached;
        /// <summary>Exact references to free blocks (dangling: something freed was still referenced, and nothing checked it).</summary>
        public long DanglingReferences;
        /// <summary>Ambiguous words (stack) that kept a released block from being freed.</summary>
        public long ReleasedHeldByStack;

        /// <summary>(referrer object or null for a root, the released object's block) for each exact reference to a released block.</summary>
        public delegate*<byte*, byte*, void> OnReleasedReached;
        /// <summary>(referrer object or null for a root, the reference) for each exact reference to a free block.</summary>
        public delegate*<byte*, nuint, void> OnDangling;
        /// <summary>Check each exact reference against the block it should start (slower; checking mode).</summary>
        public bool Checking;
        /// <summary>(referrer, reference) for an exact reference that is not the start of an object (checking mode).</summary>
        public delegate*<byte*, nuint, void> OnNotAnObject;

        public Marker(ObjectHeap* heap, nuint* stack, int capacity)
        {
            this = default;
            _heap = heap;
            _stack = stack;
            _capacity = capacity;
        }

        /// <summary>An exact reference (an object reference, or null) held by <paramref name="referrer"/> (null for a root).</summary>
        public void MarkReference(nuint reference, byte* referrer)
        {
            if (reference == 0 || !_heap->Contains(reference)) return;
            byte* block = (byte*)reference - ObjectLayout.HeaderSize;
            if (Checking)
            {
                byte* found = _heap->FindBlock(reference, out _);
                if (found != null && found != block)
                {
                    if (OnNotAnObject != null) OnNotAnObject(referrer, reference);
                    return;
                }
                if (found == null && !IsFreeBlockStart(block))
                {
                    // Inside a chunk's unused tail, or into a free block but not at its start.
                    if (OnNotAnObject != null) OnNotAnObject(referrer, reference);
                    return;
                }
            }
            ulong word = *(ulong*)(block + 8);
            if (word == ObjectHeap.FreeMarker)
            {
                DanglingReferences++;
                if (OnDangling != null) OnDangling(referrer, reference);
                return;
            }
            ulong* header = (ulong*)block;
            if (word == ObjectHeap.ReleasedMarker)
            {
                ReleasedReached++;
                if (OnReleasedReached != null) OnReleasedReached(referrer, block);
                *header |= ObjectHeap.MarkBit;      // keep it out of use: something still points at it
                return;
            }
            if ((*header & ObjectHeap.MarkBit) != 0) return;
            *header |= ObjectHeap.MarkBit;
            MarkedObjects++;
            Push(block);
        }

        private bool IsFreeBlockStart(byte* block)
        {
            nuint size = _heap->BlockSize(block);
            return size != 0 && *(ulong*)(block + 8) == ObjectHeap.FreeMarker;
        }

        /// <summary>A word that may or may not be a reference (conservative stack scanning): interior addresses count.</summary>
        public void MarkAmbiguous(nuint word)
        {
            if (!_heap->Contains(word)) return;
            byte* block = _heap->FindBlock(word, out BlockState state);
            if (block == null) return;
            ulong* header = (ulong*)block;
            if ((*header & ObjectHeap.MarkBit) != 0) return;
            *header |= ObjectHeap.MarkBit;
            if (state == BlockState.Released)
            {
                ReleasedHeldByStack++;
                return;
            }
            MarkedObjects++;
            Push(block);
        }

        /// <summary>Every word of [start, end) as an ambiguous reference (8-byte aligned).</summary>
        public void MarkRange(nuint start, nuint end)
        {
            for (nuint p = (start + 7) & ~(nuint)7; p + 8 <= end; p += 8) MarkAmbiguous(*(nuint*)p);
        }

        /// <summary>The references in the fields of an object the heap does not own (frozen, boot arena), as roots.</summary>
        public void ScanRootObject(byte* obj) => ScanFields(obj);

        private void Push(byte* block)
        {
            byte* obj = block + ObjectLayout.HeaderSize;
            if (!(*(MethodTable**)obj)->ContainsGCPointers) return;
            if (_count == _capacity)
            {
                _overflowed = true;
                return;
            }
            _stack[_count++] = (nuint)obj;
        }

        /// <summary>Traces from everything pushed so far until nothing reachable is left unmarked.</summary>
        public void Finish()
        {
            Drain();
            while (_overflowed)
            {
                _overflowed = false;
                OverflowPasses++;
                HeapWalker walker = _heap->Walk();
                while (walker.MoveNext(out byte* block, out _, out _, out BlockState state))
                {
                    if (state != BlockState.Allocated || (*(ulong*)block & ObjectHeap.MarkBit) == 0) continue;
                    ScanFields(block + ObjectLayout.HeaderSize);
                    Drain();
                }
            }
        }

        private void Drain()
        {
            while (_count > 0) ScanFields((byte*)_stack[--_count]);
        }

        private void ScanFields(byte* obj)
        {
            MethodTable* mt = *(MethodTable**)obj;
            if (!mt->ContainsGCPointers) return;
            uint length = ObjectLayout.LengthOf(obj, mt);
            var series = new GCDescription(mt, length, ObjectLayout.SizeOf(mt, length));
            while (series.MoveNext(out nuint offset, out uint count))
            {
                nuint* slot = (nuint*)(obj + offset);
                for (uint i = 0; i < count; i++) MarkReference(slot[i], obj);
            }
        }
    }
}
