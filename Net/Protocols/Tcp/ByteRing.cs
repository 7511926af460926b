using System;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// A ring of bytes (a connection's send or receive buffer) whose storage is blocks lent by a
    /// <see cref="TcpBufferPool"/>: a block is taken when bytes are first written in its part of the ring and given
    /// back when the read position has passed it, so an empty ring holds nothing. Positions are offsets from the
    /// ring's head (the oldest byte). Besides the <see cref="Count"/> bytes that are in order, bytes may be stored
    /// further on (<see cref="WriteAt"/>, for out-of-order segments) up to <see cref="Capacity"/>.
    /// </summary>
    public sealed class ByteRing
    {
        private const int BlockSize = TcpBufferPool.BlockSize;
        private readonly TcpBufferPool _pool;
        private readonly BufferAccount _account;
        private const ushort NoBlock = 0xFFFF;
        private readonly ushort[] _blocks; // per slot of the ring: the pool block, or NoBlock (the pool has fewer than 65,535)
        private int _head;                // ring position of offset 0
        private int _count;               // bytes in order from the head
        private int _extent;              // bytes from the head that may hold data (>= _count)
        private int _held;                // slots holding a block: Clear stops once it has given back this many

        public ByteRing(TcpBufferPool pool, BufferAccount account, int capacity)
        {
            _pool = pool;
            _account = account;
            int slots = (capacity + BlockSize - 1) / BlockSize;
            _blocks = new ushort[slots];
            for (int i = 0; i < slots; i++) _blocks[i] = NoBlock;
            Capacity = slots * BlockSize;
        }

        public int Capacity { get; }
        public int Count => _count;
        public int BlocksHeld => _held;

        /// <summary>
        /// Bytes that could be appended now: the ring's room, limited by the blocks already held past the in-order
        /// bytes and those the pool would still lend to this connection.
        /// </summary>
        public int Writable
        {
            get
            {
                int room = Capacity - _count;
                int heldAhead = HeldBytesFrom(_count);
                long lendable = heldAhead + (long)_pool.Available(_account) * BlockSize;
                return (int)Math.Min(room, lendable);
            }
        }

        /// <summary>
        /// Bytes that may be promised to a peer beyond the in-order bytes (the receive window): the ring's room, limited
        /// by the blocks held past them and this ring's share of the pool (<see cref="TcpBufferPool.Promisable"/>).
        /// </summary>
        public int Promisable
        {
            get
            {
                int room = Capacity - _count;
                long lendable = HeldBytesFrom(_count) + (long)_pool.Promisable(_account) * BlockSize;
                return (int)Math.Min(room, lendable);
            }
        }

        /// <summary>Bytes from offset <paramref name="from"/> on that already have storage (the rest of their blocks and whole blocks after).</summary>
        private int HeldBytesFrom(int from)
        {
            int bytes = 0;
            for (int offset = from; offset < Capacity;)
            {
                int position = (_head + offset) % Capacity;
                int inBlock = BlockSize - position % BlockSize;
                if (_blocks[position / BlockSize] == NoBlock) break;
                bytes += Math.Min(inBlock, Capacity - offset);
                offset += inBlock;
            }
            return bytes;
        }

        /// <summary>Appends after the in-order bytes; returns how many fit (fewer when the ring or the pool runs out).</summary>
        public int Append(ReadOnlySpan<byte> data)
        {
            int n = Math.Min(data.Length, Capacity - _count);
            n = Store(_count, data.Slice(0, n), partial: true);
            _count += n;
            if (_extent < _count) _extent = _count;
            return n;
        }

        /// <summary>
        /// Stores bytes at <paramref name="offset"/> from the head (at or past <see cref="Count"/>) without making them
        /// in order; false, storing nothing useful, when the ring or the pool cannot hold all of them.
        /// </summary>
        public bool WriteAt(int offset, ReadOnlySpan<byte> data)
        {
            if (offset < _count || offset + data.Length > Capacity) return false;
            if (Store(offset, data, partial: false) < data.Length) return false;
            if (_extent < offset + data.Length) _extent = offset + data.Length;
            return true;
        }

        /// <summary>Makes <paramref name="n"/> bytes stored by <see cref="WriteAt"/> right after the in-order bytes in order.</summary>
        public void Commit(int n)
        {
            _count += n;
            if (_extent < _count) _extent = _count;
        }

        /// <summary>Copies bytes at <paramref name="offset"/> from the head without consuming them.</summary>
        public void Peek(int offset, Span<byte> destination)
        {
            for (int done = 0; done < destination.Length;)
            {
                int position = (_head + offset + done) % Capacity;
                int inBlock = Math.Min(BlockSize - position % BlockSize, destination.Length - done);
                int block = _blocks[position / BlockSize];
                if (block != NoBlock) _pool.Block(block).Slice(position % BlockSize, inBlock).CopyTo(destination.Slice(done, inBlock));
                else destination.Slice(done, inBlock).Clear();
                done += inBlock;
            }
        }

        /// <summary>
        /// The in-order bytes from <paramref name="offset"/> on that lie in one block, as a view into the ring (no copy);
        /// empty at or past <see cref="Count"/>. Valid until the ring is next consumed or cleared.
        /// </summary>
        public ReadOnlySpan<byte> PeekContiguous(int offset)
        {
            if (offset < 0 || offset >= _count) return default;
            int position = (_head + offset) % Capacity;
            int block = _blocks[position / BlockSize];
            if (block == NoBlock) return default;
            int inBlock = Math.Min(BlockSize - position % BlockSize, _count - offset);
            return _pool.Block(block).Slice(position % BlockSize, inBlock);
        }

        /// <summary>Copies out and consumes up to <paramref name="destination"/>.Length in-order bytes.</summary>
        public int Read(Span<byte> destination)
        {
            int n = Math.Min(destination.Length, _count);
            Peek(0, destination.Slice(0, n));
            Consume(n);
            return n;
        }

        /// <summary>Drops <paramref name="n"/> in-order bytes from the head, giving back blocks no longer used.</summary>
        public void Consume(int n)
        {
            if (n <= 0) return;
            if (n > _count) n = _count;
            int oldHead = _head;
            _head = (_head + n) % Capacity;
            _count -= n;
            _extent -= n;
            if (_extent == 0) { _head = oldHead; Clear(); return; } // Clear's walk starts at the bytes just consumed
            // The slots the head moved across (and the one it left), unless the live bytes wrapped round into them.
            int passed = Math.Min((n + oldHead % BlockSize) / BlockSize + 1, _blocks.Length);
            for (int i = 0; i < passed; i++)
            {
                int slot = (oldHead / BlockSize + i) % _blocks.Length;
                if (_blocks[slot] != NoBlock && !IsLive(slot)) GiveBack(slot);
            }
        }

        /// <summary>
        /// Forgets everything stored and gives every block back. It looks at slots from the head's on and stops at the
        /// last held block: a ring that empties after each small request (every keep-alive exchange) holds one or two
        /// blocks, and walking all its slots each time was 8 % of a key-value server's guest time under TCG.
        /// </summary>
        public void Clear()
        {
            for (int i = 0, slot = _head / BlockSize; _held > 0 && i < _blocks.Length; i++, slot = slot + 1 == _blocks.Length ? 0 : slot + 1)
                if (_blocks[slot] != NoBlock) GiveBack(slot);
            _head = _count = _extent = 0;
        }

        private void GiveBack(int slot)
        {
            _pool.Give(_account, _blocks[slot]);
            _blocks[slot] = NoBlock;
            _held--;
        }

        /// <summary>Forgets bytes stored past the in-order ones and gives back the blocks only they used.</summary>
        public void DropBeyondCount()
        {
            _extent = _count;
            if (_extent == 0) { Clear(); return; }
            for (int slot = 0; slot < _blocks.Length; slot++)
                if (_blocks[slot] != NoBlock && !IsLive(slot)) GiveBack(slot);
        }

        /// <summary>Whether any byte of slot <paramref name="slot"/> lies in [head, head + extent) round the ring.</summary>
        private bool IsLive(int slot)
        {
            int start = slot * BlockSize;
            int relative = (start - _head + Capacity) % Capacity;     // offset of the slot's first byte from the head
            if (relative + BlockSize > Capacity)                      // the slot holds the head: bytes at offsets 0.. and ..Capacity
                return _extent > 0;
            return relative < _extent;
        }

        /// <summary>Copies into the ring at an offset, taking blocks as needed; returns bytes stored (all, unless <paramref name="partial"/> and the pool ran out).</summary>
        private int Store(int offset, ReadOnlySpan<byte> data, bool partial)
        {
            int done = 0;
            while (done < data.Length)
            {
                int position = (_head + offset + done) % Capacity;
                int slot = position / BlockSize;
                if (_blocks[slot] == NoBlock)
                {
                    int block = _pool.Take(_account);
                    if (block < 0) return done;
                    _blocks[slot] = (ushort)block;
                    _held++;
                }
                int inBlock = Math.Min(BlockSize - position % BlockSize, data.Length - done);
                data.Slice(done, inBlock).CopyTo(_pool.Block(_blocks[slot]).Slice(position % BlockSize, inBlock));
                done += inBlock;
            }
            return done;
        }
    }
}
