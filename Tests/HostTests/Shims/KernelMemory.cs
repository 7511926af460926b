namespace Cosmos.Hal.Runtime
{
    /// <summary>Host version of the kernel's ownership hook: the BCL's GC owns memory here.</summary>
    public static class KernelMemory
    {
        public static void Release(object owned) { }
    }
}
