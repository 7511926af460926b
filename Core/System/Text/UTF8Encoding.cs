namespace System.Text
{
    /// <summary>
    /// UTF-8 (RFC 3629) with .NET's replacement behaviour: each maximal ill-formed subsequence becomes one U+FFFD
    /// (Unicode 15 §3.9, "U+FFFD substitution of maximal subparts"), lone surrogates encode as U+FFFD.
    /// </summary>
    public class UTF8Encoding : Encoding
    {
        private const char Replacement = '\uFFFD';

        public override int CodePage => 65001;
        public override string WebName => "utf-8";
        public override int GetMaxByteCount(int charCount) => (charCount + 1) * 3;
        public override int GetMaxCharCount(int byteCount) => byteCount + 1;

        public override int GetByteCount(ReadOnlySpan<char> chars) => Encode(chars, default, countOnly: true);

        public override int GetBytes(ReadOnlySpan<char> chars, Span<byte> bytes) => Encode(chars, bytes, countOnly: false);

        private int Encode(ReadOnlySpan<char> chars, Span<byte> bytes, bool countOnly)
        {
            int n = 0;
            for (int i = 0; i < chars.Length; i++)
            {
                uint c = chars[i];
                if (char.IsHighSurrogate((char)c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
                {
                    c = 0x10000 + ((c - 0xD800) << 10) + (uint)(chars[i + 1] - 0xDC00);
                    i++;
                }
                else if (char.IsSurrogate((char)c)) c = Replacement;

                int length = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
                if (!countOnly)
                {
                    if (n + length > bytes.Length) throw TooSmall(CodePage);
                    switch (length)
                    {
                        case 1: bytes[n] = (byte)c; break;
                        case 2: bytes[n] = (byte)(0xC0 | (c >> 6)); bytes[n + 1] = (byte)(0x80 | (c & 0x3F)); break;
                        case 3:
                            bytes[n] = (byte)(0xE0 | (c >> 12));
                            bytes[n + 1] = (byte)(0x80 | ((c >> 6) & 0x3F));
                            bytes[n + 2] = (byte)(0x80 | (c & 0x3F));
                            break;
                        default:
                            bytes[n] = (byte)(0xF0 | (c >> 18));
                            bytes[n + 1] = (byte)(0x80 | ((c >> 12) & 0x3F));
                            bytes[n + 2] = (byte)(0x80 | ((c >> 6) & 0x3F));
                            bytes[n + 3] = (byte)(0x80 | (c & 0x3F));
                            break;
                    }
                }
                n += length;
            }
            return n;
        }

        public override int GetCharCount(ReadOnlySpan<byte> bytes) => Decode(bytes, default, countOnly: true);

        public override int GetChars(ReadOnlySpan<byte> bytes, Span<char> chars) => Decode(bytes, chars, countOnly: false);

        private int Decode(ReadOnlySpan<byte> bytes, Span<char> chars, bool countOnly)
        {
            int n = 0;
            int i = 0;
            while (i < bytes.Length)
            {
                int consumed = DecodeOne(bytes.Slice(i), out uint scalar);
                i += consumed;
                if (scalar >= 0x10000)
                {
                    if (!countOnly)
                    {
                        if (n + 2 > chars.Length) throw TooSmallChars(CodePage);
                        chars[n] = (char)(0xD800 + ((scalar - 0x10000) >> 10));
                        chars[n + 1] = (char)(0xDC00 + ((scalar - 0x10000) & 0x3FF));
                    }
                    n += 2;
                }
                else
                {
                    if (!countOnly)
                    {
                        if (n + 1 > chars.Length) throw TooSmallChars(CodePage);
                        chars[n] = (char)scalar;
                    }
                    n++;
                }
            }
            return n;
        }

        /// <summary>One scalar value, or U+FFFD for the longest prefix that could have started a valid sequence.</summary>
        private static int DecodeOne(ReadOnlySpan<byte> b, out uint scalar)
        {
            byte lead = b[0];
            scalar = Replacement;
            if (lead < 0x80) { scalar = lead; return 1; }
            int length;
            uint value;
            byte low = 0x80, high = 0xBF; // the allowed range of the second byte (Table 3-7)
            if (lead >= 0xC2 && lead <= 0xDF) { length = 2; value = (uint)(lead & 0x1F); }
            else if (lead >= 0xE0 && lead <= 0xEF)
            {
                length = 3;
                value = (uint)(lead & 0x0F);
                if (lead == 0xE0) low = 0xA0;
                if (lead == 0xED) high = 0x9F;
            }
            else if (lead >= 0xF0 && lead <= 0xF4)
            {
                length = 4;
                value = (uint)(lead & 0x07);
                if (lead == 0xF0) low = 0x90;
                if (lead == 0xF4) high = 0x8F;
            }
            else return 1;

            for (int k = 1; k < length; k++)
            {
                if (k >= b.Length) return k;
                byte next = b[k];
                if (k == 1 ? next < low || next > high : next < 0x80 || next > 0xBF) return k;
                value = (value << 6) | (uint)(next & 0x3F);
            }
            scalar = value;
            return length;
        }
    }

    /// <summary>ASCII: anything above 0x7F becomes '?' in either direction, as .NET's replacement fallback.</summary>
    public class ASCIIEncoding : Encoding
    {
        public override int CodePage => 20127;
        public override string WebName => "us-ascii";
        public override int GetMaxByteCount(int charCount) => charCount + 1;
        public override int GetMaxCharCount(int byteCount) => byteCount;

        /// <summary>One byte per char, except a valid surrogate pair, which is one character and so one '?'.</summary>
        public override int GetByteCount(ReadOnlySpan<char> chars)
        {
            int n = 0;
            for (int i = 0; i < chars.Length; i++, n++)
                if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) i++;
            return n;
        }

        public override int GetBytes(ReadOnlySpan<char> chars, Span<byte> bytes)
        {
            int n = 0;
            for (int i = 0; i < chars.Length; i++)
            {
                if (n >= bytes.Length) throw TooSmall(CodePage);
                char c = chars[i];
                if (char.IsHighSurrogate(c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) i++;
                bytes[n++] = c < 0x80 ? (byte)c : (byte)'?';
            }
            return n;
        }

        public override int GetCharCount(ReadOnlySpan<byte> bytes) => bytes.Length;

        public override int GetChars(ReadOnlySpan<byte> bytes, Span<char> chars)
        {
            if (chars.Length < bytes.Length) throw TooSmallChars(CodePage);
            for (int i = 0; i < bytes.Length; i++) chars[i] = bytes[i] < 0x80 ? (char)bytes[i] : '?';
            return bytes.Length;
        }
    }
}
