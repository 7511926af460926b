using System.Runtime.InteropServices;
using Cosmos.Hal.Memory;

namespace Cosmos.HostTests.VirtioModel;

/// <summary>Raised when a device model is asked to touch guest memory the driver never gave it.</summary>
public sealed class GuestMemoryFault(string message) : Exception(message);

/// <summary>
/// Simulated guest RAM for device models. "Physical" addresses start at <see cref="PhysicalBase"/>, far from
/// the host pointers, so a driver that hands a device a virtual address is caught. Allocation is per page
/// with a bitmap; every device access is range-checked against the allocations that are live.
/// </summary>
public sealed unsafe class GuestMemory : IDmaAllocator, IDisposable
{
    public const ulong PhysicalBase = 0x4000_0000;
    private const int PageSize = 4096;
    private readonly byte* _base;
    private readonly int _pages;
    private readonly bool[] _used;

    public int PagesInUse => _used.Count(u => u);

    public GuestMemory(int megabytes = 16)
    {
        _pages = megabytes * 256;
        _base = (byte*)NativeMemory.AllocZeroed((nuint)_pages * PageSize);
        _used = new bool[_pages];
    }

    public DmaRegion Allocate(ulong bytes, ulong alignment)
    {
        int count = (int)((bytes + PageSize - 1) / PageSize);
        int align = (int)Math.Max(1, alignment / PageSize);
        for (int start = 0; start + count <= _pages; start += align)
        {
            bool free = true;
            for (int p = start; p < start + count && free; p++) free = !_used[p];
            if (!free) continue;
            for (int p = start; p < start + count; p++) _used[p] = true;
            byte* virt = _base + (long)start * PageSize;
            new Span<byte>(virt, count * PageSize).Clear();
            return new DmaRegion(virt, PhysicalBase + (ulong)start * PageSize, (ulong)count * PageSize);
        }
        return default;
    }

    public void Free(DmaRegion region)
    {
        int first = (int)((region.Physical - PhysicalBase) / PageSize);
        for (int p = first; p < first + (int)(region.Size / PageSize); p++)
        {
            if (!_used[p]) throw new InvalidOperationException("double free of guest memory");
            _used[p] = false;
        }
    }

    /// <summary>The host pointer for a device access of <paramref name="length"/> bytes at a guest-physical address.</summary>
    public byte* Translate(ulong physical, ulong length)
    {
        if (physical < PhysicalBase || physical + length > PhysicalBase + (ulong)_pages * PageSize || physical + length < physical)
            throw new GuestMemoryFault($"device access at 0x{physical:x} (+{length}) is outside guest RAM");
        ulong offset = physical - PhysicalBase;
        for (ulong p = offset / PageSize; p <= (offset + Math.Max(length, 1) - 1) / PageSize; p++)
            if (!_used[p]) throw new GuestMemoryFault($"device access at 0x{physical:x} (+{length}) touches memory the driver never allocated");
        return _base + offset;
    }

    public Span<byte> Span(ulong physical, int length) => new(Translate(physical, (ulong)length), length);

    public void Dispose() => NativeMemory.Free(_base);
}
