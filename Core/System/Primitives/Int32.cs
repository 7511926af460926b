namespace System
{
    /// <summary>.NET's Int32: formatting and parsing as .NET's invariant culture does them (see <see cref="Number"/>).</summary>
    public readonly struct Int32 : IComparable, IComparable<int>, IEquatable<int>, ISpanFormattable
    {
        private readonly int m_value;
        public const int MaxValue = 0x7fffffff;
        public const int MinValue = unchecked((int)0x80000000);

        public override string ToString() => Number.ToString((long)m_value, false, 4, null);
        public string ToString(string format) => Number.ToString((long)m_value, false, 4, format);
        public string ToString(IFormatProvider provider) => ToString();
        public string ToString(string format, IFormatProvider provider) => ToString(format);
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null) =>
            Number.TryFormat((long)m_value, false, 4, destination, out charsWritten, format);

        public bool Equals(int other) => m_value == other;
        public override bool Equals(object obj) => obj is int other && m_value == other;
        public override int GetHashCode() => (int)m_value;

        public int CompareTo(int value) => m_value < value ? -1 : m_value > value ? 1 : 0;

        public int CompareTo(object value)
        {
            if (value == null) return 1;
            if (value is int other) return CompareTo(other);
            throw new ArgumentException("Object must be of type Int32.");
        }

        public static int Parse(string s)
        {
            if (s == null) throw new ArgumentNullException("s");
            return Parse(s.AsSpan());
        }

        public static int Parse(string s, IFormatProvider provider) => Parse(s);

        public static int Parse(ReadOnlySpan<char> s, IFormatProvider provider = null)
        {
            if (TryParse(s, out int result, out bool overflow)) return result;
            if (overflow) throw new OverflowException("Value was either too large or too small for an Int32.");
            throw Number.InvalidFormat(s);
        }

        public static bool TryParse(string s, out int result)
        {
            if (s != null) return TryParse(s.AsSpan(), out result, out _);
            result = 0;
            return false;
        }

        public static bool TryParse(ReadOnlySpan<char> s, out int result) => TryParse(s, out result, out _);

        private static bool TryParse(ReadOnlySpan<char> s, out int result, out bool overflow)
        {
            bool ok = Number.TryParseSigned(s, int.MinValue, int.MaxValue, out long v, out overflow);
            result = (int)v;
            return ok;
        }
    }
}
