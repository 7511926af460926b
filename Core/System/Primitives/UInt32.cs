namespace System
{
    /// <summary>.NET's UInt32: formatting and parsing as .NET's invariant culture does them (see <see cref="Number"/>).</summary>
    public readonly struct UInt32 : IComparable, IComparable<uint>, IEquatable<uint>, ISpanFormattable
    {
        private readonly uint m_value;
        public const uint MaxValue = 0xffffffff;
        public const uint MinValue = 0;

        public override string ToString() => Number.ToString(unchecked((long)m_value), true, 4, null);
        public string ToString(string format) => Number.ToString(unchecked((long)m_value), true, 4, format);
        public string ToString(IFormatProvider provider) => ToString();
        public string ToString(string format, IFormatProvider provider) => ToString(format);
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null) =>
            Number.TryFormat(unchecked((long)m_value), true, 4, destination, out charsWritten, format);

        public bool Equals(uint other) => m_value == other;
        public override bool Equals(object obj) => obj is uint other && m_value == other;
        public override int GetHashCode() => (int)m_value;

        public int CompareTo(uint value) => m_value < value ? -1 : m_value > value ? 1 : 0;

        public int CompareTo(object value)
        {
            if (value == null) return 1;
            if (value is uint other) return CompareTo(other);
            throw new ArgumentException("Object must be of type UInt32.");
        }

        public static uint Parse(string s)
        {
            if (s == null) throw new ArgumentNullException("s");
            return Parse(s.AsSpan());
        }

        public static uint Parse(string s, IFormatProvider provider) => Parse(s);

        public static uint Parse(ReadOnlySpan<char> s, IFormatProvider provider = null)
        {
            if (TryParse(s, out uint result, out bool overflow)) return result;
            if (overflow) throw new OverflowException("Value was either too large or too small for a UInt32.");
            throw Number.InvalidFormat(s);
        }

        public static bool TryParse(string s, out uint result)
        {
            if (s != null) return TryParse(s.AsSpan(), out result, out _);
            result = 0;
            return false;
        }

        public static bool TryParse(ReadOnlySpan<char> s, out uint result) => TryParse(s, out result, out _);

        private static bool TryParse(ReadOnlySpan<char> s, out uint result, out bool overflow)
        {
            bool ok = Number.TryParseUnsigned(s, uint.MaxValue, out ulong v, out overflow);
            result = (uint)v;
            return ok;
        }
    }
}
