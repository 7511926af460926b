using System.Collections.ObjectModel;

namespace System.Collections.Generic
{
    /// <summary>
    /// .NET's List&lt;T&gt;: an array that doubles when full (capacity 4 at the first add), a struct enumerator that
    /// fails once the list changes under it, and .NET's argument checks and messages.
    /// </summary>
    public class List<T> : IList<T>, IReadOnlyList<T>, IList
    {
        private const int DefaultCapacity = 4;

        private T[] _items;
        private int _size;
        private int _version;

        public List() { _items = EmptyArray<T>.Value; }

        public List(int capacity)
        {
            if (capacity < 0) throw new ArgumentOutOfRangeException("capacity", "Non-negative number required.");
            _items = capacity == 0 ? EmptyArray<T>.Value : new T[capacity];
        }

        public List(IEnumerable<T> collection)
        {
            ArgumentNullException.ThrowIfNull(collection, "collection");
            if (collection is ICollection<T> c)
            {
                int count = c.Count;
                _items = count == 0 ? EmptyArray<T>.Value : new T[count];
                if (count != 0) c.CopyTo(_items, 0);
                _size = count;
                return;
            }
            _items = EmptyArray<T>.Value;
            foreach (T item in collection) Add(item);
        }

        public int Count => _size;
        bool ICollection<T>.IsReadOnly => false;

        public int Capacity
        {
            get => _items.Length;
            set
            {
                if (value < _size) throw new ArgumentOutOfRangeException("value", "capacity was less than the current size.");
                if (value == _items.Length) return;
                var items = value == 0 ? EmptyArray<T>.Value : new T[value];
                new ReadOnlySpan<T>(_items, 0, _size).CopyTo(items);
                _items = items;
            }
        }

