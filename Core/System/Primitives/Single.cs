namespace System
{
    /// <summary>.NET's Single; formatted through Double (shortest round-trip for float is not implemented yet).</summary>
    public readonly struct Single : IComparable, IComparable<float>, IEquatable<float>
    {
        private readonly float m_value;
        public const float MaxValue = 3.40282347E+38f;
        public const float MinValue = -3.40282347E+38f;
        public const float Epsilon = 1.401298E-45f;
        public const float NaN = 0.0f / 0.0f;
        public const float PositiveInfinity = 1.0f / 0.0f;
        public const float NegativeInfinity = -1.0f / 0.0f;

        // NaN is the one value unequal to itself (IEEE 754 §5.11); the comparison with itself is the test.
#pragma warning disable CS1718
        public static bool IsNaN(float f) => f != f;
#pragma warning restore CS1718
        public bool Equals(float obj) => m_value == obj || (IsNaN(m_value) && IsNaN(obj));
        public override bool Equals(object obj) => obj is float other && Equals(other);
        public override int GetHashCode() => ((double)m_value).GetHashCode();

        public int CompareTo(float value)
        {
            if (m_value < value) return -1;
            if (m_value > value) return 1;
            if (m_value == value) return 0;
            return IsNaN(m_value) ? (IsNaN(value) ? 0 : -1) : 1;
        }

        public int CompareTo(object value)
        {
            if (value == null) return 1;
            if (value is float other) return CompareTo(other);
            throw new ArgumentException("Object must be of type Single.");
        }
    }
}
