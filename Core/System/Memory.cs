using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>.NET's Memory&lt;T&gt;: an array window that, unlike a span, can live on the heap.</summary>
    public readonly struct Memory<T>
    {
        private readonly T[] _array;
        private readonly int _start;
        private readonly int _length;

        public Memory(T[] array)
        {
            _array = array;
            _start = 0;
            _length = array?.Length ?? 0;
        }

        public Memory(T[] array, int start, int length)
        {
            if (array == null)
            {
                if (start != 0 || length != 0) throw new ArgumentOutOfRangeException();
                this = default;
                return;
            }
            if ((ulong)(uint)start + (uint)length > (uint)array.Length) throw new ArgumentOutOfRangeException();
            _array = array;
            _start = start;
            _length = length;
        }

        public int Length => _length;
        public bool IsEmpty => _length == 0;
        public static Memory<T> Empty => default;
        public Span<T> Span => _array == null ? default : new Span<T>(_array, _start, _length);

        public Memory<T> Slice(int start)
        {
            if ((uint)start > (uint)_length) throw new ArgumentOutOfRangeException("start");
            return new Memory<T>(_array, _start + start, _length - start);
        }

        public Memory<T> Slice(int start, int length)
        {
            if ((ulong)(uint)start + (uint)length > (uint)_length) throw new ArgumentOutOfRangeException();
            return new Memory<T>(_array, _start + start, length);
        }

        public T[] ToArray() => Span.ToArray();
        public void CopyTo(Memory<T> destination) => Span.CopyTo(destination.Span);

        public static implicit operator Memory<T>(T[] array) => new Memory<T>(array);
        public static implicit operator ReadOnlyMemory<T>(Memory<T> memory) => new ReadOnlyMemory<T>(memory._array, memory._start, memory._length);
    }

    /// <summary>.NET's ReadOnlyMemory&lt;T&gt; over an array, or over a string for ReadOnlyMemory&lt;char&gt;.</summary>
    public readonly struct ReadOnlyMemory<T>
    {
        private readonly object _owner; // T[] or string
        private readonly int _start;
        private readonly int _length;

        public ReadOnlyMemory(T[] array)
        {
            _owner = array;
            _start = 0;
            _length = array?.Length ?? 0;
        }

        public ReadOnlyMemory(T[] array, int start, int length)
        {
            if (array == null)
            {
                if (start != 0 || length != 0) throw new ArgumentOutOfRangeException();
                this = default;
                return;
            }
            if ((ulong)(uint)start + (uint)length > (uint)array.Length) throw new ArgumentOutOfRangeException();
            _owner = array;
            _start = start;
            _length = length;
        }

        internal ReadOnlyMemory(string text)
        {
            _owner = text;
            _start = 0;
            _length = text?.Length ?? 0;
        }

        private ReadOnlyMemory(object owner, int start, int length)
        {
            _owner = owner;
            _start = start;
            _length = length;
        }

        public int Length => _length;
        public bool IsEmpty => _length == 0;
        public static ReadOnlyMemory<T> Empty => default;

        public ReadOnlySpan<T> Span
        {
            get
            {
                if (_owner == null) return default;
                if (_owner is string s)
                    return new ReadOnlySpan<T>(ref Unsafe.Add(ref Unsafe.As<char, T>(ref s.GetRawStringData()), _start), _length);
                return new ReadOnlySpan<T>(Unsafe.As<T[]>(_owner), _start, _length);
            }
        }

        public ReadOnlyMemory<T> Slice(int start)
        {
            if ((uint)start > (uint)_length) throw new ArgumentOutOfRangeException("start");
            return new ReadOnlyMemory<T>(_owner, _start + start, _length - start);
        }

        public ReadOnlyMemory<T> Slice(int start, int length)
        {
            if ((ulong)(uint)start + (uint)length > (uint)_length) throw new ArgumentOutOfRangeException();
            return new ReadOnlyMemory<T>(_owner, _start + start, length);
        }

        public T[] ToArray() => Span.ToArray();

        public override string ToString() => typeof(T) == typeof(char) ? Span.ToString() : string.Concat("System.ReadOnlyMemory<", typeof(T).Name, ">[", _length.ToString(), "]");

        public static implicit operator ReadOnlyMemory<T>(T[] array) => new ReadOnlyMemory<T>(array);
    }
}
