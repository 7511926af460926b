#nullable disable
using System;
using System.Text;

namespace Cosmos.Conformance
{
    /// <summary>string methods against .NET's (ordinal comparisons; the host runs with invariant globalization).</summary>
    public static class StringCases
    {
        private static string Parts(string[] parts) => parts.Length + ":[" + string.Join("|", parts) + "]";

        public static void Register(CaseList list)
        {
            list.Add("string.split-char", t =>
            {
                t.Line(Parts("a,b,,c".Split(',')));
                t.Line(Parts("a,b,,c".Split(',', StringSplitOptions.RemoveEmptyEntries)));
                t.Line(Parts(" a , b ,c ".Split(',', StringSplitOptions.TrimEntries)));
                t.Line(Parts(" a , , c ".Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
                t.Line(Parts("a,b,c,d".Split(',', 2)));
                t.Line(Parts("".Split(',')));
                t.Line(Parts(",".Split(',')));
            });
            list.Add("string.split-many", t =>
            {
                t.Line(Parts("a;b,c d".Split(';', ',', ' ')));
                t.Line(Parts("one  two\tthree\nfour".Split()));
                t.Line(Parts("one  two".Split((char[])null, StringSplitOptions.RemoveEmptyEntries)));
                t.Line(Parts("a--b--c".Split("--")));
                t.Line(Parts("a--b----c".Split("--", StringSplitOptions.RemoveEmptyEntries)));
                t.Line(Parts("a<>b<=>c".Split(new[] { "<>", "<=>" }, StringSplitOptions.None)));
                t.Line(Parts("abc".Split("")));
            });
            list.Add("string.join-concat", t =>
            {
                t.Line(string.Join(", ", new[] { "x", "y", "z" }));
                t.Line(string.Join("-", 1, 2, 3));
                t.Line(string.Join('/', new[] { "usr", "local", "bin" }));
                t.Line(string.Join(",", new string[0]));
                t.Line(string.Join("+", new[] { "a", null, "c" }));
                t.Line(string.Concat("a", "b", "c", "d"));
                t.Line(string.Concat(new[] { "1", "2", "3", "4", "5" }));
                t.Line(string.Concat("x", null));
                t.Line(string.Concat(1, 'c', true));
                string s = "n=" + 5 + ", b=" + true + ", c=" + 'q' + ", l=" + 7L;
                t.Line(s);
            });
            list.Add("string.substring-indexof", t =>
            {
                string s = "hello, world";
                t.Line(s.Substring(7));
                t.Line(s.Substring(0, 5));
                t.Line("IndexOf o", s.IndexOf('o'));
                t.Line("IndexOf o from 5", s.IndexOf('o', 5));
                t.Line("IndexOf world", s.IndexOf("world"));
                t.Line("IndexOf WORLD ignore case", s.IndexOf("WORLD", StringComparison.OrdinalIgnoreCase));
                t.Line("IndexOf empty", s.IndexOf(""));
                t.Line("LastIndexOf o", s.LastIndexOf('o'));
                t.Line("LastIndexOf l", s.LastIndexOf("l"));
                t.Line("IndexOfAny", s.IndexOfAny(new[] { 'w', ',' }));
                t.Line("missing", s.IndexOf("xyz"));
                try { s.IndexOf('h', 20); }
                catch (ArgumentOutOfRangeException e) { t.Caught("start past the end", e); }
            });
            list.Add("string.contains-starts-ends", t =>
            {
                string s = "Kernel.Boot.Start";
                t.Line("Contains Boot", s.Contains("Boot"));
                t.Line("Contains boot", s.Contains("boot"));
                t.Line("Contains boot ignore case", s.Contains("boot", StringComparison.OrdinalIgnoreCase));
                t.Line("Contains char", s.Contains('.'));
                t.Line("StartsWith Kernel", s.StartsWith("Kernel", StringComparison.Ordinal));
                t.Line("StartsWith kernel ignore case", s.StartsWith("kernel", StringComparison.OrdinalIgnoreCase));
                t.Line("EndsWith Start", s.EndsWith("Start", StringComparison.Ordinal));
                t.Line("EndsWith start", s.EndsWith("start", StringComparison.Ordinal));
                t.Line("StartsWith char", s.StartsWith('K'));
                t.Line("EndsWith char", s.EndsWith('t'));
                t.Line("StartsWith empty", s.StartsWith("", StringComparison.Ordinal));
                try { s.StartsWith(null, StringComparison.Ordinal); }
                catch (ArgumentNullException e) { t.Caught("null prefix", e); }
            });
            list.Add("string.replace", t =>
            {
                t.Line("a-b-c".Replace('-', '+'));
                t.Line("the cat sat on the mat".Replace("at", "og"));
                t.Line("aaaa".Replace("aa", "b"));
                t.Line("abc".Replace("x", "y"));
                t.Line("remove spaces".Replace(" ", ""));
                t.Line("null new value".Replace("new ", null));
                t.Line("Hello HELLO hello".Replace("hello", "bye", StringComparison.OrdinalIgnoreCase));
                try { "abc".Replace("", "x"); }
                catch (ArgumentException e) { t.Caught("empty old value", e); }
            });
            list.Add("string.trim", t =>
            {
                t.Line("[" + "  padded \t\n".Trim() + "]");
                t.Line("[" + "  padded  ".TrimStart() + "]");
                t.Line("[" + "  padded  ".TrimEnd() + "]");
                t.Line("[" + "xxhixx".Trim('x') + "]");
                t.Line("[" + "-=hi=-".Trim('-', '=') + "]");
                t.Line("[" + "001200".TrimStart('0') + "]");
                t.Line("[" + "001200".TrimEnd('0') + "]");
                t.Line("[" + "   ".Trim() + "]");
                t.Line("[" + "\u00a0nbsp\u2003".Trim() + "]");
            });
            list.Add("string.case", t =>
            {
                t.Line("Hello, World 42!".ToUpperInvariant());
                t.Line("Hello, World 42!".ToLowerInvariant());
                t.Line("ÀÉÎõü".ToUpperInvariant());
                t.Line("ÀÉÎõü".ToLowerInvariant());
                t.Line("ToUpper", "mixed Case".ToUpper());
                t.Line("ToLower", "MIXED Case".ToLower());
            });
            list.Add("string.compare-equals", t =>
            {
                t.Line("CompareOrdinal sign", Math.Sign(string.CompareOrdinal("apple", "apricot")));
                t.Line("CompareOrdinal prefix", Math.Sign(string.CompareOrdinal("app", "apple")));
                t.Line("CompareOrdinal equal", string.CompareOrdinal("same", "same"));
                t.Line("Compare ignore case", string.Compare("ABC", "abc", StringComparison.OrdinalIgnoreCase));
                t.Line("Compare null", Math.Sign(string.Compare(null, "a", StringComparison.Ordinal)));
                t.Line("Equals", string.Equals("a", "a"));
                t.Line("Equals ignore case", string.Equals("a", "A", StringComparison.OrdinalIgnoreCase));
                t.Line("Equals ordinal", "a".Equals("A", StringComparison.Ordinal));
                t.Line("==", "x" + "y" == "xy");
                t.Line("CompareTo sign", Math.Sign("b".CompareTo("a")));
                t.Line("IsNullOrEmpty", string.IsNullOrEmpty(""));
                t.Line("IsNullOrWhiteSpace", string.IsNullOrWhiteSpace(" \t"));
                t.Line("hash equal", "abc".GetHashCode() == ("ab" + "c").GetHashCode());
            });
            list.Add("string.pad-insert-remove", t =>
            {
                t.Line("[" + "42".PadLeft(5) + "]");
                t.Line("[" + "42".PadLeft(5, '0') + "]");
                t.Line("[" + "42".PadRight(5, '.') + "]");
                t.Line("[" + "toolong".PadLeft(3) + "]");
                t.Line("abcdef".Insert(3, "-"));
                t.Line("abcdef".Remove(2));
                t.Line("abcdef".Remove(1, 3));
                t.Line(new string('*', 5));
                t.Line(new string(new[] { 'c', 'h', 'a', 'r', 's' }));
                t.Line(new string(new[] { 'x', 'y', 'z' }, 1, 2));
                t.Line("chars", string.Join(",", "abc".ToCharArray()));
            });
            list.Add("string.chars", t =>
            {
                t.Line("IsDigit", char.IsDigit('7'));
                t.Line("IsLetter", char.IsLetter('é'));
                t.Line("IsLetter digit", char.IsLetter('1'));
                t.Line("IsWhiteSpace", char.IsWhiteSpace('\t'));
                t.Line("IsUpper", char.IsUpper('Q'));
                t.Line("IsLower", char.IsLower('Q'));
                t.Line("IsPunctuation", char.IsPunctuation('!'));
                t.Line("IsLetterOrDigit", char.IsLetterOrDigit('_'));
                t.Line("ToUpper", char.ToUpperInvariant('ß').ToString());
                t.Line("ToLower", char.ToLowerInvariant('Ä').ToString());
                t.Line("char ToString", 'z'.ToString());
                t.Line("char arithmetic", ((char)('a' + 2)).ToString());
                t.Line("CompareTo", 'a'.CompareTo('c'));
            });
            list.Add("string.foreach-and-index", t =>
            {
                int vowels = 0;
                foreach (char c in "conformance") if ("aeiou".IndexOf(c) >= 0) vowels++;
                t.Line("vowels", vowels);
                string s = "index";
                t.Line("last char", s[s.Length - 1].ToString());
                t.Line("range", s[1..3]);
                t.Line("from end", s[^2].ToString());
                try { t.Line(s[10].ToString()); }
                catch (IndexOutOfRangeException e) { t.Caught("s[10]", e); }
            });
            list.Add("string.errors", t =>
            {
                try { "abc".Substring(4); }
                catch (ArgumentOutOfRangeException e) { t.Caught("Substring(4)", e); }
                try { "abc".Substring(1, 5); }
                catch (ArgumentOutOfRangeException e) { t.Caught("Substring(1, 5)", e); }
                try { string.Join(",", (string[])null); }
                catch (ArgumentNullException e) { t.Caught("Join null", e); }
                try { "abc".PadLeft(-1); }
                catch (ArgumentOutOfRangeException e) { t.Caught("PadLeft(-1)", e); }
            });
            list.Add("string.span-helpers", t =>
            {
                ReadOnlySpan<char> span = "  key = value  ".AsSpan().Trim();
                int eq = span.IndexOf('=');
                t.Line("key", new string(span.Slice(0, eq).TrimEnd()));
                t.Line("value", new string(span.Slice(eq + 1).TrimStart()));
                t.Line("StartsWith", span.StartsWith("key".AsSpan()));
                t.Line("Equals ignore case", "ABC".AsSpan().Equals("abc".AsSpan(), StringComparison.OrdinalIgnoreCase));
                t.Line("SequenceEqual", "abc".AsSpan().SequenceEqual("abc".AsSpan()));
                t.Line("span ToString", "slice me".AsSpan(6).ToString());
                t.Line("LastIndexOf", "a.b.c".AsSpan().LastIndexOf('.'));
                t.Line("IndexOf span", "haystack".AsSpan().IndexOf("st".AsSpan()));
            });
        }
    }
}
