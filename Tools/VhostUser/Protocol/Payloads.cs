using System.Runtime.InteropServices;

namespace Cosmos.VhostUser.Protocol;

// The message layouts of docs/interop/vhost-user.rst ("Message Specification"). Every number is in the
// machine's native byte order (little-endian here); the structs are packed as QEMU packs VhostUserMsg.

/// <summary>request (u32), flags (u32), size of the payload (u32): 12 bytes before every payload.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct MessageHeader
{
    public const int Size = 12;
    public FrontEndRequest Request;
    public MessageFlags Flags;
    public uint PayloadSize;
}

/// <summary>"A vring state description": index (u32), num (u32).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct VringState
{
    public const int Size = 8;
    public uint Index;
    public uint Num;
}

/// <summary>"A vring address description": index, flags, then the descriptor, used, available and log addresses (user addresses of QEMU's process).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct VringAddress
{
    public const int Size = 40;
    /// <summary>flags bit 0 (VHOST_VRING_F_LOG): log writes to the used ring; only for migration, which we refuse.</summary>
    public const uint LogFlag = 1;
    public uint Index;
    public uint Flags;
    public ulong DescriptorUser;
    public ulong UsedUser;
    public ulong AvailableUser;
    public ulong LogGuest;
}

/// <summary>One entry of "Memory regions description": guest physical address, size, QEMU's user address, offset in the fd.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct MemoryRegionDescription
{
    public const int Size = 32;
    public ulong GuestPhysical;
    public ulong Length;
    public ulong UserAddress;
    public ulong MmapOffset;
}

/// <summary>The fixed part of SET_MEM_TABLE: the region count and padding, then up to eight regions (one fd each).</summary>
public static class MemoryTableLayout
{
    public const int HeaderSize = 8;
    /// <summary>VHOST_MEMORY_BASELINE_NREGIONS: the most a SET_MEM_TABLE carries without CONFIGURE_MEM_SLOTS.</summary>
    public const int MaxRegions = 8;
}

/// <summary>The u64 of SET_VRING_KICK / CALL / ERR: bits 0-7 the ring index, bit 8 "no file descriptor".</summary>
public static class VringFileLayout
{
    public const ulong IndexMask = 0xFF;
    public const ulong NoFdFlag = 0x100;
}
