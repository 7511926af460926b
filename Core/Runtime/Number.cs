namespace System
{
    /// <summary>
    /// Integer formatting and parsing as .NET's invariant culture does them, without allocation where a span will do.
    /// Formats: "" / "G" / "Gn", "D" / "Dn" (at least n digits), "X" / "x" / "Xn" (hexadecimal over the type's own
    /// width, so (-1).ToString("X") is FFFFFFFF), "N" / "Nn" (thousands separators, n decimals, 2 by default),
    /// "F" / "Fn" (n decimals, 2 by default); anything else is a FormatException, as on .NET.
    /// </summary>
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

        /// <summary>Formats a 64-bit value (hexadecimal over all 64 bits for negatives).</summary>
        public static bool TryFormat(long value, bool isUnsigned, Span<char> destination, out int written, ReadOnlySpan<char> format) =>
            TryFormat(value, isUnsigned, 8, destination, out written, format);

        /// <summary>Formats a value of a type <paramref name="byteSize"/> bytes wide (the width matters for hexadecimal).</summary>
        public static bool TryFormat(long value, bool isUnsigned, int byteSize, Span<char> destination, out int written, ReadOnlySpan<char> format)
        {
            written = 0;
            char kind = ParseFormat(format, out int width, out bool hasWidth);
            char* text = stackalloc char[160];
            int n;
            if (kind == 'x' || kind == 'X')
            {
                ulong bits = byteSize == 8 ? (ulong)value : (ulong)value & ((1UL << (byteSize * 8)) - 1);
                n = FormatHex(bits, width, kind == 'X', text, 160);
            }
            else
            {
                bool negative = !isUnsigned && value < 0;
                ulong magnitude = isUnsigned ? (ulong)value : negative ? (ulong)(-(value + 1)) + 1 : (ulong)value;
                char* digits = stackalloc char[20];
                int count = FormatUnsigned(magnitude, digits, 20);
                n = 0;
                if (negative) text[n++] = '-';
                if (kind == 'D')
                {
                    for (int i = count; i < width; i++) text[n++] = '0';
                    for (int i = 0; i < count; i++) text[n++] = digits[i];
                }
                else
                {
                    for (int i = 0; i < count; i++)
                    {
                        text[n++] = digits[i];
                        if (kind == 'N' && i < count - 1 && (count - 1 - i) % 3 == 0) text[n++] = ',';
                    }
                    int decimals = hasWidth ? width : 2;
                    if (decimals > 0)
                    {
                        text[n++] = '.';
                        for (int i = 0; i < decimals; i++) text[n++] = '0';
                    }
                }
            }
            if (n > destination.Length) return false;
            for (int i = 0; i < n; i++) destination[i] = text[i];
            written = n;
            return true;
        }

        /// <summary>The format's letter ('D' for the default and for G) and its digit count.</summary>
        private static char ParseFormat(ReadOnlySpan<char> format, out int width, out bool hasWidth)
        {
            width = 0;
            hasWidth = format.Length > 1;
            if (format.Length == 0) return 'D';
            char kind = format[0];
            switch (kind)
            {
                case 'D': case 'd': case 'G': case 'g': case 'X': case 'x': case 'N': case 'n': case 'F': case 'f': break;
                default: ThrowInvalidFormat(); break;
            }
            for (int i = 1; i < format.Length; i++)
            {
                char c = format[i];
                if (c < '0' || c > '9' || width > 99) ThrowInvalidFormat();
                width = width * 10 + (c - '0');
            }
            if (kind == 'G' || kind == 'g') width = 0; // G's digit count is precision, not padding
            if (kind == 'd' || kind == 'G' || kind == 'g') return 'D';
            if (kind == 'n') return 'N';
            if (kind == 'f') return 'F';
            return kind;
        }

        private static void ThrowInvalidFormat() => throw new FormatException("Format specifier was invalid.");

        internal static FormatException InvalidFormat(ReadOnlySpan<char> s) =>
            new FormatException(string.Concat("The input string '", string.Create(s), "' was not in a correct format."));

        /// <summary>
        /// Parses as .NET's NumberStyles.Integer: optional white space, an optional sign, decimal digits, optional
        /// white space. The magnitude is returned with its sign; false with <paramref name="overflow"/> set when it
        /// does not fit in [min, max].
        /// </summary>
        public static bool TryParseSigned(ReadOnlySpan<char> s, long min, long max, out long result, out bool overflow)
        {
            result = 0;
            if (!TryParseMagnitude(s, out bool negative, out ulong magnitude, out overflow)) return false;
            ulong limit = negative ? (ulong)(-(min + 1)) + 1 : (ulong)max;
            if (overflow || magnitude > limit) { overflow = true; return false; }
            result = negative ? (long)(0 - magnitude) : (long)magnitude;
            return true;
        }

        /// <summary>As <see cref="TryParseSigned"/> for unsigned types: "-0" parses, any other negative overflows.</summary>
        public static bool TryParseUnsigned(ReadOnlySpan<char> s, ulong max, out ulong result, out bool overflow)
        {
            result = 0;
            if (!TryParseMagnitude(s, out bool negative, out ulong magnitude, out overflow)) return false;
            if (overflow || magnitude > max || (negative && magnitude != 0)) { overflow = true; return false; }
            result = magnitude;
            return true;
        }

        private static bool TryParseMagnitude(ReadOnlySpan<char> s, out bool negative, out ulong magnitude, out bool overflow)
        {
            negative = false;
            magnitude = 0;
            overflow = false;
            int i = 0, end = s.Length;
            while (i < end && IsWhite(s[i])) i++;
            while (end > i && IsWhite(s[end - 1])) end--;
            if (i < end && (s[i] == '-' || s[i] == '+')) { negative = s[i] == '-'; i++; }
            if (i == end) return false;
            for (; i < end; i++)
            {
                char c = s[i];
                if (c < '0' || c > '9') return false;
                uint digit = (uint)(c - '0');
                if (magnitude > (ulong.MaxValue - digit) / 10) overflow = true; // keep scanning: a bad digit later is a format error
                else magnitude = magnitude * 10 + digit;
            }
            return true;
        }

        private static bool IsWhite(char c) => c == ' ' || (c >= '\t' && c <= '\r');

        public static bool TryParseInt32(ReadOnlySpan<char> s, out int result, out bool overflow)
        {
            bool ok = TryParseSigned(s, int.MinValue, int.MaxValue, out long v, out overflow);
            result = (int)v;
            return ok;
        }

        public static int ParseInt32(ReadOnlySpan<char> s) => int.Parse(s);

        internal static string ToString(long value, bool isUnsigned, string format) => ToString(value, isUnsigned, 8, format);

        internal static string ToString(long value, bool isUnsigned, int byteSize, string format)
        {
            char* buf = stackalloc char[160];
            var span = new Span<char>(buf, 160);
            TryFormat(value, isUnsigned, byteSize, span, out int n, format);
            return string.Create(span.Slice(0, n));
        }
    }
}
