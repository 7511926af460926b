namespace System
{
    /// <summary>.NET's Boolean: "True"/"False", parsed without regard to case or surrounding white space.</summary>
    public readonly struct Boolean : IComparable, IComparable<bool>, IEquatable<bool>
    {
        private readonly bool m_value;

        public static readonly string TrueString = "True";
        public static readonly string FalseString = "False";

        public override string ToString() => m_value ? "True" : "False";
        public string ToString(IFormatProvider provider) => ToString();
        public bool Equals(bool obj) => m_value == obj;
        public override bool Equals(object obj) => obj is bool other && m_value == other;
        public override int GetHashCode() => m_value ? 1 : 0;
        public int CompareTo(bool value) => m_value == value ? 0 : m_value ? 1 : -1;

        public int CompareTo(object obj)
        {
            if (obj == null) return 1;
            if (obj is bool other) return CompareTo(other);
            throw new ArgumentException("Object must be of type Boolean.");
        }

        public static bool Parse(string value)
        {
            if (value == null) throw new ArgumentNullException("value");
            return Parse(value.AsSpan());
        }

        public static bool Parse(ReadOnlySpan<char> value)
        {
            if (TryParse(value, out bool result)) return result;
            throw new FormatException(string.Concat("String '", new string(value), "' was not recognized as a valid Boolean."));
        }

        public static bool TryParse(string value, out bool result)
        {
            if (value != null) return TryParse(value.AsSpan(), out result);
            result = false;
            return false;
        }

        public static bool TryParse(ReadOnlySpan<char> value, out bool result)
        {
            ReadOnlySpan<char> trimmed = value.Trim();
            result = false;
            if (trimmed.Equals("True", StringComparison.OrdinalIgnoreCase)) { result = true; return true; }
            return trimmed.Equals("False", StringComparison.OrdinalIgnoreCase);
        }
    }
}
