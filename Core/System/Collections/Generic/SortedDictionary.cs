namespace System.Collections.Generic
{
    /// <summary>
    /// .NET's SortedDictionary&lt;TKey,TValue&gt;: pairs kept in key order. .NET uses a red-black tree; this one keeps
    /// the sorted arrays of <see cref="SortedList{TKey,TValue}"/> (same results and order, O(n) insertion), which suits
    /// the small maps kernel code keeps.
    /// </summary>
    public class SortedDictionary<TKey, TValue> : IDictionary<TKey, TValue>, IReadOnlyDictionary<TKey, TValue>
    {
        private readonly SortedList<TKey, TValue> _items;

        public SortedDictionary() : this((IComparer<TKey>)null) { }
        public SortedDictionary(IComparer<TKey> comparer) { _items = new SortedList<TKey, TValue>(comparer); }

        public SortedDictionary(IDictionary<TKey, TValue> dictionary) : this(dictionary, null) { }

        public SortedDictionary(IDictionary<TKey, TValue> dictionary, IComparer<TKey> comparer) : this(comparer)
        {
            ArgumentNullException.ThrowIfNull(dictionary, "dictionary");
            foreach (KeyValuePair<TKey, TValue> pair in dictionary) Add(pair.Key, pair.Value);
        }

        public IComparer<TKey> Comparer => _items.Comparer;
        public int Count => _items.Count;
        bool ICollection<KeyValuePair<TKey, TValue>>.IsReadOnly => false;

        public TValue this[TKey key]
        {
            get => _items[key];
            set => _items[key] = value;
        }

        public ICollection<TKey> Keys => _items.Keys;
        public ICollection<TValue> Values => _items.Values;
        IEnumerable<TKey> IReadOnlyDictionary<TKey, TValue>.Keys => _items.Keys;
        IEnumerable<TValue> IReadOnlyDictionary<TKey, TValue>.Values => _items.Values;

        public void Add(TKey key, TValue value) => _items.Add(key, value);
        void ICollection<KeyValuePair<TKey, TValue>>.Add(KeyValuePair<TKey, TValue> pair) => _items.Add(pair.Key, pair.Value);
        public bool TryAdd(TKey key, TValue value) => _items.TryAdd(key, value);
        public bool ContainsKey(TKey key) => _items.ContainsKey(key);
        public bool ContainsValue(TValue value) => _items.ContainsValue(value);
        bool ICollection<KeyValuePair<TKey, TValue>>.Contains(KeyValuePair<TKey, TValue> pair) => ((ICollection<KeyValuePair<TKey, TValue>>)_items).Contains(pair);
        public bool TryGetValue(TKey key, out TValue value) => _items.TryGetValue(key, out value);
        public bool Remove(TKey key) => _items.Remove(key);
        bool ICollection<KeyValuePair<TKey, TValue>>.Remove(KeyValuePair<TKey, TValue> pair) => ((ICollection<KeyValuePair<TKey, TValue>>)_items).Remove(pair);
        public void Clear() => _items.Clear();
        public void CopyTo(KeyValuePair<TKey, TValue>[] array, int index) => _items.CopyTo(array, index);

        public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => _items.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
    }
}
