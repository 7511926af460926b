namespace System
{
    /// <summary>
    /// .NET's Char. Classification and case mapping cover ASCII and Latin-1 (the kernel carries no Unicode tables);
    /// for those characters the answers are .NET's.
    /// </summary>
    public readonly struct Char : IComparable, IComparable<char>, IEquatable<char>
    {
        private readonly char m_value;
        public const char MaxValue = (char)0xFFFF;
        public const char MinValue = (char)0;

        /// <summary>As .NET: a string of this one character.</summary>
        public override string ToString()
        {
            Span<char> one = stackalloc char[1];
            one[0] = m_value;
            return string.Create(one);
        }

        public static string ToString(char c) => c.ToString();
        public bool Equals(char obj) => m_value == obj;
        public override bool Equals(object obj) => obj is char other && m_value == other;
        public override int GetHashCode() => m_value | (m_value << 16);
        public int CompareTo(char value) => m_value - value;

        public int CompareTo(object value)
        {
            if (value == null) return 1;
            if (value is char other) return CompareTo(other);
            throw new ArgumentException("Object must be of type Char.");
        }

        public static bool IsDigit(char c) => c >= '0' && c <= '9';
        public static bool IsAsciiDigit(char c) => c >= '0' && c <= '9';
        public static bool IsAsciiLetter(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';
        public static bool IsAsciiHexDigit(char c) => IsAsciiDigit(c) || (uint)((c | 0x20) - 'a') <= 'f' - 'a';
        public static bool IsAscii(char c) => c <= 0x7F;

        public static bool IsLetter(char c)
        {
            if (c < 0x80) return IsAsciiLetter(c);
            return c == 0xAA || c == 0xB5 || c == 0xBA || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
        }

        public static bool IsLetterOrDigit(char c) => IsLetter(c) || IsDigit(c);

        public static bool IsUpper(char c)
        {
            if (c < 0x80) return c >= 'A' && c <= 'Z';
            return c >= 0xC0 && c <= 0xDE && c != 0xD7;
        }

        public static bool IsLower(char c)
        {
            if (c < 0x80) return c >= 'a' && c <= 'z';
            return c == 0xB5 || (c >= 0xDF && c <= 0xFF && c != 0xF7);
        }

        /// <summary>Unicode's White_Space for the Latin-1 range and the common spaces above it.</summary>
        public static bool IsWhiteSpace(char c) =>
            c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A)
            || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;

        public static bool IsPunctuation(char c) =>
            c < 0x80 && ((c >= '!' && c <= '#') || (c >= '%' && c <= '*') || (c >= ',' && c <= '/') || c == ':' || c == ';'
                         || c == '?' || c == '@' || (c >= '[' && c <= ']') || c == '_' || c == '{' || c == '}');

        public static bool IsControl(char c) => c < 0x20 || (c >= 0x7F && c < 0xA0);

        public static char ToUpperInvariant(char c)
        {
            if (c >= 'a' && c <= 'z') return (char)(c - 32);
            if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return (char)(c - 32);
            if (c == 0xFF) return (char)0x178;
            if (c == 0xB5) return (char)0x39C;
            return c;
        }

        public static char ToLowerInvariant(char c)
        {
            if (c >= 'A' && c <= 'Z') return (char)(c + 32);
            if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return (char)(c + 32);
            return c;
        }

        public static char ToUpper(char c) => ToUpperInvariant(c);
        public static char ToLower(char c) => ToLowerInvariant(c);
        public static bool IsSurrogate(char c) => c >= 0xD800 && c <= 0xDFFF;
        public static bool IsHighSurrogate(char c) => c >= 0xD800 && c <= 0xDBFF;
        public static bool IsLowSurrogate(char c) => c >= 0xDC00 && c <= 0xDFFF;
    }
}
