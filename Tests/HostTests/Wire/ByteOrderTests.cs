using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cosmos.Net.Wire;
using CsCheck;
using Xunit;

namespace Cosmos.HostTests.Wire;

/// <summary>
/// Wire fields (Be16/Be32) hold their values in network byte order (RFC 1700 "Data Notations": most significant
/// byte first), in memory and in a span at any offset, and convert only through Value and Of.
/// </summary>
public sealed class ByteOrderTests
{
    [Fact]
    public void SizesAndAlignmentAreThoseOfTheBytes()
    {
        Assert.Equal(2, Unsafe.SizeOf<Be16>());
        Assert.Equal(4, Unsafe.SizeOf<Be32>());
        // Alignment 1: in a struct after one byte, the field starts at offset 1 (a wire field may sit anywhere).
        Assert.Equal(1, (int)Marshal.OffsetOf<AfterAByte16>(nameof(AfterAByte16.Field)));
        Assert.Equal(1, (int)Marshal.OffsetOf<AfterAByte32>(nameof(AfterAByte32.Field)));
        Assert.Equal(3, Unsafe.SizeOf<AfterAByte16>());
        Assert.Equal(5, Unsafe.SizeOf<AfterAByte32>());
    }

#pragma warning disable CS0649 // layouts only, never written
    private struct AfterAByte16 { public byte Before; public Be16 Field; }
    private struct AfterAByte32 { public byte Before; public Be32 Field; }
#pragma warning restore CS0649

    [Fact]
    public void TheMostSignificantByteComesFirstInMemory()
    {
        Be16[] a = [Be16.Of(0x0102)];
        Assert.Equal(new byte[] { 0x01, 0x02 }, MemoryMarshal.AsBytes(a.AsSpan()).ToArray());
        Be32[] b = [Be32.Of(0x11223344)];
        Assert.Equal(new byte[] { 0x11, 0x22, 0x33, 0x44 }, MemoryMarshal.AsBytes(b.AsSpan()).ToArray());
        // And the other way: bytes laid over by the CPU read as the network-order number.
        Assert.Equal(0xABCD, MemoryMarshal.Read<Be16>([0xAB, 0xCD]).Value);
        Assert.Equal(0xDEADBEEFu, MemoryMarshal.Read<Be32>([0xDE, 0xAD, 0xBE, 0xEF]).Value);
    }

    [Fact]
    public void ReadAndWriteAtAnyOffsetAgreeWithBinaryPrimitivesAndTheMemoryLayout()
    {
        Gen.Select(Gen.UShort, Gen.UInt, Gen.Int[0, 12]).Sample((v16, v32, offset) =>
        {
            var bytes = new byte[16];
            Be16.Of(v16).Write(bytes, offset);
            Assert.Equal(v16, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(offset)));
            Assert.Equal(v16, Be16.Read(bytes, offset).Value);
            Assert.Equal(Be16.Of(v16), MemoryMarshal.Read<Be16>(bytes.AsSpan(offset)));
            Assert.True(bytes.AsSpan(0, offset).IndexOfAnyExcept((byte)0) < 0 && bytes.AsSpan(offset + 2).IndexOfAnyExcept((byte)0) < 0); // nothing else touched

            Array.Clear(bytes);
            Be32.Of(v32).Write(bytes, offset);
            Assert.Equal(v32, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset)));
            Assert.Equal(v32, Be32.Read(bytes, offset).Value);
            Assert.Equal(Be32.Of(v32), MemoryMarshal.Read<Be32>(bytes.AsSpan(offset)));
            Assert.True(bytes.AsSpan(0, offset).IndexOfAnyExcept((byte)0) < 0 && bytes.AsSpan(offset + 4).IndexOfAnyExcept((byte)0) < 0);
        });
    }

    [Fact]
    public void EqualityIsThatOfTheValues()
    {
        Gen.Select(Gen.UShort, Gen.UShort, Gen.UInt, Gen.UInt).Sample((a, b, c, d) =>
        {
            Assert.Equal(a == b, Be16.Of(a) == Be16.Of(b));
            Assert.Equal(a != b, Be16.Of(a) != Be16.Of(b));
            Assert.Equal(c == d, Be32.Of(c) == Be32.Of(d));
            Assert.Equal(c == d, Be32.Of(c).Equals(Be32.Of(d)));
        });
    }

    [Fact]
    public void ReadingPastTheEndIsABugThatThrowsOnTheHost()
    {
        Assert.Throws<IndexOutOfRangeException>(() => Be16.Read(new byte[3], 2));
        Assert.Throws<IndexOutOfRangeException>(() => Be32.Read(new byte[4], 1));
        Assert.Throws<IndexOutOfRangeException>(() => Be32.Of(1).Write(new byte[4], 1));
    }

    [Fact]
    public void Ipv4AddressesAreReadAndWrittenInNetworkOrder()
    {
        byte[] bytes = [0, 10, 0, 2, 15, 0];
        Assert.Equal(new Ipv4Address(10, 0, 2, 15), Ipv4Address.Read(bytes, 1));
        var out4 = new byte[6];
        new Ipv4Address(192, 0, 2, 7).Write(out4, 2);
        Assert.Equal(new byte[] { 0, 0, 192, 0, 2, 7 }, out4);
    }
}
