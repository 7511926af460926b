using System;

namespace Cosmos.Net.Services.Http
{
    /// <summary>
    /// Request-head buffers shared by all connections: one block of memory, allocated once, lent by index. A
    /// connection holds one only while it has bytes of a request not yet answered, so idle keep-alive connections
    /// cost no buffer. When all are lent, a connection's bytes wait in its TCP receive buffer (flow control) until
    /// one comes back; a lender gives it back within <see cref="HttpLimits.HeadTimeoutMs"/> at most.
    /// </summary>
    public sealed class HttpBufferPool
    {
        private readonly byte[] _memory;
        private readonly int[] _free;
        private readonly bool[] _lent;
        private int _freeCount;
        public int BufferSize { get; }
        public int Count { get; }
        public int Lent => Count - _freeCount;
        /// <summary>Most buffers ever lent at once.</summary>
        public int HighWater { get; private set; }

        public HttpBufferPool(int count, int bufferSize)
        {
            Count = count;
            BufferSize = bufferSize;
            _memory = new byte[count * bufferSize];
            _free = new int[count];
            _lent = new bool[count];
            for (int i = 0; i < count; i++) _free[i] = count - 1 - i;
            _freeCount = count;
        }

        public bool TryLease(out int index)
        {
            if (_freeCount == 0) { index = -1; return false; }
            index = _free[--_freeCount];
            _lent[index] = true;
            if (Lent > HighWater) HighWater = Lent;
            return true;
        }

        /// <summary>Takes a buffer back; an index not lent is ignored (never in the free list twice).</summary>
        public void Return(int index)
        {
            if ((uint)index >= (uint)Count || !_lent[index]) return;
            _lent[index] = false;
            _free[_freeCount++] = index;
        }

        public Span<byte> Buffer(int index) => _memory.AsSpan(index * BufferSize, BufferSize);
    }
}
