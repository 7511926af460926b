#nullable disable
using System;
using System.Text;

namespace Cosmos.Conformance
{
    /// <summary>Encoding.UTF8 and Encoding.ASCII against .NET's, including invalid input.</summary>
    public static class EncodingCases
    {
        private static string Hex(byte[] bytes)
        {
            var sb = new StringBuilder();
            foreach (byte b in bytes) sb.Append(b.ToString("X2"));
            return sb.ToString();
        }

        private static string Codes(string s)
        {
            var sb = new StringBuilder();
            foreach (char c in s) sb.Append(((int)c).ToString("X4")).Append(' ');
            return sb.ToString();
        }

        public static void Register(CaseList list)
        {
            list.Add("encoding.utf8-roundtrip", t =>
            {
                string s = "héllo wörld € 𝄞";
                byte[] bytes = Encoding.UTF8.GetBytes(s);
                t.Line("bytes", Hex(bytes));
                t.Line("count", Encoding.UTF8.GetByteCount(s));
                t.Line("back", Codes(Encoding.UTF8.GetString(bytes)));
                t.Line("char count", Encoding.UTF8.GetCharCount(bytes));
                t.Line("slice", Encoding.UTF8.GetString(bytes, 0, 6));
            });
            list.Add("encoding.utf8-invalid", t =>
            {
                t.Line("lone continuation", Codes(Encoding.UTF8.GetString(new byte[] { 0x41, 0x80, 0x42 })));
                t.Line("truncated", Codes(Encoding.UTF8.GetString(new byte[] { 0x41, 0xE2, 0x82 })));
                t.Line("overlong", Codes(Encoding.UTF8.GetString(new byte[] { 0xC0, 0xAF })));
                t.Line("surrogate encoded", Codes(Encoding.UTF8.GetString(new byte[] { 0xED, 0xA0, 0x80 })));
                t.Line("lone surrogate char", Hex(Encoding.UTF8.GetBytes("a\ud800b")));
                t.Line("FF", Codes(Encoding.UTF8.GetString(new byte[] { 0xFF, 0x41 })));
            });
            list.Add("encoding.ascii", t =>
            {
                t.Line("bytes", Hex(Encoding.ASCII.GetBytes("Hi! é")));
                t.Line("string", Encoding.ASCII.GetString(new byte[] { 0x48, 0x69, 0xC3, 0x7E }));
                t.Line("count", Encoding.ASCII.GetByteCount("abc€"));
            });
            list.Add("encoding.spans", t =>
            {
                Span<byte> buffer = stackalloc byte[16];
                int n = Encoding.UTF8.GetBytes("añb".AsSpan(), buffer);
                t.Line("written", n);
                t.Line("decoded", Encoding.UTF8.GetString(buffer.Slice(0, n)));
                Span<char> chars = stackalloc char[8];
                int c = Encoding.UTF8.GetChars(buffer.Slice(0, n), chars);
                t.Line("chars", c);
                t.Line("max bytes", Encoding.UTF8.GetMaxByteCount(10));
                try { Encoding.UTF8.GetBytes("toolong".AsSpan(), buffer.Slice(0, 3)); }
                catch (ArgumentException e) { t.Caught("small destination", e); }
            });
        }
    }
}
