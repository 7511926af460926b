using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Cosmos.VhostUser;
using Cosmos.VhostUser.Hostile;
using Cosmos.VhostUser.Memory;
using Cosmos.VhostUser.Rings;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>
/// The vhost-user back end's scripted misbehaviour (Tools/VhostUser/Hostile) on a device-side split ring in host memory:
/// a driver's part is played by writing descriptors and available entries by hand (virtio 1.2 §2.7.5-6), and what the
/// back end wrote into the used ring (§2.7.8) is read back.
/// </summary>
public sealed unsafe class VhostUserHostileTests : IDisposable
{
    private const ushort Size = 8;
    private const int Buffer = 0x1000, BufferBytes = 256;
    private readonly byte* _memory = (byte*)NativeMemory.AllocZeroed(0x4000);
    private byte* Descriptors => _memory;
    private byte* Available => _memory + 0x200;
    private byte* Used => _memory + 0x400;
    private ushort _availIndex;

    /// <summary>Guest address = offset into this test's block.</summary>
    private sealed class FlatMemory(byte* block) : IGuestMemory
    {
        public byte* TryGuest(ulong address, ulong length) => address + length <= 0x4000 ? block + address : null;
    }

    public void Dispose() => NativeMemory.Free(_memory);

    private DeviceSplitRing Ring() => new(Size, Descriptors, Available, Used, new FlatMemory(_memory), eventIndex: false, lastAvailIndex: 0);

