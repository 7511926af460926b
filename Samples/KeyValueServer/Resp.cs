using System;
using System.Collections.Generic;
using System.Text;

namespace KeyValueServer
{
    public enum ParseResult { Complete, Incomplete, Error }

    /// <summary>
    /// Reads commands in RESP2 (an array of bulk strings: "*N\r\n" then "$len\r\n" bytes "\r\n" per argument), and the
    /// inline form a person types (words on one line), as Redis's protocol description gives them.
    /// </summary>
    public static class RespReader
    {
        public const int MaxArguments = 1024 * 1024;
        public const int MaxBulk = 16 * 1024 * 1024;

        public static ParseResult TryParse(byte[] buffer, ref int position, int end, Arguments arguments, out string error)
        {
            error = null;
            arguments.Reset(buffer);
            int at = position;
            if (at >= end) return ParseResult.Incomplete;
            if (buffer[at] != (byte)'*') return ParseInline(buffer, ref position, end, arguments);
            if (!TryReadNumber(buffer, ref at, end, out long count, out bool bad)) return bad ? Fail("invalid multibulk length", out error) : ParseResult.Incomplete;
            if (count > MaxArguments) return Fail("invalid multibulk length", out error);
            for (long i = 0; i < count; i++)
            {
                if (at >= end) return ParseResult.Incomplete;
                if (buffer[at] != (byte)'$') return Fail("expected '$', got '" + (char)buffer[at] + "'", out error);
                if (!TryReadNumber(buffer, ref at, end, out long length, out bad)) return bad ? Fail("invalid bulk length", out error) : ParseResult.Incomplete;
                if (length < 0 || length > MaxBulk) return Fail("invalid bulk length", out error);
                if (end - at < length + 2) return ParseResult.Incomplete;
                int start = at;
                at += (int)length;
                if (buffer[at] != (byte)'\r' || buffer[at + 1] != (byte)'\n') return Fail("invalid bulk length", out error);
                at += 2;
                arguments.Add(start, (int)length);
            }
            position = at;
            return ParseResult.Complete;
        }

        /// <summary>"*123\r\n" or "$5\r\n" from the marker: the number, or false when the line is not all here (or malformed: bad).</summary>
        private static bool TryReadNumber(byte[] buffer, ref int at, int end, out long value, out bool bad)
        {
            value = 0;
            bad = false;
            int i = at + 1;
            bool negative = i < end && buffer[i] == (byte)'-';
            if (negative) i++;
            int digits = 0;
            for (; i < end && buffer[i] != (byte)'\r'; i++)
            {
                if (buffer[i] < (byte)'0' || buffer[i] > (byte)'9' || ++digits > 18) { bad = true; return false; }
                value = value * 10 + (buffer[i] - '0');
            }
            if (i + 1 >= end) return false;
            if (buffer[i + 1] != (byte)'\n' || digits == 0) { bad = true; return false; }
            if (negative) value = -value;
            at = i + 2;
            return true;
        }

        private static ParseResult ParseInline(byte[] buffer, ref int position, int end, Arguments arguments)
        {
            int newline = Array.IndexOf(buffer, (byte)'\n', position, end - position);
            if (newline < 0) return ParseResult.Incomplete;
            int lineEnd = newline > position && buffer[newline - 1] == (byte)'\r' ? newline - 1 : newline;
            for (int i = position; i < lineEnd;)
            {
                if (buffer[i] == (byte)' ') { i++; continue; }
                int j = i;
                while (j < lineEnd && buffer[j] != (byte)' ') j++;
                arguments.Add(i, j - i);
                i = j;
            }
            position = newline + 1;
            return ParseResult.Complete;
        }

        private static ParseResult Fail(string message, out string error)
        {
            error = "Protocol error: " + message;
            return ParseResult.Error;
        }
    }

    /// <summary>Replies in RESP2, gathered in one buffer and written once per batch of commands (pipelining).</summary>
    public sealed class RespWriter
    {
        private byte[] _buffer = new byte[16384];
        public int Length { get; private set; }
        public byte[] Buffer => _buffer;

        public void Clear() => Length = 0;

        public void Simple(string text) { Byte((byte)'+'); Ascii(text); Crlf(); }
        public void Error(string text) { Byte((byte)'-'); Ascii(text); Crlf(); }
        public void Integer(long value) { Byte((byte)':'); Decimal(value); Crlf(); }
        public void Nil() => Ascii("$-1\r\n");
        public void NilArray() => Ascii("*-1\r\n");
        public void ArrayHeader(int count) { Byte((byte)'*'); Decimal(count); Crlf(); }

        public void Bulk(byte[] value) => Bulk((ReadOnlySpan<byte>)value);

        public void Bulk(ReadOnlySpan<byte> value)
        {
            Byte((byte)'$');
            Decimal(value.Length);
            Crlf();
            Reserve(value.Length);
            value.CopyTo(_buffer.AsSpan(Length));
            Length += value.Length;
            Crlf();
        }

        public void Bulk(string value) => Bulk(Encoding.UTF8.GetBytes(value));

        private void Crlf() { Byte((byte)'\r'); Byte((byte)'\n'); }

        private void Byte(byte b)
        {
            Reserve(1);
            _buffer[Length++] = b;
        }

        /// <summary>A number in decimal, written straight into the buffer (a reply carries one or more per value).</summary>
        private void Decimal(long value)
        {
            Reserve(20);
            if (value < 0)
            {
                _buffer[Length++] = (byte)'-';
                if (value == long.MinValue) { Ascii("9223372036854775808"); return; }
                value = -value;
            }
            int digits = 1;
            for (long rest = value / 10; rest != 0; rest /= 10) digits++;
            for (int i = digits - 1; i >= 0; i--, value /= 10) _buffer[Length + i] = (byte)('0' + value % 10);
            Length += digits;
        }

        private void Ascii(string text)
        {
            Reserve(text.Length);
            for (int i = 0; i < text.Length; i++) _buffer[Length++] = (byte)text[i];
        }

        private void Reserve(int more)
        {
            if (Length + more <= _buffer.Length) return;
            int size = _buffer.Length * 2;
            while (size < Length + more) size *= 2;
            var larger = new byte[size];
            Array.Copy(_buffer, larger, Length);
            _buffer = larger;
        }
    }
}
