namespace Cosmos.Hal.Runtime
{
    /// <summary>
    /// Returns an object the caller owns to the kernel heap. Shared code calls this rather than the
    /// allocator directly, so host tests can compile the same sources with a no-op version (the BCL's GC
    /// owns memory there).
    /// </summary>
    public static class KernelMemory
    {
        public static void Release(object owned) => System.Runtime.Allocator.Free(owned);
    }
}
