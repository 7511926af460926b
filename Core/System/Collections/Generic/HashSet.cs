namespace System.Collections.Generic
{
    /// <summary>
    /// .NET's HashSet&lt;T&gt;, laid out as <see cref="Dictionary{TKey,TValue}"/> is (entries in insertion order, freed
    /// slots reused last-freed-first), so enumeration order is .NET's.
    /// </summary>
    public class HashSet<T> : ISet<T>, IReadOnlySet<T>, IReadOnlyCollection<T>
    {
        private struct Entry
        {
            public uint HashCode;
            public int Next;
            public T Value;
        }

        private const int FreeListStart = -3;

        private int[] _buckets;
        private Entry[] _entries;
        private int _count;
        private int _freeList = -1;
        private int _freeCount;
        private int _version;
        private readonly IEqualityComparer<T> _comparer;

        public HashSet() : this((IEqualityComparer<T>)null) { }
        public HashSet(IEqualityComparer<T> comparer) { _comparer = comparer ?? EqualityComparer<T>.Default; }
        public HashSet(int capacity) : this(capacity, null) { }

        public HashSet(int capacity, IEqualityComparer<T> comparer) : this(comparer)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(capacity, "capacity");
            if (capacity > 0) Initialize(capacity);
        }

        public HashSet(IEnumerable<T> collection) : this(collection, null) { }

        public HashSet(IEnumerable<T> collection, IEqualityComparer<T> comparer) : this(comparer)
        {
            ArgumentNullException.ThrowIfNull(collection, "collection");
            UnionWith(collection);
        }

        public IEqualityComparer<T> Comparer => _comparer;
        public int Count => _count - _freeCount;
        bool ICollection<T>.IsReadOnly => false;

        private void Initialize(int capacity)
        {
            int size = HashHelpers.GetPrime(capacity);
            _buckets = new int[size];
            _entries = new Entry[size];
        }

        private int FindItem(T item)
        {
            if (_buckets == null) return -1;
            uint hash = item == null ? 0 : (uint)_comparer.GetHashCode(item);
            for (int i = _buckets[hash % (uint)_buckets.Length] - 1; i >= 0; i = _entries[i].Next)
                if (_entries[i].HashCode == hash && _comparer.Equals(_entries[i].Value, item)) return i;
            return -1;
        }

        public bool Contains(T item) => FindItem(item) >= 0;

        public bool TryGetValue(T equalValue, out T actualValue)
        {
            int i = FindItem(equalValue);
            actualValue = i >= 0 ? _entries[i].Value : default;
            return i >= 0;
        }

        public bool Add(T item)
        {
            if (_buckets == null) Initialize(0);
            uint hash = item == null ? 0 : (uint)_comparer.GetHashCode(item);
            for (int i = _buckets[hash % (uint)_buckets.Length] - 1; i >= 0; i = _entries[i].Next)
                if (_entries[i].HashCode == hash && _comparer.Equals(_entries[i].Value, item)) return false;

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
            _entries[index].HashCode = hash;
            _entries[index].Next = bucket - 1;
            _entries[index].Value = item;
            bucket = index + 1;
            _version++;
            return true;
        }

        void ICollection<T>.Add(T item) => Add(item);

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

        public bool Remove(T item)
        {
            if (_buckets == null) return false;
            uint hash = item == null ? 0 : (uint)_comparer.GetHashCode(item);
            ref int bucket = ref _buckets[hash % (uint)_buckets.Length];
            int previous = -1;
            for (int i = bucket - 1; i >= 0; previous = i, i = _entries[i].Next)
            {
                if (_entries[i].HashCode != hash || !_comparer.Equals(_entries[i].Value, item)) continue;
                if (previous < 0) bucket = _entries[i].Next + 1;
                else _entries[previous].Next = _entries[i].Next;
                _entries[i].Next = FreeListStart - _freeList;
                _entries[i].Value = default;
                _freeList = i;
                _freeCount++;
                return true; // no version change: .NET allows Remove while enumerating
            }
            return false;
        }

        public int RemoveWhere(Predicate<T> match)
        {
            ArgumentNullException.ThrowIfNull(match, "match");
            int removed = 0;
            for (int i = 0; i < _count; i++)
            {
                if (_entries[i].Next < -1) continue;
                T value = _entries[i].Value;
                if (match(value) && Remove(value)) removed++;
            }
            return removed;
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

        public void UnionWith(IEnumerable<T> other)
        {
            ArgumentNullException.ThrowIfNull(other, "other");
            foreach (T item in other) Add(item);
        }

        public void IntersectWith(IEnumerable<T> other)
        {
            ArgumentNullException.ThrowIfNull(other, "other");
            var keep = new HashSet<T>(other, _comparer);
            RemoveWhere(item => !keep.Contains(item));
        }

        public void ExceptWith(IEnumerable<T> other)
        {
            ArgumentNullException.ThrowIfNull(other, "other");
            foreach (T item in other) Remove(item);
        }

        public void SymmetricExceptWith(IEnumerable<T> other)
        {
            ArgumentNullException.ThrowIfNull(other, "other");
            // As .NET: new items are added first and the common ones removed afterwards, which decides which
            // freed slots later additions reuse (and so the enumeration order).
            var common = new List<T>();
            foreach (T item in new HashSet<T>(other, _comparer))
                if (!Add(item)) common.Add(item);
            foreach (T item in common) Remove(item);
        }

        public bool IsSubsetOf(IEnumerable<T> other)
        {
            var set = new HashSet<T>(other, _comparer);
            foreach (T item in this) if (!set.Contains(item)) return false;
            return true;
        }

        public bool IsSupersetOf(IEnumerable<T> other)
        {
            ArgumentNullException.ThrowIfNull(other, "other");
            foreach (T item in other) if (!Contains(item)) return false;
            return true;
        }

        public bool IsProperSubsetOf(IEnumerable<T> other)
        {
            var set = new HashSet<T>(other, _comparer);
            return set.Count > Count && IsSubsetOf(set);
        }

        public bool IsProperSupersetOf(IEnumerable<T> other)
        {
            var set = new HashSet<T>(other, _comparer);
            return Count > set.Count && IsSupersetOf(set);
        }

        public bool Overlaps(IEnumerable<T> other)
        {
            ArgumentNullException.ThrowIfNull(other, "other");
            foreach (T item in other) if (Contains(item)) return true;
            return false;
        }

        public bool SetEquals(IEnumerable<T> other)
        {
            var set = new HashSet<T>(other, _comparer);
            return set.Count == Count && IsSupersetOf(set);
        }

        public void CopyTo(T[] array) => CopyTo(array, 0);

        public void CopyTo(T[] array, int arrayIndex)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            if (array.Length - arrayIndex < Count) throw new ArgumentException("Destination array is not long enough to copy all the items in the collection. Check array index and length.");
            foreach (T item in this) array[arrayIndex++] = item;
        }

        public Enumerator GetEnumerator() => new Enumerator(this);
        IEnumerator<T> IEnumerable<T>.GetEnumerator() => new Enumerator(this);
        IEnumerator IEnumerable.GetEnumerator() => new Enumerator(this);

        public struct Enumerator : IEnumerator<T>
        {
            private readonly HashSet<T> _set;
            private readonly int _version;
            private int _index;
            private T _current;

            internal Enumerator(HashSet<T> set)
            {
                _set = set;
                _version = set._version;
                _index = 0;
                _current = default;
            }

            public bool MoveNext()
            {
                if (_version != _set._version) List<int>.ThrowVersion();
                while ((uint)_index < (uint)_set._count)
                {
                    ref Entry entry = ref _set._entries[_index++];
                    if (entry.Next >= -1)
                    {
                        _current = entry.Value;
                        return true;
                    }
                }
                _index = _set._count + 1;
                _current = default;
                return false;
            }

            public T Current => _current;
            object IEnumerator.Current => _current;
            void IEnumerator.Reset() { _index = 0; _current = default; }
            public void Dispose() { }
        }
    }
}
