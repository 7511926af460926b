using System;

namespace Cosmos.Hal.Memory
{
    /// <summary>A physically contiguous, page-aligned block a device may read and write.</summary>
    public unsafe readonly struct DmaRegion
    {
        public readonly byte* Virtual;
        public readonly ulong Physical;
        public readonly ulong Size;

        public DmaRegion(byte* virtualAddress, ulong physical, ulong size)
        {
            Virtual = virtualAddress;
            Physical = physical;
            Size = size;
        }

        public bool IsValid => Virtual != null;

        /// <summary>The physical address of a byte inside the region.</summary>
        public ulong PhysicalOf(byte* p) => Physical + (ulong)(p - Virtual);
        public Span<byte> Span => new Span<byte>(Virtual, (int)Size);
    }

    /// <summary>
    /// Where drivers get memory a device may access: zeroed, physically contiguous, aligned. The kernel's
    /// implementation takes pages from the page allocator; host tests hand out simulated guest RAM whose
    /// "physical" addresses differ from the host pointers, so a driver that gives a device a virtual address
    /// fails there.
    /// </summary>
    public interface IDmaAllocator
    {
        /// <summary>Returns an invalid region (IsValid false) when memory is exhausted.</summary>
        DmaRegion Allocate(ulong bytes, ulong alignment);
        void Free(DmaRegion region);
    }
}
