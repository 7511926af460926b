using System;

namespace Cosmos.Hal.Diagnostics
{
    /// <summary>
    /// The kernel's symbol map, built at link time by <c>nm -n -S</c> and loaded by GRUB as a module:
    /// one "address size name" line per symbol (hex, sorted by address). Lookups answer which method
    /// or type contains an address, for panics. Parsing never reads past the text it was given.
    /// </summary>
    public sealed unsafe class SymbolTable
    {
        private readonly byte* _text;
        private readonly int _length;
        private int[] _lineStarts;
        private ulong[] _addresses;
        private int _count;

        public int Count => _count;

        /// <summary>
        /// ilc's name prefixes of the compiled assemblies, from the map's "modules" line (space-separated), or
        /// null when the map has none. Type names are read from MethodTable symbols with them.
        /// </summary>
        public string ModulePrefixes { get; }

        public SymbolTable(byte* text, int length)
        {
            _text = text;
            _length = length;
            int lines = 0;
            for (int i = 0; i < length; i++) if (text[i] == '\n') lines++;
            _lineStarts = new int[lines + 1];
            _addresses = new ulong[lines + 1];
            int start = 0;
            for (int i = 0; i <= length; i++)
            {
                if (i < length && text[i] != '\n') continue;
                if (i > start && TryParseHex(start, out ulong address, out _))
                {
                    _lineStarts[_count] = start;
                    _addresses[_count] = address;
                    _count++;
                }
                else if (ModulePrefixes == null && i - start > ModulesKey.Length && StartsWith(start, ModulesKey))
                {
                    ModulePrefixes = ReadAscii(start + ModulesKey.Length, i - start - ModulesKey.Length);
                }
                start = i + 1;
            }
        }

        private const string ModulesKey = "modules ";

        private bool StartsWith(int at, string key)
        {
            for (int k = 0; k < key.Length; k++) if (_text[at + k] != key[k]) return false;
            return true;
        }

        private string ReadAscii(int at, int length)
        {
            while (length > 0 && (_text[at + length - 1] == '\r' || _text[at + length - 1] == ' ')) length--;
            Span<char> chars = length <= 512 ? stackalloc char[512] : new char[length];
            for (int k = 0; k < length; k++) chars[k] = (char)_text[at + k];
            return new string(chars.Slice(0, length));
        }

        private bool TryParseHex(int at, out ulong value, out int end)
        {
            value = 0;
            int i = at;
            while (i < _length && i - at < 16)
            {
                int d = HexDigit(_text[i]);
                if (d < 0) break;
                value = (value << 4) | (uint)d;
                i++;
            }
            end = i;
            return i > at;
        }

        private static int HexDigit(byte c) =>
            c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

        /// <summary>
        /// Finds the symbol whose [address, address + size) contains <paramref name="address"/>, or else the
        /// nearest one below it within 64 KiB. Writes its name to <paramref name="name"/>.
        /// </summary>
        public int Lookup(ulong address, Span<char> name, out ulong symbolStart)
        {
            symbolStart = 0;
            int lo = 0, hi = _count - 1, best = -1;
            while (lo <= hi)
            {
                int mid = (lo + hi) / 2;
                if (_addresses[mid] <= address) { best = mid; lo = mid + 1; } else hi = mid - 1;
            }
            if (best < 0) return 0;
            // Among symbols at the same address, prefer the one with a size that covers the address.
            int line = _lineStarts[best];
            if (!TryParseHex(line, out ulong start, out int p)) return 0;
            ulong size = 0;
            if (p < _length && _text[p] == ' ') TryParseHex(p + 1, out size, out p);
            if (size != 0 ? address >= start + size : address - start > 0x10000) return 0;
            while (p < _length && _text[p] == ' ') p++;
            // ilc names a type's MethodTable "_ZTV<length><name>"; show just the name.
            if (p + 4 < _length && _text[p] == '_' && _text[p + 1] == 'Z' && _text[p + 2] == 'T' && _text[p + 3] == 'V')
            {
                int q = p + 4;
                while (q < _length && _text[q] >= '0' && _text[q] <= '9') q++;
                if (q > p + 4) p = q;
            }
            int n = 0;
            while (p < _length && _text[p] != '\n' && n < name.Length) name[n++] = (char)_text[p++];
            symbolStart = start;
            return n;
        }
    }
}
