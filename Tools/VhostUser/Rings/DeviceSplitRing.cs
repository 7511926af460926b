using System.Buffers.Binary;
using Cosmos.VhostUser.Memory;

namespace Cosmos.VhostUser.Rings;

/// <summary>One guest buffer of a chain, already translated to a host pointer.</summary>
public unsafe struct Segment
{
    public byte* Host;
    public ulong Guest;
    public uint Length;
    public bool Writable;
}

/// <summary>A descriptor chain taken from the available ring: its head (the id to complete) and its segments in order.</summary>
public sealed class DescriptorChain
{
    public const int MaxSegments = 64;
    public ushort Head;
    public readonly Segment[] Segments = new Segment[MaxSegments];
    public int Count;
    public uint ReadableBytes, WritableBytes;

    public void Clear()
    {
        Count = 0;
        ReadableBytes = WritableBytes = 0;
    }
}

/// <summary>
/// The device side of a split virtqueue (virtio 1.2 §2.7): takes chains from the available ring, walks them
/// (direct and indirect, §2.7.5.3), puts completions in the used ring and decides when the driver wants a
/// notification (event index, §2.7.10, or VIRTQ_AVAIL_F_NO_INTERRUPT, §2.7.7). The guest is trusted for nothing: an
/// available index that moves more than the ring holds, a head or next out of range, a loop, a descriptor outside
/// guest RAM, an indirect table inside an indirect table, a readable descriptor after a writable one: each stops the
/// ring with <see cref="Error"/> set (a real device would set DEVICE_NEEDS_RESET).
/// Ring memory is shared with a running guest, so every field the guest writes is read once, volatile, and the
/// private indices (<see cref="LastAvailIndex"/>, <see cref="UsedIndex"/>) are never read back from it.
/// </summary>
public sealed unsafe class DeviceSplitRing
{
    public ushort Size { get; }
    public bool EventIndexEnabled { get; }
    /// <summary>The next available-ring position to take (what GET_VRING_BASE reports).</summary>
    public ushort LastAvailIndex { get; private set; }
    /// <summary>The private used index: completions written so far (published by <see cref="PublishUsed"/>).</summary>
    public ushort UsedIndex { get; private set; }
    /// <summary>The used index the driver can see.</summary>
    public ushort PublishedUsedIndex { get; private set; }
    public string? Error { get; private set; }
    public bool IsBroken => Error != null;

    private readonly byte* _descriptors, _available, _used;
    private readonly IGuestMemory _memory;
    private ushort _signalledUsed;
    private bool _signalledUsedValid;

    public DeviceSplitRing(ushort size, byte* descriptors, byte* available, byte* used, IGuestMemory memory, bool eventIndex,
        ushort lastAvailIndex)
    {
        if (size == 0 || (size & (size - 1)) != 0 || size > 32768) throw new ArgumentException($"ring size {size} is not a power of two up to 32768");
        Size = size;
        _descriptors = descriptors;
        _available = available;
        _used = used;
        _memory = memory;
        EventIndexEnabled = eventIndex;
        LastAvailIndex = lastAvailIndex;
        // The used index continues from what is in the ring: after a stop and restart (link down and up) QEMU itself may
        // have completed buffers meanwhile (libvhost-user reads it back the same way).
        UsedIndex = PublishedUsedIndex = Read16(_used + UsedLayout.Index);
    }

