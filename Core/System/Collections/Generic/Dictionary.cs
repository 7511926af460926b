namespace System.Collections.Generic
{
    /// <summary>
    /// .NET's Dictionary&lt;TKey,TValue&gt;: entries kept in insertion order in one array with chained buckets, and
    /// removed slots reused last-freed-first, so enumeration order is .NET's (insertion order until a removal, then
    /// new keys fill the freed slots).
    /// </summary>
    public class Dictionary<TKey, TValue> : IDictionary<TKey, TValue>, IReadOnlyDictionary<TKey, TValue>
    {
        private struct Entry
        {
            public uint HashCode;
            /// <summary>Next entry in the bucket's chain (-1 ends it); for a free entry, encodes the next free one.</summary>
            public int Next;
            public TKey Key;
            public TValue Value;
        }

        // Free entries hold Next = FreeListStart - (next free index), always below -1, which marks them free.
        private const int FreeListStart = -3;

        private int[] _buckets; // 1-based entry index, 0 for an empty bucket
        private Entry[] _entries;
        private int _count;
        private int _freeList = -1;
        private int _freeCount;
        private int _version;
        private readonly IEqualityComparer<TKey> _comparer;
        private KeyCollection _keys;
        private ValueCollection _values;

        public Dictionary() : this(0, null) { }
        public Dictionary(int capacity) : this(capacity, null) { }
        public Dictionary(IEqualityComparer<TKey> comparer) : this(0, comparer) { }

        public Dictionary(int capacity, IEqualityComparer<TKey> comparer)
        {
            if (capacity < 0) throw new ArgumentOutOfRangeException("capacity", "Non-negative number required.");
            if (capacity > 0) Initialize(capacity);
            _comparer = comparer ?? EqualityComparer<TKey>.Default;
        }

        public Dictionary(IDictionary<TKey, TValue> dictionary) : this(dictionary, null) { }

        public Dictionary(IDictionary<TKey, TValue> dictionary, IEqualityComparer<TKey> comparer) : this(dictionary?.Count ?? 0, comparer)
        {
            ArgumentNullException.ThrowIfNull(dictionary, "dictionary");
            foreach (KeyValuePair<TKey, TValue> pair in dictionary) Add(pair.Key, pair.Value);
        }

        public Dictionary(IEnumerable<KeyValuePair<TKey, TValue>> collection) : this(collection, null) { }

        public Dictionary(IEnumerable<KeyValuePair<TKey, TValue>> collection, IEqualityComparer<TKey> comparer) : this(0, comparer)
        {
            ArgumentNullException.ThrowIfNull(collection, "collection");
            foreach (KeyValuePair<TKey, TValue> pair in collection) Add(pair.Key, pair.Value);
        }

        public IEqualityComparer<TKey> Comparer => _comparer;
        public int Count => _count - _freeCount;
        bool ICollection<KeyValuePair<TKey, TValue>>.IsReadOnly => false;

        public KeyCollection Keys => _keys ??= new KeyCollection(this);
        public ValueCollection Values => _values ??= new ValueCollection(this);
        ICollection<TKey> IDictionary<TKey, TValue>.Keys => Keys;
        ICollection<TValue> IDictionary<TKey, TValue>.Values => Values;
        IEnumerable<TKey> IReadOnlyDictionary<TKey, TValue>.Keys => Keys;
        IEnumerable<TValue> IReadOnlyDictionary<TKey, TValue>.Values => Values;

        public TValue this[TKey key]
        {
            get
            {
                int i = FindEntry(key);
                if (i < 0) throw new KeyNotFoundException(string.Concat("The given key '", key.ToString(), "' was not present in the dictionary."));
                return _entries[i].Value;
            }
            set => Insert(key, value, overwrite: true);
        }

        public void Add(TKey key, TValue value) => Insert(key, value, overwrite: false);
        public bool TryAdd(TKey key, TValue value) => Insert(key, value, overwrite: null);
        void ICollection<KeyValuePair<TKey, TValue>>.Add(KeyValuePair<TKey, TValue> pair) => Add(pair.Key, pair.Value);

        public bool ContainsKey(TKey key) => FindEntry(key) >= 0;

        public bool ContainsValue(TValue value)
        {
            EqualityComparer<TValue> comparer = EqualityComparer<TValue>.Default;
            for (int i = 0; i < _count; i++)
                if (_entries[i].Next >= -1 && comparer.Equals(_entries[i].Value, value)) return true;
            return false;
        }

        bool ICollection<KeyValuePair<TKey, TValue>>.Contains(KeyValuePair<TKey, TValue> pair)
        {
            int i = FindEntry(pair.Key);
            return i >= 0 && EqualityComparer<TValue>.Default.Equals(_entries[i].Value, pair.Value);
        }

        public bool TryGetValue(TKey key, out TValue value)
        {
            int i = FindEntry(key);
            if (i >= 0)
            {
                value = _entries[i].Value;
                return true;
            }
            value = default;
            return false;
        }

        public TValue GetValueOrDefault(TKey key, TValue defaultValue = default) => TryGetValue(key, out TValue v) ? v : defaultValue;

        public bool Remove(TKey key) => Remove(key, out _);

        public bool Remove(TKey key, out TValue value)
        {
            if (key == null) throw new ArgumentNullException("key");
            value = default;
            if (_buckets == null) return false;
            uint hash = (uint)_comparer.GetHashCode(key);
            ref int bucket = ref _buckets[hash % (uint)_buckets.Length];
            int previous = -1;
            for (int i = bucket - 1; i >= 0; previous = i, i = _entries[i].Next)
            {
                ref Entry entry = ref _entries[i];
                if (entry.HashCode != hash || !_comparer.Equals(entry.Key, key)) continue;
                if (previous < 0) bucket = entry.Next + 1;
                else _entries[previous].Next = entry.Next;
                value = entry.Value;
                entry.Next = FreeListStart - _freeList;
                entry.Key = default;
                entry.Value = default;
                _freeList = i;
                _freeCount++;
                return true; // no version change: .NET allows Remove while enumerating
            }
            return false;
        }

        bool ICollection<KeyValuePair<TKey, TValue>>.Remove(KeyValuePair<TKey, TValue> pair)
        {
            int i = FindEntry(pair.Key);
            if (i < 0 || !EqualityComparer<TValue>.Default.Equals(_entries[i].Value, pair.Value)) return false;
            return Remove(pair.Key);
        }

        public void Clear()
        {
            if (_count == 0) return;
            for (int i = 0; i < _buckets.Length; i++) _buckets[i] = 0;
            for (int i = 0; i < _count; i++) _entries[i] = default;
            _count = 0;
            _freeList = -1;
            _freeCount = 0;
            _version++;
        }

        public int EnsureCapacity(int capacity)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(capacity, "capacity");
            int current = _entries?.Length ?? 0;
            if (current >= capacity) return current;
            if (_buckets == null) return Initialize(capacity);
            Resize(HashHelpers.GetPrime(capacity));
            return _entries.Length;
        }

        private int Initialize(int capacity)
        {
            int size = HashHelpers.GetPrime(capacity);
            _buckets = new int[size];
            _entries = new Entry[size];
            _freeList = -1;
            return size;
        }

        private int FindEntry(TKey key)
        {
            if (key == null) throw new ArgumentNullException("key");
            if (_buckets == null) return -1;
            uint hash = (uint)_comparer.GetHashCode(key);
            for (int i = _buckets[hash % (uint)_buckets.Length] - 1; i >= 0; i = _entries[i].Next)
                if (_entries[i].HashCode == hash && _comparer.Equals(_entries[i].Key, key)) return i;
            return -1;
        }

        /// <summary>overwrite: true sets, false throws on a duplicate, null answers false on a duplicate.</summary>
        private bool Insert(TKey key, TValue value, bool? overwrite)
        {
            if (key == null) throw new ArgumentNullException("key");
            if (_buckets == null) Initialize(0);
            uint hash = (uint)_comparer.GetHashCode(key);
            for (int i = _buckets[hash % (uint)_buckets.Length] - 1; i >= 0; i = _entries[i].Next)
            {
                if (_entries[i].HashCode != hash || !_comparer.Equals(_entries[i].Key, key)) continue;
                if (overwrite == true)
                {
                    _entries[i].Value = value; // no version change: .NET allows overwriting while enumerating
                    return true;
                }
                if (overwrite == false)
                    throw new ArgumentException(string.Concat("An item with the same key has already been added. Key: ", key.ToString()));
                return false;
            }

            int index;
            if (_freeCount > 0)
            {
                index = _freeList;
                _freeList = FreeListStart - _entries[index].Next;
                _freeCount--;
            }
            else
            {
                if (_count == _entries.Length) Resize(HashHelpers.ExpandPrime(_count));
                index = _count++;
            }
            ref int bucket = ref _buckets[hash % (uint)_buckets.Length];
            ref Entry entry = ref _entries[index];
            entry.HashCode = hash;
            entry.Next = bucket - 1;
            entry.Key = key;
            entry.Value = value;
            bucket = index + 1;
            _version++;
            return true;
        }

        private void Resize(int size)
        {
            var entries = new Entry[size];
            for (int i = 0; i < _count; i++) entries[i] = _entries[i];
            _buckets = new int[size];
            for (int i = 0; i < _count; i++)
            {
                if (entries[i].Next < -1) continue;
                ref int bucket = ref _buckets[entries[i].HashCode % (uint)size];
                entries[i].Next = bucket - 1;
                bucket = i + 1;
            }
            _entries = entries;
        }

        public void CopyTo(KeyValuePair<TKey, TValue>[] array, int index)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            if ((uint)index > (uint)array.Length) throw new ArgumentOutOfRangeException("index");
            if (array.Length - index < Count) throw new ArgumentException("Destination array is not long enough to copy all the items in the collection. Check array index and length.");
            for (int i = 0; i < _count; i++)
                if (_entries[i].Next >= -1) array[index++] = new KeyValuePair<TKey, TValue>(_entries[i].Key, _entries[i].Value);
        }

        public Enumerator GetEnumerator() => new Enumerator(this);
        IEnumerator<KeyValuePair<TKey, TValue>> IEnumerable<KeyValuePair<TKey, TValue>>.GetEnumerator() => new Enumerator(this);
        IEnumerator IEnumerable.GetEnumerator() => new Enumerator(this);

        /// <summary>Walks live entries in entry order; fails if the dictionary changed (except by Remove, as on .NET Core 3+).</summary>
        public struct Enumerator : IEnumerator<KeyValuePair<TKey, TValue>>
        {
            private readonly Dictionary<TKey, TValue> _dictionary;
            private readonly int _version;
            private int _index;
            private KeyValuePair<TKey, TValue> _current;

            internal Enumerator(Dictionary<TKey, TValue> dictionary)
            {
                _dictionary = dictionary;
                _version = dictionary._version;
                _index = 0;
                _current = default;
            }

            public bool MoveNext()
            {
                if (_version != _dictionary._version) List<int>.ThrowVersion();
                while ((uint)_index < (uint)_dictionary._count)
                {
                    ref Entry entry = ref _dictionary._entries[_index++];
                    if (entry.Next >= -1)
                    {
                        _current = new KeyValuePair<TKey, TValue>(entry.Key, entry.Value);
                        return true;
                    }
                }
                _index = _dictionary._count + 1;
                _current = default;
                return false;
            }

            public KeyValuePair<TKey, TValue> Current => _current;
            object IEnumerator.Current => _current;
            void IEnumerator.Reset() { _index = 0; _current = default; }
            public void Dispose() { }
        }

        public sealed class KeyCollection : ICollection<TKey>, IReadOnlyCollection<TKey>
        {
            private readonly Dictionary<TKey, TValue> _dictionary;
            public KeyCollection(Dictionary<TKey, TValue> dictionary) { _dictionary = dictionary; }
            public int Count => _dictionary.Count;
            bool ICollection<TKey>.IsReadOnly => true;
            public bool Contains(TKey item) => _dictionary.ContainsKey(item);

            public void CopyTo(TKey[] array, int index)
            {
                foreach (TKey key in this) array[index++] = key;
            }

            void ICollection<TKey>.Add(TKey item) => throw new NotSupportedException("Mutating a key collection derived from a dictionary is not allowed.");
            void ICollection<TKey>.Clear() => throw new NotSupportedException("Mutating a key collection derived from a dictionary is not allowed.");
            bool ICollection<TKey>.Remove(TKey item) => throw new NotSupportedException("Mutating a key collection derived from a dictionary is not allowed.");

            public Enumerator GetEnumerator() => new Enumerator(_dictionary);
            IEnumerator<TKey> IEnumerable<TKey>.GetEnumerator() => new Enumerator(_dictionary);
            IEnumerator IEnumerable.GetEnumerator() => new Enumerator(_dictionary);

            public struct Enumerator : IEnumerator<TKey>
            {
                private Dictionary<TKey, TValue>.Enumerator _inner;
                internal Enumerator(Dictionary<TKey, TValue> dictionary) { _inner = new Dictionary<TKey, TValue>.Enumerator(dictionary); }
                public bool MoveNext() => _inner.MoveNext();
                public TKey Current => _inner.Current.Key;
                object IEnumerator.Current => Current;
                void IEnumerator.Reset() => ((IEnumerator)_inner).Reset();
                public void Dispose() { }
            }
        }

        public sealed class ValueCollection : ICollection<TValue>, IReadOnlyCollection<TValue>
        {
            private readonly Dictionary<TKey, TValue> _dictionary;
            public ValueCollection(Dictionary<TKey, TValue> dictionary) { _dictionary = dictionary; }
            public int Count => _dictionary.Count;
            bool ICollection<TValue>.IsReadOnly => true;
            bool ICollection<TValue>.Contains(TValue item) => _dictionary.ContainsValue(item);

            public void CopyTo(TValue[] array, int index)
            {
                foreach (TValue value in this) array[index++] = value;
            }

            void ICollection<TValue>.Add(TValue item) => throw new NotSupportedException("Mutating a value collection derived from a dictionary is not allowed.");
            void ICollection<TValue>.Clear() => throw new NotSupportedException("Mutating a value collection derived from a dictionary is not allowed.");
            bool ICollection<TValue>.Remove(TValue item) => throw new NotSupportedException("Mutating a value collection derived from a dictionary is not allowed.");

            public Enumerator GetEnumerator() => new Enumerator(_dictionary);
            IEnumerator<TValue> IEnumerable<TValue>.GetEnumerator() => new Enumerator(_dictionary);
            IEnumerator IEnumerable.GetEnumerator() => new Enumerator(_dictionary);

            public struct Enumerator : IEnumerator<TValue>
            {
                private Dictionary<TKey, TValue>.Enumerator _inner;
                internal Enumerator(Dictionary<TKey, TValue> dictionary) { _inner = new Dictionary<TKey, TValue>.Enumerator(dictionary); }
                public bool MoveNext() => _inner.MoveNext();
                public TValue Current => _inner.Current.Value;
                object IEnumerator.Current => Current;
                void IEnumerator.Reset() => ((IEnumerator)_inner).Reset();
                public void Dispose() { }
            }
        }
    }
}
