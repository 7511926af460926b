namespace Cosmos.Hal.Network
{
    /// <summary>
    /// Host stand-in for the kernel's assembly word loop (Kernel/Boot/cpu.asm, checksum_sum64), same contract:
    /// the one's-complement sum with end-around carry of native 64-bit words. The kernel's own self-test
    /// checks the assembly against a byte-wise RFC 1071 reference.
    /// </summary>
    internal static unsafe class ChecksumWords
    {
        public static ulong Sum(byte* data, nuint qwords)
        {
            ulong accumulator = 0;
            for (nuint i = 0; i < qwords; i++)
            {
                ulong word = ((ulong*)data)[i]; // unaligned loads are fine on x86-64
                accumulator += word;
                if (accumulator < word) accumulator++; // end-around carry
            }
            return accumulator;
        }
    }
}
