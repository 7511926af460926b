namespace System
{
    /// <summary>.NET's ArraySegment: a window on an array (what the older socket overloads take).</summary>
    public readonly struct ArraySegment<T>
    {
        public ArraySegment(T[] array)
        {
            Array = array ?? throw new ArgumentNullException(nameof(array));
            Offset = 0;
            Count = array.Length;
        }

        public ArraySegment(T[] array, int offset, int count)
        {
            if (array == null) throw new ArgumentNullException(nameof(array));
            if (offset < 0) throw new ArgumentOutOfRangeException(nameof(offset), "Non-negative number required.");
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), "Non-negative number required.");
            if (array.Length - offset < count) throw new ArgumentException("Offset and length were out of bounds for the array or count is greater than the number of elements from index to the end of the source collection.");
            Array = array;
            Offset = offset;
            Count = count;
        }

        public T[] Array { get; }
        public int Offset { get; }
        public int Count { get; }

        public T this[int index]
        {
            get
            {
                if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
                return Array[Offset + index];
            }
        }

        public Span<T> AsSpan() => new Span<T>(Array, Offset, Count);

        public static implicit operator ArraySegment<T>(T[] array) => array == null ? default : new ArraySegment<T>(array);
    }
}
