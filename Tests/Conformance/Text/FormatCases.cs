#nullable disable
using System;

namespace Cosmos.Conformance
{
    /// <summary>string.Format and interpolation with integer format specifiers, against .NET's invariant culture.</summary>
    public static class FormatCases
    {
        public static void Register(CaseList list)
        {
            list.Add("format.composite", t =>
            {
                t.Line(string.Format("{0} + {1} = {2}", 2, 3, 5));
                t.Line(string.Format("{1}{0}{1}", "a", "b"));
                t.Line(string.Format("{{literal}} {0}", "x"));
                t.Line(string.Format("[{0,5}] [{0,-5}]", 42));
                t.Line(string.Format("[{0,8:X4}]", 255));
                t.Line(string.Format("{0} {1} {2}", null, true, 'c'));
                t.Line(string.Format("{0:D6}|{1:x}|{2:N0}", 42, 3054, 1234567));
                t.Line(string.Format("{0} {1} {2} {3}", 1, 2, 3, 4));
            });
            list.Add("format.errors", t =>
            {
                try { string.Format("{1}", "only one"); }
                catch (FormatException e) { t.Caught("index past the args", e); }
                try { string.Format("{0", 1); }
                catch (FormatException e) { t.Caught("unclosed", e); }
                try { string.Format("}", 1); }
                catch (FormatException e) { t.Caught("stray close", e); }
                try { 5.ToString("Q"); }
                catch (FormatException e) { t.Caught("bad specifier", e); }
            });
            list.Add("format.interpolation", t =>
            {
                int n = 42;
                long big = -9876543210;
                string name = "kernel";
                t.Line($"n={n}, big={big}, name={name}");
                t.Line($"hex={n:X}, hex8={n:x8}, dec5={n:D5}");
                t.Line($"[{n,6}] [{n,-6}] [{name,10}]");
                t.Line($"neg hex={-1:X} short={(short)-1:X} byte={(byte)200:x}");
                t.Line($"N={1234567:N0} N2={-1234:N2} F1={7:F1}");
                t.Line($"bool={true} char={'x'} null={(string)null}end");
                t.Line($"{{braces}} {n + 1}");
                t.Line($"uint={uint.MaxValue} ulong={ulong.MaxValue:X} sbyte={sbyte.MinValue}");
            });
            list.Add("format.integer-tostring", t =>
            {
                t.Line(int.MinValue.ToString());
                t.Line(long.MaxValue.ToString());
                t.Line(ulong.MaxValue.ToString());
                t.Line((-5).ToString("D3"));
                t.Line(255.ToString("x4"));
                t.Line(0.ToString("X"));
                t.Line(long.MinValue.ToString("X"));
                t.Line(123456789.ToString("N"));
                t.Line((-42).ToString("G"));
                t.Line(((byte)7).ToString("D2"));
                t.Line(((ushort)65535).ToString("X"));
            });
            list.Add("format.stringbuilder", t =>
            {
                var sb = new System.Text.StringBuilder();
                sb.Append("abc").Append(1).Append('-').Append(true).Append(2.5).Append(-7L);
                t.Line(sb.ToString());
                sb.Insert(0, ">>");
                sb.Replace("abc", "ABC");
                sb.Remove(2, 1);
                t.Line(sb.ToString());
                t.Line("length", sb.Length);
                sb.Length = 4;
                t.Line(sb.ToString());
                sb.Clear();
                sb.AppendLine("line1").AppendLine("line2");
                sb.AppendFormat("{0}-{1}", "x", 9);
                t.Line(sb.ToString());
                sb.Clear();
                sb.Append('=', 3).AppendJoin(",", "a", "b");
                t.Line(sb.ToString());
                t.Line("sb[1]", sb[1].ToString());
                t.Line("ToString(1,2)", sb.ToString(1, 2));
            });
            list.Add("format.stringbuilder-large", t =>
            {
                var sb = new System.Text.StringBuilder();
                for (int i = 0; i < 1000; i++) sb.Append(i % 10);
                t.Line("length", sb.Length);
                string s = sb.ToString();
                t.Line("tail", s.Substring(990));
                t.Line("count of 7", s.Split('7').Length - 1);
            });
        }
    }
}
