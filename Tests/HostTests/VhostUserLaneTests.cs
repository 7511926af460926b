using Cosmos.TestRunner;
using Cosmos.TestRunner.Peers;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>
/// The runner's vhost-user lane (Tools/TestRunner/Peers/VhostUserLink.cs with Tools/VhostUser): QEMU's command line, the
/// back end's life cycle, and the verdict that compares the driver's counters with the back end's.
/// </summary>
public class VhostUserLaneTests
{
    private static readonly MachineOptions Options = new("k.iso", "qemu", TimeSpan.FromSeconds(1), "tcg", false);

    private static BootSpec PlannedExchange => BootPlan.All.Single(b => b.Name == "virtio-vhost-user");

    [Fact]
    public void TheLaneHasExchangeAndRawPeerBootsOnVhostUser()
    {
        var lane = BootPlan.All.Where(b => b.UsesVhostUser).ToList();
        Assert.Contains(lane, b => b.HasPeer && b.ExchangeFrames == 10_000);
        Assert.Contains(lane, b => b.HasRawPeer);
        // QEMU 7.2 under TCG segfaults on the MSI-X path once vhost starts (FEASIBILITY.md): every boot must ask for INTx.
        Assert.All(lane, b => Assert.Contains("vectors=0", b.NicDevice));
    }

    [Fact]
    public void QemuGetsSharedMemoryAndTheBackEndsSocketInsteadOfADatagramNetdev()
    {
        var args = QemuMachine.BuildArguments(PlannedExchange, Options, "dgram,id=n0,local.port=1", vhostUserSocket: "/tmp/x.sock");
        string joined = string.Join(' ', args);
        Assert.Contains($"memory-backend-memfd,id=vumem,size={PlannedExchange.Memory},share=on", args);
        Assert.Contains("node,memdev=vumem", args);
        Assert.Contains("socket,id=vu0,path=/tmp/x.sock", args);
        Assert.Contains("vhost-user,id=n0,chardev=vu0", args);
        Assert.Contains("virtio-net-pci,netdev=n0,vectors=0", args);
        Assert.DoesNotContain("dgram", joined);
    }

    [Fact]
    public void TheBackEndListensAndIsGoneWithinBoundedTimeAfterDispose()
    {
        int local = FreePort(), remote = FreePort();
        string netdev = $"dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port={local},remote.type=inet,remote.host=127.0.0.1,remote.port={remote}";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        string socket;
        using (var link = new VhostUserLink(netdev, $"unit-{Guid.NewGuid():N}"[..20], _ => { }))
        {
            socket = link.SocketPath;
            Assert.True(File.Exists(socket));
            Assert.False(link.WaitUntilRunning(TimeSpan.FromMilliseconds(50)));
        }
        Assert.False(File.Exists(socket));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"dispose took {watch.Elapsed}");
        // The endpoint's port is free again: a second back end can take it.
        using var again = new VhostUserLink(netdev, $"unit-{Guid.NewGuid():N}"[..20], _ => { });
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static BootRun Exchanged(long driverTx, long driverRx, VhostUserReport backend, long peerSent = 10_664, long peerReceived = 10_666)
    {
        string[] lines =
        [
            "TEST START nic.exchange",
            $"EXCHANGE kernel-sent={driverTx} kernel-received={driverRx} driver-tx={driverTx} driver-rx={driverRx} data-in=10000 data-out-acked=10000 interrupts=5 merged=0",
            "interrupts INTx irq 11",
            "TEST PASS nic.exchange",
            "TEST SUMMARY passed=1 failed=0",
        ];
        var exchange = new ExchangeResult(peerSent, peerReceived, 10_000, 10_000, 0, 0, 0, 0, 0, true, TimeSpan.FromSeconds(4));
        return new BootRun(QemuMachine.KernelSuccessExit, false, false, string.Join('\n', lines), lines.Select(SerialProtocol.Parse).ToList(),
            TimeSpan.FromSeconds(5), exchange, VhostUser: backend);
    }

    private static VhostUserReport Backend(long tx, long rx, long guestErrors = 0, string? fault = null) =>
        new(tx, rx, 0, guestErrors, Kicks: 800, Calls: 600, QueuesStarted: true, LastGuestError: guestErrors > 0 ? "ring 1: bad chain" : null, Messages: "GetFeatures", BackendFault: fault);

    private static IEnumerable<Outcome> VhostOutcomes(BootRun run) =>
        BootVerdict.Judge(PlannedExchange, run).Where(o => o.Name.StartsWith("vhost-user:", StringComparison.Ordinal));

    [Fact]
    public void MatchingCountersPass()
    {
        var outcomes = VhostOutcomes(Exchanged(10_666, 10_664, Backend(10_666, 10_664))).ToList();
        Assert.NotEmpty(outcomes);
        Assert.All(outcomes, o => Assert.True(o.Passed, $"{o.Name}: {o.Detail}"));
        // Acknowledgements that reached the ring after the kernel printed are counted by the back end only.
        Assert.All(VhostOutcomes(Exchanged(10_666, 10_660, Backend(10_666, 10_664))), o => Assert.True(o.Passed, $"{o.Name}: {o.Detail}"));
    }

    [Theory]
    [InlineData(10_666, 10_664, 10_665, 10_664, "driver tx counter equals")]
    [InlineData(10_666, 10_664, 10_666, 10_663, "driver rx counter within")]
    [InlineData(10_666, 10_664, 10_666, 10_700, "driver rx counter within")] // more delivered than the peer ever sent
    public void CountersThatDisagreeFail(long driverTx, long driverRx, long backendTx, long backendRx, string failing)
    {
        var outcomes = VhostOutcomes(Exchanged(driverTx, driverRx, Backend(backendTx, backendRx))).ToList();
        Assert.Contains(outcomes, o => !o.Passed && o.Name.Contains(failing, StringComparison.Ordinal));
    }

    [Fact]
    public void GuestErrorsFaultsAndFallbackFail()
    {
        Assert.Contains(VhostOutcomes(Exchanged(10_666, 10_664, Backend(10_666, 10_664, guestErrors: 1))), o => !o.Passed && o.Name.Contains("ring rule"));
        Assert.Contains(VhostOutcomes(Exchanged(10_666, 10_664, Backend(10_666, 10_664, fault: "data plane: boom"))), o => !o.Passed && o.Name.Contains("did not fail"));
        BootRun fellBack = Exchanged(10_666, 10_664, Backend(10_666, 10_664)) is var r
            ? r with { Log = r.Log + "\n[qemu] unable to start vhost net: 22: falling back on userspace virtio" } : null!;
        Assert.Contains(VhostOutcomes(fellBack), o => !o.Passed && o.Name.Contains("fallback"));
        Assert.Contains(BootVerdict.Judge(PlannedExchange, Exchanged(10_666, 10_664, Backend(10_666, 10_664)) with { VhostUser = null }),
            o => !o.Passed && o.Name == "vhost-user back end ran");
    }
}
