using Cosmos.Drivers.Xen.Spec;
using Cosmos.Drivers.XenNetfront;
using Cosmos.Hal.Network;
using Cosmos.HostTests.XenModel;
using Cosmos.Kernel.Devices;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>
/// `xl network-detach` and `xl network-attach` against the models (issue 17 item 4): the netfront follows the backend to
/// Closed (io/xenbus.h), ends its grants only once the backend has let go, reports what it cannot end, closes its event
/// channel, and a new netfront on the vif written anew connects behind the same device while the old one's lent frames
/// are dropped by generation.
/// </summary>
public class XenNetfrontDetachTests
{
    [Fact]
    public void DetachDuringTraffic_FollowsTheBackendToClosed_DropsAndCountsFramesInFlight_EndsEveryGrant()
    {
        using var rig = new XenRig().Connected();
        int freeAtStart = rig.Platform.Grants.Capacity - GrantTableOp.ReservedEntries;
        for (int i = 0; i < 20; i++) { Assert.True(rig.Send(XenRig.Frame(200, i))); rig.Pump(); }
        Assert.Equal(20, rig.Netback.Transmitted.Count);
        rig.Netback.Paused = true;                       // what is sent now stays in the ring
        for (int i = 0; i < 3; i++) Assert.True(rig.Send(XenRig.Frame(300, 100 + i)));
        uint port = rig.Device.EventChannel;
        Assert.True(rig.Xen.IsBound(port));

        rig.Netback.Detach();                            // libxl: online=0, state=Closing
        rig.PumpUntilClosed();

        Assert.Equal(XenNetfrontLifecycle.Closed, rig.Device.Lifecycle);
        Assert.True(rig.Device.BackendClosed);
        Assert.Equal(XenbusState.Closing, rig.Device.DetachCause);
        Assert.Contains("Closing(5)", rig.Device.Error);
        Assert.Equal("6", rig.Netback.FrontendKey("state"));          // we followed it to Closed
        Assert.Equal("6", rig.Store.Get($"{rig.Netback.Backend}/state")); // and it let go
        Assert.Equal("backend Closed", rig.Device.DetachEnd);
        Assert.Equal(3, rig.Device.TxDroppedAtDetach);
        Assert.Equal(0, rig.Device.GrantsStillHeld);
        Assert.True(rig.Device.GrantsRevoked > 256);                    // rings, every receive page, every transmit page
        Assert.Equal(freeAtStart, rig.Platform.Grants.Available);       // every grant ended
        Assert.False(rig.Xen.IsBound(port));                            // the event channel is closed
        Assert.Equal(port, rig.Device.ClosedEventChannel);
        Assert.False(rig.Device.IsOperational);
        Assert.False(rig.Device.LinkUp);
        Assert.False(rig.Device.TryReserveTransmit(out _));             // the stack's sends are refused, nothing queued
        Assert.Equal(20, rig.Netback.Transmitted.Count);
        Assert.Empty(rig.MemoryFaults());
    }

    [Fact]
    public void DetachOfAQuietVif_TakesNoLongerThanTheBackendNeeds()
    {
        using var rig = new XenRig().Connected();
        rig.Netback.Detach();
        long started = rig.Xen.NowMilliseconds;
        rig.PumpUntilClosed();
        Assert.Equal(XenNetfrontLifecycle.Closed, rig.Device.Lifecycle);
        Assert.InRange(rig.Xen.NowMilliseconds - started, 0, 100);
        Assert.Equal(0, rig.Device.TxDroppedAtDetach);
        Assert.Equal(0, rig.Device.GrantsStillHeld);
    }

    [Fact]
    public void BackendThatNeverLetsGo_EndsTheTeardownInBoundedTime_AndReportsTheMappedRingGrants_WhichAreNeverReused()
    {
        using var rig = new XenRig(nb => nb.NeverLetGo = true).Connected();
        rig.Netback.Detach();
        long started = rig.Xen.NowMilliseconds;
        rig.PumpUntilClosed(60_000);
        Assert.Equal(XenNetfrontLifecycle.Closed, rig.Device.Lifecycle);
        Assert.InRange(rig.Xen.NowMilliseconds - started, XenNetfrontDevice.DetachTimeoutMilliseconds, XenNetfrontDevice.DetachTimeoutMilliseconds + 100);
        Assert.Contains("timed out after 10000 ms", rig.Device.DetachEnd);
        Assert.Equal(2, rig.Device.GrantsStillHeld);                    // both rings are still mapped
        uint tx = rig.Netback.TxRingRef, rx = rig.Netback.RxRingRef;
        Assert.True(rig.Platform.Grants.IsGranted((int)tx));
        Assert.True(rig.Platform.Grants.IsGranted((int)rx));
        // Every free entry handed out: none of them is a ring's.
        var handedOut = new List<int>();
        int reference;
        while ((reference = rig.Platform.Grants.Grant(0, 0x100, readOnly: true)) >= 0) handedOut.Add(reference);
        Assert.DoesNotContain((int)tx, handedOut);
        Assert.DoesNotContain((int)rx, handedOut);
        foreach (int r in handedOut) rig.Platform.Grants.Revoke(r);
        // Once the backend lets go, a retry ends them.
        Assert.Equal(2, rig.Device.RetryHeldGrants());
        rig.Netback.UnmapRings();
        Assert.Equal(0, rig.Device.RetryHeldGrants());
        Assert.Equal(0, rig.Device.GrantsStillHeld);
        Assert.False(rig.Platform.Grants.IsGranted((int)tx));
    }

