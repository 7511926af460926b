using System.Runtime;
using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>
    /// .NET's GC class over the kernel's collector (Core/Runtime/GarbageCollector.cs). There is one generation:
    /// every collection is full, so each generation's count is the number of collections, and
    /// <see cref="MaxGeneration"/> is 0. Finalizers are not run (there is no finalizer thread); objects with one
    /// are reclaimed like any other.
    /// </summary>
    public static class GC
    {
        public static int MaxGeneration => 0;

        public static void Collect() => GarbageCollector.TryCollect();

        public static void Collect(int generation)
        {
            if (generation < 0) throw new ArgumentOutOfRangeException(nameof(generation), "The generation must be non-negative.");
            GarbageCollector.TryCollect();
        }

        public static int CollectionCount(int generation)
        {
            if (generation < 0) throw new ArgumentOutOfRangeException(nameof(generation), "The generation must be non-negative.");
            return (int)GarbageCollector.Collections;
        }

        /// <summary>Bytes of the objects allocated and not yet reclaimed; with <paramref name="forceFullCollection"/>, after a collection.</summary>
        public static long GetTotalMemory(bool forceFullCollection)
        {
            if (forceFullCollection) GarbageCollector.TryCollect();
            return Allocator.LiveBytes;
        }

        /// <summary>Bytes allocated since the start (every object's exact size).</summary>
        public static long GetTotalAllocatedBytes(bool precise = false) => Allocator.TotalAllocatedBytes;

        public static long GetAllocatedBytesForCurrentThread() => Allocator.TotalAllocatedBytes;

        /// <summary>Keeps its argument reachable up to this call: a call the compiler cannot remove.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void KeepAlive(object obj) { }

        public static void SuppressFinalize(object obj) { }

        public static void ReRegisterForFinalize(object obj) { }

        public static void WaitForPendingFinalizers() { }
    }
}
