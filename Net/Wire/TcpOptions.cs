using System;

namespace Cosmos.Net.Wire
{
    /// <summary>
    /// The TCP options this stack reads and writes (RFC 9293 §3.1): MSS (RFC 6691), window scale and timestamps
    /// (RFC 7323 §2.2, §3.2), SACK-permitted and SACK blocks (RFC 2018 §2, §3). A plain struct with fixed fields,
    /// so parsing and emitting allocate nothing. Written 4-byte aligned with NOPs, in the order Linux uses
    /// (MSS, SACK-permitted with timestamps, window scale), at most 40 bytes.
    /// </summary>
    public struct TcpOptions
    {
        public const int MaxLength = 40;
        public const int MaxSackBlocks = 4;
        /// <summary>RFC 7323 §2.3: a shift above 14 is taken as 14.</summary>
        public const int MaxWindowScale = 14;

        public const byte KindEnd = 0, KindNop = 1, KindMss = 2, KindWindowScale = 3, KindSackPermitted = 4, KindSack = 5, KindTimestamps = 8;

        /// <summary>Maximum segment size, 0 when absent (SYN only).</summary>
        public ushort Mss;
        public bool HasWindowScale;
        /// <summary>The shift count (SYN only), clamped to <see cref="MaxWindowScale"/> when parsed.</summary>
        public byte WindowScale;
        public bool SackPermitted;
        public bool HasTimestamps;
        public uint TsVal, TsEcr;
        private int _sackCount;
        private uint _s0, _e0, _s1, _e1, _s2, _e2, _s3, _e3;

        public int SackBlockCount => _sackCount;

        public uint SackStart(int i) => i switch { 0 => _s0, 1 => _s1, 2 => _s2, _ => _s3 };
        public uint SackEnd(int i) => i switch { 0 => _e0, 1 => _e1, 2 => _e2, _ => _e3 };

        /// <summary>Adds a SACK block (left edge, right edge); false when four are already there.</summary>
        public bool AddSackBlock(uint start, uint end)
        {
            switch (_sackCount)
            {
                case 0: _s0 = start; _e0 = end; break;
                case 1: _s1 = start; _e1 = end; break;
                case 2: _s2 = start; _e2 = end; break;
                case 3: _s3 = start; _e3 = end; break;
                default: return false;
            }
            _sackCount++;
            return true;
        }

        public void ClearSackBlocks() => _sackCount = 0;

        /// <summary>How many SACK blocks fit beside the other options in 40 bytes: 4 alone, 3 with timestamps (RFC 2018 §3).</summary>
        public int SackRoom => Math.Min(MaxSackBlocks, (MaxLength - FixedLength - 4) / 8);

        /// <summary>Bytes of the options other than SACK blocks.</summary>
        private int FixedLength
        {
            get
            {
                int n = 0;
                if (Mss != 0) n += 4;
                if (HasTimestamps) n += 12;            // NOP NOP TS, or SACK-permitted TS
                else if (SackPermitted) n += 4;        // NOP NOP SACK-permitted
                if (HasWindowScale) n += 4;            // NOP WS
                return n;
            }
        }

        /// <summary>Bytes <see cref="Write"/> writes: a multiple of 4, at most 40 (SACK blocks that do not fit are left out).</summary>
        public int Length => FixedLength + (_sackCount == 0 ? 0 : 4 + 8 * Math.Min(_sackCount, SackRoom));

        /// <summary>Writes the options; returns <see cref="Length"/>.</summary>
        public int Write(Span<byte> b)
        {
            int at = 0;
            if (Mss != 0)
            {
                b[at] = KindMss; b[at + 1] = 4;
                NetworkOrder.Write16(b, at + 2, Mss);
                at += 4;
            }
            if (HasTimestamps)
            {
                if (SackPermitted) { b[at] = KindSackPermitted; b[at + 1] = 2; }
                else { b[at] = KindNop; b[at + 1] = KindNop; }
                b[at + 2] = KindTimestamps; b[at + 3] = 10;
                NetworkOrder.Write32(b, at + 4, TsVal);
                NetworkOrder.Write32(b, at + 8, TsEcr);
                at += 12;
            }
            else if (SackPermitted)
            {
                b[at] = KindNop; b[at + 1] = KindNop; b[at + 2] = KindSackPermitted; b[at + 3] = 2;
                at += 4;
            }
            if (HasWindowScale)
            {
                b[at] = KindNop; b[at + 1] = KindWindowScale; b[at + 2] = 3; b[at + 3] = WindowScale;
                at += 4;
            }
            int blocks = Math.Min(_sackCount, SackRoom);
            if (blocks > 0)
            {
                b[at] = KindNop; b[at + 1] = KindNop; b[at + 2] = KindSack; b[at + 3] = (byte)(2 + 8 * blocks);
                at += 4;
                for (int i = 0; i < blocks; i++)
                {
                    NetworkOrder.Write32(b, at, SackStart(i));
                    NetworkOrder.Write32(b, at + 4, SackEnd(i));
                    at += 8;
                }
            }
            return at;
        }

        /// <summary>
        /// Reads the options area of a header. Unknown kinds are skipped by their length; a malformed option (a length
        /// below 2 or past the end, or a known kind with the wrong length) ends the walk, keeping what came before it.
        /// </summary>
        public static TcpOptions Parse(ReadOnlySpan<byte> options)
        {
            var o = new TcpOptions();
            for (int at = 0; at < options.Length;)
            {
                byte kind = options[at];
                if (kind == KindEnd) break;
                if (kind == KindNop) { at++; continue; }
                if (at + 1 >= options.Length) break;
                int length = options[at + 1];
                if (length < 2 || at + length > options.Length) break;
                switch (kind)
                {
                    case KindMss:
                        if (length != 4) return o;
                        o.Mss = NetworkOrder.Read16(options, at + 2);
                        break;
                    case KindWindowScale:
                        if (length != 3) return o;
                        o.HasWindowScale = true;
                        o.WindowScale = (byte)Math.Min((int)options[at + 2], MaxWindowScale);
                        break;
                    case KindSackPermitted:
                        if (length != 2) return o;
                        o.SackPermitted = true;
                        break;
                    case KindTimestamps:
                        if (length != 10) return o;
                        o.HasTimestamps = true;
                        o.TsVal = NetworkOrder.Read32(options, at + 2);
                        o.TsEcr = NetworkOrder.Read32(options, at + 6);
                        break;
                    case KindSack:
                        if ((length - 2) % 8 != 0 || length < 10) return o;
                        for (int p = at + 2; p + 8 <= at + length; p += 8)
                            o.AddSackBlock(NetworkOrder.Read32(options, p), NetworkOrder.Read32(options, p + 4));
                        break;
                }
                at += length;
            }
            return o;
        }
    }
}
