using System;

namespace Cosmos.Hal.Config
{
    /// <summary>
    /// The kernel command line: space-separated <c>key=value</c> or bare <c>flag</c> words, e.g.
    /// <c>test=all net.ip=10.0.2.15/24 virtio.transport=modern</c>. A later word overrides an earlier
    /// one with the same key. Pure parsing, shared with the host tests.
    /// </summary>
    public sealed class CommandLine
    {
        public const int MaxLength = 1024;
        private readonly char[] _text;
        private readonly int _length;

        public CommandLine(ReadOnlySpan<char> text)
        {
            _length = Math.Min(text.Length, MaxLength);
            _text = new char[_length];
            for (int i = 0; i < _length; i++)
            {
                char c = text[i];
                _text[i] = c == '\t' || c == '\n' || c == '\r' ? ' ' : c;
            }
        }

        public static CommandLine FromAscii(ReadOnlySpan<byte> bytes)
        {
            int n = Math.Min(bytes.Length, MaxLength);
            char[] chars = new char[n];
            for (int i = 0; i < n; i++) chars[i] = bytes[i] is >= 0x20 and < 0x7F ? (char)bytes[i] : ' ';
            var line = new CommandLine(chars);
            Runtime.KernelMemory.Release(chars);
            return line;
        }

        public ReadOnlySpan<char> Text => new ReadOnlySpan<char>(_text, 0, _length);

        /// <summary>True if the word <paramref name="key"/> (with or without a value) is present.</summary>
        public bool Has(string key) => TryGet(key, out _);

        private static bool SameText(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return false;
            return true;
        }

        /// <summary>The value of the last <c>key=value</c> word; a bare flag has an empty value.</summary>
        public bool TryGet(scoped ReadOnlySpan<char> key, out ReadOnlySpan<char> value)
        {
            value = default;
            bool found = false;
            ReadOnlySpan<char> text = Text;
            int i = 0;
            while (i < text.Length)
            {
                while (i < text.Length && text[i] == ' ') i++;
                int start = i;
                while (i < text.Length && text[i] != ' ') i++;
                ReadOnlySpan<char> word = text.Slice(start, i - start);
                if (word.Length == 0) continue;
                int eq = word.IndexOf('=');
                ReadOnlySpan<char> name = eq < 0 ? word : word.Slice(0, eq);
                if (SameText(name, key))
                {
                    value = eq < 0 ? default : word.Slice(eq + 1);
                    found = true;
                }
            }
            return found;
        }

        public ReadOnlySpan<char> Get(string key, ReadOnlySpan<char> fallback = default) =>
            TryGet(key, out var v) ? v : fallback;

        public bool Is(string key, string expected) => TryGet(key, out var v) && v.SequenceEqual(expected);

        /// <summary>Decimal integer value, or the fallback when absent or malformed.</summary>
        public long GetInteger(string key, long fallback)
        {
            if (!TryGet(key, out var v) || v.Length == 0 || v.Length > 18) return fallback;
            long result = 0;
            for (int i = 0; i < v.Length; i++)
            {
                if (v[i] < '0' || v[i] > '9') return fallback;
                result = result * 10 + (v[i] - '0');
            }
            return result;
        }
    }
}
