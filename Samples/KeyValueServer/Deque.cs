using System;

namespace KeyValueServer
{
    /// <summary>A list with O(1) push and pop at both ends (a growable ring), for LPUSH/RPUSH/LPOP/RPOP.</summary>
    public sealed class Deque<T>
    {
        private T[] _items = new T[8];
        private int _head, _count;

        public int Count => _count;

        public T this[int index] => _items[(_head + index) % _items.Length];

        public void PushFront(T item)
        {
            Grow();
            _head = (_head - 1 + _items.Length) % _items.Length;
            _items[_head] = item;
            _count++;
        }

        public void PushBack(T item)
        {
            Grow();
            _items[(_head + _count) % _items.Length] = item;
            _count++;
        }

        public T PopFront()
        {
            T item = _items[_head];
            _items[_head] = default;
            _head = (_head + 1) % _items.Length;
            _count--;
            return item;
        }

        public T PopBack()
        {
            int at = (_head + _count - 1) % _items.Length;
            T item = _items[at];
            _items[at] = default;
            _count--;
            return item;
        }

        private void Grow()
        {
            if (_count < _items.Length) return;
            var larger = new T[_items.Length * 2];
            for (int i = 0; i < _count; i++) larger[i] = _items[(_head + i) % _items.Length];
            _items = larger;
            _head = 0;
        }
    }
}
