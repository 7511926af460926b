using Cosmos.VhostUser;
using Cosmos.VhostUser.Endpoints;

namespace Cosmos.TestRunner.Peers;

/// <summary>The back end's counters when the boot ended, and how it went, for the verdict to compare with the kernel's.</summary>
public sealed record VhostUserReport(long TxFrames, long RxFrames, long RxDropped, long GuestErrors, long Kicks, long Calls,
    bool QueuesStarted, string? LastGuestError, string Messages, string? BackendFault = null, long FaultsInjected = 0, long RingStops = 0, long SpuriousCalls = 0,
    long CanaryChecked = -1, long CanaryViolations = 0, string? FirstCanaryViolation = null, long RingStarts = 0,
    ReceiveCanaryReport? ReceiveCanary = null)
{
    public override string ToString() =>
        $"back end: tx {TxFrames}, rx {RxFrames}, rx dropped {RxDropped}, guest errors {GuestErrors}, kicks {Kicks}, calls {Calls}, queues started {QueuesStarted}, ring stops {RingStops}, faults injected {FaultsInjected}, spurious calls {SpuriousCalls}, canary checked {CanaryChecked} violations {CanaryViolations}{(BackendFault != null ? $", FAULT {BackendFault}" : "")}";
}

/// <summary>What the receive canary (Tools/VhostUser/Canary/ReceiveCanary.cs) and the used-idx check found.</summary>
public sealed record ReceiveCanaryReport(long Checked, long CheckedPastLength, long Unarmed, long HeldViolations, string? FirstHeldViolation,
    long PastLengthViolations, string? FirstPastLengthViolation, long UsedIndexOverwrites, string? FirstUsedIndexOverwrite)
{
    public long Violations => HeldViolations + PastLengthViolations;

    public override string ToString() =>
        $"{Checked} receive chains checked at use ({Unarmed} used before they could be armed): {HeldViolations} written while the device held them" +
        $"{(FirstHeldViolation != null ? $" (first: {FirstHeldViolation})" : "")}; {CheckedPastLength} buffers checked past the last frame when posted again: {PastLengthViolations} written there" +
        $"{(FirstPastLengthViolation != null ? $" (first: {FirstPastLengthViolation})" : "")}; used idx overwritten {UsedIndexOverwrites} times{(FirstUsedIndexOverwrite != null ? $" (first: {FirstUsedIndexOverwrite})" : "")}";
}

/// <summary>
/// A boot's NIC on our own vhost-user-net back end (Tools/VhostUser), hosted in the runner's process: QEMU's virtio-net
/// device keeps its PCI side while the virtqueues are served here, from the guest's RAM that QEMU shares through a memfd.
/// The back end's frames travel as UDP datagrams exactly like QEMU's <c>-netdev dgram</c>, on the ports the runner's peer
/// chose for QEMU, so every peer (the exchange peer, the raw-IP peer, the load generator) works behind it unchanged.
/// </summary>
public sealed class VhostUserLink : IDisposable
{
    private readonly VhostUserNetBackend _backend;
    private readonly UdpDatagramEndpoint _endpoint;
    private bool _disposed;

    public string SocketPath { get; }

