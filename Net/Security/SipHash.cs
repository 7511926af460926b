using System;

namespace Cosmos.Net.Security
{
    /// <summary>
    /// SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012): a keyed hash for short
    /// inputs, the pseudorandom function F of RFC 6528's initial sequence numbers (Linux uses it for the same).
    /// Pure: the key comes from the caller.
    /// </summary>
    public static class SipHash
    {
        public static ulong Hash(ulong k0, ulong k1, ReadOnlySpan<byte> message)
        {
            ulong v0 = 0x736f6d6570736575UL ^ k0;
            ulong v1 = 0x646f72616e646f6dUL ^ k1;
            ulong v2 = 0x6c7967656e657261UL ^ k0;
            ulong v3 = 0x7465646279746573UL ^ k1;
            int whole = message.Length & ~7;
            for (int i = 0; i < whole; i += 8)
            {
                ulong m = ReadLittle64(message, i, 8);
                v3 ^= m;
                Round(ref v0, ref v1, ref v2, ref v3);
                Round(ref v0, ref v1, ref v2, ref v3);
                v0 ^= m;
            }
            ulong last = (ulong)(byte)message.Length << 56 | ReadLittle64(message, whole, message.Length - whole);
            v3 ^= last;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= last;
            v2 ^= 0xFF;
            for (int i = 0; i < 4; i++) Round(ref v0, ref v1, ref v2, ref v3);
            return v0 ^ v1 ^ v2 ^ v3;
        }

        private static ulong ReadLittle64(ReadOnlySpan<byte> b, int at, int count)
        {
            ulong m = 0;
            for (int i = 0; i < count; i++) m |= (ulong)b[at + i] << (8 * i);
            return m;
        }

        private static ulong Rotl(ulong x, int b) => x << b | x >> (64 - b);

        private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
        {
            v0 += v1; v1 = Rotl(v1, 13); v1 ^= v0; v0 = Rotl(v0, 32);
            v2 += v3; v3 = Rotl(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Rotl(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Rotl(v1, 17); v1 ^= v2; v2 = Rotl(v2, 32);
        }
    }
}
