using Cosmos.Drivers.Virtio.Spec;
using Cosmos.HostTests.VirtioModel;
using Cosmos.Kernel.Networking;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>
/// The driver's link handling and its count of interrupts that found no work (issue 17 items 3 and 4), against the device
/// model: the model clears VIRTIO_NET_S_LINK_UP and raises ISR bit 1 as a device announces a configuration change
/// (virtio 1.2 §5.1.4, §4.1.4.5); and the kernel's <see cref="LinkTransitions"/>.
/// </summary>
public class VirtioNetLinkTests
{
    private static void ConfigurationChange(Rig rig, bool linkUp)
    {
        rig.Model.LinkStatus = (ushort)(linkUp ? 1 : 0);
        rig.Model.Isr |= IsrStatus.Configuration;
        Assert.True(rig.Driver.HandleInterrupt());
    }

    [Theory]
    [InlineData("modern")]
    [InlineData("legacy")]
    public void LinkDownDropsAndCountsTransmitsAndLinkUpResumes(string transport)
    {
        using var rig = new Rig(transport).Started();
        Assert.True(rig.Driver.LinkUp);
        Assert.True(rig.Send(Rig.Frame(1, 100)));
        rig.Pump();
        Assert.Single(rig.Model.Transmitted);

        ConfigurationChange(rig, linkUp: false);
        Assert.False(rig.Driver.LinkUp);
        Assert.Equal(1, rig.Driver.LinkChanges);
        for (int i = 0; i < 5; i++) Assert.True(rig.Send(Rig.Frame(10 + i, 100))); // accepted, then dropped
        rig.Pump();
        Assert.Single(rig.Model.Transmitted);
        Assert.Equal(5, rig.Driver.TxDroppedLinkDown);
        Assert.Equal(0, rig.Driver.TransmitBuffersOutstanding); // nothing held while down

        ConfigurationChange(rig, linkUp: true);
        Assert.True(rig.Driver.LinkUp);
        Assert.Equal(2, rig.Driver.LinkChanges);
        Assert.True(rig.Send(Rig.Frame(20, 100)));
        rig.Pump();
        Assert.Equal(2, rig.Model.Transmitted.Count);
        Assert.Equal(Rig.Frame(20, 100), rig.Model.Transmitted[^1]);
        Assert.Empty(rig.MemoryFaults());
    }

    [Fact]
    public void AConfigurationChangeThatLeavesTheLinkAloneIsNoLinkChange()
    {
        using var rig = new Rig("modern").Started();
        ConfigurationChange(rig, linkUp: true);
        Assert.Equal(0, rig.Driver.LinkChanges);
        Assert.Equal(1, rig.Driver.ConfigurationChanges);
    }

    [Fact]
    public void QueueInterruptsWithNothingUsedAreCountedAndHarmless()
    {
        using var rig = new Rig("modern").Started();
        for (int i = 0; i < 7; i++)
        {
            rig.Model.Isr |= IsrStatus.Queue;
            Assert.True(rig.Driver.HandleInterrupt());
        }
        Assert.Equal(7, rig.Driver.EmptyInterrupts);
        // One with a real frame in the used ring is not empty, and the frame arrives.
        Assert.True(rig.Model.Receive(Rig.Frame(1, 200)));
        Assert.True(rig.Driver.HandleInterrupt()); // the model raised ISR bit 0 itself
        Assert.Equal(7, rig.Driver.EmptyInterrupts);
        rig.Driver.Poll();
        Assert.Equal(Rig.Frame(1, 200), rig.ReceiveOne());
        Assert.True(rig.Driver.IsOperational);
    }

    [Fact]
    public void TransitionsFollowTheBitAndTheChangeCount()
    {
        var t = new LinkTransitions();
        Assert.Equal(LinkEvent.None, t.Observe(linkUp: true, changes: 0)); // the first look records
        Assert.Equal(LinkEvent.None, t.Observe(true, 0));
        Assert.Equal(LinkEvent.Down, t.Observe(false, 1));
        Assert.Equal(LinkEvent.None, t.Observe(false, 1));
        Assert.Equal(LinkEvent.Up, t.Observe(true, 2));
        Assert.Equal(LinkEvent.Bounced, t.Observe(true, 4)); // down and up again between two looks
        Assert.Equal(LinkEvent.Down, t.Observe(false, 7)); // up-down-up-down: down
        Assert.Equal(LinkEvent.None, t.Observe(false, 9)); // down-up-down: still down, nothing to announce
    }

    [Fact]
    public void ALinkDownAtStartIsReportedWhenItComesUp()
    {
        var t = new LinkTransitions();
        Assert.Equal(LinkEvent.None, t.Observe(false, 0));
        Assert.Equal(LinkEvent.Up, t.Observe(true, 1));
    }
}
