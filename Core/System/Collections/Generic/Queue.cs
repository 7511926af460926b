namespace System.Collections.Generic
{
    /// <summary>.NET's Queue&lt;T&gt;: a circular buffer that doubles when full; enumeration runs from head to tail.</summary>
    public class Queue<T> : IReadOnlyCollection<T>, ICollection
    {
        private T[] _array;
        private int _head;
        private int _size;
        private int _version;

        public Queue() { _array = EmptyArray<T>.Value; }

        public Queue(int capacity)
        {
            if (capacity < 0) throw new ArgumentOutOfRangeException("capacity", "Non-negative number required.");
            _array = new T[capacity];
        }

        public Queue(IEnumerable<T> collection) : this()
        {
            ArgumentNullException.ThrowIfNull(collection, "collection");
            foreach (T item in collection) Enqueue(item);
        }

        public int Count => _size;
        bool ICollection.IsSynchronized => false;
        object ICollection.SyncRoot => this;

        public void Enqueue(T item)
        {
            if (_size == _array.Length) Grow(_size + 1);
            _array[(_head + _size) % _array.Length] = item;
            _size++;
            _version++;
        }

        public T Dequeue()
        {
            if (_size == 0) ThrowEmpty();
            T item = _array[_head];
            _array[_head] = default;
            _head = (_head + 1) % _array.Length;
            _size--;
            _version++;
            return item;
        }

        public bool TryDequeue(out T result)
        {
            if (_size == 0) { result = default; return false; }
            result = Dequeue();
            return true;
        }

        public T Peek()
        {
            if (_size == 0) ThrowEmpty();
            return _array[_head];
        }

        public bool TryPeek(out T result)
        {
            result = _size == 0 ? default : _array[_head];
            return _size != 0;
        }

        public bool Contains(T item)
        {
            EqualityComparer<T> comparer = EqualityComparer<T>.Default;
            for (int i = 0; i < _size; i++) if (comparer.Equals(_array[(_head + i) % _array.Length], item)) return true;
            return false;
        }

        public void Clear()
        {
            for (int i = 0; i < _size; i++) _array[(_head + i) % _array.Length] = default;
            _head = 0;
            _size = 0;
            _version++;
        }

        public T[] ToArray()
        {
            var array = new T[_size];
            for (int i = 0; i < _size; i++) array[i] = _array[(_head + i) % _array.Length];
            return array;
        }

        public void CopyTo(T[] array, int arrayIndex)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            for (int i = 0; i < _size; i++) array[arrayIndex + i] = _array[(_head + i) % _array.Length];
        }

        void ICollection.CopyTo(Array array, int index) => Array.Copy(ToArray(), 0, array, index, _size);

        public void TrimExcess()
        {
            if (_size < (int)(_array.Length * 0.9)) SetCapacity(_size);
        }

        public int EnsureCapacity(int capacity)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(capacity, "capacity");
            if (_array.Length < capacity) Grow(capacity);
            return _array.Length;
        }

        private void Grow(int needed)
        {
            int capacity = 2 * _array.Length;
            if (capacity < _array.Length + 4) capacity = _array.Length + 4;
            if (capacity < needed) capacity = needed;
            SetCapacity(capacity);
        }

        private void SetCapacity(int capacity)
        {
            T[] array = ToArray();
            _array = new T[capacity];
            for (int i = 0; i < array.Length; i++) _array[i] = array[i];
            _head = 0;
            _version++;
        }

        private static void ThrowEmpty() => throw new InvalidOperationException("Queue empty.");

        // Queue and Stack word this differently from List and Dictionary on .NET.
        private static void ThrowVersion() => throw new InvalidOperationException("Collection was modified after the enumerator was instantiated.");

        public Enumerator GetEnumerator() => new Enumerator(this);
        IEnumerator<T> IEnumerable<T>.GetEnumerator() => new Enumerator(this);
        IEnumerator IEnumerable.GetEnumerator() => new Enumerator(this);

        public struct Enumerator : IEnumerator<T>
        {
            private readonly Queue<T> _queue;
            private readonly int _version;
            private int _index; // -1 before the start, -2 after the end
            private T _current;

            internal Enumerator(Queue<T> queue)
            {
                _queue = queue;
                _version = queue._version;
                _index = -1;
                _current = default;
            }

            public bool MoveNext()
            {
                if (_version != _queue._version) ThrowVersion();
                if (_index == -2) return false;
                _index++;
                if (_index == _queue._size)
                {
                    _index = -2;
                    _current = default;
                    return false;
                }
                _current = _queue._array[(_queue._head + _index) % _queue._array.Length];
                return true;
            }

            /// <summary>As .NET: the typed Current does not check (default before the start); IEnumerator.Current does.</summary>
            public T Current => _current;

            object IEnumerator.Current
            {
                get
                {
                    if (_index < 0) throw new InvalidOperationException(_index == -1 ? "Enumeration has not started. Call MoveNext." : "Enumeration already finished.");
                    return _current;
                }
            }
            void IEnumerator.Reset() { _index = -1; _current = default; }
            public void Dispose() { _index = -2; _current = default; }
        }
    }
}
