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

        /// <summary>
        /// Formats into a span. Formats, as .NET's standard numeric formats: "", "G", "D" or "Dn" (decimal, n digits
        /// at least), "x"/"X" or "xn"/"Xn" (hexadecimal); anything else is a FormatException, as on .NET.
        /// </summary>
        public static bool TryFormat(long value, bool isUnsigned, Span<char> destination, out int written, ReadOnlySpan<char> format)
        {
            written = 0;
            char kind = ParseFormat(format, out int width);
            fixed (char* dst = destination)
            {
                if (kind == 'x' || kind == 'X')
                {
                    written = FormatHex((ulong)value, width, kind == 'X', dst, destination.Length);
                }
                else
                {
                    char* digits = stackalloc char[24];
                    int n = isUnsigned ? FormatUnsigned((ulong)value, digits, 24) : FormatDecimal(value, digits, 24);
                    bool negative = n > 0 && digits[0] == '-';
                    int magnitude = negative ? n - 1 : n;
                    int padding = width > magnitude ? width - magnitude : 0;
                    if (n + padding > destination.Length) return false;
                    int at = 0;
                    if (negative) dst[at++] = '-';
                    for (int i = 0; i < padding; i++) dst[at++] = '0';
                    for (int i = negative ? 1 : 0; i < n; i++) dst[at++] = digits[i];
                    written = at;
                }
            }
            return written > 0;
        }

        /// <summary>The format's letter ('D' for the default) and its digit count.</summary>
        private static char ParseFormat(ReadOnlySpan<char> format, out int width)
        {
            width = 0;
            if (format.Length == 0) return 'D';
            char kind = format[0];
            if (kind != 'D' && kind != 'd' && kind != 'X' && kind != 'x' && kind != 'G' && kind != 'g') ThrowInvalidFormat();
            for (int i = 1; i < format.Length; i++)
            {
                char c = format[i];
                if (c < '0' || c > '9' || width > 99) ThrowInvalidFormat();
                width = width * 10 + (c - '0');
            }
            if (kind == 'G' || kind == 'g') width = 0; // G's digit count is precision, not padding
            return kind == 'd' || kind == 'G' || kind == 'g' ? 'D' : kind;
        }

        private static void ThrowInvalidFormat() => throw new FormatException("Format specifier was invalid.");

        /// <summary>
        /// Parses a 32-bit integer as .NET's int.Parse with NumberStyles.Integer: optional white space, an optional
        /// sign, decimal digits, optional white space. False with <paramref name="overflow"/> set when the digits do
        /// not fit.
        /// </summary>
        public static bool TryParseInt32(ReadOnlySpan<char> s, out int result, out bool overflow)
        {
            result = 0;
            overflow = false;
            int i = 0, end = s.Length;
            while (i < end && IsWhite(s[i])) i++;
            while (end > i && IsWhite(s[end - 1])) end--;
            bool negative = false;
            if (i < end && (s[i] == '-' || s[i] == '+')) { negative = s[i] == '-'; i++; }
            if (i == end) return false;
            long magnitude = 0;
            for (; i < end; i++)
            {
                char c = s[i];
                if (c < '0' || c > '9') return false;
                if (magnitude <= 0x80000000L) magnitude = magnitude * 10 + (c - '0');
            }
            if (magnitude > (negative ? 0x80000000L : 0x7FFFFFFFL)) { overflow = true; return false; }
            result = (int)(negative ? -magnitude : magnitude);
            return true;
        }

        private static bool IsWhite(char c) => c == ' ' || (c >= '\t' && c <= '\r');

        public static int ParseInt32(ReadOnlySpan<char> s)
        {
            if (TryParseInt32(s, out int value, out bool overflow)) return value;
            if (overflow) throw new OverflowException("Value was either too large or too small for an Int32.");
            throw new FormatException(string.Concat("The input string '", string.Create(s), "' was not in a correct format."));
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
