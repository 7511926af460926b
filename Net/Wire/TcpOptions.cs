using System;

namespace Cosmos.Net.Wire
{
    /// <summary>
    /// The TCP options this stack reads and writes (RFC 9293 §3.1, §3.2): MSS (RFC 6691), window scale and timestamps
    /// (RFC 7323 §2.2, §3.2), SACK-permitted and SACK blocks (RFC 2018 §2, §3). A plain struct with fixed fields,
    /// so parsing and emitting allocate nothing. Written 4-byte aligned with NOPs, in the order Linux uses
    /// (MSS, SACK-permitted with timestamps, window scale), at most 40 bytes.
    /// </summary>
    public struct TcpOptions
    {
        /// <summary>
        /// Where each part of an option starts, from the option's first byte: kind, length (of the whole option), then
        /// the value (RFC 9293 §3.2). Timestamps hold two Be32 (RFC 7323 §3.2); SACK a list of blocks of two Be32, left
        /// edge then right edge (RFC 2018 §3).
        /// </summary>
        public static class Field
        {
            public const int Kind = 0;
            public const int Length = 1;
            public const int Value = 2;                 // MSS: Be16; window scale: the shift byte; SACK: the first block
            public const int TsVal = 2, TsEcr = 6;      // timestamps: Be32 each
            public const int SackLeft = 0, SackRight = 4, SackBlock = 8; // within a SACK block: Be32 each
        }

        public const int MaxLength = 40;
        public const int MaxSackBlocks = 4;
        /// <summary>RFC 7323 §2.3: a shift above 14 is taken as 14.</summary>
        public const int MaxWindowScale = 14;

        public const byte KindEnd = 0, KindNop = 1, KindMss = 2, KindWindowScale = 3, KindSackPermitted = 4, KindSack = 5, KindTimestamps = 8;
        /// <summary>The length byte each fixed-size option must carry.</summary>
        public const int MssLength = 4, WindowScaleLength = 3, SackPermittedLength = 2, TimestampsLength = 10;

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

        public readonly int SackBlockCount => _sackCount;

        public readonly uint SackStart(int i) => i switch { 0 => _s0, 1 => _s1, 2 => _s2, _ => _s3 };
        public readonly uint SackEnd(int i) => i switch { 0 => _e0, 1 => _e1, 2 => _e2, _ => _e3 };

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
        public readonly int SackRoom => Math.Min(MaxSackBlocks, (MaxLength - FixedLength - 4) / 8);

        /// <summary>Bytes of the options other than SACK blocks.</summary>
        private readonly int FixedLength
        {
            get
            {
                int n = 0;
                if (Mss != 0) n += MssLength;
                if (HasTimestamps) n += 2 + TimestampsLength;       // NOP NOP TS, or SACK-permitted TS
                else if (SackPermitted) n += 2 + SackPermittedLength; // NOP NOP SACK-permitted
                if (HasWindowScale) n += 1 + WindowScaleLength;     // NOP WS
                return n;
            }
        }

        /// <summary>Bytes <see cref="Write"/> writes: a multiple of 4, at most 40 (SACK blocks that do not fit are left out).</summary>
        public readonly int Length => FixedLength + (_sackCount == 0 ? 0 : 2 + Field.Value + Field.SackBlock * Math.Min(_sackCount, SackRoom));

        /// <summary>Writes the options; returns <see cref="Length"/>.</summary>
        public readonly int Write(Span<byte> b)
        {
            int at = 0;
            if (Mss != 0)
            {
                Begin(b, at, KindMss, MssLength);
                Be16.Of(Mss).Write(b, at + Field.Value);
                at += MssLength;
            }
            if (HasTimestamps)
            {
                if (SackPermitted) { Begin(b, at, KindSackPermitted, SackPermittedLength); at += SackPermittedLength; }
                else at = Nops(b, at, 2);
                Begin(b, at, KindTimestamps, TimestampsLength);
                Be32.Of(TsVal).Write(b, at + Field.TsVal);
                Be32.Of(TsEcr).Write(b, at + Field.TsEcr);
                at += TimestampsLength;
            }
            else if (SackPermitted)
            {
                at = Nops(b, at, 2);
                Begin(b, at, KindSackPermitted, SackPermittedLength);
                at += SackPermittedLength;
            }
            if (HasWindowScale)
            {
                at = Nops(b, at, 1);
                Begin(b, at, KindWindowScale, WindowScaleLength);
                b[at + Field.Value] = WindowScale;
                at += WindowScaleLength;
            }
            int blocks = Math.Min(_sackCount, SackRoom);
            if (blocks > 0)
            {
                at = Nops(b, at, 2);
                Begin(b, at, KindSack, Field.Value + Field.SackBlock * blocks);
                at += Field.Value;
                for (int i = 0; i < blocks; i++)
                {
                    Be32.Of(SackStart(i)).Write(b, at + Field.SackLeft);
                    Be32.Of(SackEnd(i)).Write(b, at + Field.SackRight);
                    at += Field.SackBlock;
                }
            }
            return at;
        }

        private static void Begin(Span<byte> b, int at, byte kind, int length)
        {
            b[at + Field.Kind] = kind;
            b[at + Field.Length] = (byte)length;
        }

        private static int Nops(Span<byte> b, int at, int count)
        {
            for (int i = 0; i < count; i++) b[at++] = KindNop;
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
                byte kind = options[at + Field.Kind];
                if (kind == KindEnd) break;
                if (kind == KindNop) { at++; continue; }
                if (at + Field.Length >= options.Length) break;
                int length = options[at + Field.Length];
                if (length < Field.Value || at + length > options.Length) break;
                switch (kind)
                {
                    case KindMss:
                        if (length != MssLength) return o;
                        o.Mss = Be16.Read(options, at + Field.Value).Value;
                        break;
                    case KindWindowScale:
                        if (length != WindowScaleLength) return o;
                        o.HasWindowScale = true;
                        o.WindowScale = (byte)Math.Min((int)options[at + Field.Value], MaxWindowScale);
                        break;
                    case KindSackPermitted:
                        if (length != SackPermittedLength) return o;
                        o.SackPermitted = true;
                        break;
                    case KindTimestamps:
                        if (length != TimestampsLength) return o;
                        o.HasTimestamps = true;
                        o.TsVal = Be32.Read(options, at + Field.TsVal).Value;
                        o.TsEcr = Be32.Read(options, at + Field.TsEcr).Value;
                        break;
                    case KindSack:
                        if ((length - Field.Value) % Field.SackBlock != 0 || length < Field.Value + Field.SackBlock) return o;
                        for (int p = at + Field.Value; p + Field.SackBlock <= at + length; p += Field.SackBlock)
                            o.AddSackBlock(Be32.Read(options, p + Field.SackLeft).Value, Be32.Read(options, p + Field.SackRight).Value);
                        break;
                }
                at += length;
            }
            return o;
        }
    }
}
