namespace System
{
    /// <summary>.NET's UInt16: formatting and parsing as .NET's invariant culture does them (see <see cref="Number"/>).</summary>
    public readonly struct UInt16 : IComparable, IComparable<ushort>, IEquatable<ushort>, ISpanFormattable
    {
        private readonly ushort m_value;
        public const ushort MaxValue = 65535;
        public const ushort MinValue = 0;

        public override string ToString() => Number.ToString(unchecked((long)m_value), true, 2, null);
        public string ToString(string format) => Number.ToString(unchecked((long)m_value), true, 2, format);
        public string ToString(IFormatProvider provider) => ToString();
        public string ToString(string format, IFormatProvider provider) => ToString(format);
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null) =>
            Number.TryFormat(unchecked((long)m_value), true, 2, destination, out charsWritten, format);

        public bool Equals(ushort other) => m_value == other;
        public override bool Equals(object obj) => obj is ushort other && m_value == other;
        public override int GetHashCode() => (int)m_value;

        public int CompareTo(ushort value) => m_value - value; // .NET answers the difference for types narrower than int

        public int CompareTo(object value)
        {
            if (value == null) return 1;
            if (value is ushort other) return CompareTo(other);
            throw new ArgumentException("Object must be of type UInt16.");
        }

        public static ushort Parse(string s)
        {
            if (s == null) throw new ArgumentNullException("s");
            return Parse(s.AsSpan());
        }

        public static ushort Parse(string s, IFormatProvider provider) => Parse(s);

        public static ushort Parse(ReadOnlySpan<char> s, IFormatProvider provider = null)
        {
            if (TryParse(s, out ushort result, out bool overflow)) return result;
            if (overflow) throw new OverflowException("Value was either too large or too small for a UInt16.");
            throw Number.InvalidFormat(s);
        }

        public static bool TryParse(string s, out ushort result)
        {
            if (s != null) return TryParse(s.AsSpan(), out result, out _);
            result = 0;
            return false;
        }

        public static bool TryParse(ReadOnlySpan<char> s, out ushort result) => TryParse(s, out result, out _);

        private static bool TryParse(ReadOnlySpan<char> s, out ushort result, out bool overflow)
        {
            bool ok = Number.TryParseUnsigned(s, ushort.MaxValue, out ulong v, out overflow);
            result = (ushort)v;
            return ok;
        }
    }
}
