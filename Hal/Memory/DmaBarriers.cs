using Cosmos.Hal.Cpu;

namespace Cosmos.Hal.Memory
{
    /// <summary>
    /// Ordering between the CPU and a device sharing memory, on x86-64 with write-back memory (TSO):
    /// stores are not reordered with stores, nor loads with loads, so the write and read barriers only
    /// have to stop the compiler (an opaque call does that); a store followed by a load of another
    /// location can be reordered by the CPU, so that case needs a full fence (mfence). These match Linux's
    /// virt_wmb / virt_rmb / virt_mb on x86. Every use site says what must be visible before what.
    /// </summary>
    public static class DmaBarriers
    {
        /// <summary>Earlier stores become visible to the device before later stores.</summary>
        public static void Write() => CpuNative.CompilerBarrier();

        /// <summary>Earlier loads complete before later loads.</summary>
        public static void Read() => CpuNative.CompilerBarrier();

        /// <summary>Earlier stores are visible before later loads.</summary>
        public static void Full() => CpuNative.MemoryBarrier();
    }
}