    [Fact]
    public void BackendNodeRemovedBeforeItCloses_EndsTheTeardown_AndLeavesTheRemovedNodeAlone()
    {
        using var rig = new XenRig(nb => nb.NeverLetGo = true).Connected();
        rig.Netback.Detach();
        rig.Pump();
        rig.Netback.UnmapRings();
        rig.Netback.RemoveDirectories();                // libxl's forced removal after its 10 s
        rig.PumpUntilClosed();
        Assert.Equal(XenNetfrontLifecycle.Closed, rig.Device.Lifecycle);
        Assert.Equal("backend node removed", rig.Device.DetachEnd);
        Assert.Equal(0, rig.Device.GrantsStillHeld);
        Assert.Null(rig.Store.Get(rig.Netback.Frontend));            // our Closed did not re-create the node
    }

    [Fact]
    public void NewVifAfterTheDetach_ConnectsBehindTheSameDevice_AndTheOldDriversLentFramesAreDropped()
    {
        using var rig = new XenRig().Connected();
        var device = new RestartableNetworkDevice(rig.Device);
        rig.Netback.ToDeliver.Enqueue(XenRig.Frame(120, 1));
        rig.Pump();
        Assert.True(device.TryReceive(out ReceivedFrame lent));          // the stack holds a frame of the old driver
        Assert.True(device.TryReserveTransmit(out TransmitBuffer reserved)); // and a transmit buffer

        rig.Netback.Detach();
        rig.PumpUntilClosed();
        rig.Netback.RemoveDirectories();
        Assert.False(device.IsOperational);

        // xl network-attach: libxl writes the frontend and backend directories anew under the same id (its next id
        // is one past the last it lists, and it lists none), netback probes and waits in InitWait.
        var second = new NetbackModel(rig.Xen, rig.Store).Create();
        var options = XenNetfrontOptions.Default;
        options.ConnectTimeoutMilliseconds = 2000;
        var fresh = new XenNetfrontDevice(rig.Platform, options);
        Assert.True(fresh.Connect(), fresh.Error);
        int oldGeneration = device.Generation;
        device.Replace(fresh);
        Assert.True(device.IsOperational);
        Assert.True(second.Connected);
        Assert.True(rig.Xen.IsBound(fresh.EventChannel));
        Assert.Equal(2, device.OutstandingOf(oldGeneration));             // the frame and the buffer point into its pages

        // What the old driver lent comes back and is dropped, not handed to the new driver.
        device.Release(lent);
        Assert.Equal(1, device.OutstandingOf(oldGeneration));
        device.Transmit(reserved, 60, ChecksumOffload.None);
        Assert.Equal(0, fresh.ReceiveBuffersLent);
        Assert.Equal(0, fresh.Counters.TxFrames);
        Assert.Equal(0, device.OutstandingOf(oldGeneration));

        // Nothing of the old driver is reachable any more: its memory goes back, and is then free (canaries in its pages).
        long usedBefore = rig.Memory.PagesInUse;
        Assert.True(rig.Device.TryReleaseMemory());
        Assert.True(rig.Device.MemoryReleasedBytes >= 2 * 4096 + 256 * 4096, $"{rig.Device.MemoryReleasedBytes} bytes");
        Assert.Equal(usedBefore - rig.Device.MemoryReleasedBytes / 4096, rig.Memory.PagesInUse);
        Assert.True(rig.Device.TryReleaseMemory());                       // once only
        Assert.Equal(usedBefore - rig.Device.MemoryReleasedBytes / 4096, rig.Memory.PagesInUse);

        // Service resumes both ways through the new vif.
        for (int i = 0; i < 50; i++)
        {
            Assert.True(device.TryReserveTransmit(out TransmitBuffer buffer));
            byte[] frame = XenRig.Frame(400, 500 + i);
            frame.CopyTo(buffer.Span);
            device.Transmit(buffer, frame.Length, ChecksumOffload.None);
            second.ToDeliver.Enqueue(XenRig.Frame(500, 900 + i));
            rig.Xen.Pump();
            rig.Platform.Events.Scan();
            device.Poll();
        }
        int received = 0;
        while (device.TryReceive(out ReceivedFrame frame)) { received++; device.Release(frame); }
        Assert.Equal(50, second.Transmitted.Count);
        Assert.Equal(50, received);
        Assert.Empty(second.Violations);
        Assert.Empty(rig.Netback.Violations);
        // Nobody wrote into the returned pages (their canaries; rig.MemoryFaults also audits grant copies, which knows
        // only the first netback's receive grants, not the second one's).
        var faults = rig.Memory.Audit();
        Assert.True(faults.Count == 0, string.Join("; ", faults.Take(5)));
    }

    [Fact]
    public void MemoryOfADriverWhoseGrantsAreStillMapped_IsNotReturned()
    {
        using var rig = new XenRig(nb => nb.NeverLetGo = true).Connected();
        rig.Netback.Detach();
        rig.PumpUntilClosed(60_000);
        Assert.Equal(2, rig.Device.GrantsStillHeld);
        Assert.False(rig.Device.TryReleaseMemory());
        Assert.Equal(0, rig.Device.MemoryReleasedBytes);
        rig.Netback.UnmapRings();                                          // the backend lets go late
        Assert.Equal(0, rig.Device.RetryHeldGrants());
        Assert.True(rig.Device.TryReleaseMemory());
    }
}
