using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cosmos.Hal.Memory
{
    /// <summary>
    /// Locked read-modify-write operations on memory another agent writes concurrently (Xen sets event
    /// channel bits and grant flags from other physical CPUs). Plain volatile accesses for single loads and
    /// stores. The host tests have their own version over System.Threading.Interlocked.
    /// </summary>
    public static unsafe class Atomic
    {
        private const MethodImplOptions Import = MethodImplOptions.InternalCall;

        [MethodImpl(Import), RuntimeImport("*", "atomic_xchg64")] private static extern ulong Xchg64(ulong* p, ulong value);
        [MethodImpl(Import), RuntimeImport("*", "atomic_btr64")] private static extern int Btr64(ulong* p, int bit);
        [MethodImpl(Import), RuntimeImport("*", "atomic_bts64")] private static extern void Bts64(ulong* p, int bit);
        [MethodImpl(Import), RuntimeImport("*", "atomic_cmpxchg16")] private static extern ushort CmpXchg16(ushort* p, ushort expected, ushort value);

        public static byte Read8(byte* p) => System.Threading.Volatile.Read(ref *p);
        public static void Write8(byte* p, byte value) => System.Threading.Volatile.Write(ref *p, value);
        public static ushort Read16(ushort* p) => System.Threading.Volatile.Read(ref *p);
        public static void Write16(ushort* p, ushort value) => System.Threading.Volatile.Write(ref *p, value);
        public static uint Read32(uint* p) => System.Threading.Volatile.Read(ref *p);
        public static void Write32(uint* p, uint value) => System.Threading.Volatile.Write(ref *p, value);
        public static ulong Read64(ulong* p) => System.Threading.Volatile.Read(ref *p);
        public static ulong Exchange64(ulong* p, ulong value) => Xchg64(p, value);
        public static bool TestAndClearBit(ulong* p, int bit) => Btr64(p, bit) != 0;
        public static void SetBit(ulong* p, int bit) => Bts64(p, bit);
        /// <summary>Stores <paramref name="value"/> if the word holds <paramref name="expected"/>; returns what it held.</summary>
        public static ushort CompareExchange16(ushort* p, ushort expected, ushort value) => CmpXchg16(p, expected, value);
    }
}
