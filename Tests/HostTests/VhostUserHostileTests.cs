using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Cosmos.VhostUser;
using Cosmos.VhostUser.Hostile;
using Cosmos.VhostUser.Memory;
using Cosmos.VhostUser.Rings;
using Cosmos.HostTests.VhostUserModel;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>
/// The vhost-user back end's scripted misbehaviour (Tools/VhostUser/Hostile) on a device-side split ring in host memory:
/// a driver's part is played by writing descriptors and available entries by hand (virtio 1.2 §2.7.5-6), and what the
/// back end wrote into the used ring (§2.7.8) is read back.
/// </summary>
public sealed unsafe class VhostUserHostileTests : HandDrivenSplitRing
{
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
