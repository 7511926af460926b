using Internal.Runtime;
using System.Collections;
using System.Collections.Generic;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>
    /// Base of every array. Layout after the MethodTable: 32-bit length, padding, elements. The static helpers are
    /// .NET's generic ones (Sort, BinarySearch, IndexOf, Resize, Fill, Reverse, ...) with .NET's argument checks.
    /// </summary>
    public abstract unsafe partial class Array : ICollection, IEnumerable
    {
        private int _numComponents;

        public int Length => _numComponents;
        public long LongLength => _numComponents;
        public int Rank => 1;

        internal ref byte GetRawArrayData() => ref Unsafe.As<RawArrayData>(this).Data;

        private int ElementSize => GetMethodTable()->ComponentSize;

        int ICollection.Count => Length;
        bool ICollection.IsSynchronized => false;
        object ICollection.SyncRoot => this;
        void ICollection.CopyTo(Array array, int index) => Copy(this, 0, array, index, Length);

        /// <summary>Walks the elements boxed; T[] also has the typed enumerator of <see cref="Array{T}"/>.</summary>
        public IEnumerator GetEnumerator() => new BoxingEnumerator(this);

        public static T[] Empty<T>() => EmptyArray<T>.Value;

        /// <summary>Copies between arrays of the same element type (what the kernel's arrays need; .NET also widens).</summary>
        public static void Copy(Array sourceArray, int sourceIndex, Array destinationArray, int destinationIndex, int length)
        {
            ArgumentNullException.ThrowIfNull(sourceArray, "sourceArray");
            ArgumentNullException.ThrowIfNull(destinationArray, "destinationArray");
            if (sourceArray.GetMethodTable() != destinationArray.GetMethodTable())
                throw new ArrayTypeMismatchException("Source array type cannot be assigned to destination array type.");
            ArgumentOutOfRangeException.ThrowIfNegative(sourceIndex, "sourceIndex");
            ArgumentOutOfRangeException.ThrowIfNegative(destinationIndex, "destinationIndex");
            ArgumentOutOfRangeException.ThrowIfNegative(length, "length");
            if (sourceIndex + length > sourceArray.Length) throw new ArgumentException("Source array was not long enough. Check the source index, length, and the array's lower bounds.", "sourceArray");
            if (destinationIndex + length > destinationArray.Length) throw new ArgumentException("Destination array was not long enough. Check the destination index, length, and the array's lower bounds.", "destinationArray");
            int size = sourceArray.ElementSize;
            Buffer.Memmove(ref Unsafe.Add(ref destinationArray.GetRawArrayData(), destinationIndex * size),
                           ref Unsafe.Add(ref sourceArray.GetRawArrayData(), sourceIndex * size), (nuint)(length * size));
        }

        public static void Copy(Array sourceArray, Array destinationArray, int length) => Copy(sourceArray, 0, destinationArray, 0, length);

        public void CopyTo(Array array, int index) => Copy(this, 0, array, index, Length);

        public static void Clear(Array array)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            SpanHelpers.ClearWithoutReferences(ref array.GetRawArrayData(), (nuint)(array.Length * array.ElementSize));
        }

        public static void Clear(Array array, int index, int length)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            if (index < 0 || length < 0 || index + length > array.Length) throw new IndexOutOfRangeException();
            int size = array.ElementSize;
            SpanHelpers.ClearWithoutReferences(ref Unsafe.Add(ref array.GetRawArrayData(), index * size), (nuint)(length * size));
        }

        public static void Resize<T>(ref T[] array, int newSize)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(newSize, "newSize");
            T[] old = array;
            if (old == null) { array = new T[newSize]; return; }
            if (old.Length == newSize) return;
            var grown = new T[newSize];
            new ReadOnlySpan<T>(old, 0, old.Length < newSize ? old.Length : newSize).CopyTo(grown);
            array = grown;
        }

        public static void Fill<T>(T[] array, T value)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            for (int i = 0; i < array.Length; i++) array[i] = value;
        }

        public static void Fill<T>(T[] array, T value, int startIndex, int count)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            CheckRange(array.Length, startIndex, count);
            for (int i = 0; i < count; i++) array[startIndex + i] = value;
        }

        public static void Reverse<T>(T[] array)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            new Span<T>(array).Reverse();
        }

        public static void Reverse<T>(T[] array, int index, int length)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            CheckRange(array.Length, index, length);
            new Span<T>(array, index, length).Reverse();
        }

        public static int IndexOf<T>(T[] array, T value) => IndexOf(array, value, 0, array?.Length ?? 0);
        public static int IndexOf<T>(T[] array, T value, int startIndex) => IndexOf(array, value, startIndex, (array?.Length ?? 0) - startIndex);

        public static int IndexOf<T>(T[] array, T value, int startIndex, int count)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            if ((uint)startIndex > (uint)array.Length) throw new ArgumentOutOfRangeException("startIndex", "Index was out of range. Must be non-negative and less than or equal to the size of the collection.");
            if (count < 0 || startIndex > array.Length - count) throw new ArgumentOutOfRangeException("count", "Count must be positive and count must refer to a location within the string/array/collection.");
            EqualityComparer<T> comparer = EqualityComparer<T>.Default;
            for (int i = startIndex; i < startIndex + count; i++) if (comparer.Equals(array[i], value)) return i;
            return -1;
        }

        public static int LastIndexOf<T>(T[] array, T value)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            EqualityComparer<T> comparer = EqualityComparer<T>.Default;
            for (int i = array.Length - 1; i >= 0; i--) if (comparer.Equals(array[i], value)) return i;
            return -1;
        }

        public static bool Exists<T>(T[] array, Predicate<T> match) => FindIndex(array, match) >= 0;

        public static T Find<T>(T[] array, Predicate<T> match)
        {
            int i = FindIndex(array, match);
            return i < 0 ? default : array[i];
        }

        public static int FindIndex<T>(T[] array, Predicate<T> match)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            ArgumentNullException.ThrowIfNull(match, "match");
            for (int i = 0; i < array.Length; i++) if (match(array[i])) return i;
            return -1;
        }

        public static T[] FindAll<T>(T[] array, Predicate<T> match)
        {
            var found = new List<T>();
            foreach (T item in array) if (match(item)) found.Add(item);
            return found.ToArray();
        }

        public static bool TrueForAll<T>(T[] array, Predicate<T> match)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            ArgumentNullException.ThrowIfNull(match, "match");
            for (int i = 0; i < array.Length; i++) if (!match(array[i])) return false;
            return true;
        }

        public static TOutput[] ConvertAll<TInput, TOutput>(TInput[] array, Converter<TInput, TOutput> converter)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            ArgumentNullException.ThrowIfNull(converter, "converter");
            var output = new TOutput[array.Length];
            for (int i = 0; i < array.Length; i++) output[i] = converter(array[i]);
            return output;
        }

        public static void ForEach<T>(T[] array, Action<T> action)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            ArgumentNullException.ThrowIfNull(action, "action");
            for (int i = 0; i < array.Length; i++) action(array[i]);
        }

        public static void Sort<T>(T[] array) => Sort(array, 0, array?.Length ?? 0, null);
        public static void Sort<T>(T[] array, IComparer<T> comparer) => Sort(array, 0, array?.Length ?? 0, comparer);

        public static void Sort<T>(T[] array, Comparison<T> comparison)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            ArgumentNullException.ThrowIfNull(comparison, "comparison");
            SortSpan(new Span<T>(array), Comparer<T>.Create(comparison));
        }

        public static void Sort<T>(T[] array, int index, int length) => Sort(array, index, length, null);

        public static void Sort<T>(T[] array, int index, int length, IComparer<T> comparer)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            CheckRange(array.Length, index, length);
            SortSpan(new Span<T>(array, index, length), comparer ?? Comparer<T>.Default);
        }

        /// <summary>Sorts keys and moves items along with them.</summary>
        public static void Sort<TKey, TValue>(TKey[] keys, TValue[] items)
        {
            ArgumentNullException.ThrowIfNull(keys, "keys");
            if (items == null) { Sort(keys); return; }
            IntrospectiveSort.Sort(new Span<TKey>(keys), new Span<TValue>(items, 0, keys.Length), Comparer<TKey>.Default);
        }

        internal static void SortSpan<T>(Span<T> span, IComparer<T> comparer) => IntrospectiveSort.Sort(span, comparer);

        public static int BinarySearch<T>(T[] array, T value) => BinarySearch(array, 0, array?.Length ?? 0, value, null);
        public static int BinarySearch<T>(T[] array, T value, IComparer<T> comparer) => BinarySearch(array, 0, array?.Length ?? 0, value, comparer);

        /// <summary>The index of the value, else the bitwise complement of where it would be inserted.</summary>
        public static int BinarySearch<T>(T[] array, int index, int length, T value, IComparer<T> comparer)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            CheckRange(array.Length, index, length);
            comparer ??= Comparer<T>.Default;
            int lo = index, hi = index + length - 1;
            while (lo <= hi)
            {
                int mid = lo + ((hi - lo) >> 1);
                int c = comparer.Compare(array[mid], value);
                if (c == 0) return mid;
                if (c < 0) lo = mid + 1; else hi = mid - 1;
            }
            return ~lo;
        }

        private static void CheckRange(int arrayLength, int index, int length)
        {
            if (index < 0) throw new ArgumentOutOfRangeException("index", "Non-negative number required.");
            if (length < 0) throw new ArgumentOutOfRangeException("length", "Non-negative number required.");
            if (arrayLength - index < length) throw new ArgumentException("Offset and length were out of bounds for the array or count is greater than the number of elements from index to the end of the source collection.");
        }

        private sealed class BoxingEnumerator : IEnumerator
        {
            private readonly Array _array;
            private int _index = -1;
            public BoxingEnumerator(Array array) { _array = array; }
            public bool MoveNext() => ++_index < _array.Length;
            public object Current => RuntimeExports.RhBoxAny(ref Unsafe.Add(ref _array.GetRawArrayData(), _index * _array.ElementSize), _array.GetMethodTable()->ElementTypeHandle);
            public void Reset() => _index = -1;
        }
    }

    internal static class EmptyArray<T>
    {
        internal static readonly T[] Value = new T[0];
    }

    public delegate TOutput Converter<in TInput, out TOutput>(TInput input);
}
