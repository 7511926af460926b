using System;

namespace Cosmos.Net.Wire
{
    /// <summary>ICMP (RFC 792): type, code, checksum, then (for echo) identifier, sequence and data.</summary>
    public readonly ref struct IcmpPacket
    {
        public const int HeaderLength = 8;
        public const byte EchoReply = 0, EchoRequest = 8;
        private readonly Span<byte> _buffer;

        private IcmpPacket(Span<byte> buffer) { _buffer = buffer; }

        public static bool TryParse(Span<byte> buffer, out IcmpPacket packet)
        {
            packet = default;
            if (buffer.Length < HeaderLength || Checksum.Compute(buffer) != 0) return false;
            packet = new IcmpPacket(buffer);
            return true;
        }

        public byte Type => _buffer[0];
        public byte Code => _buffer[1];
        public ushort Identifier => NetworkOrder.Read16(_buffer, 4);
        public ushort Sequence => NetworkOrder.Read16(_buffer, 6);
        public Span<byte> Data => _buffer.Slice(HeaderLength);
        public int Length => _buffer.Length;

        /// <summary>Writes an echo request or reply with <paramref name="data"/>; returns its length.</summary>
        public static int EmitEcho(Span<byte> buffer, byte type, ushort identifier, ushort sequence, ReadOnlySpan<byte> data)
        {
            buffer[0] = type;
            buffer[1] = 0;
            NetworkOrder.Write16(buffer, 2, 0);
            NetworkOrder.Write16(buffer, 4, identifier);
            NetworkOrder.Write16(buffer, 6, sequence);
            data.CopyTo(buffer.Slice(HeaderLength));
            int length = HeaderLength + data.Length;
            NetworkOrder.Write16(buffer, 2, Checksum.Compute(buffer.Slice(0, length)));
            return length;
        }
    }
}
