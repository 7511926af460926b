#nullable disable
using System;

namespace Cosmos.Conformance
{
    /// <summary>
    /// What a conformance case writes: plain lines, compared one by one between .NET on the host and the
    /// kernel. Text with newlines becomes several lines. Cases must only write what both should agree on:
    /// no addresses, no timings, no raw stack traces (use <see cref="Mentions"/>).
    /// Compiled twice, so it only uses what the kernel's corlib has (no interpolation, no LINQ, no lists).
    /// </summary>
    public sealed class Transcript
    {
        private readonly Action<string> _sink;

        public Transcript(Action<string> sink) { _sink = sink; }

        public void Line(string text)
        {
            if (text == null) { _sink("(null)"); return; }
            int start = 0;
            for (int i = 0; i <= text.Length; i++)
            {
                if (i < text.Length && text[i] != '\n') continue;
                _sink(Text.Slice(text, start, i - start));
                start = i + 1;
            }
        }

        public void Line(string label, string value) => Line(string.Concat(label, ": ", value ?? "(null)"));
        public void Line(string label, int value) => Line(label, value.ToString());
        public void Line(string label, bool value) => Line(label, value ? "True" : "False");

        /// <summary>"label: Full.Type.Name: message".</summary>
        public void Caught(string label, Exception e) =>
            Line(label, e == null ? "(no exception)" : string.Concat(e.GetType().FullName, ": ", e.Message));

        /// <summary>Whether a stack trace names a method (ilc's mangled names contain the C# name).</summary>
        public static bool Mentions(string stackTrace, string methodName) => stackTrace != null && Text.IndexOf(stackTrace, methodName) >= 0;

        /// <summary>Whether a stack trace names <paramref name="inner"/> before (inside of) <paramref name="outer"/>.</summary>
        public static bool MentionsInOrder(string stackTrace, string inner, string outer)
        {
            if (stackTrace == null) return false;
            int i = Text.IndexOf(stackTrace, inner), o = Text.IndexOf(stackTrace, outer);
            return i >= 0 && o >= 0 && i < o;
        }

        /// <summary>ToString() without the "   at ..." frame lines, which differ by design between the two runtimes.</summary>
        public void ExceptionText(string label, Exception e)
        {
            string text = e.ToString();
            int start = 0;
            for (int i = 0; i <= text.Length; i++)
            {
                if (i < text.Length && text[i] != '\n') continue;
                string line = Text.Slice(text, start, i - start);
                if (!Text.StartsWith(line, "   at ")) Line(label, line);
                start = i + 1;
            }
        }
    }

    /// <summary>String helpers both corlibs have the parts for.</summary>
    public static class Text
    {
        public static string Slice(string s, int start, int length) => new string(s.AsSpan().Slice(start, length));

        public static int IndexOf(string haystack, string needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int k = 0;
                while (k < needle.Length && haystack[i + k] == needle[k]) k++;
                if (k == needle.Length) return i;
            }
            return -1;
        }

        public static bool StartsWith(string s, string prefix) => s.Length >= prefix.Length && IndexOf(Slice(s, 0, prefix.Length), prefix) == 0;

        public static int Count(string haystack, string needle)
        {
            int n = 0;
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int k = 0;
                while (k < needle.Length && haystack[i + k] == needle[k]) k++;
                if (k == needle.Length) n++;
            }
            return n;
        }
    }
}
