#nullable disable
using System;

namespace Cosmos.Conformance
{
    /// <summary>Parse, TryParse and ToString of the integer types, bool and double against .NET's.</summary>
    public static class ParseFormatCases
    {
        private static void TryAll(Transcript t, string text)
        {
            t.Line("'" + text + "'",
                "sbyte " + (sbyte.TryParse(text, out sbyte a) ? a.ToString() : "no") +
                " byte " + (byte.TryParse(text, out byte b) ? b.ToString() : "no") +
                " short " + (short.TryParse(text, out short c) ? c.ToString() : "no") +
                " ushort " + (ushort.TryParse(text, out ushort d) ? d.ToString() : "no") +
                " int " + (int.TryParse(text, out int e) ? e.ToString() : "no") +
                " uint " + (uint.TryParse(text, out uint f) ? f.ToString() : "no") +
                " long " + (long.TryParse(text, out long g) ? g.ToString() : "no") +
                " ulong " + (ulong.TryParse(text, out ulong h) ? h.ToString() : "no"));
        }

        public static void Register(CaseList list)
        {
            list.Add("numbers.integer-try-parse", t =>
            {
                foreach (string s in new[] { "0", "127", "128", "-128", "-129", "255", "256", "-1", "-0", "+7", " 42 ", "32767", "32768",
                                             "65535", "65536", "2147483647", "2147483648", "-2147483648", "4294967295", "4294967296",
                                             "9223372036854775807", "9223372036854775808", "-9223372036854775808", "18446744073709551615",
                                             "18446744073709551616", "99999999999999999999999", "", " ", "1 2", "1e3", "0x10", "12a", "--1" })
                    TryAll(t, s);
            });
            list.Add("numbers.integer-parse-errors", t =>
            {
                try { int.Parse("2147483648"); } catch (OverflowException e) { t.Caught("int overflow", e); }
                try { uint.Parse("-1"); } catch (OverflowException e) { t.Caught("uint negative", e); }
                try { long.Parse("9223372036854775808"); } catch (OverflowException e) { t.Caught("long overflow", e); }
                try { ulong.Parse("18446744073709551616"); } catch (OverflowException e) { t.Caught("ulong overflow", e); }
                try { short.Parse("40000"); } catch (OverflowException e) { t.Caught("short overflow", e); }
                try { ushort.Parse("70000"); } catch (OverflowException e) { t.Caught("ushort overflow", e); }
                try { byte.Parse("300"); } catch (OverflowException e) { t.Caught("byte overflow", e); }
                try { sbyte.Parse("200"); } catch (OverflowException e) { t.Caught("sbyte overflow", e); }
                try { long.Parse("12x"); } catch (FormatException e) { t.Caught("long format", e); }
                try { byte.Parse(""); } catch (FormatException e) { t.Caught("byte empty", e); }
                try { int.Parse((string)null); } catch (ArgumentNullException e) { t.Caught("int null", e); }
                t.Line("span parse", int.Parse("  -17 ".AsSpan()));
            });
            list.Add("numbers.integer-compare-equals", t =>
            {
                t.Line("int CompareTo", 5.CompareTo(7));
                t.Line("long CompareTo", 7L.CompareTo(5L));
                t.Line("uint CompareTo", 3u.CompareTo(3u));
                t.Line("byte CompareTo object", ((byte)4).CompareTo((object)(byte)9));
                t.Line("CompareTo null", 5.CompareTo(null));
                t.Line("Equals boxed", 5.Equals((object)5));
                t.Line("Equals boxed long", 5.Equals((object)5L));
                t.Line("ulong max", ulong.MaxValue.ToString());
                t.Line("sbyte min", sbyte.MinValue.ToString());
                t.Line("int hash", 12345.GetHashCode());
                try { 5.CompareTo((object)"x"); } catch (ArgumentException e) { t.Caught("CompareTo string", e); }
            });
            list.Add("numbers.bool", t =>
            {
                t.Line("true", true.ToString());
                t.Line("Parse true", bool.Parse("true"));
                t.Line("Parse  FALSE ", bool.Parse("  FALSE "));
                t.Line("TryParse yes", bool.TryParse("yes", out bool b));
                t.Line("value", b);
                t.Line("TrueString", bool.TrueString);
                t.Line("CompareTo", true.CompareTo(false));
                try { bool.Parse("1"); } catch (FormatException e) { t.Caught("Parse 1", e); }
            });
            list.Add("numbers.double-tostring", t =>
            {
                double[] values = { 0.0, -0.0, 1.0, -1.5, 0.1, 0.2, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 123.456, 100, 1e14, 1e15, 1e16,
                                    123456789012345.6, 1234567890123456.7, 0.0001, 0.00001, 1.5e-5, 1e-7, 1e21, 1e22, 1e23,
                                    Math.PI, Math.E, double.MaxValue, double.MinValue, double.Epsilon, 2.2250738585072014E-308,
                                    4.9406564584124654E-324, 9007199254740993, 0.3, 5e-324, 1.7976931348623157E+308, 1e300,
                                    double.NaN, double.PositiveInfinity, double.NegativeInfinity };
                foreach (double v in values) t.Line(v.ToString());
            });
            list.Add("numbers.double-fixed", t =>
            {
                t.Line(2.675.ToString("F2"));
                t.Line(1.005.ToString("F2"));
                t.Line((-0.5).ToString("F0"));
                t.Line(0.125.ToString("F2"));
                t.Line(1234567.891.ToString("N2"));
                t.Line(1e20.ToString("F1"));
                t.Line((-0.001).ToString("F2"));
                t.Line(3.0.ToString("F"));
                t.Line($"{Math.PI:F4} {2.5:F0} {-1234.5:N1}");
            });
            list.Add("numbers.double-parse", t =>
            {
                foreach (string s in new[] { "0", "1.5", "-2.25", " 3.75 ", ".5", "5.", "1e10", "1E-5", "-1.5e+3", "0.1", "1e400", "-1e400",
                                             "1e-400", "4.9406564584124654E-324", "2.4703282292062328E-324", "2.4703282292062327E-324",
                                             "1.7976931348623157E+308", "1.7976931348623158E+308", "123456789012345678901234567890",
                                             "0.30000000000000004", "NaN", "Infinity", "-Infinity", "abc", "", "1e", "1.2.3", "--1" })
                {
                    t.Line("'" + s + "'", double.TryParse(s, out double d) ? d.ToString() + " bits " + BitConverter.DoubleToInt64Bits(d).ToString("X16") : "no");
                }
                try { double.Parse("x1"); } catch (FormatException e) { t.Caught("Parse x1", e); }
            });
            list.Add("numbers.double-round-trip", t =>
            {
                // 1000 doubles from bit patterns spread over all exponents: each prints as .NET prints it and parses back
                // exactly. (Kept to 1000 while the kernel has no collector: each conversion allocates big integers.)
                ulong state = 0x9E3779B97F4A7C15;
                int mismatches = 0;
                long checksum = 0;
                for (int i = 0; i < 1000; i++)
                {
                    state ^= state << 13; state ^= state >> 7; state ^= state << 17;
                    double d = BitConverter.Int64BitsToDouble((long)state);
                    if (double.IsNaN(d) || double.IsInfinity(d)) continue;
                    string s = d.ToString();
                    if (!double.TryParse(s, out double back) || BitConverter.DoubleToInt64Bits(back) != BitConverter.DoubleToInt64Bits(d)) mismatches++;
                    for (int k = 0; k < s.Length; k++) checksum = checksum * 31 + s[k];
                    if (i % 100 == 0) t.Line(s);
                }
                t.Line("mismatches", mismatches);
                t.Line("checksum", checksum.ToString());
            });
            list.Add("numbers.double-compare", t =>
            {
                t.Line("NaN equals NaN", double.NaN.Equals(double.NaN));
#pragma warning disable CS1718 // the case checks what comparing NaN with itself gives
                t.Line("NaN == NaN", double.NaN == double.NaN);
#pragma warning restore CS1718
                t.Line("CompareTo NaN", double.NaN.CompareTo(0.0));
                t.Line("0 == -0", 0.0 == -0.0);
                t.Line("hash 0 and -0", 0.0.GetHashCode() == (-0.0).GetHashCode());
                t.Line("IsNegative -0", double.IsNegative(-0.0));
                t.Line("IsFinite", double.IsFinite(1e308 * 10));
                t.Line("conversions", ((int)3.99).ToString() + " " + ((long)-2.5).ToString() + " " + ((double)long.MaxValue).ToString());
            });
        }
    }
}
