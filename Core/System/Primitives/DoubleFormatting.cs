using System.Text;

namespace System
{
    /// <summary>
    /// double to text as .NET Core 3.0+ does it: the default ("", "G", "R") is the shortest digit string that parses
    /// back to the same double (nearest to it when several lengths tie), written in fixed notation unless the decimal
    /// exponent is below -4 or at least 17 ("1E+17", "1E-05"); "Fn" and "Nn" round the exact binary value to n decimals,
    /// halves to even, and keep the sign of a negative value that rounds to zero ("-0.00"), as .NET does. Exactness comes from big integers: a double is m·2^e, whose decimal
    /// expansion is finite.
    /// </summary>
    internal static class DoubleFormatting
    {
        public static string ToString(double value, string format)
        {
            if (double.IsNaN(value)) return "NaN";
            if (value == double.PositiveInfinity) return "Infinity"; // invariant culture symbols
            if (value == double.NegativeInfinity) return "-Infinity";
            bool negative = double.IsNegative(value);
            char kind = format == null || format.Length == 0 ? 'R' : char.ToUpperInvariant(format[0]);
            int precision = -1;
            if (format != null && format.Length > 1)
            {
                if (!int.TryParse(format.AsSpan().Slice(1), out precision) || precision < 0) throw new FormatException("Format specifier was invalid.");
            }
            switch (kind)
            {
                case 'R':
                case 'G':
                    if (precision > 0 && kind == 'G' && precision < 17) goto default; // fixed precision G is not supported yet
                    return Shortest(value, negative);
                case 'F':
                case 'N':
                    return Fixed(value, negative, precision < 0 ? 2 : precision, kind == 'N');
                default:
                    throw new FormatException("Format specifier was invalid.");
            }
        }

        /// <summary>The exact decimal expansion: digits (no leading zeros, "0" for zero) and how many of them are fractional.</summary>
        private static string ExactDigits(ulong mantissa, int exponent, out int fractionDigits)
        {
            var big = new BigNatural(mantissa);
            if (exponent >= 0)
            {
                big.ShiftLeft(exponent);
                fractionDigits = 0;
            }
            else
            {
                big.MultiplyByPowerOf5(-exponent); // m / 2^k = m·5^k / 10^k
                fractionDigits = -exponent;
            }
            return big.ToDecimalString();
        }

        private static void Decompose(double value, out ulong mantissa, out int exponent, out bool lowerGapIsSmaller)
        {
            ulong bits = BitConverter.DoubleToUInt64Bits(value) & 0x7FFFFFFFFFFFFFFFUL;
            int biased = (int)(bits >> 52);
            ulong fraction = bits & 0xFFFFFFFFFFFFFUL;
            if (biased == 0)
            {
                mantissa = fraction;
                exponent = -1074;
            }
            else
            {
                mantissa = fraction | (1UL << 52);
                exponent = biased - 1075;
            }
            lowerGapIsSmaller = fraction == 0 && biased > 1;
        }

        private static string Shortest(double value, bool negative)
        {
            if (value == 0) return negative ? "-0" : "0";
            Decompose(value, out ulong m, out int e, out bool smallerBelow);
            // In units of 2^(e-2): the value, and the midpoints to its neighbours. Anything strictly between the
            // midpoints reads back as this double; the midpoints themselves do when m is even (ties go to even).
            string v = ExactDigits(4 * m, e - 2, out int scale);
            string low = ExactDigits(smallerBelow ? 4 * m - 1 : 4 * m - 2, e - 2, out _);
            string high = ExactDigits(4 * m + 2, e - 2, out _);
            int width = high.Length + 1; // one spare digit for a carry
            v = v.PadLeft(width, '0');
            low = low.PadLeft(width, '0');
            high = high.PadLeft(width, '0');
            bool inclusive = (m & 1) == 0;
            int first = 0;
            while (v[first] == '0') first++;

            char[] up = new char[width]; // the rounded-up candidate, rebuilt in place for each length
            for (int p = 1; first + p <= width; p++)
            {
                int cut = first + p; // digits [0, cut) are kept, the rest become zeros
                for (int i = 0; i < cut; i++) up[i] = v[i];
                for (int i = cut; i < width; i++) up[i] = '0';
                for (int i = cut - 1; i >= 0; i--)
                {
                    if (up[i] != '9') { up[i]++; break; }
                    up[i] = '0';
                }
                bool downOk = InRange(v, cut, null, low, high, inclusive);
                bool upOk = InRange(null, width, up, low, high, inclusive);
                if (!downOk && !upOk) continue;
                bool chooseUp;
                if (downOk && upOk)
                {
                    int c = CompareTail(v, cut);
                    chooseUp = c > 0 || (c == 0 && (up[cut - 1] - '0') % 2 == 0);
                }
                else chooseUp = upOk;
                string chosen = chooseUp ? new string(up) : v.Substring(0, cut).PadRight(width, '0');
                return Compose(chosen, width - scale, negative);
            }
            return Compose(v, width - scale, negative);
        }

