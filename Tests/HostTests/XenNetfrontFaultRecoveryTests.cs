using Cosmos.Drivers.XenNetfront;
using Cosmos.Hal.Network;
using Cosmos.HostTests.XenModel;
using Cosmos.Kernel.Devices;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>
/// Recovery from a backend that broke the protocol (issue 17 item 4), against the models: the netfront stops using the
/// rings at once, closes the connection from its side (Closing; netback unmaps the rings and says Closing; Closed; netback
/// Closed), ends every grant, and a new netfront on the same vif connects again (netback, online, goes from Closed back to
/// InitWait when the frontend says Initialising) behind the same device, while the old driver's lent frames are dropped.
/// </summary>
public class XenNetfrontFaultRecoveryTests
{
    [Theory]
    [InlineData(NetbackHostility.RxIdNotPosted, "not posted")]
    [InlineData(NetbackHostility.RxDuplicateId, "in the slot of another request")]
    [InlineData(NetbackHostility.RxLengthPastPage, "runs past its page")]
    [InlineData(NetbackHostility.RxProducerAhead, "rsp_prod runs past")]
    [InlineData(NetbackHostility.TxIdNotInFlight, "not in flight")]
    [InlineData(NetbackHostility.TxBadStatus, "status 7")]
    public void AfterAViolation_TheSameVifConnectsAgain_AndServesBothWays(NetbackHostility hostility, string expected)
    {
        using var rig = new XenRig(nb => { nb.Hostility = hostility; nb.HostileAfterFrames = 4; }).Connected();
        var device = new RestartableNetworkDevice(rig.Device);
        ReceivedFrame lent = default;
        bool holding = false;
        for (int i = 0; i < 40 && device.IsOperational; i++)
        {
            if (device.TryReserveTransmit(out TransmitBuffer buffer))
            {
                XenRig.Frame(100, i).CopyTo(buffer.Span);
                device.Transmit(buffer, 100, ChecksumOffload.None);
            }
            rig.Netback.ToDeliver.Enqueue(XenRig.Frame(200, i));
            rig.Pump();
            while (device.TryReceive(out ReceivedFrame frame))
            {
                if (!holding) { lent = frame; holding = true; }   // the stack keeps one frame of the old driver
                else device.Release(frame);
            }
        }
        Assert.False(device.IsOperational);
        Assert.Contains(expected, rig.Device.Error);
        Assert.True(holding);

        rig.PumpUntilClosed();
        Assert.True(rig.Device.StoppedOnFault);
        Assert.False(rig.Device.BackendClosed);                           // not a detach: the backend stays
        Assert.Equal(XenNetfrontLifecycle.Closed, rig.Device.Lifecycle);
        Assert.Equal("backend Closed", rig.Device.DetachEnd);
        Assert.Equal(0, rig.Device.GrantsStillHeld);
        Assert.Equal("6", rig.Netback.FrontendKey("state"));
        Assert.Equal("6", rig.Store.Get($"{rig.Netback.Backend}/state"));
        Assert.False(rig.Xen.IsBound(rig.Device.ClosedEventChannel));
        Assert.Empty(rig.MemoryFaults());

        // The backend behaves from now on; a new netfront connects on the same node.
        rig.Netback.Hostility = NetbackHostility.None;
        var options = XenNetfrontOptions.Default;
        options.ConnectTimeoutMilliseconds = 2000;
        var fresh = new XenNetfrontDevice(rig.Platform, options);
        Assert.True(fresh.Connect(), fresh.Error);
        Assert.Equal(1, rig.Netback.Reconnections);
        Assert.True(rig.Netback.Connected);
        device.Replace(fresh);
        Assert.True(device.IsOperational);

        device.Release(lent);                                             // dropped by generation, not given to the new driver
        Assert.Equal(0, fresh.ReceiveBuffersLent);

        int sentBefore = rig.Netback.Transmitted.Count;
        for (int i = 0; i < 50; i++)
        {
            Assert.True(device.TryReserveTransmit(out TransmitBuffer buffer));
            byte[] frame = XenRig.Frame(400, 500 + i);
            frame.CopyTo(buffer.Span);
            device.Transmit(buffer, frame.Length, ChecksumOffload.None);
            rig.Netback.ToDeliver.Enqueue(XenRig.Frame(500, 900 + i));
            rig.Xen.Pump();
            rig.Platform.Events.Scan();
            device.Poll();
        }
        var received = new List<byte[]>();
        while (device.TryReceive(out ReceivedFrame frame)) { received.Add(frame.Span.ToArray()); device.Release(frame); }
        Assert.Equal(50, rig.Netback.Transmitted.Count - sentBefore);
        for (int i = 0; i < 50; i++) Assert.Equal(XenRig.Frame(400, 500 + i), rig.Netback.Transmitted[sentBefore + i]);
        // What was still queued for the old connection is not what the new one must deliver first: only the 50 new frames count.
        Assert.Equal(50, received.Count(f => f.Length == 500));
        Assert.True(fresh.IsOperational, fresh.Error);
        Assert.Equal(0, fresh.Counters.DeviceErrors);
    }

    [Fact]
    public void ABackendThatNeverAnswersTheClose_EndsTheTeardownInBoundedTime_AndKeepsTheRingsGranted()
    {
        // It keeps both rings mapped and stays Connected when the frontend closes.
        using var rig = new XenRig(nb => { nb.Hostility = NetbackHostility.TxBadStatus; nb.HostileAfterFrames = 2; nb.NeverLetGo = true; }).Connected();
        for (int i = 0; i < 20 && rig.Device.IsOperational; i++) { rig.Send(XenRig.Frame(100, i)); rig.Pump(); }
        Assert.False(rig.Device.IsOperational);
        rig.PumpUntilClosed(60_000);
        Assert.Equal(XenNetfrontLifecycle.Closed, rig.Device.Lifecycle);
        Assert.StartsWith("timed out after 10000 ms", rig.Device.DetachEnd);
        Assert.Equal(2, rig.Device.GrantsStillHeld);                      // the two ring pages: left granted, never reused
        Assert.Equal("6", rig.Netback.FrontendKey("state"));
    }
}
