using Internal.Runtime;

namespace Internal.Runtime.GarbageCollection
{
    /// <summary>
    /// Where an object's references are, read from the GC descriptor ("GCDesc") ilc writes just below every
    /// MethodTable whose type contains references (the MethodTable's HasPointers flag). The layout, as the .NET
    /// GC reads it (dotnet/runtime src/coreclr/gc/gcdesc.h) and ilc writes it
    /// (src/coreclr/tools/Common/Internal/Runtime/GCDescEncoder.cs), in 8-byte words counted down from the
    /// MethodTable:
    /// <code>
    /// mt - 8                      series count N (signed)
    /// N &gt; 0, series i = 0..N-1:  mt - 8 - 16(i+1): adjusted length in bytes; the word above it: start offset
    /// N &lt; 0 (arrays of structs with references and other data):
    ///   mt - 16                   offset of the first reference of element 0
    ///   mt - 24 - 8j, j=0..-N-1   {references: u32, bytes to skip after them: u32}, in field order
    /// </code>
    /// Offsets count from the object reference (the address of its MethodTable pointer). A series' stored length
    /// is its real length minus the type's base size; adding the object's whole size gives the real length, which
    /// for an array of references is the element count times 8, whatever the length (the descriptor is the same
    /// for every array of the type). Element runs repeat with the component size; a run and its skip add up to it.
    /// This type only reads the format; what to do with the slots is the marker's business.
    /// </summary>
    public unsafe struct GCDescription
    {
        private readonly long* _descriptor;   // the series count word (mt - 8)
        private readonly long _seriesCount;
        private readonly nuint _objectSize;
        private readonly uint _elementCount;
        private readonly uint _componentSize;

        // Position of the enumeration.
        private long _series;       // next standard series, or next item of the repeating pattern
        private uint _element;      // element of a struct array being walked
        private nuint _cursor;      // offset of the next run inside the current element

        /// <summary>
        /// The reference runs of an object of type <paramref name="mt"/> with <paramref name="length"/> elements
        /// (0 for anything that is not an array or string) and <paramref name="objectSize"/> bytes from its
        /// header to its end (base size plus elements). A type without references has no runs.
        /// </summary>
        public GCDescription(MethodTable* mt, uint length, nuint objectSize)
        {
            _objectSize = objectSize;
            _elementCount = length;
            _componentSize = mt->ComponentSize;
            _series = 0;
            _element = 0;
            _cursor = 0;
            if (!mt->ContainsGCPointers)
            {
                _descriptor = null;
                _seriesCount = 0;
                return;
            }
            _descriptor = (long*)mt - 1;
            _seriesCount = *_descriptor;
            if (_seriesCount < 0) _cursor = (nuint)_descriptor[-1];
        }

        /// <summary>Series words of a type (for checks): positive for ordinary series, negative for a repeating element pattern.</summary>
        public long SeriesCount => _seriesCount;

        /// <summary>
        /// The next run of consecutive reference slots: its offset from the object reference and how many 8-byte
        /// slots it has. False when there are no more.
        /// </summary>
        public bool MoveNext(out nuint offset, out uint count)
        {
            if (_seriesCount > 0)
            {
                while (_series < _seriesCount)
                {
                    long* series = _descriptor - 2 * (_series + 1);   // length word; its start offset is the word above
                    _series++;
                    long length = series[0] + (long)_objectSize;
                    if (length <= 0) continue;      // an array of references with no elements
                    offset = (nuint)series[1];
                    count = (uint)(length / 8);
                    return true;
                }
            }
            else if (_seriesCount < 0)
            {
                long items = -_seriesCount;
                while (_element < _elementCount)
                {
                    uint* item = (uint*)(_descriptor - 2 - _series);
                    offset = _cursor + _element * (nuint)_componentSize;
                    count = item[0];
                    _cursor += (nuint)item[0] * 8 + item[1];
                    if (++_series == items)
                    {
                        _series = 0;
                        _element++;
                        _cursor = (nuint)_descriptor[-1];
                    }
                    return true;
                }
            }
            offset = 0;
            count = 0;
            return false;
        }

        /// <summary>
        /// For a repeating pattern, the bytes one element's runs and skips cover; a well-formed descriptor gives the
        /// component size. 0 for ordinary series.
        /// </summary>
        public static nuint PatternBytes(MethodTable* mt)
        {
            if (!mt->ContainsGCPointers) return 0;
            long* descriptor = (long*)mt - 1;
            long n = *descriptor;
            if (n >= 0) return 0;
            nuint bytes = 0;
            for (long j = 0; j < -n; j++)
            {
                uint* item = (uint*)(descriptor - 2 - j);
                bytes += (nuint)item[0] * 8 + item[1];
            }
            return bytes;
        }
    }
}
