namespace System
{
    /// <summary>.NET's SByte: formatting and parsing as .NET's invariant culture does them (see <see cref="Number"/>).</summary>
    public readonly struct SByte : IComparable, IComparable<sbyte>, IEquatable<sbyte>, ISpanFormattable
    {
        private readonly sbyte m_value;
        public const sbyte MaxValue = 127;
        public const sbyte MinValue = -128;

        public override string ToString() => Number.ToString((long)m_value, false, 1, null);
        public string ToString(string format) => Number.ToString((long)m_value, false, 1, format);
        public string ToString(IFormatProvider provider) => ToString();
        public string ToString(string format, IFormatProvider provider) => ToString(format);
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null) =>
            Number.TryFormat((long)m_value, false, 1, destination, out charsWritten, format);

        public bool Equals(sbyte other) => m_value == other;
        public override bool Equals(object obj) => obj is sbyte other && m_value == other;
        public override int GetHashCode() => (int)m_value;

        public int CompareTo(sbyte value) => m_value - value; // .NET answers the difference for types narrower than int

        public int CompareTo(object value)
        {
            if (value == null) return 1;
            if (value is sbyte other) return CompareTo(other);
            throw new ArgumentException("Object must be of type SByte.");
        }

        public static sbyte Parse(string s)
        {
            if (s == null) throw new ArgumentNullException("s");
            return Parse(s.AsSpan());
        }

        public static sbyte Parse(string s, IFormatProvider provider) => Parse(s);

        public static sbyte Parse(ReadOnlySpan<char> s, IFormatProvider provider = null)
        {
            if (TryParse(s, out sbyte result, out bool overflow)) return result;
            if (overflow) throw new OverflowException("Value was either too large or too small for a signed byte.");
            throw Number.InvalidFormat(s);
        }

        public static bool TryParse(string s, out sbyte result)
        {
            if (s != null) return TryParse(s.AsSpan(), out result, out _);
            result = 0;
            return false;
        }

        public static bool TryParse(ReadOnlySpan<char> s, out sbyte result) => TryParse(s, out result, out _);

        private static bool TryParse(ReadOnlySpan<char> s, out sbyte result, out bool overflow)
        {
            bool ok = Number.TryParseSigned(s, sbyte.MinValue, sbyte.MaxValue, out long v, out overflow);
            result = (sbyte)v;
            return ok;
        }
    }
}
