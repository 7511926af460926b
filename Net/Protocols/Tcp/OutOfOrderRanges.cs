using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// The receiver's record of data that arrived beyond RCV.NXT (RFC 9293 §3.10.7.4 lets a receiver keep it): at most
    /// <see cref="Capacity"/> disjoint sequence ranges, merged as they touch, kept in the order they were last
    /// extended so the SACK blocks (RFC 2018 §4) name the most recent first. The bytes themselves are in the receive
    /// ring; this only knows where.
    /// </summary>
    public sealed class OutOfOrderRanges
    {
        public const int Capacity = 8;
        private readonly uint[] _start = new uint[Capacity];
        private readonly uint[] _end = new uint[Capacity];   // exclusive
        private int _count;

        public int Count => _count;
        public uint Start(int i) => _start[i];
        public uint End(int i) => _end[i];

        public void Clear() => _count = 0;

        /// <summary>
        /// Whether [start, end) can be recorded: it touches a range already kept, or there is room for one more.
        /// Check before storing the bytes, so nothing is stored that would not be remembered.
        /// </summary>
        public bool CanAdd(uint start, uint end)
        {
            if (_count < Capacity) return true;
            for (int i = 0; i < _count; i++) if (Seq.Le(start, _end[i]) && Seq.Ge(end, _start[i])) return true;
            return false;
        }

        /// <summary>Records [start, end), merging every range it touches into one that becomes the most recent.</summary>
        public bool Add(uint start, uint end)
        {
            if (!Seq.Lt(start, end)) return false;
            if (!CanAdd(start, end)) return false;
            // Merge every touching range into [start, end), removing it from the list.
            for (int i = 0; i < _count;)
            {
                if (Seq.Le(start, _end[i]) && Seq.Ge(end, _start[i]))
                {
                    if (Seq.Lt(_start[i], start)) start = _start[i];
                    if (Seq.Gt(_end[i], end)) end = _end[i];
                    RemoveAt(i);
                }
                else i++;
            }
            // Insert at the front (most recent first).
            for (int i = _count; i > 0; i--) { _start[i] = _start[i - 1]; _end[i] = _end[i - 1]; }
            _start[0] = start;
            _end[0] = end;
            _count++;
            return true;
        }

        private void RemoveAt(int i)
        {
            for (int k = i; k < _count - 1; k++) { _start[k] = _start[k + 1]; _end[k] = _end[k + 1]; }
            _count--;
        }

        /// <summary>
        /// RCV.NXT advanced to <paramref name="rcvNxt"/>: ranges it reached become in order. Returns the new RCV.NXT
        /// (the end of the last range joined), and drops ranges wholly below it.
        /// </summary>
        public uint Advance(uint rcvNxt)
        {
            bool progress = true;
            while (progress)
            {
                progress = false;
                for (int i = 0; i < _count; i++)
                {
                    if (Seq.Gt(_start[i], rcvNxt)) continue;
                    if (Seq.Gt(_end[i], rcvNxt)) rcvNxt = _end[i];
                    RemoveAt(i);
                    progress = true;
                    break;
                }
            }
            return rcvNxt;
        }

        /// <summary>The highest sequence number kept (exclusive), or <paramref name="rcvNxt"/> when nothing is.</summary>
        public uint HighestEnd(uint rcvNxt)
        {
            uint high = rcvNxt;
            for (int i = 0; i < _count; i++) if (Seq.Gt(_end[i], high)) high = _end[i];
            return high;
        }

        /// <summary>
        /// Adds the SACK blocks to <paramref name="options"/>, the most recently extended first (RFC 2018 §4: the
        /// first block holds the segment that triggered this ACK, the rest repeat the latest reported blocks),
        /// as many as fit.
        /// </summary>
        public void FillSackBlocks(ref TcpOptions options)
        {
            int room = options.SackRoom;
            for (int i = 0; i < _count && options.SackBlockCount < room; i++) options.AddSackBlock(_start[i], _end[i]);
        }
    }
}
