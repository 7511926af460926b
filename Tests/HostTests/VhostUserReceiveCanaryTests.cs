using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Cosmos.VhostUser;
using Cosmos.VhostUser.Canary;
using Cosmos.VhostUser.Hostile;
using Cosmos.VhostUser.Memory;
using Cosmos.VhostUser.Rings;
using Cosmos.HostTests.VhostUserModel;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>
/// The back end's receive canary (Tools/VhostUser/Canary/ReceiveCanary.cs) on a device-side split ring in host memory, the
/// driver's part played by hand (virtio 1.2 §2.7.5-6): a clean driver passes, and each kind of stray write it is meant to
/// find is found. Also the hostile script across a ring restart (a reset and a new set-up).
/// </summary>
public sealed unsafe class VhostUserReceiveCanaryTests : HandDrivenSplitRing
{
    /// <summary>Takes the next chain and writes <paramref name="bytes"/> bytes of a frame into it, as the data plane does.</summary>
    private DescriptorChain Use(DeviceSplitRing ring, ReceiveCanary canary, uint bytes)
    {
        var chain = new DescriptorChain();
        Assert.True(ring.TryPop(chain), ring.Error);
        bool armed = canary.CheckBeforeUse(chain);
        new Span<byte>(chain.Segments[0].Host, (int)bytes).Fill(0x11);
        canary.Completed(chain, bytes, armed);
        ring.AddUsed(chain.Head, bytes);
        return chain;
    }

    [Fact]
    public void ADriverThatKeepsToItsBuffersPasses()
    {
        var ring = Ring();
        var canary = new ReceiveCanary();
        for (ushort h = 0; h < 4; h++) Post(h);
        canary.Arm(ring);
        for (int round = 0; round < 3; round++)
            for (ushort h = 0; h < 4; h++)
            {
                Use(ring, canary, 60 + (uint)h);
                new Span<byte>(BufferOf(h), 60 + h).Fill(0x22); // the driver may write within the frame it was given
                Post(h);
                canary.Arm(ring);
            }
        Assert.Equal(12, canary.Checked);
        Assert.Equal(12, canary.CheckedPastLength);
        Assert.Equal(0, canary.Violations);
        Assert.Equal(0, canary.Unarmed);
    }

    [Fact]
    public void AWriteIntoAPostedBufferIsFound()
    {
        var ring = Ring();
        var canary = new ReceiveCanary();
        Post(0);
        Post(1);
        canary.Arm(ring);
        BufferOf(1)[BufferBytes - 1] ^= 0xFF; // an overrun from buffer 0's neighbourhood into posted buffer 1
        Use(ring, canary, 60);
        Assert.Equal(0, canary.Violations);
        Use(ring, canary, 60);
        Assert.Equal(1, canary.HeldViolations);
        Assert.Contains($"byte {BufferBytes - 1}", canary.FirstHeldViolation);
    }

    [Fact]
    public void AWritePastTheReceivedFrameIsFoundWhenTheBufferIsPostedAgain()
    {
        var ring = Ring();
        var canary = new ReceiveCanary();
        Post(3);
        canary.Arm(ring);
        Use(ring, canary, 100);
        BufferOf(3)[100] ^= 0xFF; // one byte past the 100 the device wrote
        Post(3);
        canary.Arm(ring);
        Assert.Equal(1, canary.PastLengthViolations);
        Assert.Contains("byte 100 changed", canary.FirstPastLengthViolation);
        Assert.Contains("completed it with 100 bytes", canary.FirstPastLengthViolation);
    }

