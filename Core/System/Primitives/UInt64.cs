namespace System
{
    /// <summary>.NET's UInt64: formatting and parsing as .NET's invariant culture does them (see <see cref="Number"/>).</summary>
    public readonly struct UInt64 : IComparable, IComparable<ulong>, IEquatable<ulong>, ISpanFormattable
    {
        private readonly ulong m_value;
        public const ulong MaxValue = 0xffffffffffffffffUL;
        public const ulong MinValue = 0;

        public override string ToString() => Number.ToString(unchecked((long)m_value), true, 8, null);
        public string ToString(string format) => Number.ToString(unchecked((long)m_value), true, 8, format);
        public string ToString(IFormatProvider provider) => ToString();
        public string ToString(string format, IFormatProvider provider) => ToString(format);
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null) =>
            Number.TryFormat(unchecked((long)m_value), true, 8, destination, out charsWritten, format);

        public bool Equals(ulong other) => m_value == other;
        public override bool Equals(object obj) => obj is ulong other && m_value == other;
        public override int GetHashCode() => (int)m_value ^ (int)(m_value >> 32);

        public int CompareTo(ulong value) => m_value < value ? -1 : m_value > value ? 1 : 0;

        public int CompareTo(object value)
        {
            if (value == null) return 1;
            if (value is ulong other) return CompareTo(other);
            throw new ArgumentException("Object must be of type UInt64.");
        }

        public static ulong Parse(string s)
        {
            if (s == null) throw new ArgumentNullException("s");
            return Parse(s.AsSpan());
        }

        public static ulong Parse(string s, IFormatProvider provider) => Parse(s);

        public static ulong Parse(ReadOnlySpan<char> s, IFormatProvider provider = null)
        {
            if (TryParse(s, out ulong result, out bool overflow)) return result;
            if (overflow) throw new OverflowException("Value was either too large or too small for a UInt64.");
            throw Number.InvalidFormat(s);
        }

        public static bool TryParse(string s, out ulong result)
        {
            if (s != null) return TryParse(s.AsSpan(), out result, out _);
            result = 0;
            return false;
        }

        public static bool TryParse(ReadOnlySpan<char> s, out ulong result) => TryParse(s, out result, out _);

        private static bool TryParse(ReadOnlySpan<char> s, out ulong result, out bool overflow)
        {
            bool ok = Number.TryParseUnsigned(s, ulong.MaxValue, out ulong v, out overflow);
            result = (ulong)v;
            return ok;
        }
    }
}
