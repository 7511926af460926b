using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace System
{
    /// <summary>A bounds-checked view over contiguous memory: managed arrays, the stack, or DMA pages.</summary>
    public readonly ref struct Span<T>
    {
        private readonly ref T _reference;
        private readonly int _length;

        public Span(T[] array)
        {
            if (array == null) { this = default; return; }
            _reference = ref Unsafe.As<byte, T>(ref array.GetRawArrayData());
            _length = array.Length;
        }

        public Span(T[] array, int start, int length)
        {
            if (array == null || (ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)array.Length)
                ThrowHelpers.ThrowArgumentOutOfRange();
            _reference = ref Unsafe.Add(ref Unsafe.As<byte, T>(ref array.GetRawArrayData()), start);
            _length = length;
        }

        public unsafe Span(void* pointer, int length)
        {
            if (length < 0) ThrowHelpers.ThrowArgumentOutOfRange();
            _reference = ref Unsafe.AsRef<T>(pointer);
            _length = length;
        }

        internal Span(ref T reference, int length)
        {
            _reference = ref reference;
            _length = length;
        }

        public ref T this[int index]
        {
            [Intrinsic]
            get
            {
                if ((uint)index >= (uint)_length) ThrowHelpers.ThrowIndexOutOfRange();
                return ref Unsafe.Add(ref _reference, (nint)(uint)index);
            }
        }

        public int Length => _length;
        public bool IsEmpty => _length == 0;
        public static Span<T> Empty => default;

        public ref T GetPinnableReference() => ref (_length != 0) ? ref _reference : ref Unsafe.NullRef<T>();

        public Span<T> Slice(int start)
        {
            if ((uint)start > (uint)_length) ThrowHelpers.ThrowArgumentOutOfRange();
            return new Span<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), _length - start);
        }

        public Span<T> Slice(int start, int length)
        {
            if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)_length) ThrowHelpers.ThrowArgumentOutOfRange();
            return new Span<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), length);
        }

        public unsafe void Clear()
        {
            if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            {
                // Plain data: one memset (rep stosb) instead of an element loop; packet paths clear a lot.
                System.Runtime.Native.MemSet(Unsafe.AsPointer(ref _reference), 0, (nuint)_length * (nuint)Unsafe.SizeOf<T>());
                return;
            }
            for (int i = 0; i < _length; i++) Unsafe.Add(ref _reference, i) = default;
        }

        public unsafe void Fill(T value)
        {
            if (Unsafe.SizeOf<T>() == 1 && !RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            {
                System.Runtime.Native.MemSet(Unsafe.AsPointer(ref _reference), Unsafe.As<T, byte>(ref value), (nuint)_length);
                return;
            }
            for (int i = 0; i < _length; i++) Unsafe.Add(ref _reference, i) = value;
        }

        public unsafe void CopyTo(Span<T> destination)
        {
            if ((uint)_length > (uint)destination.Length) ThrowHelpers.ThrowDestinationTooShort();
            if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            {
                // memmove handles overlap in either direction.
                System.Runtime.Native.MemMove(Unsafe.AsPointer(ref destination._reference), Unsafe.AsPointer(ref _reference), (nuint)_length * (nuint)Unsafe.SizeOf<T>());
                return;
            }
            // Overlap-safe: copy backwards when the destination starts inside the source.
            if (Unsafe.ByteOffset(ref _reference, ref destination._reference) > 0)
                for (int i = _length - 1; i >= 0; i--) Unsafe.Add(ref destination._reference, i) = Unsafe.Add(ref _reference, i);
            else
                for (int i = 0; i < _length; i++) Unsafe.Add(ref destination._reference, i) = Unsafe.Add(ref _reference, i);
        }

        public static implicit operator Span<T>(T[] array) => new Span<T>(array);

        public T[] ToArray() => ((ReadOnlySpan<T>)this).ToArray();

        public bool TryCopyTo(Span<T> destination)
        {
            if (destination.Length < _length) return false;
            CopyTo(destination);
            return true;
        }
        public static implicit operator ReadOnlySpan<T>(Span<T> span) => new ReadOnlySpan<T>(ref span._reference, span._length);

        public Enumerator GetEnumerator() => new Enumerator(this);

        public ref struct Enumerator
        {
            private readonly Span<T> _span;
            private int _index;
            internal Enumerator(Span<T> span) { _span = span; _index = -1; }
            public bool MoveNext() { int i = _index + 1; if (i < _span.Length) { _index = i; return true; } return false; }
            public ref T Current => ref _span[_index];
        }
    }

    public readonly ref struct ReadOnlySpan<T>
    {
        private readonly ref T _reference;
        private readonly int _length;

        public ReadOnlySpan(T[] array)
        {
            if (array == null) { this = default; return; }
            _reference = ref Unsafe.As<byte, T>(ref array.GetRawArrayData());
            _length = array.Length;
        }

        public ReadOnlySpan(T[] array, int start, int length)
        {
            if (array == null || (ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)array.Length)
                ThrowHelpers.ThrowArgumentOutOfRange();
            _reference = ref Unsafe.Add(ref Unsafe.As<byte, T>(ref array.GetRawArrayData()), start);
            _length = length;
        }

        public unsafe ReadOnlySpan(void* pointer, int length)
        {
            if (length < 0) ThrowHelpers.ThrowArgumentOutOfRange();
            _reference = ref Unsafe.AsRef<T>(pointer);
            _length = length;
        }

        internal ReadOnlySpan(ref T reference, int length)
        {
            _reference = ref reference;
            _length = length;
        }

        public ref readonly T this[int index]
        {
            [Intrinsic]
            get
            {
                if ((uint)index >= (uint)_length) ThrowHelpers.ThrowIndexOutOfRange();
                return ref Unsafe.Add(ref _reference, (nint)(uint)index);
            }
        }

        public int Length => _length;
        public bool IsEmpty => _length == 0;
        public static ReadOnlySpan<T> Empty => default;

        public ref readonly T GetPinnableReference() => ref (_length != 0) ? ref _reference : ref Unsafe.NullRef<T>();

        public ReadOnlySpan<T> Slice(int start)
        {
            if ((uint)start > (uint)_length) ThrowHelpers.ThrowArgumentOutOfRange();
            return new ReadOnlySpan<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), _length - start);
        }

        public ReadOnlySpan<T> Slice(int start, int length)
        {
            if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)_length) ThrowHelpers.ThrowArgumentOutOfRange();
            return new ReadOnlySpan<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), length);
        }

        public void CopyTo(Span<T> destination) => new Span<T>(ref _reference, _length).CopyTo(destination);

        public static implicit operator ReadOnlySpan<T>(T[] array) => new ReadOnlySpan<T>(array);

        public T[] ToArray()
        {
            var array = new T[_length];
            for (int i = 0; i < _length; i++) array[i] = this[i];
            return array;
        }

        public bool TryCopyTo(Span<T> destination)
        {
            if (destination.Length < _length) return false;
            CopyTo(destination);
            return true;
        }

        /// <summary>As .NET: the characters for a span of char, else the type's name and length.</summary>
        public override string ToString() =>
            typeof(T) == typeof(char) ? new string(new ReadOnlySpan<char>(ref Unsafe.As<T, char>(ref Unsafe.AsRef(in _reference)), _length))
                                      : string.Concat("System.ReadOnlySpan<", typeof(T).Name, ">[", _length.ToString(), "]");

        public Enumerator GetEnumerator() => new Enumerator(this);

        public ref struct Enumerator
        {
            private readonly ReadOnlySpan<T> _span;
            private int _index;
            internal Enumerator(ReadOnlySpan<T> span) { _span = span; _index = -1; }
            public bool MoveNext() { int i = _index + 1; if (i < _span.Length) { _index = i; return true; } return false; }
            public ref readonly T Current => ref _span[_index];
        }
    }

    public readonly struct Index
    {
        private readonly int _value;
        public Index(int value, bool fromEnd = false) { _value = fromEnd ? ~value : value; }
        public int Value => _value < 0 ? ~_value : _value;
        public bool IsFromEnd => _value < 0;
        public int GetOffset(int length) => _value < 0 ? length + _value + 1 : _value;
        public static implicit operator Index(int value) => new Index(value);
    }

    public readonly struct Range
    {
        public Index Start { get; }
        public Index End { get; }
        public Range(Index start, Index end) { Start = start; End = end; }
        public static Range StartAt(Index start) => new Range(start, new Index(0, true));
        public static Range EndAt(Index end) => new Range(new Index(0), end);
        public static Range All => new Range(new Index(0), new Index(0, true));

        public (int Offset, int Length) GetOffsetAndLength(int length)
        {
            int start = Start.GetOffset(length), end = End.GetOffset(length);
            if ((uint)end > (uint)length || (uint)start > (uint)end) throw new ArgumentOutOfRangeException("length");
            return (start, end - start);
        }
    }
}

namespace System.Runtime.InteropServices
{
    public static unsafe class MemoryMarshal
    {
        public static ref T GetReference<T>(Span<T> span) => ref span.GetPinnableReference();
        public static Span<T> CreateSpan<T>(ref T reference, int length) => new Span<T>(ref reference, length);
        public static ReadOnlySpan<T> CreateReadOnlySpan<T>(ref T reference, int length) => new ReadOnlySpan<T>(ref reference, length);

        public static Span<TTo> Cast<TFrom, TTo>(Span<TFrom> span) where TFrom : struct where TTo : struct
        {
            int bytes = span.Length * sizeof(TFrom);
            return new Span<TTo>(ref Unsafe.As<TFrom, TTo>(ref span.GetPinnableReference()), bytes / sizeof(TTo));
        }

        public static ref T AsRef<T>(Span<byte> span) where T : struct
        {
            if (sizeof(T) > span.Length) ThrowHelpers.ThrowArgumentOutOfRange("length");
            return ref Unsafe.As<byte, T>(ref span.GetPinnableReference());
        }
    }
}
