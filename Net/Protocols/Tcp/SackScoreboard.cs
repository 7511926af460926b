using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// The data sender's SACK scoreboard (RFC 6675 §3-4): which octets above the cumulative ACK (HighACK) the
    /// receiver has reported holding, as sorted disjoint ranges, and from it IsLost, the pipe estimate (SetPipe)
    /// and the next segment to retransmit (NextSeg). Blocks outside [SND.UNA, SND.MAX) are ignored (RFC 2018 §3:
    /// they are D-SACKs or forged). Keeps at most <see cref="Capacity"/> ranges; beyond that the highest are
    /// forgotten, which only makes the sender retransmit something the receiver has.
    /// </summary>
    public sealed class SackScoreboard
    {
        public const int Capacity = 8;
        private readonly uint[] _start = new uint[Capacity];
        private readonly uint[] _end = new uint[Capacity];   // exclusive
        private int _count;

        /// <summary>HighRxt: the end of the highest octet retransmitted during this recovery.</summary>
        public uint HighRxt;

        public int Count => _count;
        public bool IsEmpty => _count == 0;
        public uint Start(int i) => _start[i];
        public uint End(int i) => _end[i];

        public void Clear() => _count = 0;

        /// <summary>The end of the highest SACKed range (HighSACK + 1), or <paramref name="sndUna"/>.</summary>
        public uint HighestSacked(uint sndUna) => _count == 0 ? sndUna : _end[_count - 1];

        public int SackedBytes
        {
            get { int n = 0; for (int i = 0; i < _count; i++) n += (int)(_end[i] - _start[i]); return n; }
        }

        /// <summary>Takes the SACK blocks of an ACK; true when they reported octets not SACKed before.</summary>
        public bool Update(uint sndUna, uint sndMax, in TcpOptions options)
        {
            Advance(sndUna);
            bool news = false;
            for (int b = 0; b < options.SackBlockCount; b++)
            {
                uint s = options.SackStart(b), e = options.SackEnd(b);
                if (!Seq.Lt(s, e) || Seq.Lt(s, sndUna) || Seq.Gt(e, sndMax)) continue;
                news |= Insert(s, e);
            }
            return news;
        }

        /// <summary>Adds [s, e); true when some of it was not already SACKed.</summary>
        public bool Insert(uint s, uint e)
        {
            // Already wholly covered?
            for (int i = 0; i < _count; i++) if (Seq.Le(_start[i], s) && Seq.Ge(_end[i], e)) return false;
            // Merge with every range it touches.
            for (int i = 0; i < _count;)
            {
                if (Seq.Le(s, _end[i]) && Seq.Ge(e, _start[i]))
                {
                    if (Seq.Lt(_start[i], s)) s = _start[i];
                    if (Seq.Gt(_end[i], e)) e = _end[i];
                    RemoveAt(i);
                }
                else i++;
            }
            int at = 0;
            while (at < _count && Seq.Lt(_start[at], s)) at++;
            if (_count == Capacity)
            {
                if (at == Capacity) return true;  // above everything kept: forgotten (see the summary)
                _count--;                         // forget the highest range
            }
            for (int i = _count; i > at; i--) { _start[i] = _start[i - 1]; _end[i] = _end[i - 1]; }
            _start[at] = s;
            _end[at] = e;
            _count++;
            return true;
        }

        private void RemoveAt(int i)
        {
            for (int k = i; k < _count - 1; k++) { _start[k] = _start[k + 1]; _end[k] = _end[k + 1]; }
            _count--;
        }

        /// <summary>The cumulative ACK moved to <paramref name="sndUna"/>: ranges below it go, one straddling it is cut.</summary>
        public void Advance(uint sndUna)
        {
            while (_count > 0 && Seq.Le(_end[0], sndUna)) RemoveAt(0);
            if (_count > 0 && Seq.Lt(_start[0], sndUna)) _start[0] = sndUna;
            if (Seq.Lt(HighRxt, sndUna)) HighRxt = sndUna;
        }

        public bool IsSacked(uint seq)
        {
            for (int i = 0; i < _count; i++) if (Seq.Le(_start[i], seq) && Seq.Lt(seq, _end[i])) return true;
            return false;
        }

        /// <summary>
        /// RFC 6675 §4 IsLost(SeqNum): DupThresh discontiguous SACKed ranges lie above it, or more than
        /// (DupThresh - 1) * SMSS SACKed bytes do.
        /// </summary>
        public bool IsLost(uint seq, int smss)
        {
            int ranges = 0;
            long bytes = 0;
            for (int i = 0; i < _count; i++)
            {
                if (Seq.Le(_end[i], seq + 1)) continue;  // no octet of it is above seq
                ranges++;
                uint from = Seq.Gt(_start[i], seq) ? _start[i] : seq + 1;
                bytes += _end[i] - from;
            }
            return ranges >= CongestionControl.DuplicateThreshold || bytes > (long)(CongestionControl.DuplicateThreshold - 1) * smss;
        }

        /// <summary>
        /// RFC 6675 §4 SetPipe: octets in [SND.UNA, SND.MAX) not SACKed count once unless presumed lost, and once more
        /// if retransmitted (below HighRxt).
        /// </summary>
        public int Pipe(uint sndUna, uint sndMax, int smss)
        {
            long pipe = 0;
            uint at = sndUna;
            for (int i = 0; i <= _count; i++)
            {
                uint holeEnd = i < _count ? _start[i] : sndMax;
                if (Seq.Lt(at, holeEnd))
                {
                    // Within a hole the SACKed octets above are the same for every octet, so IsLost is too.
                    if (!IsLost(at, smss)) pipe += holeEnd - at;
                    if (Seq.Lt(at, HighRxt)) pipe += (Seq.Lt(HighRxt, holeEnd) ? HighRxt : holeEnd) - at;
                }
                if (i < _count && Seq.Gt(_end[i], at)) at = _end[i];
            }
            return (int)pipe;
        }

        /// <summary>
        /// RFC 6675 §4 NextSeg rule 1 (and rule 3 when <paramref name="lostOnly"/> is false): the first unSACKed octet
        /// above HighRxt and below the highest SACKed octet, presumed lost; up to one SMSS or the end of its hole.
        /// </summary>
        public bool NextRetransmission(uint sndUna, int smss, bool lostOnly, out uint start, out int length)
        {
            start = 0;
            length = 0;
            uint at = Seq.Gt(HighRxt, sndUna) ? HighRxt : sndUna;
            for (int i = 0; i < _count; i++)
            {
                uint holeEnd = _start[i];
                if (Seq.Lt(at, holeEnd) && (!lostOnly || IsLost(at, smss)))
                {
                    start = at;
                    length = (int)System.Math.Min((uint)smss, holeEnd - at);
                    return true;
                }
                if (Seq.Gt(_end[i], at)) at = _end[i];
            }
            return false;
        }
    }
}
