using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cosmos.Hal.Network
{
    /// <summary>
    /// The word loop of the Internet checksum, in assembly (cpu.asm, checksum_sum64: an adc chain, four words per
    /// turn). The host build (Tools/HostKernel) has its own version in C# with the same contract.
    /// </summary>
    internal static unsafe class ChecksumWords
    {
        /// <summary>One's-complement sum, with end-around carry, of <paramref name="qwords"/> native 64-bit words.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "checksum_sum64")]
        public static extern ulong Sum(byte* data, nuint qwords);
    }
}
