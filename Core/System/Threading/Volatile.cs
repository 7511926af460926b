namespace System.Threading
{
    /// <summary>
    /// Reads and writes the compiler may not cache, merge or reorder with other volatile accesses (the
    /// IL <c>volatile.</c> prefix through volatile fields). For ring indexes a device updates in memory.
    /// </summary>
    public static class Volatile
    {
        private struct VolatileByte { public volatile byte Value; }
        private struct VolatileUInt16 { public volatile ushort Value; }
        private struct VolatileUInt32 { public volatile uint Value; }
        private struct VolatileInt32 { public volatile int Value; }
        private unsafe struct VolatileUInt64 { public volatile void* Value; }

        public static byte Read(ref byte location) => System.Runtime.CompilerServices.Unsafe.As<byte, VolatileByte>(ref location).Value;
        public static ushort Read(ref ushort location) => System.Runtime.CompilerServices.Unsafe.As<ushort, VolatileUInt16>(ref location).Value;
        public static uint Read(ref uint location) => System.Runtime.CompilerServices.Unsafe.As<uint, VolatileUInt32>(ref location).Value;
        public static int Read(ref int location) => System.Runtime.CompilerServices.Unsafe.As<int, VolatileInt32>(ref location).Value;
        public static unsafe ulong Read(ref ulong location) => (ulong)System.Runtime.CompilerServices.Unsafe.As<ulong, VolatileUInt64>(ref location).Value;

        public static void Write(ref byte location, byte value) => System.Runtime.CompilerServices.Unsafe.As<byte, VolatileByte>(ref location).Value = value;
        public static void Write(ref ushort location, ushort value) => System.Runtime.CompilerServices.Unsafe.As<ushort, VolatileUInt16>(ref location).Value = value;
        public static void Write(ref uint location, uint value) => System.Runtime.CompilerServices.Unsafe.As<uint, VolatileUInt32>(ref location).Value = value;
        public static void Write(ref int location, int value) => System.Runtime.CompilerServices.Unsafe.As<int, VolatileInt32>(ref location).Value = value;
        public static unsafe void Write(ref ulong location, ulong value) => System.Runtime.CompilerServices.Unsafe.As<ulong, VolatileUInt64>(ref location).Value = (void*)value;
    }


}
