using System;

namespace Cosmos.Net.Wire
{
    /// <summary>
    /// DNS (RFC 1035 §4): an A-record query, and the answer section of a response. Names in responses may use
    /// compression pointers (§4.1.4); the walk is bounded, so a pointer loop is rejected, never followed forever.
    /// </summary>
    public static class DnsMessage
    {
        public const ushort Port = 53;
        public const int HeaderLength = 12;
        private const ushort TypeA = 1, ClassIn = 1;

        /// <summary>Writes a recursive query for the A record of <paramref name="name"/>; returns the length, 0 if the name is invalid.</summary>
        public static int EmitQuery(Span<byte> buffer, ushort id, ReadOnlySpan<char> name)
        {
            NetworkOrder.Write16(buffer, 0, id);
            NetworkOrder.Write16(buffer, 2, 0x0100); // RD: recursion desired
            NetworkOrder.Write16(buffer, 4, 1);      // QDCOUNT
            NetworkOrder.Write16(buffer, 6, 0);
            NetworkOrder.Write16(buffer, 8, 0);
            NetworkOrder.Write16(buffer, 10, 0);
            int at = HeaderLength;
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
            NetworkOrder.Write16(buffer, at, TypeA);
            NetworkOrder.Write16(buffer, at + 2, ClassIn);
            return at + 4;
        }

        /// <summary>The first A record of a response to query <paramref name="id"/>; false on error, NXDOMAIN or no A record.</summary>
        public static bool TryParseAnswer(ReadOnlySpan<byte> message, ushort id, out Ipv4Address address, out int responseCode)
        {
            address = default;
            responseCode = -1;
            if (message.Length < HeaderLength || NetworkOrder.Read16(message, 0) != id) return false;
            ushort flags = NetworkOrder.Read16(message, 2);
            if ((flags & 0x8000) == 0) return false; // not a response
            responseCode = flags & 0xF;
            if (responseCode != 0) return false;
            int questions = NetworkOrder.Read16(message, 4), answers = NetworkOrder.Read16(message, 6);
            int at = HeaderLength;
            for (int q = 0; q < questions; q++)
            {
                if (!SkipName(message, ref at) || at + 4 > message.Length) return false;
                at += 4;
            }
            for (int a = 0; a < answers; a++)
            {
                if (!SkipName(message, ref at) || at + 10 > message.Length) return false;
                ushort type = NetworkOrder.Read16(message, at), klass = NetworkOrder.Read16(message, at + 2);
                int length = NetworkOrder.Read16(message, at + 8);
                at += 10;
                if (at + length > message.Length) return false;
                if (type == TypeA && klass == ClassIn && length == 4)
                {
                    address = Ipv4Address.Read(message, at);
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
