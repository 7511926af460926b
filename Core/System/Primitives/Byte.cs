namespace System
{
    /// <summary>.NET's Byte: formatting and parsing as .NET's invariant culture does them (see <see cref="Number"/>).</summary>
    public readonly struct Byte : IComparable, IComparable<byte>, IEquatable<byte>, ISpanFormattable
    {
        private readonly byte m_value;
        public const byte MaxValue = 255;
        public const byte MinValue = 0;

        public override string ToString() => Number.ToString(unchecked((long)m_value), true, 1, null);
        public string ToString(string format) => Number.ToString(unchecked((long)m_value), true, 1, format);
        public string ToString(IFormatProvider provider) => ToString();
        public string ToString(string format, IFormatProvider provider) => ToString(format);
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null) =>
            Number.TryFormat(unchecked((long)m_value), true, 1, destination, out charsWritten, format);

        public bool Equals(byte other) => m_value == other;
        public override bool Equals(object obj) => obj is byte other && m_value == other;
        public override int GetHashCode() => (int)m_value;

        public int CompareTo(byte value) => m_value - value; // .NET answers the difference for types narrower than int

        public int CompareTo(object value)
        {
            if (value == null) return 1;
            if (value is byte other) return CompareTo(other);
            throw new ArgumentException("Object must be of type Byte.");
        }

        public static byte Parse(string s)
        {
            if (s == null) throw new ArgumentNullException("s");
            return Parse(s.AsSpan());
        }

        public static byte Parse(string s, IFormatProvider provider) => Parse(s);

        public static byte Parse(ReadOnlySpan<char> s, IFormatProvider provider = null)
        {
            if (TryParse(s, out byte result, out bool overflow)) return result;
            if (overflow) throw new OverflowException("Value was either too large or too small for an unsigned byte.");
            throw Number.InvalidFormat(s);
        }

        public static bool TryParse(string s, out byte result)
        {
            if (s != null) return TryParse(s.AsSpan(), out result, out _);
            result = 0;
            return false;
        }

        public static bool TryParse(ReadOnlySpan<char> s, out byte result) => TryParse(s, out result, out _);

        private static bool TryParse(ReadOnlySpan<char> s, out byte result, out bool overflow)
        {
            bool ok = Number.TryParseUnsigned(s, byte.MaxValue, out ulong v, out overflow);
            result = (byte)v;
            return ok;
        }
    }
}
