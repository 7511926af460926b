namespace Cosmos.Hal.Memory
{
    /// <summary>Host version of the kernel's Atomic (Hal/Memory/Atomic.cs) over System.Threading.Interlocked.</summary>
    public static unsafe class Atomic
    {
        public static byte Read8(byte* p) => Volatile.Read(ref *p);
        public static void Write8(byte* p, byte value) => Volatile.Write(ref *p, value);
        public static ushort Read16(ushort* p) => Volatile.Read(ref *p);
        public static void Write16(ushort* p, ushort value) => Volatile.Write(ref *p, value);
        public static uint Read32(uint* p) => Volatile.Read(ref *p);
        public static void Write32(uint* p, uint value) => Volatile.Write(ref *p, value);
        public static ulong Read64(ulong* p) => Volatile.Read(ref *p);
        public static ulong Exchange64(ulong* p, ulong value) => Interlocked.Exchange(ref *p, value);
        public static bool TestAndClearBit(ulong* p, int bit) => (Interlocked.And(ref *p, ~(1UL << bit)) & (1UL << bit)) != 0;
        public static void SetBit(ulong* p, int bit) => Interlocked.Or(ref *p, 1UL << bit);
        public static ushort CompareExchange16(ushort* p, ushort expected, ushort value) => Interlocked.CompareExchange(ref *p, value, expected);
    }
}
