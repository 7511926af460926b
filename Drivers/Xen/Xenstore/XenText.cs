using System;

namespace Cosmos.Drivers.Xen.Xenstore
{
    /// <summary>Xenstore paths and values are NUL-free ASCII; these convert them without an encoding library.</summary>
    public static class XenText
    {
        /// <summary>Writes <paramref name="text"/> as bytes; -1 if it does not fit or is not 7-bit ASCII.</summary>
        public static int Encode(ReadOnlySpan<char> text, Span<byte> destination)
        {
            if (text.Length > destination.Length) return -1;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == 0 || c > 0x7E) return -1;
                destination[i] = (byte)c;
            }
            return text.Length;
        }

        /// <summary>A string of the bytes, with anything outside printable ASCII replaced by '?'.</summary>
        public static string Decode(ReadOnlySpan<byte> bytes)
        {
            Span<char> chars = bytes.Length <= 512 ? stackalloc char[bytes.Length] : new char[bytes.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                byte b = bytes[i];
                chars[i] = b >= 0x20 && b < 0x7F ? (char)b : '?';
            }
            return new string(chars);
        }

        /// <summary>A decimal number (as xenstore keeps them); false if anything else is in the text.</summary>
        public static bool TryParseUInt(ReadOnlySpan<char> text, out uint value)
        {
            value = 0;
            if (text.Length == 0 || text.Length > 10) return false;
            ulong v = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9') return false;
                v = v * 10 + (uint)(c - '0');
            }
            if (v > uint.MaxValue) return false;
            value = (uint)v;
            return true;
        }

        public static string FromUInt(uint value) => ((long)value).ToString();

        /// <summary>"aa:bb:cc:dd:ee:ff" (the "mac" key of a vif, xenstore-paths.pandoc) into six bytes.</summary>
        public static bool TryParseMac(ReadOnlySpan<char> text, Span<byte> mac)
        {
            if (text.Length != 17 || mac.Length < 6) return false;
            for (int i = 0; i < 6; i++)
            {
                if (i > 0 && text[i * 3 - 1] != ':') return false;
                int hi = HexValue(text[i * 3]), lo = HexValue(text[i * 3 + 1]);
                if (hi < 0 || lo < 0) return false;
                mac[i] = (byte)(hi << 4 | lo);
            }
            return true;
        }

        private static int HexValue(char c) =>
            c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
