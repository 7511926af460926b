namespace System.Collections.Generic
{
    /// <summary>
    /// .NET's SortedList&lt;TKey,TValue&gt;: keys and values in two arrays kept in key order, found by binary search.
    /// </summary>
    public class SortedList<TKey, TValue> : IDictionary<TKey, TValue>, IReadOnlyDictionary<TKey, TValue>
    {
        private TKey[] _keys = EmptyArray<TKey>.Value;
        private TValue[] _values = EmptyArray<TValue>.Value;
        private int _size;
        private int _version;
        private readonly IComparer<TKey> _comparer;

        public SortedList() : this((IComparer<TKey>)null) { }
        public SortedList(IComparer<TKey> comparer) { _comparer = comparer ?? Comparer<TKey>.Default; }

        public SortedList(int capacity) : this((IComparer<TKey>)null)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(capacity, "capacity");
            _keys = new TKey[capacity];
            _values = new TValue[capacity];
        }

        public SortedList(IDictionary<TKey, TValue> dictionary) : this(dictionary, null) { }

        public SortedList(IDictionary<TKey, TValue> dictionary, IComparer<TKey> comparer) : this(comparer)
        {
            ArgumentNullException.ThrowIfNull(dictionary, "dictionary");
            foreach (KeyValuePair<TKey, TValue> pair in dictionary) Add(pair.Key, pair.Value);
        }

        public IComparer<TKey> Comparer => _comparer;
        public int Count => _size;
        public int Capacity => _keys.Length;
        bool ICollection<KeyValuePair<TKey, TValue>>.IsReadOnly => false;

        public IList<TKey> Keys => new ReadOnlyListView<TKey>(this, keys: true);
        public IList<TValue> Values => new ReadOnlyListView<TValue>(this, keys: false);
        ICollection<TKey> IDictionary<TKey, TValue>.Keys => Keys;
        ICollection<TValue> IDictionary<TKey, TValue>.Values => Values;
        IEnumerable<TKey> IReadOnlyDictionary<TKey, TValue>.Keys => Keys;
        IEnumerable<TValue> IReadOnlyDictionary<TKey, TValue>.Values => Values;

        internal TKey KeyAt(int index) => _keys[index];
        internal TValue ValueAt(int index) => _values[index];

        public TValue this[TKey key]
        {
            get
            {
                int i = IndexOfKey(key);
                if (i < 0) throw new KeyNotFoundException(string.Concat("The given key '", key.ToString(), "' was not present in the dictionary."));
                return _values[i];
            }
            set
            {
                if (key == null) throw new ArgumentNullException("key");
                int i = Search(key);
                if (i >= 0)
                {
                    _values[i] = value;
                    _version++;
                    return;
                }
                InsertAt(~i, key, value);
            }
        }

        public void Add(TKey key, TValue value)
        {
            if (key == null) throw new ArgumentNullException("key");
            int i = Search(key);
            if (i >= 0) throw new ArgumentException(string.Concat("An item with the same key has already been added. Key: ", key.ToString()), "key");
            InsertAt(~i, key, value);
        }

        public bool TryAdd(TKey key, TValue value)
        {
            if (key == null) throw new ArgumentNullException("key");
            int i = Search(key);
            if (i >= 0) return false;
            InsertAt(~i, key, value);
            return true;
        }

        void ICollection<KeyValuePair<TKey, TValue>>.Add(KeyValuePair<TKey, TValue> pair) => Add(pair.Key, pair.Value);

        private void InsertAt(int index, TKey key, TValue value)
        {
            if (_size == _keys.Length)
            {
                int capacity = _keys.Length == 0 ? 4 : 2 * _keys.Length;
                Array.Resize(ref _keys, capacity);
                Array.Resize(ref _values, capacity);
            }
            for (int i = _size; i > index; i--)
            {
                _keys[i] = _keys[i - 1];
                _values[i] = _values[i - 1];
            }
            _keys[index] = key;
            _values[index] = value;
            _size++;
            _version++;
        }

        private int Search(TKey key) => Array.BinarySearch(_keys, 0, _size, key, _comparer);

        public int IndexOfKey(TKey key)
        {
            if (key == null) throw new ArgumentNullException("key");
            int i = Search(key);
            return i >= 0 ? i : -1;
        }

        public int IndexOfValue(TValue value) => _size == 0 ? -1 : Array.IndexOf(_values, value, 0, _size);
        public TKey GetKeyAtIndex(int index) => (uint)index < (uint)_size ? _keys[index] : throw new ArgumentOutOfRangeException("index", "Index was out of range. Must be non-negative and less than the size of the collection.");
        public TValue GetValueAtIndex(int index) => (uint)index < (uint)_size ? _values[index] : throw new ArgumentOutOfRangeException("index", "Index was out of range. Must be non-negative and less than the size of the collection.");
        public bool ContainsKey(TKey key) => IndexOfKey(key) >= 0;
        public bool ContainsValue(TValue value) => IndexOfValue(value) >= 0;

        bool ICollection<KeyValuePair<TKey, TValue>>.Contains(KeyValuePair<TKey, TValue> pair)
        {
            int i = IndexOfKey(pair.Key);
            return i >= 0 && EqualityComparer<TValue>.Default.Equals(_values[i], pair.Value);
        }

        public bool TryGetValue(TKey key, out TValue value)
        {
            int i = IndexOfKey(key);
            value = i >= 0 ? _values[i] : default;
            return i >= 0;
        }

        public bool Remove(TKey key)
        {
            int i = IndexOfKey(key);
            if (i < 0) return false;
            RemoveAt(i);
            return true;
        }

        bool ICollection<KeyValuePair<TKey, TValue>>.Remove(KeyValuePair<TKey, TValue> pair)
        {
            int i = IndexOfKey(pair.Key);
            if (i < 0 || !EqualityComparer<TValue>.Default.Equals(_values[i], pair.Value)) return false;
            RemoveAt(i);
            return true;
        }

        public void RemoveAt(int index)
        {
            if ((uint)index >= (uint)_size) throw new ArgumentOutOfRangeException("index", index, "Index was out of range. Must be non-negative and less than the size of the collection.");
            _size--;
            for (int i = index; i < _size; i++)
            {
                _keys[i] = _keys[i + 1];
                _values[i] = _values[i + 1];
            }
            _keys[_size] = default;
            _values[_size] = default;
            _version++;
        }

        public void Clear()
        {
            for (int i = 0; i < _size; i++)
            {
                _keys[i] = default;
                _values[i] = default;
            }
            _size = 0;
            _version++;
        }

        public void CopyTo(KeyValuePair<TKey, TValue>[] array, int arrayIndex)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            for (int i = 0; i < _size; i++) array[arrayIndex + i] = new KeyValuePair<TKey, TValue>(_keys[i], _values[i]);
        }

        public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator()
        {
            int version = _version;
            for (int i = 0; i < _size; i++)
            {
                if (version != _version) List<int>.ThrowVersion();
                yield return new KeyValuePair<TKey, TValue>(_keys[i], _values[i]);
            }
            if (version != _version) List<int>.ThrowVersion();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>Keys or Values: a live, read-only list over the sorted arrays (as .NET's KeyList and ValueList).</summary>
        private sealed class ReadOnlyListView<T> : IList<T>
        {
            private readonly SortedList<TKey, TValue> _owner;
            private readonly bool _keys;

            public ReadOnlyListView(SortedList<TKey, TValue> owner, bool keys)
            {
                _owner = owner;
                _keys = keys;
            }

            public int Count => _owner._size;
            public bool IsReadOnly => true;

            public T this[int index]
            {
                get
                {
                    if ((uint)index >= (uint)_owner._size) throw new ArgumentOutOfRangeException("index", "Index was out of range. Must be non-negative and less than the size of the collection.");
                    return _keys ? (T)(object)_owner._keys[index] : (T)(object)_owner._values[index];
                }
                set => throw new NotSupportedException("This operation is not supported on SortedList nested types because they require modifying the original SortedList.");
            }

            public int IndexOf(T item)
            {
                EqualityComparer<T> comparer = EqualityComparer<T>.Default;
                for (int i = 0; i < Count; i++) if (comparer.Equals(this[i], item)) return i;
                return -1;
            }

            public bool Contains(T item) => IndexOf(item) >= 0;

            public void CopyTo(T[] array, int arrayIndex)
            {
                for (int i = 0; i < Count; i++) array[arrayIndex + i] = this[i];
            }

            public IEnumerator<T> GetEnumerator()
            {
                for (int i = 0; i < Count; i++) yield return this[i];
            }

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
            public void Add(T item) => throw NotSupported();
            public void Clear() => throw NotSupported();
            public void Insert(int index, T item) => throw NotSupported();
            public bool Remove(T item) => throw NotSupported();
            public void RemoveAt(int index) => throw NotSupported();

            private static NotSupportedException NotSupported() =>
                new NotSupportedException("This operation is not supported on SortedList nested types because they require modifying the original SortedList.");
        }
    }
}
