using System;

namespace Cosmos.Net.Wire
{
    /// <summary>
    /// DNS (RFC 1035 §4): a view of a message's header, an A-record query, and the answer section of a response.
    /// Names in responses may use compression pointers (§4.1.4); the walk is bounded, so a pointer loop is rejected,
    /// never followed forever.
    /// </summary>
    public readonly ref struct DnsMessage
    {
        /// <summary>Where each header field starts (RFC 1035 §4.1.1).</summary>
        public static class Field
        {
            public const int Id = 0;                // Be16
            public const int Flags = 2;             // Be16: QR, opcode, AA, TC, RD, RA, Z, RCODE
            public const int QuestionCount = 4;     // Be16: QDCOUNT
            public const int AnswerCount = 6;       // Be16: ANCOUNT
            public const int AuthorityCount = 8;    // Be16: NSCOUNT
            public const int AdditionalCount = 10;  // Be16: ARCOUNT
            public const int Questions = 12;
        }

        /// <summary>A question's fields after its name (RFC 1035 §4.1.2).</summary>
        public static class QuestionField
        {
            public const int Type = 0;              // Be16: QTYPE
            public const int Class = 2;             // Be16: QCLASS
            public const int End = 4;
        }

        /// <summary>A resource record's fields after its name (RFC 1035 §4.1.3).</summary>
        public static class RecordField
        {
            public const int Type = 0;              // Be16
            public const int Class = 2;             // Be16
            public const int TimeToLive = 4;        // Be32
            public const int DataLength = 8;        // Be16: RDLENGTH
            public const int Data = 10;
        }

        /// <summary>The bits of the flags field (RFC 1035 §4.1.1).</summary>
        public static class Flag
        {
            public const ushort Response = 0x8000, Authoritative = 0x0400, Truncated = 0x0200, RecursionDesired = 0x0100, RecursionAvailable = 0x0080;
            public const int OpcodeShift = 11;
            public const ushort OpcodeMask = 0xF, ResponseCodeMask = 0xF;
        }

        public const ushort Port = 53;
        public const int HeaderLength = Field.Questions;
        public const ushort TypeA = 1, ClassIn = 1;
        private readonly ReadOnlySpan<byte> _message;

        private DnsMessage(ReadOnlySpan<byte> message) { _message = message; }

        /// <summary>Checked constructor: a whole header. The sections after it are walked by whoever reads them.</summary>
        public static bool TryParse(ReadOnlySpan<byte> buffer, out DnsMessage message)
        {
            message = default;
            if (buffer.Length < HeaderLength) return false;
            message = new DnsMessage(buffer);
            return true;
        }

        public Be16 Id => Be16.Read(_message, Field.Id);
        public Be16 Flags => Be16.Read(_message, Field.Flags);
        public Be16 QuestionCount => Be16.Read(_message, Field.QuestionCount);
        public Be16 AnswerCount => Be16.Read(_message, Field.AnswerCount);
        public Be16 AuthorityCount => Be16.Read(_message, Field.AuthorityCount);
        public Be16 AdditionalCount => Be16.Read(_message, Field.AdditionalCount);
        /// <summary>The whole message, for walks that resolve compression pointers against it.</summary>
        public ReadOnlySpan<byte> Bytes => _message;

        /// <summary>Writes the 12-byte header; returns its length.</summary>
        public static int Emit(Span<byte> buffer, in DnsRepr repr)
        {
            Span<byte> header = buffer.Slice(0, HeaderLength);
            int flags = (repr.IsResponse ? Flag.Response : 0) | (repr.Opcode & Flag.OpcodeMask) << Flag.OpcodeShift
                | (repr.Authoritative ? Flag.Authoritative : 0) | (repr.Truncated ? Flag.Truncated : 0)
                | (repr.RecursionDesired ? Flag.RecursionDesired : 0) | (repr.RecursionAvailable ? Flag.RecursionAvailable : 0)
                | (repr.ResponseCode & Flag.ResponseCodeMask);
            Be16.Of(repr.Id).Write(header, Field.Id);
            Be16.Of((ushort)flags).Write(header, Field.Flags);
            Be16.Of(repr.QuestionCount).Write(header, Field.QuestionCount);
            Be16.Of(repr.AnswerCount).Write(header, Field.AnswerCount);
            Be16.Of(repr.AuthorityCount).Write(header, Field.AuthorityCount);
            Be16.Of(repr.AdditionalCount).Write(header, Field.AdditionalCount);
            return HeaderLength;
        }

        /// <summary>Writes a recursive query for the A record of <paramref name="name"/>; returns the length, 0 if the name is invalid.</summary>
        public static int EmitQuery(Span<byte> buffer, ushort id, ReadOnlySpan<char> name)
        {
            var header = new DnsRepr { Id = id, RecursionDesired = true, QuestionCount = 1 };
            int at = Emit(buffer, in header);
            int start = 0;
            if (name.Length == 0 || name.Length > 253) return 0;
            for (int i = 0; i <= name.Length; i++)
            {
                if (i < name.Length && name[i] != '.') continue;
                int labelLength = i - start;
                if (labelLength == 0 || labelLength > 63) return 0;
                buffer[at++] = (byte)labelLength;
                for (int k = start; k < i; k++) buffer[at++] = (byte)name[k];
                start = i + 1;
            }
            buffer[at++] = 0;
            Be16.Of(TypeA).Write(buffer, at + QuestionField.Type);
            Be16.Of(ClassIn).Write(buffer, at + QuestionField.Class);
            return at + QuestionField.End;
        }

        /// <summary>The first A record of a response to query <paramref name="id"/>; false on error, NXDOMAIN or no A record.</summary>
        public static bool TryParseAnswer(ReadOnlySpan<byte> bytes, ushort id, out Ipv4Address address, out int responseCode)
        {
            address = default;
            responseCode = -1;
            if (!TryParse(bytes, out DnsMessage message)) return false;
            DnsRepr header = DnsRepr.Parse(in message);
            if (header.Id != id) return false;
            if (!header.IsResponse) return false;
            responseCode = header.ResponseCode;
            if (responseCode != 0) return false;
            int at = HeaderLength;
            for (int q = 0; q < header.QuestionCount; q++)
            {
                if (!SkipName(bytes, ref at) || at + QuestionField.End > bytes.Length) return false;
                at += QuestionField.End;
            }
            for (int a = 0; a < header.AnswerCount; a++)
            {
                if (!SkipName(bytes, ref at) || at + RecordField.Data > bytes.Length) return false;
                ushort type = Be16.Read(bytes, at + RecordField.Type).Value, klass = Be16.Read(bytes, at + RecordField.Class).Value;
                int length = Be16.Read(bytes, at + RecordField.DataLength).Value;
                at += RecordField.Data;
                if (at + length > bytes.Length) return false;
                if (type == TypeA && klass == ClassIn && length == 4)
                {
                    address = Ipv4Address.Read(bytes, at);
                    return true;
                }
                at += length;
            }
            return false;
        }

        /// <summary>Moves past a name (labels, or a compression pointer that ends it).</summary>
        private static bool SkipName(ReadOnlySpan<byte> message, ref int at)
        {
            for (int labels = 0; labels < 128; labels++)
            {
                if (at >= message.Length) return false;
                byte length = message[at];
                if (length == 0) { at++; return true; }
                if ((length & 0xC0) == 0xC0) { if (at + 2 > message.Length) return false; at += 2; return true; }
                if ((length & 0xC0) != 0) return false; // reserved label types
                at += 1 + length;
            }
            return false;
        }
    }
}
