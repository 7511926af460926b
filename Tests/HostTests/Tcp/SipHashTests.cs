using Cosmos.Net.Protocols.Tcp;
using Cosmos.Net.Security;
using Cosmos.Net.Wire;
using Xunit;

namespace Cosmos.HostTests.Tcp;

/// <summary>SipHash-2-4 against the reference vectors, and RFC 6528's ISN built on it.</summary>
public sealed class SipHashTests
{
    private const ulong K0 = 0x0706050403020100UL, K1 = 0x0f0e0d0c0b0a0908UL;

    [Theory]
    // veorq/SipHash vectors.h: key 00..0f, message 00..(n-1); little-endian outputs read as 64-bit numbers.
    [InlineData(0, 0x726fdb47dd0e0e31UL)]
    [InlineData(1, 0x74f839c593dc67fdUL)]
    [InlineData(2, 0x0d6c8009d9a94f5aUL)]
    [InlineData(3, 0x85676696d7fb7e2dUL)]
    [InlineData(7, 0xab0200f58b01d137UL)]
    [InlineData(8, 0x93f5f5799a932462UL)]
    [InlineData(9, 0x9e0082df0ba9e4b0UL)]
    [InlineData(15, 0xa129ca6149be45e5UL)]
    public void MatchesTheReferenceVectors(int length, ulong expected)
    {
        byte[] message = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        Assert.Equal(expected, SipHash.Hash(K0, K1, message));
    }

    private static readonly Ipv4Address Local = new(10, 0, 2, 15), Remote = new(10, 0, 2, 2);

    [Fact]
    public void IsnIsTheClockPlusAKeyedHashOfTheFourTuple()
    {
        var isn = new InitialSequenceNumbers(1, 2);
        uint a = isn.Next(Local, 80, Remote, 40000, 0);
        // RFC 6528 §3: M ticks every 4 microseconds; the same 4-tuple moves with the clock only.
        Assert.Equal(a + 250u, isn.Next(Local, 80, Remote, 40000, 1000));
        Assert.Equal(a + 1u, isn.Next(Local, 80, Remote, 40000, 4));
        // Another port, another key: unrelated numbers.
        uint b = isn.Next(Local, 80, Remote, 40001, 0);
        Assert.NotEqual(a, b);
        Assert.NotEqual(1u, b - a);
        var other = new InitialSequenceNumbers(1, 3);
        Assert.NotEqual(a, other.Next(Local, 80, Remote, 40000, 0));
        // Not guessable from neighbours: over many source ports the differences spread over the whole space.
        var differences = Enumerable.Range(40000, 2000).Select(p => isn.Next(Local, 80, Remote, (ushort)p, 0) - a).ToArray();
        Assert.True(differences.Distinct().Count() > 1990);
        Assert.True(differences.Count(d => d < 1u << 31) is > 900 and < 1100, "the high bit is as often set as clear");
        // The timestamp offset and the ISN come from the same key but are independent.
        Assert.NotEqual(isn.TimestampOffset(Local, 80, Remote, 40000), a);
    }
}
