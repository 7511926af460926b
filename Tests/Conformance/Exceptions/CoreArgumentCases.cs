#nullable disable
using System;
using System.Runtime.InteropServices;

namespace Cosmos.Conformance
{
    /// <summary>The corlib's own argument and state checks throw what .NET's throw, with .NET's messages.</summary>
    public static class CoreArgumentCases
    {
        public static void Register(CaseList list)
        {
            list.Add("core.span-constructor", SpanConstructor);
            list.Add("core.span-slice", SpanSlice);
            list.Add("core.span-copy-to", SpanCopyTo);
            list.Add("core.memory-marshal-as-ref", MemoryMarshalAsRef);
            list.Add("core.nullable-value", NullableValue);
            list.Add("core.int-parse", IntParse);
            list.Add("core.int-try-parse", IntTryParse);
            list.Add("core.format-specifier", FormatSpecifier);
            list.Add("core.negative-array-length", NegativeArrayLength);
            list.Add("core.string-arguments", StringArguments);
            list.Add("core.substring", Substring);
        }

        private static int Runtime(int value) => value; // keeps the compiler from folding the bad argument

        private static void SpanConstructor(Transcript t)
        {
            int[] array = new int[4];
            try { var s = new Span<int>(array, 2, Runtime(10)); t.Line("length", s.Length); }
            catch (ArgumentOutOfRangeException e) { t.Caught("start + length past the end", e); }
            try { var s = new Span<int>(array, Runtime(-1), 1); t.Line("length", s.Length); }
            catch (ArgumentOutOfRangeException e) { t.Caught("negative start", e); }
            var fine = new Span<int>(array, 1, Runtime(3));
            t.Line("in range", fine.Length);
        }

        private static void SpanSlice(Transcript t)
        {
            Span<byte> span = new byte[8];
            try { t.Line("slice", span.Slice(Runtime(9)).Length); }
            catch (ArgumentOutOfRangeException e) { t.Caught("start past the end", e); }
            try { t.Line("slice", span.Slice(2, Runtime(7)).Length); }
            catch (ArgumentOutOfRangeException e) { t.Caught("length past the end", e); }
            ReadOnlySpan<char> text = "abc".AsSpan();
            try { t.Line("slice", text.Slice(Runtime(-1)).Length); }
            catch (ArgumentOutOfRangeException e) { t.Caught("negative start", e); }
            t.Line("empty slice at the end", span.Slice(Runtime(8)).Length);
        }

        private static void SpanCopyTo(Transcript t)
        {
            Span<int> source = new int[] { 1, 2, 3 };
            Span<int> shorter = new int[Runtime(2)];
            try { source.CopyTo(shorter); t.Line("copied"); }
            catch (ArgumentException e) { t.Caught("destination too short", e); t.Line("ParamName", e.ParamName); }
            Span<int> longer = new int[5];
            source.CopyTo(longer);
            t.Line("copied into a longer span", longer[2]);
        }

        private static void MemoryMarshalAsRef(Transcript t)
        {
            Span<byte> four = new byte[Runtime(4)];
            try { t.Line("value", MemoryMarshal.AsRef<long>(four).ToString()); }
            catch (ArgumentOutOfRangeException e) { t.Caught("span shorter than the struct", e); }
        }

        private static void NullableValue(Transcript t)
        {
            int? none = Runtime(0) == 0 ? null : 1;
            try { t.Line("value", none.Value); }
            catch (InvalidOperationException e) { t.Caught("Value without a value", e); }
            int? some = Runtime(5);
            t.Line("value", some.Value);
        }

        private static void IntParse(Transcript t)
        {
            t.Line("parse 123", int.Parse("123"));
            t.Line("parse -45 with spaces", int.Parse("  -45 "));
            t.Line("parse +7", int.Parse("+7"));
            string[] bad = { "abc", "", "12x", "- 3", "1 2" };
            foreach (string s in bad)
            {
                try { t.Line("parsed", int.Parse(s)); }
                catch (FormatException e) { t.Caught("bad input", e); }
            }
            try { t.Line("parsed", int.Parse("99999999999")); }
            catch (OverflowException e) { t.Caught("too large", e); }
            try { t.Line("parsed", int.Parse("-2147483649")); }
            catch (OverflowException e) { t.Caught("too small", e); }
            t.Line("int.MinValue", int.Parse("-2147483648"));
            string nothing = null;
            try { t.Line("parsed", int.Parse(nothing)); }
            catch (ArgumentNullException e) { t.Caught("null", e); }
        }

        private static void IntTryParse(Transcript t)
        {
            t.Line("42", int.TryParse("42", out int a) ? a.ToString() : "failed");
            t.Line("x", int.TryParse("x", out int b) ? b.ToString() : "failed");
            t.Line("overflow", int.TryParse("4294967296", out int c) ? c.ToString() : "failed");
            t.Line("null", int.TryParse((string)null, out int d) ? d.ToString() : "failed");
        }

        private static void FormatSpecifier(Transcript t)
        {
            t.Line("x8", 255.ToString("x8"));
            t.Line("X", 255.ToString("X"));
            t.Line("D", 255.ToString("D"));
            try { t.Line("Q", 255.ToString("Q")); }
            catch (FormatException e) { t.Caught("unknown specifier", e); }
        }

        private static void NegativeArrayLength(Transcript t)
        {
            try { var a = new int[Runtime(-1)]; t.Line("length", a.Length); }
            catch (OverflowException e) { t.Caught("new int[-1]", e); }
            try { var a = new string[Runtime(-5)]; t.Line("length", a.Length); }
            catch (OverflowException e) { t.Caught("new string[-5]", e); }
        }

        private static void StringArguments(Transcript t)
        {
            string prefix = null;
            try { t.Line("starts", "abc".StartsWith(prefix)); }
            catch (ArgumentNullException e) { t.Caught("StartsWith(null)", e); }
            t.Line("starts with empty", "abc".StartsWith(""));
        }

        private static void Substring(Transcript t)
        {
            string s = "hello";
            t.Line("Substring(1)", s.Substring(1));
            t.Line("Substring(1, 3)", s.Substring(1, 3));
            t.Line("Substring(5)", s.Substring(Runtime(5)).Length);
            try { t.Line("Substring", s.Substring(Runtime(6))); }
            catch (ArgumentOutOfRangeException e) { t.Caught("Substring(6)", e); }
            try { t.Line("Substring", s.Substring(Runtime(-1))); }
            catch (ArgumentOutOfRangeException e) { t.Caught("Substring(-1)", e); }
            try { t.Line("Substring", s.Substring(2, Runtime(-1))); }
            catch (ArgumentOutOfRangeException e) { t.Caught("Substring(2, -1)", e); }
            try { t.Line("Substring", s.Substring(2, Runtime(4))); }
            catch (ArgumentOutOfRangeException e) { t.Caught("Substring(2, 4)", e); }
        }
    }
}
