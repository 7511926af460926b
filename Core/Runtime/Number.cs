namespace System
{
    /// <summary>Integer formatting without allocation (decimal and hexadecimal).</summary>
    public static unsafe class Number
    {
        /// <summary>Writes the decimal digits of a value; returns the count written.</summary>
        public static int FormatDecimal(long value, char* buffer, int capacity)
        {
            ulong magnitude = value < 0 ? (ulong)(-(value + 1)) + 1 : (ulong)value;
            int n = FormatUnsigned(magnitude, buffer + (value < 0 ? 1 : 0), capacity - (value < 0 ? 1 : 0));
            if (value < 0) { buffer[0] = '-'; n++; }
            return n;
        }

        public static int FormatUnsigned(ulong value, char* buffer, int capacity)
        {
            char* tmp = stackalloc char[20];
            int n = 0;
            do { tmp[n++] = (char)('0' + (int)(value % 10)); value /= 10; } while (value != 0);
            if (n > capacity) return 0;
            for (int i = 0; i < n; i++) buffer[i] = tmp[n - 1 - i];
            return n;
        }

        /// <summary>Hex digits, at least minDigits (zero padded), lowercase unless upper.</summary>
        public static int FormatHex(ulong value, int minDigits, bool upper, char* buffer, int capacity)
        {
            int digits = 1;
            for (ulong v = value >> 4; v != 0; v >>= 4) digits++;
            if (digits < minDigits) digits = minDigits;
            if (digits > capacity) return 0;
            char a = upper ? 'A' : 'a';
            for (int i = digits - 1; i >= 0; i--)
            {
                int d = (int)(value & 0xF);
                buffer[i] = (char)(d < 10 ? '0' + d : a + d - 10);
                value >>= 4;
            }
            return digits;
        }

        /// <summary>Formats into a span: format "" or "D" is decimal, "x"/"X" with an optional width ("x8").</summary>
        public static bool TryFormat(long value, bool isUnsigned, Span<char> destination, out int written, ReadOnlySpan<char> format)
        {
            written = 0;
            fixed (char* dst = destination)
            {
                if (format.Length > 0 && (format[0] == 'x' || format[0] == 'X'))
                {
                    int width = 0;
                    for (int i = 1; i < format.Length; i++) width = width * 10 + (format[i] - '0');
                    written = FormatHex((ulong)value, width, format[0] == 'X', dst, destination.Length);
                }
                else if (isUnsigned)
                {
                    written = FormatUnsigned((ulong)value, dst, destination.Length);
                }
                else
                {
                    written = FormatDecimal(value, dst, destination.Length);
                }
            }
            return written > 0;
        }

        internal static string ToString(long value, bool isUnsigned, string format)
        {
            char* buf = stackalloc char[24];
            var span = new Span<char>(buf, 24);
            TryFormat(value, isUnsigned, span, out int n, format);
            return string.Create(span.Slice(0, n));
        }
    }
}
