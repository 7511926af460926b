namespace Internal.Runtime.ExceptionHandling
{
    /// <summary>
    /// The binary-search table ld writes into .eh_frame_hdr (ld --eh-frame-hdr; LSB 5.0 §10.6.2): a version byte,
    /// three encoding bytes, the .eh_frame pointer, the entry count, then (initial location, FDE address) pairs
    /// sorted by location. It answers "which FDE covers this code address" in log2(FDEs) steps and costs
    /// nothing until an exception is thrown.
    /// </summary>
    public readonly unsafe struct EhFrameSearchTable
    {
        private readonly byte* _header;
        private readonly byte* _table;
        private readonly uint _count;
        private readonly byte _tableEncoding;

        public uint Count => _count;
        public bool IsValid => _table != null;

        public EhFrameSearchTable(byte* header)
        {
            _header = null;
            _table = null;
            _count = 0;
            _tableEncoding = 0;
            if (header == null || header[0] != 1) return;
            byte frameEncoding = header[1], countEncoding = header[2], tableEncoding = header[3];
            byte* p = header + 4;
            if (!DwarfEncoding.TryReadPointer(ref p, frameEncoding, (ulong)header, out _)) return;
            if (!DwarfEncoding.TryReadPointer(ref p, countEncoding, (ulong)header, out ulong count)) return;
            // Only the fixed-size datarel sdata4 table is searchable by halving; it is what ld writes.
            if (tableEncoding != (DwarfEncoding.PeDataRelative | DwarfEncoding.PeSdata4)) return;
            _header = header;
            _table = p;
            _count = (uint)count;
            _tableEncoding = tableEncoding;
        }

        /// <summary>Address of the code covered by entry i (its FDE's initial location).</summary>
        public ulong InitialLocation(uint index) => (ulong)_header + (ulong)(long)((int*)_table)[2 * index];

        public byte* Fde(uint index) => _header + ((int*)_table)[2 * index + 1];

        /// <summary>
        /// The FDE with the highest initial location at or below <paramref name="pc"/>; the caller checks that
        /// the FDE's range really covers pc (gaps between methods belong to nobody).
        /// </summary>
        public byte* FindCandidate(ulong pc)
        {
            if (_table == null || _count == 0) return null;
            uint lo = 0, hi = _count;
            while (hi - lo > 1)
            {
                uint mid = lo + (hi - lo) / 2;
                if (InitialLocation(mid) <= pc) lo = mid; else hi = mid;
            }
            return InitialLocation(lo) <= pc ? Fde(lo) : null;
        }
    }
}
