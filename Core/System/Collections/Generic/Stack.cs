namespace System.Collections.Generic
{
    /// <summary>.NET's Stack&lt;T&gt;: an array that doubles when full; enumeration runs from the top down.</summary>
    public class Stack<T> : IReadOnlyCollection<T>, ICollection
    {
        private T[] _array;
        private int _size;
        private int _version;

        public Stack() { _array = EmptyArray<T>.Value; }

        public Stack(int capacity)
        {
            if (capacity < 0) throw new ArgumentOutOfRangeException("capacity", "Non-negative number required.");
            _array = new T[capacity];
        }

        public Stack(IEnumerable<T> collection) : this()
        {
            ArgumentNullException.ThrowIfNull(collection, "collection");
            foreach (T item in collection) Push(item);
        }

        public int Count => _size;
        bool ICollection.IsSynchronized => false;
        object ICollection.SyncRoot => this;

        public void Push(T item)
        {
            if (_size == _array.Length)
            {
                var grown = new T[_array.Length == 0 ? 4 : 2 * _array.Length];
                for (int i = 0; i < _size; i++) grown[i] = _array[i];
                _array = grown;
            }
            _array[_size++] = item;
            _version++;
        }

        public T Pop()
        {
            if (_size == 0) ThrowEmpty();
            T item = _array[--_size];
            _array[_size] = default;
            _version++;
            return item;
        }

        public bool TryPop(out T result)
        {
            if (_size == 0) { result = default; return false; }
            result = Pop();
            return true;
        }

        public T Peek()
        {
            if (_size == 0) ThrowEmpty();
            return _array[_size - 1];
        }

        public bool TryPeek(out T result)
        {
            result = _size == 0 ? default : _array[_size - 1];
            return _size != 0;
        }

        public bool Contains(T item) => _size != 0 && Array.LastIndexOf(ToArray(), item) >= 0;

        public void Clear()
        {
            for (int i = 0; i < _size; i++) _array[i] = default;
            _size = 0;
            _version++;
        }

        /// <summary>Top first, as enumeration and .NET's ToArray give them.</summary>
        public T[] ToArray()
        {
            var array = new T[_size];
            for (int i = 0; i < _size; i++) array[i] = _array[_size - 1 - i];
            return array;
        }

        public void CopyTo(T[] array, int arrayIndex)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            for (int i = 0; i < _size; i++) array[arrayIndex + i] = _array[_size - 1 - i];
        }

        void ICollection.CopyTo(Array array, int index) => Array.Copy(ToArray(), 0, array, index, _size);

        private static void ThrowEmpty() => throw new InvalidOperationException("Stack empty.");

        // Queue and Stack word this differently from List and Dictionary on .NET.
        private static void ThrowVersion() => throw new InvalidOperationException("Collection was modified after the enumerator was instantiated.");

        public Enumerator GetEnumerator() => new Enumerator(this);
        IEnumerator<T> IEnumerable<T>.GetEnumerator() => new Enumerator(this);
        IEnumerator IEnumerable.GetEnumerator() => new Enumerator(this);

        public struct Enumerator : IEnumerator<T>
        {
            private readonly Stack<T> _stack;
            private readonly int _version;
            private int _index; // -2 before the start, -1 after the end
            private T _current;

            internal Enumerator(Stack<T> stack)
            {
                _stack = stack;
                _version = stack._version;
                _index = -2;
                _current = default;
            }

            public bool MoveNext()
            {
                if (_version != _stack._version) ThrowVersion();
                if (_index == -2) _index = _stack._size - 1;
                else if (_index >= 0) _index--;
                if (_index < 0)
                {
                    _index = -1;
                    _current = default;
                    return false;
                }
                _current = _stack._array[_index];
                return true;
            }

            public T Current
            {
                get
                {
                    if (_index < 0) throw new InvalidOperationException(_index == -2 ? "Enumeration has not started. Call MoveNext." : "Enumeration already finished.");
                    return _current;
                }
            }

            object IEnumerator.Current => Current;
            void IEnumerator.Reset() { _index = -2; _current = default; }
            public void Dispose() { _index = -1; _current = default; }
        }
    }
}
