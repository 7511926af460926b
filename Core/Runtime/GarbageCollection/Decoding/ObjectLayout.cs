using Internal.Runtime;

namespace Internal.Runtime.GarbageCollection
{
    /// <summary>
    /// How ilc lays out an object (NativeAOT's object model): an 8-byte header word, then the MethodTable pointer
    /// (where a reference points), then the fields; arrays and strings keep their element count in the 32-bit word
    /// after the MethodTable. The MethodTable's base size covers the header, the MethodTable pointer and the fixed
    /// part; each element adds the component size; the whole is rounded up to 8 bytes.
    /// The collector uses the header word for its mark bit (nothing else in this runtime uses it: hash codes come
    /// from the address, and there is no Monitor).
    /// </summary>
    public static unsafe class ObjectLayout
    {
        public const int HeaderSize = 8;
        public const int MinimumObjectSize = 16;

        /// <summary>Element count of an array or string (0 for other objects).</summary>
        public static uint LengthOf(byte* obj, MethodTable* mt) => mt->HasComponentSize ? *(uint*)(obj + 8) : 0;

        /// <summary>Bytes from the header to the end of an object of this type and length.</summary>
        public static nuint SizeOf(MethodTable* mt, uint length)
        {
            nuint size = mt->BaseSize;
            if (mt->HasComponentSize) size += (nuint)((ulong)mt->ComponentSize * length);
            return (size + 7) & ~(nuint)7;
        }

        public static nuint SizeOf(byte* obj)
        {
            MethodTable* mt = *(MethodTable**)obj;
            return SizeOf(mt, LengthOf(obj, mt));
        }
    }

    /// <summary>
    /// The objects ilc preinitialised into the image (the ReadyToRun section FrozenObjectRegion, 206: string
    /// literals, preinitialised arrays, singleton instances such as a lambda's cache class): laid out back to back,
    /// each as on the heap (header word, MethodTable, fields, rounded to 8 bytes), from the section's start to its end.
    /// </summary>
    public unsafe struct FrozenObjectEnumerator
    {
        private byte* _next;
        private readonly byte* _end;

        public FrozenObjectEnumerator(byte* start, byte* end)
        {
            _next = start;
            _end = end;
        }

        /// <summary>True when the walk ended exactly at the region's end (call after MoveNext returned false).</summary>
        public bool EndedCleanly => _next == _end;

        /// <summary>The next object reference (its MethodTable's address), or false at the end or at a malformed entry.</summary>
        public bool MoveNext(out byte* obj)
        {
            obj = null;
            if (_next + ObjectLayout.MinimumObjectSize > _end) return false;
            byte* candidate = _next + ObjectLayout.HeaderSize;
            MethodTable* mt = *(MethodTable**)candidate;
            if (mt == null) return false;
            nuint size = ObjectLayout.SizeOf(mt, ObjectLayout.LengthOf(candidate, mt));
            if (size < ObjectLayout.MinimumObjectSize || _next + size > _end) return false;
            _next += size;
            obj = candidate;
            return true;
        }
    }
}
