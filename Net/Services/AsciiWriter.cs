using System;
using Cosmos.Hal.Network;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Services
{
    /// <summary>Writes ASCII text into a byte span without allocating (for HTTP responses); stops at the end.</summary>
    public ref struct AsciiWriter
    {
        private readonly Span<byte> _buffer;
        public int Length { get; private set; }

        public AsciiWriter(Span<byte> buffer)
        {
            _buffer = buffer;
            Length = 0;
        }

        public void Write(char c)
        {
            if (Length < _buffer.Length) _buffer[Length++] = (byte)(c < 128 ? c : '?');
        }

        public void Write(string s)
        {
            if (s == null) return;
            for (int i = 0; i < s.Length; i++) Write(s[i]);
        }

        public void Write(scoped ReadOnlySpan<char> s)
        {
            for (int i = 0; i < s.Length; i++) Write(s[i]);
        }

        public void Write(long value)
        {
            Span<char> digits = stackalloc char[24];
            value.TryFormat(digits, out int n);
            Write(digits.Slice(0, n));
        }

        public void WriteHex(ulong value, int width)
        {
            Span<char> digits = stackalloc char[16];
            const string hex = "0123456789abcdef";
            for (int i = width - 1; i >= 0; i--) { digits[i] = hex[(int)(value & 0xF)]; value >>= 4; }
            Write(digits.Slice(0, width));
        }

        public void Write(MacAddress mac)
        {
            Span<byte> b = stackalloc byte[6];
            mac.CopyTo(b);
            for (int i = 0; i < 6; i++) { if (i > 0) Write(':'); WriteHex(b[i], 2); }
        }

        public void Write(Ipv4Address address)
        {
            Span<char> text = stackalloc char[16];
            Write(text.Slice(0, address.Format(text)));
        }

        public void Line(string label, long value) { Write(label); Write(value); Write('\n'); }
    }
}
