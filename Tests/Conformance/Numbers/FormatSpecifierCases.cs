#nullable disable
using System;

namespace Cosmos.Conformance
{
    /// <summary>One case per integer format specifier, each over the same values of every integer type.</summary>
    public static class FormatSpecifierCases
    {
        private static readonly string[] Specifiers =
        {
            "", "G", "g", "D", "d", "D1", "D4", "D10", "X", "x", "X2", "X8", "x16", "N", "N0", "N3", "n1", "F", "F0", "F3", "f2",
        };

        public static void Register(CaseList list)
        {
            foreach (string spec in Specifiers)
            {
                string format = spec;
                // Case names are lower case: "X8" becomes "upper-x8", "x16" "lower-x16".
                string name = format.Length == 0 ? "empty" : (char.IsUpper(format[0]) ? "upper-" : "lower-") + format.ToLowerInvariant();
                list.Add("format.specifier-" + name, t =>
                {
                    t.Line("int", 0.ToString(format) + " " + 7.ToString(format) + " " + (-42).ToString(format) + " " + int.MaxValue.ToString(format) + " " + int.MinValue.ToString(format));
                    t.Line("long", (-1L).ToString(format) + " " + 1234567890123L.ToString(format) + " " + long.MinValue.ToString(format));
                    t.Line("uint ulong", 4000000000u.ToString(format) + " " + ulong.MaxValue.ToString(format));
                    t.Line("short ushort", ((short)-300).ToString(format) + " " + ((ushort)60000).ToString(format));
                    t.Line("byte sbyte", ((byte)171).ToString(format) + " " + ((sbyte)-5).ToString(format));
                    t.Line("interpolated", $"[{12345}] [{-6}]");
                });
            }
        }
    }
}
