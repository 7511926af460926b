namespace System
{
    /// <summary>
    /// Text to double, correctly rounded (nearest, ties to even) as .NET Core 3.0+ parses: the decimal digits become an
    /// exact big integer, scaled by the power of ten, and only the final step rounds.
    /// Accepts [ws][sign]digits[.digits][(e|E)[sign]digits][ws], "NaN", "Infinity", "∞" (with a sign).
    /// </summary>
    internal static class DoubleParsing
    {
        public static bool TryParse(ReadOnlySpan<char> s, out double result)
        {
            result = 0;
            s = s.Trim();
            bool negative = false;
            if (s.Length > 0 && (s[0] == '-' || s[0] == '+')) { negative = s[0] == '-'; s = s.Slice(1); }
            if (s.Equals("NaN", StringComparison.OrdinalIgnoreCase)) { result = double.NaN; return true; }
            if (s.Equals("Infinity", StringComparison.OrdinalIgnoreCase) || s.Equals("∞", StringComparison.Ordinal))
            {
                result = negative ? double.NegativeInfinity : double.PositiveInfinity;
                return true;
            }

            var digits = new BigNatural(0);
            int digitCount = 0, decimalExponent = 0, i = 0;
            bool any = false;
            for (; i < s.Length && char.IsDigit(s[i]); i++) { AddDigit(digits, s[i], ref digitCount, ref decimalExponent, false); any = true; }
            if (i < s.Length && s[i] == '.')
            {
                for (i++; i < s.Length && char.IsDigit(s[i]); i++) { AddDigit(digits, s[i], ref digitCount, ref decimalExponent, true); any = true; }
            }
            if (!any) return false;
            if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
            {
                i++;
                bool negativeExponent = false;
                if (i < s.Length && (s[i] == '-' || s[i] == '+')) { negativeExponent = s[i] == '-'; i++; }
                if (i == s.Length) return false;
                int exponent = 0;
                for (; i < s.Length && char.IsDigit(s[i]); i++) if (exponent < 100000) exponent = exponent * 10 + (s[i] - '0');
                decimalExponent += negativeExponent ? -exponent : exponent;
            }
            if (i != s.Length) return false;

            double magnitude;
            if (digits.IsZero || digitCount + decimalExponent < -330) magnitude = 0;
            else if (digitCount + decimalExponent > 310) magnitude = double.PositiveInfinity;
            else if (decimalExponent >= 0)
            {
                digits.MultiplyByPowerOf10(decimalExponent);
                magnitude = Round(digits, 0, false);
            }
            else
            {
                var divisor = new BigNatural(1);
                divisor.MultiplyByPowerOf10(-decimalExponent);
                magnitude = Divide(digits, divisor);
            }
            result = negative ? -magnitude : magnitude;
            return true;
        }

        /// <summary>Significant digits go into the integer; past 800 of them the rest are ignored (inputs that long are not expected).</summary>
        private static void AddDigit(BigNatural digits, char c, ref int digitCount, ref int decimalExponent, bool fractional)
        {
            if (digitCount == 0 && c == '0')
            {
                if (fractional) decimalExponent--;
                return;
            }
            if (digitCount < 800)
            {
                digits.MultiplyAdd(10, (uint)(c - '0'));
                digitCount++;
                if (fractional) decimalExponent--;
            }
            else if (!fractional) decimalExponent++;
        }

        /// <summary>numerator / denominator to the nearest double, through a quotient of at least 66 bits plus a sticky bit.</summary>
        private static double Divide(BigNatural numerator, BigNatural denominator)
        {
            int shift = denominator.BitLength - numerator.BitLength + 66;
            if (shift < 0) shift = 0;
            numerator.ShiftLeft(shift);
            // Long division one bit at a time: the quotient is only about 66 bits long.
            int top = numerator.BitLength - denominator.BitLength;
            var quotient = new BigNatural(0);
            BigNatural d = denominator; // the caller's; shifted in place, denominator × 2^bit
            if (top > 0) d.ShiftLeft(top);
            for (int bit = top; bit >= 0; bit--, d.ShiftRightOne())
            {
                quotient.ShiftLeft(1);
                if (BigNatural.Compare(numerator, d) >= 0)
                {
                    numerator.Subtract(d);
                    quotient.MultiplyAdd(1, 1);
                }
            }
            return Round(quotient, -shift, !numerator.IsZero);
        }

        /// <summary>value × 2^binaryExponent (plus a little more when sticky) rounded to the nearest double.</summary>
        private static double Round(BigNatural value, int binaryExponent, bool sticky)
        {
            if (value.IsZero) return 0;
            int bits = value.BitLength;
            // Keep 53 bits, or fewer where the result is subnormal (lowest kept bit weighs 2^-1074).
            int drop = bits - 53;
            if (drop < -1074 - binaryExponent) drop = -1074 - binaryExponent;
            ulong mantissa = 0;
            for (int b = bits - 1; b >= drop && b >= 0; b--) mantissa = (mantissa << 1) | (value.GetBit(b) ? 1UL : 0);
            if (drop < 0) mantissa <<= -drop; // exact, nothing dropped (drop is negative only without fraction bits)
            else if (drop > 0)
            {
                bool half = value.GetBit(drop - 1);
                bool rest = sticky || value.AnyBitBelow(drop - 1);
                if (half && (rest || (mantissa & 1) != 0)) mantissa++;
            }
            else if (sticky) { /* a sticky remainder below a kept bit never reaches half */ }
            int exponent = binaryExponent + drop; // value ≈ mantissa × 2^exponent
            if (mantissa == (1UL << 53)) { mantissa >>= 1; exponent++; }
            if (mantissa >= (1UL << 52))
            {
                int biased = exponent + 52 + 1075 - 52; // = exponent + 1075
                if (biased >= 2047) return double.PositiveInfinity;
                return BitConverter.UInt64BitsToDouble(((ulong)biased << 52) | (mantissa & 0xFFFFFFFFFFFFFUL));
            }
            return BitConverter.UInt64BitsToDouble(mantissa); // subnormal: exponent is -1074
        }
    }
}
