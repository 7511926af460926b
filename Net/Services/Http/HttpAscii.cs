using System;

namespace Cosmos.Net.Services.Http
{
    /// <summary>The character classes of HTTP's grammar (RFC 9110 §5.6, RFC 3986 §2) over bytes, and case-insensitive matching.</summary>
    public static class HttpAscii
    {
        public const byte Cr = 13, Lf = 10, Sp = 32, Htab = 9;

        public static bool IsDigit(byte b) => b >= '0' && b <= '9';
        public static bool IsAlpha(byte b) => (b | 0x20) >= 'a' && (b | 0x20) <= 'z';

        /// <summary>tchar = "!" / "#" / "$" / "%" / "&amp;" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA (RFC 9110 §5.6.2).</summary>
        public static bool IsTchar(byte b)
        {
            if (IsAlpha(b) || IsDigit(b)) return true;
            switch (b)
            {
                case (byte)'!': case (byte)'#': case (byte)'$': case (byte)'%': case (byte)'&': case (byte)'\'':
                case (byte)'*': case (byte)'+': case (byte)'-': case (byte)'.': case (byte)'^': case (byte)'_':
                case (byte)'`': case (byte)'|': case (byte)'~':
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>A byte a field value may hold: VCHAR, obs-text, SP or HTAB (RFC 9110 §5.5); no other control.</summary>
        public static bool IsFieldValueByte(byte b) => b == Sp || b == Htab || (b > 0x20 && b != 0x7F);

        /// <summary>A byte of uri-host [":" port]: unreserved, pct-encoded, sub-delims, ":" and the IP-literal brackets (RFC 3986 §3.2.2).</summary>
        public static bool IsHostByte(byte b)
        {
            if (IsAlpha(b) || IsDigit(b)) return true;
            switch (b)
            {
                case (byte)'-': case (byte)'.': case (byte)'_': case (byte)'~': case (byte)'%':
                case (byte)'!': case (byte)'$': case (byte)'&': case (byte)'\'': case (byte)'(': case (byte)')':
                case (byte)'*': case (byte)'+': case (byte)',': case (byte)';': case (byte)'=':
                case (byte)':': case (byte)'[': case (byte)']':
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>True if <paramref name="bytes"/> is <paramref name="lowercase"/> ignoring ASCII case (names and tokens are case-insensitive).</summary>
        public static bool EqualsIgnoreCase(ReadOnlySpan<byte> bytes, string lowercase)
        {
            if (bytes.Length != lowercase.Length) return false;
            for (int i = 0; i < bytes.Length; i++)
            {
                byte b = bytes[i];
                if (b >= 'A' && b <= 'Z') b = (byte)(b | 0x20);
                if (b != lowercase[i]) return false;
            }
            return true;
        }

        /// <summary>True if <paramref name="bytes"/> is exactly <paramref name="text"/> (case-sensitive, as methods and paths are).</summary>
        public static bool Matches(ReadOnlySpan<byte> bytes, string text)
        {
            if (bytes.Length != text.Length) return false;
            for (int i = 0; i < bytes.Length; i++) if (bytes[i] != text[i]) return false;
            return true;
        }

        /// <summary>The span without leading and trailing SP and HTAB (OWS).</summary>
        public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> s)
        {
            int start = 0, end = s.Length;
            while (start < end && (s[start] == Sp || s[start] == Htab)) start++;
            while (end > start && (s[end - 1] == Sp || s[end - 1] == Htab)) end--;
            return s.Slice(start, end - start);
        }
    }
}
