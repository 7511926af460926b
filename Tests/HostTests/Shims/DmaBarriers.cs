namespace Cosmos.Hal.Memory
{
    /// <summary>Host version of the kernel's DMA barriers: full fences (the device model runs on the same thread).</summary>
    public static class DmaBarriers
    {
        public static void Write() => System.Threading.Interlocked.MemoryBarrier();
        public static void Read() => System.Threading.Interlocked.MemoryBarrier();
        public static void Full() => System.Threading.Interlocked.MemoryBarrier();
    }
}
