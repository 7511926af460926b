using System.Text.RegularExpressions;

namespace Cosmos.TestRunner;

/// <summary>How a boot must end for the runner to call it a success.</summary>
public enum BootEnding
{
    /// <summary>The kernel ran its self-tests and left through isa-debug-exit with the success code.</summary>
    SelfTestsPass,
    /// <summary>The kernel panicked on purpose: a report, then the failure exit code.</summary>
    Panic,
    /// <summary>The kernel reached "kernel: ready"; the runner then ends QEMU itself.</summary>
    Ready,
    /// <summary>An application image: its Main returned 0, so the kernel left through isa-debug-exit with the success code.</summary>
    ApplicationExits,
}

/// <summary>A line the serial log must contain, with the reason it matters.</summary>
public sealed record LogExpectation(string Description, string Pattern, bool MustBeAbsent = false)
{
    public bool IsMetBy(string log) => Regex.IsMatch(log, Pattern, RegexOptions.Multiline) != MustBeAbsent;
}

/// <summary>One QEMU boot of the ISO: its devices, its kernel command line and what it must show.</summary>
public sealed record BootSpec(
    string Name,
    string Description,
    IReadOnlyList<string> QemuArguments,
    string? KernelCommandLine,
    BootEnding Ending,
    IReadOnlyList<LogExpectation> Expectations,
    string Memory = "128M",
    string? Cpu = null,
    uint ExchangeFrames = 0,
    string? NicDevice = null,
    string ReadyPattern = "kernel: ready",
    HostCheck? HostCheck = null,
    WireCheck? WireCheck = null,
    PeerCheck? RawPeerCheck = null,
    TimeSpan? EarlyTrafficInterval = null,
    IReadOnlyDictionary<string, string>? ExpectedFailures = null,
    TapCheck? TapCheck = null,
    IReadOnlyList<string>? ExtraDevices = null,
    bool ComparesConformance = false,
    string? ConformanceExclude = null,
    TimeSpan? Timeout = null,
    Apps.ApplicationImage? Application = null,
    bool VhostUser = false,
    Cosmos.VhostUser.Hostile.HostileScript? HostileDevice = null,
    int HostileRecoveries = 0,
    bool Qmp = false,
    Func<string, List<(string Name, bool Passed, string Detail)>>? PcapFileCheck = null,
    bool TapCapture = true)
{
    /// <summary>QEMU opens a QMP socket (<see cref="HostChecks.QmpClient.SocketFor"/>) that the boot's checks drive (<see cref="Qmp"/>).</summary>
    public bool HasQmp => Qmp;

    /// <summary>Our vhost-user back end misbehaves on purpose (<see cref="HostileDevice"/>): the kernel must notice and stop.</summary>
    public bool IsHostile => UsesVhostUser && HostileDevice != null;
    // HostileRecoveries: how many times the kernel must reset and set up the device again against it (DeviceRecovery).

    /// <summary>
    /// The NIC's queues are served by our own vhost-user-net back end (Tools/VhostUser) in the runner, instead of QEMU's
    /// device model; its frames go to the boot's peer. Only for boots with a peer (exchange or raw IP).
    /// </summary>
    public bool UsesVhostUser => VhostUser && (HasPeer || HasRawPeer);

    /// <summary>
    /// QEMU arguments placed after the boot's own NIC (so a second NIC gets a later PCI slot and becomes net1);
    /// <c>{SECOND_UDP}</c> becomes a free host port for a second forward.
    /// </summary>
    public IReadOnlyList<string> MoreDevices => ExtraDevices ?? [];

    /// <summary>The NIC is on a tap in a network namespace of its own, the host kernel's stack on the other side.</summary>
    public bool UsesTap => TapCheck != null;

    /// <summary>In-kernel tests that must FAIL in this boot (name to a text their reason must contain): negative boots.</summary>
    public IReadOnlyDictionary<string, string> MustFail => ExpectedFailures ?? new Dictionary<string, string>();

    /// <summary>The raw peer sends traffic from before QEMU starts (a busy LAN while the driver comes up).</summary>
    public bool HasEarlyTraffic => EarlyTrafficInterval != null;

    /// <summary>User networking with host ports forwarded to the guest's services (UDP 7, TCP 7, TCP 80).</summary>
    public bool ForwardsServices => HostCheck != null && QemuArguments.Count == 0;

    /// <summary>The NIC is on a datagram backend wired to a raw-Ethernet host in the runner.</summary>
    public bool HasRawPeer => RawPeerCheck != null;
    /// <summary>When set, the NIC is on a datagram backend wired to the runner's exchange peer.</summary>
    public bool HasPeer => ExchangeFrames > 0;
}

/// <summary>Host ports forwarded by QEMU's user network to the guest's services.</summary>
public sealed record ForwardedPorts(int UdpEcho, int TcpEcho, int Http, int Dns = 0, int SecondUdpEcho = 0);

/// <summary>Something the runner does from the host while the kernel serves, after its ready line.</summary>
public delegate Task<List<(string Name, bool Passed, string Detail)>> HostCheck(ForwardedPorts ports, CancellationToken cancel);

/// <summary>Something the host does from the tap's network namespace after the ready line (ordinary tools and sockets).</summary>
public delegate Task<List<(string Name, bool Passed, string Detail)>> TapCheck(Tap.TapNetwork tap, Peers.LogWatcher log, CancellationToken cancel);

/// <summary>Checks on the boot's packet capture (QEMU filter-dump, read back with SharpPcap).</summary>
public delegate List<(string Name, bool Passed, string Detail)> WireCheck(HostChecks.WireCapture capture);

/// <summary>Something a raw-Ethernet peer on the kernel's link does after the ready line, watching the kernel's log.</summary>
public delegate Task<List<(string Name, bool Passed, string Detail)>> PeerCheck(Peers.RawIpPeer peer, Peers.LogWatcher log, CancellationToken cancel);
