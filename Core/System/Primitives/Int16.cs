namespace System
{
    /// <summary>.NET's Int16: formatting and parsing as .NET's invariant culture does them (see <see cref="Number"/>).</summary>
    public readonly struct Int16 : IComparable, IComparable<short>, IEquatable<short>, ISpanFormattable
    {
        private readonly short m_value;
        public const short MaxValue = 32767;
        public const short MinValue = -32768;

        public override string ToString() => Number.ToString((long)m_value, false, 2, null);
        public string ToString(string format) => Number.ToString((long)m_value, false, 2, format);
        public string ToString(IFormatProvider provider) => ToString();
        public string ToString(string format, IFormatProvider provider) => ToString(format);
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null) =>
            Number.TryFormat((long)m_value, false, 2, destination, out charsWritten, format);

        public bool Equals(short other) => m_value == other;
        public override bool Equals(object obj) => obj is short other && m_value == other;
        public override int GetHashCode() => (int)m_value;

        public int CompareTo(short value) => m_value - value; // .NET answers the difference for types narrower than int

        public int CompareTo(object value)
        {
            if (value == null) return 1;
            if (value is short other) return CompareTo(other);
            throw new ArgumentException("Object must be of type Int16.");
        }

        public static short Parse(string s)
        {
            if (s == null) throw new ArgumentNullException("s");
            return Parse(s.AsSpan());
        }

        public static short Parse(string s, IFormatProvider provider) => Parse(s);

        public static short Parse(ReadOnlySpan<char> s, IFormatProvider provider = null)
        {
            if (TryParse(s, out short result, out bool overflow)) return result;
            if (overflow) throw new OverflowException("Value was either too large or too small for an Int16.");
            throw Number.InvalidFormat(s);
        }

        public static bool TryParse(string s, out short result)
        {
            if (s != null) return TryParse(s.AsSpan(), out result, out _);
            result = 0;
            return false;
        }

        public static bool TryParse(ReadOnlySpan<char> s, out short result) => TryParse(s, out result, out _);

        private static bool TryParse(ReadOnlySpan<char> s, out short result, out bool overflow)
        {
            bool ok = Number.TryParseSigned(s, short.MinValue, short.MaxValue, out long v, out overflow);
            result = (short)v;
            return ok;
        }
    }
}
