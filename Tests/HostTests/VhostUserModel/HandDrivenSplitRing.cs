using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Cosmos.VhostUser.Memory;
using Cosmos.VhostUser.Rings;

namespace Cosmos.HostTests.VhostUserModel;

/// <summary>
/// A device-side split ring of the vhost-user back end in a block of host memory, whose driver's part a test plays by
/// hand (virtio 1.2 §2.7.5-6: descriptors and available entries written directly, the used ring §2.7.8 read back).
/// Guest address = offset into the block; each descriptor owns a <see cref="BufferBytes"/>-byte buffer.
/// </summary>
public abstract unsafe class HandDrivenSplitRing : IDisposable
{
    protected const ushort Size = 8;
    protected const int Buffer = 0x1000, BufferBytes = 256;
    private const int BlockBytes = 0x4000;
    protected readonly byte* Memory = (byte*)NativeMemory.AllocZeroed(BlockBytes);
    protected byte* Descriptors => Memory;
    protected byte* Available => Memory + 0x200;
    protected byte* Used => Memory + 0x400;
    /// <summary>The driver's available index (how many chains it has posted).</summary>
    protected ushort AvailIndex;

    private sealed class FlatMemory(byte* block) : IGuestMemory
    {
        public byte* TryGuest(ulong address, ulong length) => address + length <= BlockBytes ? block + address : null;
    }

    public void Dispose() => NativeMemory.Free(Memory);

    /// <summary>A device view of the ring that starts at available entry <paramref name="lastAvailIndex"/> (0: a fresh set-up).</summary>
    protected DeviceSplitRing Ring(ushort lastAvailIndex = 0) =>
        new(Size, Descriptors, Available, Used, new FlatMemory(Memory), eventIndex: false, lastAvailIndex: lastAvailIndex);

    protected byte* BufferOf(ushort head) => Memory + Buffer + head * BufferBytes;

    /// <summary>Makes descriptor <paramref name="head"/> available as a one-descriptor chain over its buffer.</summary>
    protected void Post(ushort head, bool writable = true, uint length = BufferBytes)
    {
        byte* d = Descriptors + head * DescriptorLayout.Size;
        BinaryPrimitives.WriteUInt64LittleEndian(new Span<byte>(d, 8), (ulong)(Buffer + head * BufferBytes));
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(d + 8, 4), length);
        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(d + 12, 2), (ushort)(writable ? DescriptorFlags.Write : DescriptorFlags.None));
        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(Available + AvailableLayout.Ring + 2 * (AvailIndex % Size), 2), head);
        AvailIndex++;
        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(Available + AvailableLayout.Index, 2), AvailIndex);
    }

    /// <summary>The used element in slot <paramref name="slot"/> (id, length).</summary>
    protected (uint Id, uint Length) UsedElement(int slot)
    {
        byte* e = Used + UsedLayout.Ring + UsedLayout.ElementSize * (slot % Size);
        return (BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(e, 4)), BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(e + 4, 4)));
    }
}
