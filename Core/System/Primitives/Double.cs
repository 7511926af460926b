using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>.NET's Double: IEEE 754 binary64; text conversions are in <see cref="DoubleFormatting"/>.</summary>
    public readonly struct Double : IComparable, IComparable<double>, IEquatable<double>, ISpanFormattable
    {
        private readonly double m_value;
        public const double MaxValue = 1.7976931348623157E+308;
        public const double MinValue = -1.7976931348623157E+308;
        public const double Epsilon = 4.9406564584124654E-324;
        public const double NaN = 0.0 / 0.0;
        public const double PositiveInfinity = 1.0 / 0.0;
        public const double NegativeInfinity = -1.0 / 0.0;

        // NaN is the one value unequal to itself (IEEE 754 §5.11); the comparison with itself is the test.
#pragma warning disable CS1718
        public static bool IsNaN(double d) => d != d;
#pragma warning restore CS1718
        public static bool IsInfinity(double d) => d == PositiveInfinity || d == NegativeInfinity;
        public static bool IsPositiveInfinity(double d) => d == PositiveInfinity;
        public static bool IsNegativeInfinity(double d) => d == NegativeInfinity;
        public static bool IsFinite(double d) => !IsNaN(d) && !IsInfinity(d);
        public static bool IsNegative(double d) => BitConverter.DoubleToInt64Bits(d) < 0;

        public bool Equals(double obj) => m_value == obj || (IsNaN(m_value) && IsNaN(obj));
        public override bool Equals(object obj) => obj is double other && Equals(other);

        public override int GetHashCode()
        {
            double value = m_value;
            if (value == 0) value = 0; // -0.0 and 0.0 are equal, so they hash alike
            if (IsNaN(value)) value = NaN;
            long bits = BitConverter.DoubleToInt64Bits(value);
            return (int)bits ^ (int)(bits >> 32);
        }

        public int CompareTo(double value)
        {
            if (m_value < value) return -1;
            if (m_value > value) return 1;
            if (m_value == value) return 0;
            return IsNaN(m_value) ? (IsNaN(value) ? 0 : -1) : 1;
        }

        public int CompareTo(object value)
        {
            if (value == null) return 1;
            if (value is double other) return CompareTo(other);
            throw new ArgumentException("Object must be of type Double.");
        }

        public override string ToString() => DoubleFormatting.ToString(m_value, null);
        public string ToString(string format) => DoubleFormatting.ToString(m_value, format);
        public string ToString(IFormatProvider provider) => ToString();
        public string ToString(string format, IFormatProvider provider) => ToString(format);

        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null)
        {
            string text = DoubleFormatting.ToString(m_value, format.Length == 0 ? null : new string(format));
            charsWritten = 0;
            if (!text.AsSpan().TryCopyTo(destination)) return false;
            charsWritten = text.Length;
            return true;
        }

        public static double Parse(string s)
        {
            if (s == null) throw new ArgumentNullException("s");
            return Parse(s.AsSpan());
        }

        public static double Parse(string s, IFormatProvider provider) => Parse(s);

        public static double Parse(ReadOnlySpan<char> s, IFormatProvider provider = null)
        {
            if (DoubleParsing.TryParse(s, out double result)) return result;
            throw Number.InvalidFormat(s);
        }

        public static bool TryParse(string s, out double result)
        {
            if (s != null) return DoubleParsing.TryParse(s.AsSpan(), out result);
            result = 0;
            return false;
        }

        public static bool TryParse(ReadOnlySpan<char> s, out double result) => DoubleParsing.TryParse(s, out result);
    }

    public static class BitConverter
    {
        public static bool IsLittleEndian => true;
        public static unsafe long DoubleToInt64Bits(double value) => *(long*)&value;
        public static unsafe double Int64BitsToDouble(long value) => *(double*)&value;
        public static unsafe ulong DoubleToUInt64Bits(double value) => *(ulong*)&value;
        public static unsafe double UInt64BitsToDouble(ulong value) => *(double*)&value;
        public static unsafe int SingleToInt32Bits(float value) => *(int*)&value;
        public static unsafe float Int32BitsToSingle(int value) => *(float*)&value;

        public static byte[] GetBytes(int value) => Bytes((ulong)value, 4);
        public static byte[] GetBytes(uint value) => Bytes(value, 4);
        public static byte[] GetBytes(long value) => Bytes((ulong)value, 8);
        public static byte[] GetBytes(ulong value) => Bytes(value, 8);
        public static byte[] GetBytes(short value) => Bytes((ulong)value, 2);
        public static byte[] GetBytes(ushort value) => Bytes(value, 2);

        private static byte[] Bytes(ulong value, int size)
        {
            var bytes = new byte[size];
            for (int i = 0; i < size; i++) { bytes[i] = (byte)value; value >>= 8; }
            return bytes;
        }

        public static int ToInt32(byte[] value, int startIndex) => (int)Read(value, startIndex, 4);
        public static uint ToUInt32(byte[] value, int startIndex) => (uint)Read(value, startIndex, 4);
        public static long ToInt64(byte[] value, int startIndex) => (long)Read(value, startIndex, 8);
        public static ushort ToUInt16(byte[] value, int startIndex) => (ushort)Read(value, startIndex, 2);

        private static ulong Read(byte[] value, int startIndex, int size)
        {
            ArgumentNullException.ThrowIfNull(value, "value");
            if ((uint)startIndex >= (uint)value.Length) throw new ArgumentOutOfRangeException("startIndex", "Index was out of range. Must be non-negative and less than the size of the collection.");
            if (startIndex > value.Length - size) throw new ArgumentException("Destination array is not long enough to copy all the items in the collection. Check array index and length.", "value");
            ulong v = 0;
            for (int i = size - 1; i >= 0; i--) v = (v << 8) | value[startIndex + i];
            return v;
        }

        /// <summary>"AA-BB-CC": each byte as two upper-case hex digits, joined by hyphens.</summary>
        public static string ToString(byte[] value)
        {
            ArgumentNullException.ThrowIfNull(value, "value");
            return ToString(value, 0, value.Length);
        }

        public static string ToString(byte[] value, int startIndex, int length)
        {
            ArgumentNullException.ThrowIfNull(value, "value");
            if (length == 0) return string.Empty;
            var sb = new System.Text.StringBuilder(length * 3);
            for (int i = 0; i < length; i++)
            {
                if (i > 0) sb.Append('-');
                sb.Append(value[startIndex + i].ToString("X2"));
            }
            return sb.ToString();
        }
    }
}