    /// <param name="peerNetdev">The dgram netdev the peer would have given QEMU; its local side becomes the back end's.</param>
    /// <param name="log">Where the back end's control steps go (the boot's log).</param>
    /// <param name="hostile">Scripted misbehaviour of the back end against the guest's driver (null: none).</param>
    /// <param name="canaries">Hold transmit completions a turn and check the guest left the buffers alone (Canary/TransmitCanary.cs), plant
    /// a pattern in posted receive buffers and check it (Canary/ReceiveCanary.cs), and check the guest never writes used idx.</param>
    /// <param name="receiveCanary">The receive canary alone (it changes no completion, so it runs beside a hostile script).</param>
    public VhostUserLink(string peerNetdev, string name, Action<string> log, Cosmos.VhostUser.Hostile.HostileScript? hostile = null, bool canaries = false,
        bool receiveCanary = false)
    {
        // A Unix socket path must fit sun_path (108 bytes), so it lives in /tmp rather than next to the boot's log.
        SocketPath = Path.Combine(Path.GetTempPath(), $"cosmos-vu-{Environment.ProcessId}-{name}.sock");
        _endpoint = UdpDatagramEndpoint.FromNetdev(peerNetdev);
        try
        {
            _backend = new VhostUserNetBackend(new BackendOptions { SocketPath = SocketPath, Endpoint = _endpoint, Log = log, Hostile = hostile, TransmitCanary = canaries, ReceiveCanary = canaries || receiveCanary });
        }
        catch
        {
            _endpoint.Dispose();
            throw;
        }
    }

    /// <summary>
    /// QEMU's side: the guest's RAM in a shared memfd (vhost-user maps it through the fds of SET_MEM_TABLE, so the memory
    /// backend must have share=on and be the machine's RAM through a NUMA node: docs/interop/vhost-user.rst, "Memory
    /// access"), a client chardev on our socket, and the vhost-user netdev with id n0. The device must carry
    /// <c>vectors=0</c> on QEMU 7.2 under TCG (FEASIBILITY.md: the MSI-X path dereferences a NULL irqfd array).
    /// </summary>
    public static IReadOnlyList<string> QemuArguments(string socketPath, string memory) =>
        [.. SharedMemoryArguments(memory), .. NetdevArguments(socketPath)];

    /// <summary>The machine's RAM as one shared memfd (the NUMA node's size must be the whole of <c>-m</c>).</summary>
    public static IReadOnlyList<string> SharedMemoryArguments(string memory) =>
        ["-object", $"memory-backend-memfd,id=vumem,size={memory},share=on", "-numa", "node,memdev=vumem"];

    /// <summary>The netdev alone (id n0), for a machine whose RAM is already shared.</summary>
    public static IReadOnlyList<string> NetdevArguments(string socketPath) =>
        ["-chardev", $"socket,id=vu0,path={socketPath}", "-netdev", "vhost-user,id=n0,chardev=vu0"];

    public IReadOnlyList<string> NetdevArgumentsFor() => NetdevArguments(SocketPath);

    /// <summary>Waits (bounded) for QEMU to start both queues: the driver reached DRIVER_OK and vhost started.</summary>
    public bool WaitUntilRunning(TimeSpan timeout) => _backend.WaitUntilRunning(timeout);

    public bool QueuesRunning => _backend.QueuesRunning;

    public VhostUserReport Report()
    {
        var c = _backend.Counters;
        // Read after QEMU has gone: the control thread has stopped adding to the list by then.
        string messages = string.Join(" ", _backend.Received.ToArray());
        return new VhostUserReport(c.TxFrames, c.RxFrames, c.RxDroppedTooLarge + c.RxDroppedNotRunning, c.GuestErrors, c.Kicks, c.Calls,
            c.RingStarts > 0, _backend.LastGuestError, messages, _backend.BackendFault, c.FaultsInjected, c.RingStops, c.SpuriousCalls,
            _backend.TransmitCanary?.Checked ?? -1, _backend.TransmitCanary?.Violations ?? 0, _backend.TransmitCanary?.FirstViolation, c.RingStarts,
            _backend.ReceiveCanary is { } rx
                ? new ReceiveCanaryReport(rx.Checked, rx.CheckedPastLength, rx.Unarmed, rx.HeldViolations, rx.FirstHeldViolation,
                    rx.PastLengthViolations, rx.FirstPastLengthViolation, c.UsedIndexOverwrites, _backend.FirstUsedIndexOverwrite)
                : null);
    }

    /// <summary>Stops the back end's threads (each join is bounded) and removes the socket; safe to call twice.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _backend.Dispose();
        _endpoint.Dispose();
    }
}
