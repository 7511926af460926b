using Cosmos.VhostUser.Interop;
using Cosmos.VhostUser.Protocol;

namespace Cosmos.VhostUser.Memory;

/// <summary>
/// The guest's RAM as the back end sees it: the regions of the last SET_MEM_TABLE, each mmap'd (MAP_SHARED) from
/// the file descriptor QEMU passed (its memory-backend-memfd with share=on). Ring addresses arrive as QEMU's own
/// user addresses; descriptors hold guest-physical addresses (no IOMMU): both are translated here, and every
/// translation is bounds-checked, so a descriptor that points outside the guest's RAM is refused, not followed.
/// </summary>
public sealed unsafe class GuestMemoryMap : IGuestMemory, IDisposable
{
    public sealed class Region
    {
        public ulong GuestPhysical, Length, UserAddress, MmapOffset;
        public nint Mapping;       // start of the mmap (offset 0 of the fd)
        public nuint MappingLength;
        public byte* Host => (byte*)Mapping + (long)MmapOffset;
    }

    private readonly List<Region> _regions = new();
    public IReadOnlyList<Region> Regions => _regions;
    public ulong TotalBytes => _regions.Aggregate(0UL, (sum, r) => sum + r.Length);

    /// <summary>Maps the regions of a SET_MEM_TABLE payload, one descriptor per region in order; the fds are closed after mapping.</summary>
    public static GuestMemoryMap FromMessage(Message message)
    {
        uint count = message.Read<uint>();
        if (count == 0 || count > MemoryTableLayout.MaxRegions)
            throw new ProtocolViolation($"SET_MEM_TABLE with {count} regions");
        if (message.Fds.Length != count)
            throw new ProtocolViolation($"SET_MEM_TABLE with {count} regions but {message.Fds.Length} file descriptors");
        var map = new GuestMemoryMap();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var d = message.Read<MemoryRegionDescription>(MemoryTableLayout.HeaderSize + i * MemoryRegionDescription.Size);
                int fd = message.TakeFd(i);
                // QEMU's mmap_offset need not be page-aligned: map from the start of the fd and add it (as libvhost-user does).
                nuint length = (nuint)(d.Length + d.MmapOffset);
                nint mapping = Libc.mmap(0, length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
                int errno = Libc.Errno;
                Libc.close(fd);
                if (mapping == Libc.MapFailed)
                    throw new IOException($"mmap of region {i} ({d.Length} bytes at guest 0x{d.GuestPhysical:x}) failed: errno {errno}");
                map._regions.Add(new Region
                {
                    GuestPhysical = d.GuestPhysical, Length = d.Length, UserAddress = d.UserAddress, MmapOffset = d.MmapOffset,
                    Mapping = mapping, MappingLength = length,
                });
            }
        }
        catch
        {
            map.Dispose();
            message.CloseUnclaimedFds();
            throw;
        }
        return map;
    }

    /// <summary>A host pointer to <paramref name="length"/> bytes at guest-physical <paramref name="address"/>, or null if they are not all inside one region.</summary>
    public byte* TryGuest(ulong address, ulong length)
    {
        foreach (Region r in _regions)
            if (address >= r.GuestPhysical && address - r.GuestPhysical < r.Length && length <= r.Length - (address - r.GuestPhysical))
                return r.Host + (long)(address - r.GuestPhysical);
        return null;
    }

    /// <summary>A host pointer for an address in QEMU's own address space (ring addresses of SET_VRING_ADDR), or null.</summary>
    public byte* TryUser(ulong address, ulong length)
    {
        foreach (Region r in _regions)
            if (address >= r.UserAddress && address - r.UserAddress < r.Length && length <= r.Length - (address - r.UserAddress))
                return r.Host + (long)(address - r.UserAddress);
        return null;
    }

    /// <summary>The guest-physical address of a QEMU user address (for logs and the canary check), or ulong.MaxValue.</summary>
    public ulong UserToGuest(ulong address)
    {
        foreach (Region r in _regions)
            if (address >= r.UserAddress && address - r.UserAddress < r.Length) return r.GuestPhysical + (address - r.UserAddress);
        return ulong.MaxValue;
    }

    public void Dispose()
    {
        foreach (Region r in _regions) if (r.Mapping != 0) Libc.munmap(r.Mapping, r.MappingLength);
        _regions.Clear();
    }
}
