namespace System.Text
{
    /// <summary>
    /// .NET's Encoding, for the two encodings the kernel speaks: UTF-8 and ASCII. Invalid input is replaced, never
    /// thrown on, as .NET's default replacement fallback does (U+FFFD when decoding UTF-8, EF BF BD when encoding a lone
    /// surrogate, '?' both ways for ASCII).
    /// </summary>
    public abstract class Encoding
    {
        public static Encoding UTF8 { get; } = new UTF8Encoding();
        public static Encoding ASCII { get; } = new ASCIIEncoding();

        public abstract int CodePage { get; }
        public abstract string WebName { get; }

        public abstract int GetByteCount(ReadOnlySpan<char> chars);
        public abstract int GetBytes(ReadOnlySpan<char> chars, Span<byte> bytes);
        public abstract int GetCharCount(ReadOnlySpan<byte> bytes);
        public abstract int GetChars(ReadOnlySpan<byte> bytes, Span<char> chars);
        public abstract int GetMaxByteCount(int charCount);
        public abstract int GetMaxCharCount(int byteCount);

        public int GetByteCount(string s)
        {
            ArgumentNullException.ThrowIfNull(s, "s");
            return GetByteCount(s.AsSpan());
        }

        public int GetByteCount(char[] chars) => GetByteCount(new ReadOnlySpan<char>(chars));

        public byte[] GetBytes(string s)
        {
            ArgumentNullException.ThrowIfNull(s, "s");
            var bytes = new byte[GetByteCount(s.AsSpan())];
            GetBytes(s.AsSpan(), bytes);
            return bytes;
        }

        public byte[] GetBytes(char[] chars)
        {
            ArgumentNullException.ThrowIfNull(chars, "chars");
            var bytes = new byte[GetByteCount(chars)];
            GetBytes(chars, bytes);
            return bytes;
        }

        public int GetBytes(string s, int charIndex, int charCount, byte[] bytes, int byteIndex) =>
            GetBytes(s.AsSpan().Slice(charIndex, charCount), new Span<byte>(bytes).Slice(byteIndex));

        public int GetCharCount(byte[] bytes) => GetCharCount(new ReadOnlySpan<byte>(bytes));

        public string GetString(byte[] bytes)
        {
            ArgumentNullException.ThrowIfNull(bytes, "bytes");
            return GetString(new ReadOnlySpan<byte>(bytes));
        }

        public string GetString(byte[] bytes, int index, int count)
        {
            ArgumentNullException.ThrowIfNull(bytes, "bytes");
            return GetString(new ReadOnlySpan<byte>(bytes, index, count));
        }

        public string GetString(ReadOnlySpan<byte> bytes)
        {
            int count = GetCharCount(bytes);
            if (count == 0) return string.Empty;
            var chars = new char[count];
            GetChars(bytes, chars);
            return new string(chars);
        }

        public char[] GetChars(byte[] bytes)
        {
            var chars = new char[GetCharCount(bytes)];
            GetChars(bytes, chars);
            return chars;
        }

        private protected static ArgumentException TooSmall(int codePage) => new ArgumentException(
            string.Concat("The output byte buffer is too small to contain the encoded data, encoding codepage '", codePage.ToString(),
                          "' and fallback 'System.Text.EncoderReplacementFallback'."), "bytes");

        private protected static ArgumentException TooSmallChars(int codePage) => new ArgumentException(
            string.Concat("The output char buffer is too small to contain the decoded characters, encoding codepage '", codePage.ToString(),
                          "' and fallback 'System.Text.DecoderReplacementFallback'."), "chars");
    }
}