    [Fact]
    public void ChangedDescriptorsOfAPostedChainAreFound()
    {
        var ring = Ring();
        var canary = new ReceiveCanary();
        Post(2);
        canary.Arm(ring);
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(Descriptors + 2 * DescriptorLayout.Size + 8, 4), BufferBytes / 2);
        Use(ring, canary, 60);
        Assert.Equal(1, canary.HeldViolations);
        Assert.Contains("descriptors changed", canary.FirstHeldViolation);
    }

    [Fact]
    public void AChainUsedBeforeItWasArmedIsCountedNotChecked()
    {
        var ring = Ring();
        var canary = new ReceiveCanary();
        Post(0);
        Use(ring, canary, 60);
        Assert.Equal(1, canary.Unarmed);
        Assert.Equal(0, canary.Checked);
    }

    /// <summary>
    /// A buffer posted and used in the same turn holds no pattern, only the tail of its previous frame: nothing may be expected
    /// past its new frame. (The canary expected the pattern there and raised a false alarm in a recovery boot, where a long
    /// flood datagram and then a short probe went through the same buffer.)
    /// </summary>
    [Fact]
    public void AShortFrameInAnUnarmedBufferIsNoViolation()
    {
        var ring = Ring();
        var canary = new ReceiveCanary();
        Post(0);
        canary.Arm(ring);
        Use(ring, canary, 118);
        Post(0); // posted again and used before the canary looks: not armed
        Use(ring, canary, 86);
        Post(0);
        canary.Arm(ring);
        Assert.Equal(1, canary.Unarmed);
        Assert.Equal(0, canary.Violations);
    }

    [Fact]
    public void AResetForgetsWhatThePreviousDriverOwned()
    {
        var ring = Ring();
        var canary = new ReceiveCanary();
        Post(0);
        Post(1);
        canary.Arm(ring);
        Use(ring, canary, 60);
        canary.Reset(); // the device was reset: every buffer is the driver's again, to write as it likes
        new Span<byte>(BufferOf(0), BufferBytes).Clear();
        new Span<byte>(BufferOf(1), BufferBytes).Clear();
        var fresh = Ring(lastAvailIndex: AvailIndex);
        Post(0);
        canary.Arm(fresh);
        Use(fresh, canary, 60);
        Assert.Equal(0, canary.Violations);
    }

    [Fact]
    public void PeekWalksAPendingChainWithoutTakingIt()
    {
        var ring = Ring();
        Post(5);
        var chain = new DescriptorChain();
        Assert.True(ring.TryPeek(0, chain));
        Assert.Equal(5, chain.Head);
        Assert.False(ring.TryPeek(1, chain)); // not made available
        Assert.Equal(1, ring.Pending);
    }

    [Fact]
    public void WithheldCompletionsEndWhenTheRingsStartAgain()
    {
        var ring = Ring();
        var hostile = new HostileCompletions(new HostileScript(DeviceFault.CompletionsWithheld, AfterCompletions: 1));
        var chain = new DescriptorChain { Head = 0 };
        Assert.False(hostile.TryMisbehave(VhostUserNetBackend.TransmitQueue, ring, chain, 0));
        Assert.True(hostile.TryMisbehave(VhostUserNetBackend.TransmitQueue, ring, chain, 0));
        Assert.True(hostile.TryMisbehave(VhostUserNetBackend.TransmitQueue, ring, chain, 0));
        hostile.RingStarted(VhostUserNetBackend.TransmitQueue);
        for (int i = 0; i < 5; i++) Assert.False(hostile.TryMisbehave(VhostUserNetBackend.TransmitQueue, ring, chain, 0));
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 3)]
    public void EveryStartMisbehavesAgainAfterEachRestart(bool everyStart, int expected)
    {
        var ring = Ring();
        var hostile = new HostileCompletions(new HostileScript(DeviceFault.UsedIdOutOfRange, AfterCompletions: 2, EveryStart: everyStart));
        int faults = 0;
        for (int start = 0; start < 3; start++)
        {
            hostile.RingStarted(VhostUserNetBackend.TransmitQueue);
            for (ushort h = 0; h < 4; h++)
                if (hostile.TryMisbehave(VhostUserNetBackend.TransmitQueue, ring, new DescriptorChain { Head = h }, 0)) faults++;
        }
        Assert.Equal(expected, faults);
        Assert.Equal(expected, new HostileScript(DeviceFault.UsedIdOutOfRange, EveryStart: everyStart).ExpectedFaults(2));
    }
}
