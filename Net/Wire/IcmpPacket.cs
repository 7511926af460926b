using System;

namespace Cosmos.Net.Wire
{
    /// <summary>ICMP (RFC 792): type, code, checksum, then (for echo) identifier, sequence and data. A view, no copy.</summary>
    public readonly ref struct IcmpPacket
    {
        /// <summary>Where each field starts (RFC 792, "Echo or Echo Reply Message"; other types use bytes 4-7 as they please).</summary>
        public static class Field
        {
            public const int Type = 0;          // byte
            public const int Code = 1;          // byte
            public const int Checksum = 2;      // Be16, RFC 1071 over the whole message
            public const int Identifier = 4;    // Be16
            public const int Sequence = 6;      // Be16
            public const int Data = 8;
        }

        public const int HeaderLength = Field.Data;
        public const byte EchoReply = 0, EchoRequest = 8;
        private readonly Span<byte> _buffer;

        private IcmpPacket(Span<byte> buffer) { _buffer = buffer; }

        /// <summary>Checked constructor: a whole header and a checksum that verifies over the message.</summary>
        public static bool TryParse(Span<byte> buffer, out IcmpPacket packet)
        {
            packet = default;
            if (buffer.Length < HeaderLength || Wire.Checksum.Compute(buffer) != 0) return false;
            packet = new IcmpPacket(buffer);
            return true;
        }

        public byte Type => _buffer[Field.Type];
        public byte Code => _buffer[Field.Code];
        public Be16 Identifier => Be16.Read(_buffer, Field.Identifier);
        public Be16 Sequence => Be16.Read(_buffer, Field.Sequence);
        public Span<byte> Data => _buffer.Slice(Field.Data);
        public int Length => _buffer.Length;

        /// <summary>Writes the header and <paramref name="data"/> after it, with the checksum; returns the message length.</summary>
        public static int Emit(Span<byte> buffer, in IcmpRepr repr, ReadOnlySpan<byte> data)
        {
            int length = HeaderLength + data.Length;
            Span<byte> message = buffer.Slice(0, length);
            message[Field.Type] = repr.Type;
            message[Field.Code] = repr.Code;
            Be16.Of(0).Write(message, Field.Checksum);
            Be16.Of(repr.Identifier).Write(message, Field.Identifier);
            Be16.Of(repr.Sequence).Write(message, Field.Sequence);
            data.CopyTo(message.Slice(Field.Data));
            Be16.Of(Wire.Checksum.Compute(message)).Write(message, Field.Checksum);
            return length;
        }
    }
}
