namespace System
{
    /// <summary>.NET's Int64: formatting and parsing as .NET's invariant culture does them (see <see cref="Number"/>).</summary>
    public readonly struct Int64 : IComparable, IComparable<long>, IEquatable<long>, ISpanFormattable
    {
        private readonly long m_value;
        public const long MaxValue = 0x7fffffffffffffffL;
        public const long MinValue = unchecked((long)0x8000000000000000L);

        public override string ToString() => Number.ToString((long)m_value, false, 8, null);
        public string ToString(string format) => Number.ToString((long)m_value, false, 8, format);
        public string ToString(IFormatProvider provider) => ToString();
        public string ToString(string format, IFormatProvider provider) => ToString(format);
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null) =>
            Number.TryFormat((long)m_value, false, 8, destination, out charsWritten, format);

        public bool Equals(long other) => m_value == other;
        public override bool Equals(object obj) => obj is long other && m_value == other;
        public override int GetHashCode() => (int)m_value ^ (int)(m_value >> 32);

        public int CompareTo(long value) => m_value < value ? -1 : m_value > value ? 1 : 0;

        public int CompareTo(object value)
        {
            if (value == null) return 1;
            if (value is long other) return CompareTo(other);
            throw new ArgumentException("Object must be of type Int64.");
        }

        public static long Parse(string s)
        {
            if (s == null) throw new ArgumentNullException("s");
            return Parse(s.AsSpan());
        }

        public static long Parse(string s, IFormatProvider provider) => Parse(s);

        public static long Parse(ReadOnlySpan<char> s, IFormatProvider provider = null)
        {
            if (TryParse(s, out long result, out bool overflow)) return result;
            if (overflow) throw new OverflowException("Value was either too large or too small for an Int64.");
            throw Number.InvalidFormat(s);
        }

        public static bool TryParse(string s, out long result)
        {
            if (s != null) return TryParse(s.AsSpan(), out result, out _);
            result = 0;
            return false;
        }

        public static bool TryParse(ReadOnlySpan<char> s, out long result) => TryParse(s, out result, out _);

        private static bool TryParse(ReadOnlySpan<char> s, out long result, out bool overflow)
        {
            bool ok = Number.TryParseSigned(s, long.MinValue, long.MaxValue, out long v, out overflow);
            result = (long)v;
            return ok;
        }
    }
}
