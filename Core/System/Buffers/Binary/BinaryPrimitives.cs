namespace System.Buffers.Binary
{
    /// <summary>
    /// .NET's BinaryPrimitives: integers read from and written to spans in a stated byte order. The Read/Write forms
    /// throw ArgumentOutOfRangeException when the span is too short; the Try forms answer false.
    /// </summary>
    public static class BinaryPrimitives
    {
        public static ushort ReverseEndianness(ushort value) => (ushort)((value >> 8) | (value << 8));
        public static short ReverseEndianness(short value) => (short)ReverseEndianness((ushort)value);
        public static uint ReverseEndianness(uint value) => (value >> 24) | ((value >> 8) & 0xFF00) | ((value << 8) & 0xFF0000) | (value << 24);
        public static int ReverseEndianness(int value) => (int)ReverseEndianness((uint)value);
        public static ulong ReverseEndianness(ulong value) => ((ulong)ReverseEndianness((uint)value) << 32) | ReverseEndianness((uint)(value >> 32));
        public static long ReverseEndianness(long value) => (long)ReverseEndianness((ulong)value);
        public static byte ReverseEndianness(byte value) => value;

        private static ulong ReadBig(ReadOnlySpan<byte> source, int size)
        {
            if (source.Length < size) throw new ArgumentOutOfRangeException("length");
            ulong v = 0;
            for (int i = 0; i < size; i++) v = (v << 8) | source[i];
            return v;
        }

        private static ulong ReadLittle(ReadOnlySpan<byte> source, int size)
        {
            if (source.Length < size) throw new ArgumentOutOfRangeException("length");
            ulong v = 0;
            for (int i = size - 1; i >= 0; i--) v = (v << 8) | source[i];
            return v;
        }

        private static bool WriteBig(Span<byte> destination, ulong value, int size)
        {
            if (destination.Length < size) return false;
            for (int i = size - 1; i >= 0; i--) { destination[i] = (byte)value; value >>= 8; }
            return true;
        }

        private static bool WriteLittle(Span<byte> destination, ulong value, int size)
        {
            if (destination.Length < size) return false;
            for (int i = 0; i < size; i++) { destination[i] = (byte)value; value >>= 8; }
            return true;
        }

        private static void Require(bool written)
        {
            if (!written) throw new ArgumentOutOfRangeException("length");
        }

        public static ushort ReadUInt16BigEndian(ReadOnlySpan<byte> source) => (ushort)ReadBig(source, 2);
        public static short ReadInt16BigEndian(ReadOnlySpan<byte> source) => (short)ReadBig(source, 2);
        public static uint ReadUInt32BigEndian(ReadOnlySpan<byte> source) => (uint)ReadBig(source, 4);
        public static int ReadInt32BigEndian(ReadOnlySpan<byte> source) => (int)ReadBig(source, 4);
        public static ulong ReadUInt64BigEndian(ReadOnlySpan<byte> source) => ReadBig(source, 8);
        public static long ReadInt64BigEndian(ReadOnlySpan<byte> source) => (long)ReadBig(source, 8);
        public static ushort ReadUInt16LittleEndian(ReadOnlySpan<byte> source) => (ushort)ReadLittle(source, 2);
        public static short ReadInt16LittleEndian(ReadOnlySpan<byte> source) => (short)ReadLittle(source, 2);
        public static uint ReadUInt32LittleEndian(ReadOnlySpan<byte> source) => (uint)ReadLittle(source, 4);
        public static int ReadInt32LittleEndian(ReadOnlySpan<byte> source) => (int)ReadLittle(source, 4);
        public static ulong ReadUInt64LittleEndian(ReadOnlySpan<byte> source) => ReadLittle(source, 8);
        public static long ReadInt64LittleEndian(ReadOnlySpan<byte> source) => (long)ReadLittle(source, 8);

        public static void WriteUInt16BigEndian(Span<byte> destination, ushort value) => Require(WriteBig(destination, value, 2));
        public static void WriteInt16BigEndian(Span<byte> destination, short value) => Require(WriteBig(destination, (ulong)value, 2));
        public static void WriteUInt32BigEndian(Span<byte> destination, uint value) => Require(WriteBig(destination, value, 4));
        public static void WriteInt32BigEndian(Span<byte> destination, int value) => Require(WriteBig(destination, (ulong)value, 4));
        public static void WriteUInt64BigEndian(Span<byte> destination, ulong value) => Require(WriteBig(destination, value, 8));
        public static void WriteInt64BigEndian(Span<byte> destination, long value) => Require(WriteBig(destination, (ulong)value, 8));
        public static void WriteUInt16LittleEndian(Span<byte> destination, ushort value) => Require(WriteLittle(destination, value, 2));
        public static void WriteInt16LittleEndian(Span<byte> destination, short value) => Require(WriteLittle(destination, (ulong)value, 2));
        public static void WriteUInt32LittleEndian(Span<byte> destination, uint value) => Require(WriteLittle(destination, value, 4));
        public static void WriteInt32LittleEndian(Span<byte> destination, int value) => Require(WriteLittle(destination, (ulong)value, 4));
        public static void WriteUInt64LittleEndian(Span<byte> destination, ulong value) => Require(WriteLittle(destination, value, 8));
        public static void WriteInt64LittleEndian(Span<byte> destination, long value) => Require(WriteLittle(destination, (ulong)value, 8));

        public static bool TryReadUInt16BigEndian(ReadOnlySpan<byte> source, out ushort value)
        {
            value = source.Length >= 2 ? (ushort)ReadBig(source, 2) : (ushort)0;
            return source.Length >= 2;
        }

        public static bool TryReadUInt32BigEndian(ReadOnlySpan<byte> source, out uint value)
        {
            value = source.Length >= 4 ? (uint)ReadBig(source, 4) : 0;
            return source.Length >= 4;
        }

        public static bool TryReadInt32LittleEndian(ReadOnlySpan<byte> source, out int value)
        {
            value = source.Length >= 4 ? (int)ReadLittle(source, 4) : 0;
            return source.Length >= 4;
        }

        public static bool TryWriteUInt16BigEndian(Span<byte> destination, ushort value) => WriteBig(destination, value, 2);
        public static bool TryWriteUInt32BigEndian(Span<byte> destination, uint value) => WriteBig(destination, value, 4);
        public static bool TryWriteUInt64BigEndian(Span<byte> destination, ulong value) => WriteBig(destination, value, 8);
        public static bool TryWriteInt32LittleEndian(Span<byte> destination, int value) => WriteLittle(destination, (ulong)value, 4);
    }
}
