using System;

namespace Cosmos.Kernel.SelfTests.Shared
{
    /// <summary>
    /// Raw Ethernet frames the kernel and the runner's peer exchange to prove a NIC driver end to end
    /// (EtherType 0x88B5, IEEE local experimental). This file is compiled into both the kernel and the runner.
    /// <code>
    /// 0  6 dst | 6  6 src | 12 2 ethertype 0x88B5
    /// 14 4 "CNET" | 18 1 kind | 19 3 zero | 22 4 sequence (BE) | 26 4 count (BE) | 30.. pattern
    /// </code>
    /// Data frame <c>s</c> is <see cref="DataLength"/>(s) bytes long (60 to 1514) and byte i from 30 on is
    /// <see cref="PatternByte"/>(s, i), so a frame that arrives cut, padded, reordered or altered is caught.
    /// Flow: the kernel says Hello until the peer answers; each side sends Count data frames with at most
    /// <see cref="Window"/> unacknowledged; the receiver acknowledges (Ack, sequence = frames received in
    /// order) every <see cref="AckEvery"/> frames and when idle; a sender that hears nothing goes back to
    /// the last acknowledged frame.
    /// </summary>
    public static class ExchangeProtocol
    {
        public const ushort EtherType = 0x88B5;
        public const int HeaderLength = 30;
        public const int MinFrame = 60, MaxFrame = 1514;
        public const int Window = 64;
        public const int AckEvery = 16;

        public const byte Hello = 1, DataFromKernel = 2, DataFromPeer = 3, Ack = 4;

        public static int DataLength(uint sequence) => MinFrame + (int)(sequence * 7919u % (uint)(MaxFrame - MinFrame + 1));

        public static byte PatternByte(uint sequence, int index) => (byte)(sequence * 31u + (uint)index * 7u);

        /// <summary>Writes a frame; returns its length. Data frames get their pattern; others are MinFrame long.</summary>
        public static int Write(Span<byte> frame, ReadOnlySpan<byte> destination, ReadOnlySpan<byte> source, byte kind, uint sequence, uint count)
        {
            int length = kind == DataFromKernel || kind == DataFromPeer ? DataLength(sequence) : MinFrame;
            for (int i = 0; i < 6; i++) { frame[i] = destination[i]; frame[6 + i] = source[i]; }
            frame[12] = EtherType >> 8;
            frame[13] = EtherType & 0xFF;
            frame[14] = (byte)'C'; frame[15] = (byte)'N'; frame[16] = (byte)'E'; frame[17] = (byte)'T';
            frame[18] = kind;
            frame[19] = 0; frame[20] = 0; frame[21] = 0;
            WriteBigEndian(frame.Slice(22), sequence);
            WriteBigEndian(frame.Slice(26), count);
            for (int i = HeaderLength; i < length; i++) frame[i] = PatternByte(sequence, i);
            return length;
        }

        public static bool TryParse(ReadOnlySpan<byte> frame, out byte kind, out uint sequence, out uint count)
        {
            kind = 0;
            sequence = 0;
            count = 0;
            if (frame.Length < HeaderLength || frame[12] != EtherType >> 8 || frame[13] != (EtherType & 0xFF)) return false;
            if (frame[14] != 'C' || frame[15] != 'N' || frame[16] != 'E' || frame[17] != 'T') return false;
            kind = frame[18];
            sequence = ReadBigEndian(frame.Slice(22));
            count = ReadBigEndian(frame.Slice(26));
            return true;
        }

        /// <summary>True when a data frame has exactly its length and pattern.</summary>
        public static bool IsIntact(ReadOnlySpan<byte> frame, uint sequence)
        {
            if (frame.Length != DataLength(sequence)) return false;
            for (int i = HeaderLength; i < frame.Length; i++)
                if (frame[i] != PatternByte(sequence, i)) return false;
            return true;
        }

        private static void WriteBigEndian(Span<byte> b, uint v)
        {
            b[0] = (byte)(v >> 24); b[1] = (byte)(v >> 16); b[2] = (byte)(v >> 8); b[3] = (byte)v;
        }

        private static uint ReadBigEndian(ReadOnlySpan<byte> b) => (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }
}
