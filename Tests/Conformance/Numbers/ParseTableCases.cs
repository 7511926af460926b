#nullable disable
using System;
using System.Collections.Generic;

namespace Cosmos.Conformance
{
    /// <summary>One case per numeric type: Parse of the same inputs, with the exception (type and message) when it refuses.</summary>
    public static class ParseTableCases
    {
        private static readonly string[] Inputs =
        {
            "0", "1", "-1", "+1", "  12  ", "\t34\n", "007", "-0", "127", "128", "255", "256", "-129", "32768", "65536",
            "2147483648", "4294967296", "9223372036854775808", "18446744073709551616", "1.0", "1e2", "", " ", "-", "+", "1-", "0x1F",
        };

        private static void Run(Transcript t, Func<string, string> parse)
        {
            foreach (string input in Inputs)
            {
                string shown = "'" + input.Replace("\t", "\\t").Replace("\n", "\\n") + "'";
                try { t.Line(shown, parse(input)); }
                catch (FormatException e) { t.Caught(shown, e); }
                catch (OverflowException e) { t.Caught(shown, e); }
            }
        }

        public static void Register(CaseList list)
        {
            list.Add("parsetable.sbyte", t => Run(t, s => sbyte.Parse(s).ToString()));
            list.Add("parsetable.byte", t => Run(t, s => byte.Parse(s).ToString()));
            list.Add("parsetable.short", t => Run(t, s => short.Parse(s).ToString()));
            list.Add("parsetable.ushort", t => Run(t, s => ushort.Parse(s).ToString()));
            list.Add("parsetable.int", t => Run(t, s => int.Parse(s).ToString()));
            list.Add("parsetable.uint", t => Run(t, s => uint.Parse(s).ToString()));
            list.Add("parsetable.long", t => Run(t, s => long.Parse(s).ToString()));
            list.Add("parsetable.ulong", t => Run(t, s => ulong.Parse(s).ToString()));
            list.Add("parsetable.double", t => Run(t, s => double.Parse(s).ToString()));
            list.Add("parsetable.bool", t => Run(t, s => bool.TryParse(s, out bool b) ? b.ToString() : "no"));
        }
    }
}
