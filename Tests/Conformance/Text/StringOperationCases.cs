#nullable disable
using System;
using System.Collections.Generic;
using System.Linq;

namespace Cosmos.Conformance
{
    /// <summary>One case per string operation, each applied to the same tricky inputs (empty, spaces, repeats, non-ASCII).</summary>
    public static class StringOperationCases
    {
        private static readonly string[] Inputs = { "", " ", "a", "abc", "  Hello, World  ", "aaa", "a,b,,c,", "MiXeD cAsE", "tab\there", "übergröße", "x.y.z" };

        private static string Show(string s) => s == null ? "(null)" : "<" + s + ">";

        private static readonly (string Name, Func<string, string> Op)[] Operations =
        {
            ("trim", s => Show(s.Trim())),
            ("trim-start-end", s => Show(s.TrimStart()) + Show(s.TrimEnd())),
            ("trim-chars", s => Show(s.Trim('a', ' ', ','))),
            ("upper-lower", s => Show(s.ToUpperInvariant()) + Show(s.ToLowerInvariant())),
            ("split-comma", s => string.Join("|", s.Split(',').Select(Show))),
            ("split-space-remove-empty", s => string.Join("|", s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Show))),
            ("replace-a", s => Show(s.Replace("a", "[A]"))),
            ("replace-char", s => Show(s.Replace('l', 'L'))),
            ("index-of", s => s.IndexOf('a') + " " + s.IndexOf("b") + " " + s.LastIndexOf('a') + " " + s.IndexOf("", StringComparison.Ordinal)),
            ("contains", s => s.Contains("a") + " " + s.Contains("A", StringComparison.OrdinalIgnoreCase) + " " + s.Contains(' ')),
            ("starts-ends", s => s.StartsWith("a", StringComparison.Ordinal) + " " + s.EndsWith(" ", StringComparison.Ordinal) + " " + s.StartsWith("", StringComparison.Ordinal)),
            ("pad", s => Show(s.PadLeft(6, '*')) + Show(s.PadRight(6, '-'))),
            ("substring-half", s => Show(s.Substring(s.Length / 2))),
            ("reverse", s => Show(new string(s.Reverse().ToArray()))),
            ("char-classes", s => s.Count(char.IsLetter) + " " + s.Count(char.IsWhiteSpace) + " " + s.Count(char.IsUpper) + " " + s.Count(char.IsPunctuation)),
            ("concat-join", s => Show(string.Concat(s, "|", s)) + Show(string.Join("+", s, s))),
            ("compare-ordinal", s => Math.Sign(string.CompareOrdinal(s, "abc")) + " " + string.Equals(s, "ABC", StringComparison.OrdinalIgnoreCase)),
            ("insert-remove", s => Show(s.Insert(s.Length, "!")) + Show(s.Length > 0 ? s.Remove(0, 1) : s)),
            ("to-char-array", s => string.Join(",", s.ToCharArray().Select(c => ((int)c).ToString("X")))),
            ("is-null-or", s => string.IsNullOrEmpty(s) + " " + string.IsNullOrWhiteSpace(s)),
        };

        public static void Register(CaseList list)
        {
            foreach (var (name, op) in Operations)
            {
                var operation = op;
                list.Add("stringop." + name, t =>
                {
                    foreach (string input in Inputs) t.Line(Show(input), operation(input));
                });
            }
        }
    }
}
