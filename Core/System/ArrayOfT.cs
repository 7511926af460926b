using System.Collections;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>
    /// ilc gives every T[] the interfaces of this class and takes their implementations from it, so arrays are
    /// IList&lt;T&gt;, IReadOnlyList&lt;T&gt; and IEnumerable&lt;T&gt; (what LINQ and collection constructors take).
    /// At run time <c>this</c> is the T[] itself.
    /// </summary>
    public class Array<T> : Array, IList<T>, IReadOnlyList<T>
    {
        private T[] Self => Unsafe.As<T[]>(this);

        public new IEnumerator<T> GetEnumerator() => new SZGenericArrayEnumerator<T>(Self);
        IEnumerator<T> IEnumerable<T>.GetEnumerator() => new SZGenericArrayEnumerator<T>(Self);

        public int Count => Self.Length;
        public bool IsReadOnly => true;

        public T this[int index]
        {
            get => Self[index];
            set => Self[index] = value;
        }

        public int IndexOf(T item) => Array.IndexOf(Self, item);
        public bool Contains(T item) => Array.IndexOf(Self, item) >= 0;
        public void CopyTo(T[] array, int arrayIndex) => Copy(Self, 0, array, arrayIndex, Self.Length);

        public void Add(T item) => throw FixedSize();
        public void Clear() => throw FixedSize();
        public void Insert(int index, T item) => throw FixedSize();
        public bool Remove(T item) => throw FixedSize();
        public void RemoveAt(int index) => throw FixedSize();

        private static NotSupportedException FixedSize() => new NotSupportedException("Collection was of a fixed size.");
    }

    internal sealed class SZGenericArrayEnumerator<T> : IEnumerator<T>
    {
        private readonly T[] _array;
        private int _index = -1;

        public SZGenericArrayEnumerator(T[] array) { _array = array; }

        public bool MoveNext()
        {
            if (_index + 1 >= _array.Length) { _index = _array.Length; return false; }
            _index++;
            return true;
        }

        public T Current => _array[_index];
        object IEnumerator.Current => Current;
        public void Reset() => _index = -1;
        public void Dispose() { }
    }
}