    private static ushort Read16(byte* p) => BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(p, 2));
    private static ushort Read16Volatile(byte* p) => Volatile.Read(ref *(ushort*)p); // x86-64 is little-endian
    private static void Write16Volatile(byte* p, ushort v) => Volatile.Write(ref *(ushort*)p, v);

    /// <summary>Chains the driver has made available and we have not taken (0 when broken).</summary>
    public int Pending
    {
        get
        {
            if (IsBroken) return 0;
            return (ushort)(Read16Volatile(_available + AvailableLayout.Index) - LastAvailIndex);
        }
    }

    /// <summary>Takes the next available chain into <paramref name="chain"/>; false when there is none or the ring broke.</summary>
    public bool TryPop(DescriptorChain chain)
    {
        chain.Clear();
        if (IsBroken) return false;
        ushort availIndex = Read16Volatile(_available + AvailableLayout.Index);
        ushort pending = (ushort)(availIndex - LastAvailIndex);
        if (pending == 0) return false;
        if (pending > Size) return Fail($"available index moved {pending} entries past ours ({LastAvailIndex} -> {availIndex}) in a ring of {Size}");
        // §2.7.13.3: the driver wrote the ring entry and descriptors before idx; read them after it (x86: loads stay in order,
        // the volatile read above keeps the compiler from moving these before it).
        ushort head = Read16Volatile(_available + AvailableLayout.Ring + 2 * (LastAvailIndex & (Size - 1)));
        if (head >= Size) return Fail($"available ring entry {LastAvailIndex} names descriptor {head}, past the table of {Size}");
        if (!Walk(head, chain)) return false;
        LastAvailIndex++;
        return true;
    }

    /// <summary>
    /// Walks the chain at available-ring position <paramref name="position"/> without taking it (the receive canary looks at
    /// posted buffers before a frame needs them); false when that position is not between ours and the driver's idx, or the
    /// chain is malformed (then the ring is broken, as taking it would have found).
    /// </summary>
    public bool TryPeek(ushort position, DescriptorChain chain)
    {
        chain.Clear();
        if (IsBroken) return false;
        ushort pending = (ushort)(Read16Volatile(_available + AvailableLayout.Index) - LastAvailIndex);
        if (pending > Size || (ushort)(position - LastAvailIndex) >= pending) return false;
        ushort head = Read16Volatile(_available + AvailableLayout.Ring + 2 * (position & (Size - 1)));
        return head < Size && Walk(head, chain);
    }

    /// <summary>
    /// The used idx as it stands in guest memory: only the device writes it (§2.7.8), so anything but
    /// <see cref="PublishedUsedIndex"/> there is a driver's write into the device's part of the ring.
    /// </summary>
    public ushort UsedIndexInMemory => Read16Volatile(_used + UsedLayout.Index);

    /// <summary>Whether <paramref name="head"/> is in the available ring between our position and the driver's idx (made available, not yet taken).</summary>
    public bool IsAvailablePending(ushort head)
    {
        ushort availIndex = Read16Volatile(_available + AvailableLayout.Index);
        for (ushort i = LastAvailIndex; i != availIndex; i++)
            if (Read16Volatile(_available + AvailableLayout.Ring + 2 * (i & (Size - 1))) == head) return true;
        return false;
    }

    /// <summary>Gives back chains taken since <paramref name="lastAvailIndex"/> (a receive that found too little room).</summary>
    public void Rewind(ushort lastAvailIndex) => LastAvailIndex = lastAvailIndex;

    private bool Walk(ushort head, DescriptorChain chain)
    {
        chain.Head = head;
        byte* table = _descriptors;
        int tableSize = Size;
        int index = head;
        bool indirect = false, sawWritable = false;
        for (int steps = 0; ; steps++)
        {
            if (steps >= tableSize) return Fail($"descriptor chain from head {head} loops (more than {tableSize} descriptors)");
            byte* d = table + index * DescriptorLayout.Size;
            ulong address = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(d + DescriptorLayout.Address, 8));
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(d + DescriptorLayout.Length, 4));
            var flags = (DescriptorFlags)BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(d + DescriptorLayout.Flags, 2));
            ushort next = BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(d + DescriptorLayout.Next, 2));
            if ((flags & DescriptorFlags.Indirect) != 0)
            {
                // §2.7.5.3.1: not inside a table, not with NEXT, a whole number of descriptors.
                if (indirect) return Fail($"indirect descriptor inside the indirect table of head {head}");
                if ((flags & DescriptorFlags.Next) != 0) return Fail($"descriptor {index} has both INDIRECT and NEXT");
                if (length == 0 || length % DescriptorLayout.Size != 0 || length / DescriptorLayout.Size > 65536)
                    return Fail($"indirect table of {length} bytes at head {head}");
                byte* t = _memory.TryGuest(address, length);
                if (t == null) return Fail($"indirect table at guest 0x{address:x} ({length} bytes) is not guest RAM");
                table = t;
                tableSize = (int)(length / DescriptorLayout.Size);
                index = 0;
                indirect = true;
                steps = -1;
                continue;
            }
            bool writable = (flags & DescriptorFlags.Write) != 0;
            if (!writable && sawWritable) return Fail($"device-readable descriptor after a writable one in the chain of head {head} (§2.7.4.2)");
            sawWritable |= writable;
            byte* host = length == 0 ? null : _memory.TryGuest(address, length);
            if (length != 0 && host == null) return Fail($"descriptor of head {head} points at guest 0x{address:x} ({length} bytes), not guest RAM");
            if (chain.Count == DescriptorChain.MaxSegments) return Fail($"chain of head {head} has more than {DescriptorChain.MaxSegments} segments");
            chain.Segments[chain.Count++] = new Segment { Host = host, Guest = address, Length = length, Writable = writable };
            if (writable) chain.WritableBytes += length; else chain.ReadableBytes += length;
            if ((flags & DescriptorFlags.Next) == 0) return true;
            if (next >= tableSize) return Fail($"descriptor {index} of head {head} names next {next}, past a table of {tableSize}");
            index = next;
        }
    }

    /// <summary>Writes a completion into the used ring (not yet visible: <see cref="PublishUsed"/>).</summary>
    public void AddUsed(uint id, uint length)
    {
        byte* element = _used + UsedLayout.Ring + UsedLayout.ElementSize * (UsedIndex & (Size - 1));
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(element, 4), id);
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(element + 4, 4), length);
        UsedIndex++;
    }

    /// <summary>Moves the private used index by <paramref name="delta"/> without writing elements (the hostile "index jumps ahead").</summary>
    public void SkipUsed(ushort delta) => UsedIndex += delta;

    /// <summary>Makes the completions visible: elements first, then idx (§2.7.8.2; a release store orders them).</summary>
    public void PublishUsed()
    {
        if (UsedIndex == PublishedUsedIndex) return;
        Thread.MemoryBarrier();
        Write16Volatile(_used + UsedLayout.Index, UsedIndex);
        PublishedUsedIndex = UsedIndex;
    }

    /// <summary>
    /// After publishing: does the driver want a used-buffer notification? With event index, when the used index passed
    /// used_event since the last notification (§2.7.10); else unless VIRTQ_AVAIL_F_NO_INTERRUPT is set (§2.7.7).
    /// </summary>
    public bool ShouldNotify()
    {
        // The used idx store must be visible before we read the driver's suppression state (it re-checks after writing it).
        Thread.MemoryBarrier();
        ushort now = PublishedUsedIndex;
        if (!EventIndexEnabled)
            return (Read16Volatile(_available + AvailableLayout.Flags) & AvailableLayout.NoInterrupt) == 0;
        ushort usedEvent = Read16Volatile(_available + AvailableLayout.UsedEvent(Size));
        bool notify = !_signalledUsedValid || EventIndex.NeedEvent(usedEvent, now, _signalledUsed);
        _signalledUsed = now;
        _signalledUsedValid = true;
        return notify;
    }

    /// <summary>
    /// Asks for (or declines) available-buffer notifications: avail_event = our position with event index, else the
    /// NO_NOTIFY flag (§2.7.10). After asking, the caller must look at <see cref="Pending"/> again: the driver may have
    /// added a chain before it could see the request.
    /// </summary>
    public void SetNotifications(bool wanted)
    {
        if (EventIndexEnabled)
        {
            if (wanted) Write16Volatile(_used + UsedLayout.AvailEvent(Size), LastAvailIndex);
        }
        else Write16Volatile(_used + UsedLayout.Flags, wanted ? (ushort)0 : UsedLayout.NoNotify);
        Thread.MemoryBarrier();
    }

    private bool Fail(string reason)
    {
        Error = reason;
        return false;
    }
}