        /// <summary>Compares the digits after <paramref name="cut"/> with one half of a unit at cut - 1.</summary>
        private static int CompareTail(string digits, int cut)
        {
            if (cut >= digits.Length) return -1;
            if (digits[cut] != '5') return digits[cut] < '5' ? -1 : 1;
            for (int i = cut + 1; i < digits.Length; i++) if (digits[i] != '0') return 1;
            return 0;
        }

        /// <summary>
        /// Whether a candidate lies between the bounds (all digit strings of one width): either <paramref name="prefix"/>
        /// truncated at <paramref name="cut"/> and filled with zeros, or the digits in <paramref name="chars"/>.
        /// </summary>
        private static bool InRange(string prefix, int cut, char[] chars, string low, string high, bool inclusive)
        {
            int cl = CompareDigits(prefix, cut, chars, low), ch = CompareDigits(prefix, cut, chars, high);
            return inclusive ? cl >= 0 && ch <= 0 : cl > 0 && ch < 0;
        }

        private static int CompareDigits(string prefix, int cut, char[] chars, string other)
        {
            for (int i = 0; i < other.Length; i++)
            {
                char a = chars != null ? chars[i] : i < cut ? prefix[i] : '0';
                if (a != other[i]) return a < other[i] ? -1 : 1;
            }
            return 0;
        }

        /// <summary>Adds one to a decimal digit string of fixed width (the leading spare digit absorbs the carry).</summary>
        private static string Increment(string digits)
        {
            char[] d = digits.ToCharArray();
            for (int i = d.Length - 1; i >= 0; i--)
            {
                if (d[i] != '9') { d[i]++; break; }
                d[i] = '0';
            }
            return new string(d);
        }

        /// <summary>
        /// Writes digits whose decimal point sits after <paramref name="integerDigits"/> of them (leading zeros allowed)
        /// in .NET's general notation.
        /// </summary>
        private static string Compose(string padded, int integerDigits, bool negative)
        {
            int first = 0;
            while (first < padded.Length && padded[first] == '0') first++;
            int last = padded.Length - 1;
            while (last > first && padded[last] == '0') last--;
            string digits = padded.Substring(first, last - first + 1);
            int decimalExponent = integerDigits - first - 1; // value = d.ddd × 10^decimalExponent
            var sb = new StringBuilder(32);
            if (negative) sb.Append('-');
            // .NET switches to E notation when the decimal point would sit more than 17 digits in or more than 3 zeros out.
            if (decimalExponent >= 17 || decimalExponent < -4)
            {
                sb.Append(digits[0]);
                if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
                sb.Append('E').Append(decimalExponent < 0 ? '-' : '+');
                int magnitude = decimalExponent < 0 ? -decimalExponent : decimalExponent;
                sb.Append(magnitude.ToString("D2"));
            }
            else if (decimalExponent < 0)
            {
                sb.Append("0.").Append('0', -decimalExponent - 1).Append(digits);
            }
            else
            {
                int whole = decimalExponent + 1;
                if (digits.Length <= whole) sb.Append(digits).Append('0', whole - digits.Length);
                else sb.Append(digits, 0, whole).Append('.').Append(digits, whole, digits.Length - whole);
            }
            return sb.ToString();
        }

        private static bool HasNonZero(string digits, int from)
        {
            for (int i = from; i < digits.Length; i++) if (digits[i] != '0') return true;
            return false;
        }

        private static string Fixed(double value, bool negative, int decimals, bool groups)
        {
            Decompose(value, out ulong m, out int e, out _);
            string digits = ExactDigits(m, e, out int fraction);
            // Align to exactly `decimals` fractional digits, rounding half away from zero on the exact value.
            if (fraction < decimals)
            {
                digits = digits.PadRight(digits.Length + decimals - fraction, '0');
            }
            else if (fraction > decimals)
            {
                int drop = fraction - decimals;
                if (digits.Length < drop + 1) digits = digits.PadLeft(drop + 1, '0');
                int cut = digits.Length - drop;
                bool roundUp = digits[cut] > '5' || (digits[cut] == '5' && (HasNonZero(digits, cut + 1) || (cut > 0 && (digits[cut - 1] - '0') % 2 == 1)));
                digits = "0" + digits.Substring(0, cut);
                if (roundUp) digits = Increment(digits);
            }
            digits = digits.TrimStart('0');
            if (digits.Length <= decimals) digits = digits.PadLeft(decimals + 1, '0');
            string whole = digits.Substring(0, digits.Length - decimals);
            var sb = new StringBuilder();
            if (negative) sb.Append('-');
            for (int i = 0; i < whole.Length; i++)
            {
                sb.Append(whole[i]);
                if (groups && i < whole.Length - 1 && (whole.Length - 1 - i) % 3 == 0) sb.Append(',');
            }
            if (decimals > 0) sb.Append('.').Append(digits, whole.Length, decimals);
            return sb.ToString();
        }
    }
}