    /// <summary>Makes descriptor <paramref name="head"/> available as a one-descriptor chain.</summary>
    private void Post(ushort head, bool writable)
    {
        byte* d = Descriptors + head * DescriptorLayout.Size;
        BinaryPrimitives.WriteUInt64LittleEndian(new Span<byte>(d, 8), (ulong)(Buffer + head * BufferBytes));
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(d + 8, 4), BufferBytes);
        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(d + 12, 2), (ushort)(writable ? DescriptorFlags.Write : DescriptorFlags.None));
        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(Available + AvailableLayout.Ring + 2 * (_availIndex % Size), 2), head);
        _availIndex++;
        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(Available + AvailableLayout.Index, 2), _availIndex);
    }

    private (uint Id, uint Length) UsedElement(int slot)
    {
        byte* e = Used + UsedLayout.Ring + UsedLayout.ElementSize * (slot % Size);
        return (BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(e, 4)), BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(e + 4, 4)));
    }

    /// <summary>Pops and completes <paramref name="heads"/> in turn through the script, as the data plane does; returns the completions the script replaced.</summary>
    private int Serve(DeviceSplitRing ring, HostileCompletions hostile, int queue, params ushort[] heads)
    {
        int replaced = 0;
        foreach (ushort head in heads)
        {
            Post(head, writable: queue == VhostUserNetBackend.ReceiveQueue);
            var chain = new DescriptorChain();
            Assert.True(ring.TryPop(chain), ring.Error);
            Assert.Equal(head, chain.Head);
            uint length = queue == VhostUserNetBackend.ReceiveQueue ? 100u : 0u;
            if (hostile.TryMisbehave(queue, ring, chain, length)) replaced++;
            else ring.AddUsed(chain.Head, length);
        }
        return replaced;
    }

    [Fact]
    public void WellBehavedUntilTheScriptedCompletionThenOnceOnly()
    {
        var ring = Ring();
        var hostile = new HostileCompletions(new HostileScript(DeviceFault.UsedIdOutOfRange, AfterCompletions: 2));
        Assert.Equal(1, Serve(ring, hostile, VhostUserNetBackend.TransmitQueue, 0, 1, 2, 3, 4));
        Assert.Equal((0u, 0u), UsedElement(0));
        Assert.Equal((1u, 0u), UsedElement(1));
        Assert.Equal((Size + 3u, 0u), UsedElement(2)); // the third completion: an id past the queue
        Assert.Equal((3u, 0u), UsedElement(3));
        Assert.True(hostile.Done);
    }

    [Fact]
    public void OtherQueuesAreLeftAlone()
    {
        var ring = Ring();
        var hostile = new HostileCompletions(new HostileScript(DeviceFault.UsedIdOutOfRange, AfterCompletions: 0));
        Assert.Equal(0, Serve(ring, hostile, VhostUserNetBackend.ReceiveQueue, 0, 1));
        Assert.False(hostile.Done);
    }

    [Fact]
    public void NotInFlightNamesTheHighestIdNeverTaken()
    {
        var ring = Ring();
        var hostile = new HostileCompletions(new HostileScript(DeviceFault.UsedIdNotInFlight, AfterCompletions: 1));
        // 7 was taken (and completed) once, so it may be in flight again in the driver's view: the script names 6.
        Assert.Equal(1, Serve(ring, hostile, VhostUserNetBackend.TransmitQueue, 7, 0));
        Assert.Equal((7u, 0u), UsedElement(0));
        Assert.Equal(6u, UsedElement(1).Id);
    }

    [Fact]
    public void NotInFlightSkipsIdsTheDriverHasMadeAvailable()
    {
        var ring = Ring();
        var hostile = new HostileCompletions(new HostileScript(DeviceFault.UsedIdNotInFlight, AfterCompletions: 0));
        Post(0, writable: false);
        var chain = new DescriptorChain();
        Assert.True(ring.TryPop(chain));
        Post(7, writable: false); // available, not yet taken
        Post(6, writable: false);
        Assert.True(hostile.TryMisbehave(VhostUserNetBackend.TransmitQueue, ring, chain, 0));
        Assert.Equal(5u, UsedElement(0).Id);
    }

    [Fact]
    public void TwiceWaitsForADifferentHeadThenRepeatsThePreviousOne()
    {
        var ring = Ring();
        var hostile = new HostileCompletions(new HostileScript(DeviceFault.UsedIdTwice, AfterCompletions: 1));
        // The driver reuses id 2 (its free list is last in, first out): no misbehaviour while the head repeats.
        Assert.Equal(0, Serve(ring, hostile, VhostUserNetBackend.TransmitQueue, 2, 2, 2));
        Assert.Equal(1, Serve(ring, hostile, VhostUserNetBackend.TransmitQueue, 5));
        Assert.Equal((2u, 0u), UsedElement(3)); // head 5's completion names 2 again
    }

    [Fact]
    public void LengthPastBufferIsOneByteMoreThanTheWritableBytes()
    {
        var ring = Ring();
        var hostile = new HostileCompletions(new HostileScript(DeviceFault.UsedLengthPastBuffer, AfterCompletions: 0));
        Assert.Equal(1, Serve(ring, hostile, VhostUserNetBackend.ReceiveQueue, 3));
        Assert.Equal((3u, BufferBytes + 1u), UsedElement(0));
    }

    [Fact]
    public void WithheldCompletionsStayWithheld()
    {
        var ring = Ring();
        var hostile = new HostileCompletions(new HostileScript(DeviceFault.CompletionsWithheld, AfterCompletions: 2));
        Assert.Equal(3, Serve(ring, hostile, VhostUserNetBackend.TransmitQueue, 0, 1, 2, 3, 4));
        Assert.Equal(2, ring.UsedIndex); // only the first two were completed
        Assert.False(new HostileScript(DeviceFault.CompletionsWithheld).DriverMustStop);
        Assert.True(new HostileScript(DeviceFault.UsedIdTwice).DriverMustStop);
    }

    [Fact]
    public void IndexJumpsAheadByAWholeQueue()
    {
        var ring = Ring();
        var hostile = new HostileCompletions(new HostileScript(DeviceFault.UsedIndexJumpsAhead, AfterCompletions: 0));
        Assert.Equal(1, Serve(ring, hostile, VhostUserNetBackend.TransmitQueue, 4));
        Assert.Equal(1 + Size, ring.UsedIndex);
        Assert.Equal((4u, 0u), UsedElement(0));
    }
}