        public T this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_size) ThrowIndex();
                return _items[index];
            }
            set
            {
                if ((uint)index >= (uint)_size) ThrowIndex();
                _items[index] = value;
                _version++;
            }
        }

        public void Add(T item)
        {
            _version++;
            if (_size == _items.Length) Grow(_size + 1);
            _items[_size++] = item;
        }

        public void AddRange(IEnumerable<T> collection) => InsertRange(_size, collection);

        public void Insert(int index, T item)
        {
            if ((uint)index > (uint)_size) throw new ArgumentOutOfRangeException("index", "Index must be within the bounds of the List.");
            if (_size == _items.Length) Grow(_size + 1);
            for (int i = _size; i > index; i--) _items[i] = _items[i - 1];
            _items[index] = item;
            _size++;
            _version++;
        }

        public void InsertRange(int index, IEnumerable<T> collection)
        {
            ArgumentNullException.ThrowIfNull(collection, "collection");
            if ((uint)index > (uint)_size) throw new ArgumentOutOfRangeException("index", "Index must be within the bounds of the List.");
            T[] added = collection is ICollection<T> c ? CopyOf(c) : new List<T>(collection).ToArray();
            if (added.Length == 0) return;
            if (_items.Length < _size + added.Length) Grow(_size + added.Length);
            for (int i = _size - 1; i >= index; i--) _items[i + added.Length] = _items[i];
            for (int i = 0; i < added.Length; i++) _items[index + i] = added[i];
            _size += added.Length;
            _version++;
        }

        private static T[] CopyOf(ICollection<T> c)
        {
            var copy = new T[c.Count];
            c.CopyTo(copy, 0);
            return copy;
        }

        private void Grow(int needed)
        {
            int capacity = _items.Length == 0 ? DefaultCapacity : 2 * _items.Length;
            if (capacity < needed) capacity = needed;
            Capacity = capacity;
        }

        public bool Remove(T item)
        {
            int index = IndexOf(item);
            if (index < 0) return false;
            RemoveAt(index);
            return true;
        }

        public void RemoveAt(int index)
        {
            if ((uint)index >= (uint)_size) ThrowIndex();
            _size--;
            for (int i = index; i < _size; i++) _items[i] = _items[i + 1];
            _items[_size] = default;
            _version++;
        }

        public void RemoveRange(int index, int count)
        {
            CheckRange(index, count);
            if (count == 0) return;
            for (int i = index; i + count < _size; i++) _items[i] = _items[i + count];
            for (int i = _size - count; i < _size; i++) _items[i] = default;
            _size -= count;
            _version++;
        }

        public int RemoveAll(Predicate<T> match)
        {
            ArgumentNullException.ThrowIfNull(match, "match");
            int kept = 0;
            for (int i = 0; i < _size; i++)
            {
                if (match(_items[i])) continue;
                _items[kept++] = _items[i];
            }
            int removed = _size - kept;
            for (int i = kept; i < _size; i++) _items[i] = default;
            _size = kept;
            if (removed != 0) _version++;
            return removed;
        }

        public void Clear()
        {
            _version++;
            for (int i = 0; i < _size; i++) _items[i] = default;
            _size = 0;
        }

        public bool Contains(T item) => IndexOf(item) >= 0;
        public int IndexOf(T item) => _size == 0 ? -1 : Array.IndexOf(_items, item, 0, _size);
        public int IndexOf(T item, int index) => Array.IndexOf(_items, item, index, _size - index);

        public int LastIndexOf(T item)
        {
            EqualityComparer<T> comparer = EqualityComparer<T>.Default;
            for (int i = _size - 1; i >= 0; i--) if (comparer.Equals(_items[i], item)) return i;
            return -1;
        }

        public bool Exists(Predicate<T> match) => FindIndex(match) >= 0;

        public T Find(Predicate<T> match)
        {
            int i = FindIndex(match);
            return i < 0 ? default : _items[i];
        }

        public int FindIndex(Predicate<T> match)
        {
            ArgumentNullException.ThrowIfNull(match, "match");
            for (int i = 0; i < _size; i++) if (match(_items[i])) return i;
            return -1;
        }

        public T FindLast(Predicate<T> match)
        {
            ArgumentNullException.ThrowIfNull(match, "match");
            for (int i = _size - 1; i >= 0; i--) if (match(_items[i])) return _items[i];
            return default;
        }

        public List<T> FindAll(Predicate<T> match)
        {
            ArgumentNullException.ThrowIfNull(match, "match");
            var found = new List<T>();
            for (int i = 0; i < _size; i++) if (match(_items[i])) found.Add(_items[i]);
            return found;
        }

        public bool TrueForAll(Predicate<T> match)
        {
            ArgumentNullException.ThrowIfNull(match, "match");
            for (int i = 0; i < _size; i++) if (!match(_items[i])) return false;
            return true;
        }

        public void ForEach(Action<T> action)
        {
            ArgumentNullException.ThrowIfNull(action, "action");
            int version = _version;
            for (int i = 0; i < _size; i++)
            {
                if (version != _version) break;
                action(_items[i]);
            }
            if (version != _version) ThrowVersion();
        }

        public List<TOutput> ConvertAll<TOutput>(Converter<T, TOutput> converter)
        {
            ArgumentNullException.ThrowIfNull(converter, "converter");
            var output = new List<TOutput>(_size);
            for (int i = 0; i < _size; i++) output.Add(converter(_items[i]));
            return output;
        }

        public List<T> GetRange(int index, int count)
        {
            CheckRange(index, count);
            var range = new List<T>(count);
            for (int i = 0; i < count; i++) range._items[i] = _items[index + i];
            range._size = count;
            return range;
        }

        public List<T> Slice(int start, int length) => GetRange(start, length);

        public void Reverse() => Reverse(0, _size);

        public void Reverse(int index, int count)
        {
            CheckRange(index, count);
            new Span<T>(_items, index, count).Reverse();
            _version++;
        }

        public void Sort() => Sort(0, _size, null);
        public void Sort(IComparer<T> comparer) => Sort(0, _size, comparer);

        public void Sort(Comparison<T> comparison)
        {
            ArgumentNullException.ThrowIfNull(comparison, "comparison");
            if (_size > 1) IntrospectiveSort.Sort(new Span<T>(_items, 0, _size), Comparer<T>.Create(comparison));
            _version++;
        }

        public void Sort(int index, int count, IComparer<T> comparer)
        {
            CheckRange(index, count);
            if (count > 1) IntrospectiveSort.Sort(new Span<T>(_items, index, count), comparer ?? Comparer<T>.Default);
            _version++;
        }

        public int BinarySearch(T item) => BinarySearch(0, _size, item, null);
        public int BinarySearch(T item, IComparer<T> comparer) => BinarySearch(0, _size, item, comparer);

        public int BinarySearch(int index, int count, T item, IComparer<T> comparer)
        {
            CheckRange(index, count);
            return Array.BinarySearch(_items, index, count, item, comparer);
        }

        public T[] ToArray()
        {
            if (_size == 0) return EmptyArray<T>.Value;
            var array = new T[_size];
            new ReadOnlySpan<T>(_items, 0, _size).CopyTo(array);
            return array;
        }

        public void CopyTo(T[] array) => CopyTo(array, 0);
        public void CopyTo(T[] array, int arrayIndex) => Array.Copy(_items, 0, array, arrayIndex, _size);

        public void TrimExcess()
        {
            if (_size < (int)(_items.Length * 0.9)) Capacity = _size;
        }

        public int EnsureCapacity(int capacity)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(capacity, "capacity");
            if (_items.Length < capacity) Grow(capacity);
            return _items.Length;
        }

        public ReadOnlyCollection<T> AsReadOnly() => new ReadOnlyCollection<T>(this);

        private void CheckRange(int index, int count)
        {
            if (index < 0) throw new ArgumentOutOfRangeException("index", "Non-negative number required.");
            if (count < 0) throw new ArgumentOutOfRangeException("count", "Non-negative number required.");
            if (_size - index < count) throw new ArgumentException("Offset and length were out of bounds for the array or count is greater than the number of elements from index to the end of the source collection.");
        }

        private static void ThrowIndex() =>
            throw new ArgumentOutOfRangeException("index", "Index was out of range. Must be non-negative and less than the size of the collection.");

        internal static void ThrowVersion() =>
            throw new InvalidOperationException("Collection was modified; enumeration operation may not execute.");

        public Enumerator GetEnumerator() => new Enumerator(this);
        IEnumerator<T> IEnumerable<T>.GetEnumerator() => new Enumerator(this);
        IEnumerator IEnumerable.GetEnumerator() => new Enumerator(this);

        // The non-generic IList, for code that takes one.
        bool IList.IsFixedSize => false;
        bool IList.IsReadOnly => false;
        bool ICollection.IsSynchronized => false;
        object ICollection.SyncRoot => this;
        object IList.this[int index] { get => this[index]; set => this[index] = (T)value; }
        int IList.Add(object item) { Add((T)item); return _size - 1; }
        bool IList.Contains(object item) => item is T t && Contains(t);
        int IList.IndexOf(object item) => item is T t ? IndexOf(t) : -1;
        void IList.Insert(int index, object item) => Insert(index, (T)item);
        void IList.Remove(object item) { if (item is T t) Remove(t); }
        void ICollection.CopyTo(Array array, int index) => Array.Copy(_items, 0, array, index, _size);

        public struct Enumerator : IEnumerator<T>
        {
            private readonly List<T> _list;
            private readonly int _version;
            private int _index;
            private T _current;

            internal Enumerator(List<T> list)
            {
                _list = list;
                _version = list._version;
                _index = 0;
                _current = default;
            }

            public bool MoveNext()
            {
                if (_version != _list._version) ThrowVersion();
                if ((uint)_index < (uint)_list._size)
                {
                    _current = _list._items[_index++];
                    return true;
                }
                _index = _list._size + 1;
                _current = default;
                return false;
            }

            public T Current => _current;
            object IEnumerator.Current => _current;

            void IEnumerator.Reset()
            {
                if (_version != _list._version) ThrowVersion();
                _index = 0;
                _current = default;
            }

            public void Dispose() { }
        }
    }
}
