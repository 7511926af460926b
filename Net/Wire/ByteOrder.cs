using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cosmos.Net.Wire
{
    // Network byte order. Every multi-byte field of the headers in this folder is big-endian: the most significant
    // byte first (RFC 1700, "Data Notations"; RFC 791 Appendix B). Be16 and Be32 give such fields a type of their
    // own, so a wire field cannot be used as a host number by mistake: code converts at the boundary, explicitly,
    // with Value (wire to host) and Of (host to wire). They hold the bytes as they are on the wire, not an integer:
    // the layout is the same on any CPU, the alignment is 1 (a field may sit at any offset of a frame), and a host
    // test pins the byte layout. The device side has the same idea in little-endian (Drivers/Virtio/Spec/LittleEndian.cs).

    /// <summary>A 16-bit field in network (big-endian) byte order.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 2)]
    public readonly struct Be16
    {
        private readonly byte _high, _low;

        private Be16(byte high, byte low) { _high = high; _low = low; }

        /// <summary>The field as a host number.</summary>
        public ushort Value
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => (ushort)(_high << 8 | _low);
        }

        /// <summary>A host number as a wire field.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Be16 Of(ushort value) => new Be16((byte)(value >> 8), (byte)value);

        /// <summary>The field at <paramref name="offset"/>; the caller has checked the length (an out-of-range read is a bug, not input).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Be16 Read(ReadOnlySpan<byte> bytes, int offset)
        {
            byte low = bytes[offset + 1]; // the last byte first: inlined with a constant offset, its check covers the other
            return new Be16(bytes[offset], low);
        }

        /// <summary>Stores the field at <paramref name="offset"/>, most significant byte first.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Write(Span<byte> bytes, int offset)
        {
            bytes[offset + 1] = _low;
            bytes[offset] = _high;
        }

        public static bool operator ==(Be16 a, Be16 b) => a._high == b._high && a._low == b._low;
        public static bool operator !=(Be16 a, Be16 b) => !(a == b);
        public override bool Equals(object obj) => obj is Be16 other && other == this;
        public override int GetHashCode() => Value;
    }

    /// <summary>A 32-bit field in network (big-endian) byte order.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 4)]
    public readonly struct Be32
    {
        private readonly byte _b0, _b1, _b2, _b3; // _b0 most significant

        private Be32(byte b0, byte b1, byte b2, byte b3) { _b0 = b0; _b1 = b1; _b2 = b2; _b3 = b3; }

        /// <summary>The field as a host number.</summary>
        public uint Value
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => (uint)(_b0 << 24 | _b1 << 16 | _b2 << 8 | _b3);
        }

        /// <summary>A host number as a wire field.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Be32 Of(uint value) => new Be32((byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value);

        /// <summary>The field at <paramref name="offset"/>; the caller has checked the length.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Be32 Read(ReadOnlySpan<byte> bytes, int offset)
        {
            byte b3 = bytes[offset + 3]; // the last byte first, as in Be16.Read
            return new Be32(bytes[offset], bytes[offset + 1], bytes[offset + 2], b3);
        }

        /// <summary>Stores the field at <paramref name="offset"/>, most significant byte first.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Write(Span<byte> bytes, int offset)
        {
            bytes[offset + 3] = _b3;
            bytes[offset + 2] = _b2;
            bytes[offset + 1] = _b1;
            bytes[offset] = _b0;
        }

        public static bool operator ==(Be32 a, Be32 b) => a.Value == b.Value;
        public static bool operator !=(Be32 a, Be32 b) => a.Value != b.Value;
        public override bool Equals(object obj) => obj is Be32 other && other == this;
        public override int GetHashCode() => (int)Value;
    }
}
