using System;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// The memory every TCP connection buffers in: fixed blocks of <see cref="BlockSize"/> bytes, all allocated at
    /// start-up (in chunks of <see cref="BlocksPerChunk"/>, so no large contiguous run is needed) and lent to
    /// connections' send and receive rings on demand, so an idle connection holds none and a busy one up to its
    /// ring's capacity. Each ring of an open connection has an account guaranteed <see cref="BufferAccount.Guarantee"/>
    /// blocks (reserved when it opens; a connection whose rings cannot be guaranteed is not opened); beyond that, the
    /// rings share what is neither lent nor reserved. Nothing here allocates after the constructor.
    /// </summary>
    public sealed class TcpBufferPool
    {
        public const int BlockSize = 2048;
        // 63 blocks and the array header fit 32 pages exactly (64 would take a 33rd page for the header).
        public const int BlocksPerChunk = 63;
        private readonly byte[][] _chunks;
        private readonly ushort[] _freeStack;
        private int _free, _reserved, _openAccounts;

        /// <summary>Allocations refused because the pool had nothing unreserved left.</summary>
        public long Exhausted;

        public TcpBufferPool(int blocks)
        {
            if (blocks < 1) blocks = 1;
            if (blocks > 65535) blocks = 65535;  // block numbers fit a ushort, 0xFFFF left for "none"
            int chunks = (blocks + BlocksPerChunk - 1) / BlocksPerChunk;
            _chunks = new byte[chunks][];
            for (int i = 0; i < chunks; i++)
                _chunks[i] = new byte[Math.Min(BlocksPerChunk, blocks - i * BlocksPerChunk) * BlockSize];
            _freeStack = new ushort[blocks];
            for (int i = 0; i < blocks; i++) _freeStack[i] = (ushort)(blocks - 1 - i);
            _free = blocks;
            TotalBlocks = blocks;
        }

        public int TotalBlocks { get; }
        public int FreeBlocks => _free;
        public int ReservedBlocks => _reserved;
        /// <summary>Free blocks no open connection has been promised.</summary>
        public int UnreservedBlocks => _free - _reserved;
        public long TotalBytes => (long)TotalBlocks * BlockSize;

        /// <summary>The bytes of block <paramref name="block"/>.</summary>
        public Span<byte> Block(int block) => new Span<byte>(_chunks[block / BlocksPerChunk], block % BlocksPerChunk * BlockSize, BlockSize);

        /// <summary>Promises <paramref name="guarantee"/> blocks to a connection that opens; false when they cannot be promised.</summary>
        public bool Open(BufferAccount account, int guarantee)
        {
            if (UnreservedBlocks < guarantee) return false;
            _reserved += guarantee;
            _openAccounts++;
            account.Guarantee = guarantee;
            account.Held = 0;
            return true;
        }

        /// <summary>Ends a connection's promise; its blocks must have been given back.</summary>
        public void Close(BufferAccount account)
        {
            _reserved -= Math.Max(0, account.Guarantee - account.Held);
            if (account.Guarantee > 0) _openAccounts--;
            account.Guarantee = 0;
        }

        /// <summary>Blocks <paramref name="account"/> could still take: what is left of its guarantee, and the unreserved rest.</summary>
        public int Available(BufferAccount account) => Math.Max(0, account.Guarantee - account.Held) + UnreservedBlocks;

        /// <summary>
        /// Blocks <paramref name="account"/> may promise a peer (a receive window): what is left of its guarantee and an
        /// even share of the unreserved rest, so open connections together promise about what the pool has.
        /// </summary>
        public int Promisable(BufferAccount account) =>
            Math.Max(0, account.Guarantee - account.Held) + UnreservedBlocks / Math.Max(1, _openAccounts);

        /// <summary>Lends a block; -1 when the account is past its guarantee and nothing unreserved is left.</summary>
        public int Take(BufferAccount account)
        {
            if (account.Held < account.Guarantee) _reserved--;
            else if (UnreservedBlocks <= 0) { Exhausted++; return -1; }
            account.Held++;
            return _freeStack[--_free];
        }

        public void Give(BufferAccount account, int block)
        {
            _freeStack[_free++] = (ushort)block;
            account.Held--;
            if (account.Held < account.Guarantee) _reserved++;
        }
    }

    /// <summary>One ring's standing with the pool: blocks it holds and blocks it was promised.</summary>
    public sealed class BufferAccount
    {
        public int Held;
        public int Guarantee;
    }
}
