using Cosmos.VhostUser.Hostile;

namespace Cosmos.TestRunner;

/// <summary>The boots `cosmos-runner test` makes: one ISO, a different machine and command line each.</summary>
public static class BootPlan
{
    /// <summary>A virtio-net NIC on the given QEMU network backend (its id must be n0).</summary>
    public static string[] VirtioNet(string netdev, bool modernOnly, string extraDeviceOptions = "") =>
        ["-netdev", netdev, "-device", $"virtio-net-pci,netdev=n0{(modernOnly ? ",disable-legacy=on" : "")}{extraDeviceOptions}"];

    /// <summary>QEMU's virtio-net, transitional (legacy and modern interfaces, PCI id 1af4:1000), user networking.</summary>
    public static readonly string[] VirtioNetTransitional = VirtioNet("user,id=n0", modernOnly: false);

    /// <summary>virtio-net with the legacy interface off: a modern-only device, PCI id 1af4:1041.</summary>
    public static readonly string[] VirtioNetModern = VirtioNet("user,id=n0", modernOnly: true);

    private const string SelfTestOptions = "test=all test.source-check=fwcfg";

    /// <summary>The stress boots' interval: a collection every this many allocations.</summary>
    private const int GcStress = 1000;
    /// <summary>Conformance cases left out of the gc.stress=1 boot (prefixes, comma-separated).</summary>
    // async.delay-order compares the order of three Task.Delays 100 ms apart: at a collection per allocation on a loaded
    // machine (load average 18 on 2 cores, 1 December) starting one delay took longer than that, so the order depended on
    // the host's load, not on the timers; it runs in the other conformance boots.
    private const string StressOneExcludes = "alloc,numbers.double,format.specifier,stringop,linqchain,parsetable,async.delay-order";
    private static readonly LogExpectation GcStressOn = new("gc stress mode is on", @"gc: stress mode: a collection every \d+ allocations");

    private static LogExpectation PciListed(string id) =>
        new($"boot log lists PCI function {id}", $@"pci: [0-9a-f]{{2}}:[0-9a-f]{{2}}\.[0-7] {id} class 02\.00");

    private static LogExpectation TickRate(int hz) =>
        new($"boot log says the tick runs at {hz} Hz", $@"boot: clock: TSC [0-9]+ kHz[^,]*, tick {hz} Hz");

    private const uint ExchangeFrames = 10_000;

    /// <summary>10,000 frames each way with the runner's peer over QEMU's dgram backend, one device variant per boot.</summary>
    private static BootSpec Exchange(string name, string description, string device, string kernelOptions, params LogExpectation[] expectations) =>
        new($"virtio-{name}", description, [], $"test=nic.exchange test.frames={ExchangeFrames} {kernelOptions}".TrimEnd(),
            BootEnding.SelfTestsPass, expectations, ExchangeFrames: ExchangeFrames, NicDevice: $"virtio-net-pci,netdev=n0{device}");

    /// <summary>
    /// The exchange through our own vhost-user-net back end (Tools/VhostUser) hosted by the runner: QEMU 7.2's virtio-net
    /// device with <c>vectors=0</c> (INTx; its MSI-X path crashes without KVM, see Tools/VhostUser/FEASIBILITY.md) on
    /// <c>-netdev vhost-user</c>, the guest's RAM shared through a memfd; the back end's frames go to the same peer.
    /// </summary>
    private static BootSpec VhostUserExchange(string name, string description, string kernelOptions, params LogExpectation[] expectations) =>
        VhostUserExchange(name, description, "", kernelOptions, expectations);

    /// <param name="device">More device options: QEMU then offers the driver less, and our back end takes the other paths
    /// (flags instead of event index, chains instead of indirect tables, whole-frame receive buffers).</param>
    private static BootSpec VhostUserExchange(string name, string description, string device, string kernelOptions, params LogExpectation[] expectations) =>
        Exchange(name, description, $",vectors=0{device}", kernelOptions,
            [new("INTx in use", "interrupts INTx irq"), new("INTx interrupts arrived", @"EXCHANGE .* interrupts=[1-9]"), .. expectations]) with { VhostUser = true };

    /// <summary>
    /// Link down and up from QEMU's monitor (QMP <c>set_link n0 off</c>, then <c>on</c>) on QEMU's own virtio-net wired to the
    /// raw peer: the kernel must see both changes through the configuration-change interrupt, answer no ping while down, drop
    /// and count what it sends meanwhile (its gateway pings, one a second), and after the return answer again and announce its
    /// address with a gratuitous ARP (seen in the pcap). Issue 17 item 4; HostChecks/LinkFlapCheck.cs.
    /// </summary>
    private static BootSpec LinkFlap(string name, string description, string device, LogExpectation interrupts) =>
        new(name, $"link down and up from QEMU's monitor: {description}; pings stop and resume, frames sent while down are dropped and counted, a gratuitous ARP follows the return",
            [], "net.ip=10.0.3.15/24 net.gw=10.0.3.1 net.ping-count=60", BootEnding.Ready,
            [interrupts, new("the device offers STATUS", @"virtio-net: features: .*\bSTATUS\b"), new("link up at start", @"virtio-net: .* link up")],
            NicDevice: $"virtio-net-pci,netdev=n0{device}", ReadyPattern: "net: ready",
            RawPeerCheck: HostChecks.LinkFlapCheck.Run(name), Qmp: true, PcapFileCheck: HostChecks.LinkFlapCheck.FromPcap);

    /// <summary>
    /// The exchange against our vhost-user back end scripted to misbehave once, at the 101st completion on the fault's
    /// queue (issue 17 item 3): the driver must find the broken rule, stop the device (reset, then FAILED), and the kernel
    /// must log the reason; the exchange test then fails, as it must.
    /// </summary>
    private static BootSpec HostileExchange(DeviceFault fault, string description, string reason) =>
        new($"vhost-user-hostile-{HostileScript.Name(fault)}", $"hostile vhost-user device: {description}; the driver stops the device and the kernel logs why",
            [], $"test=nic.exchange test.frames={ExchangeFrames}", BootEnding.SelfTestsPass,
            [new("the kernel logged the stop and the driver's reason", $@"virtio-net: net0: device stopped: {System.Text.RegularExpressions.Regex.Escape(reason)}")],
            ExchangeFrames: ExchangeFrames, NicDevice: "virtio-net-pci,netdev=n0,vectors=0",
            ExpectedFailures: new Dictionary<string, string> { ["nic.exchange"] = "the driver stopped the device" },
            VhostUser: true, HostileDevice: new(fault));

    private const string NotInFlight = "transmit queue: used id out of range or not in flight";

    /// <summary>
    /// Recovery from our hostile back end (issue 17 item 4): it commits <paramref name="fault"/> once, at the 101st completion
    /// on the fault's queue, and behaves after the reset; the network service runs with recovery on. The kernel must log the
    /// stop with <paramref name="reason"/>, recover within the bound, and serve UDP echo, TCP echo and the status page after
    /// (HostChecks/HostileRecoveryCheck.cs); the back end must see its rings stopped and started again.
    /// </summary>
    private static BootSpec HostileRecovery(DeviceFault fault, string description, string reason) =>
        new($"vhost-user-recovery-{HostileScript.Name(fault)}", $"recovery from the hostile vhost-user device: {description} once, then a device that behaves; the kernel logs the stop, resets and sets the device up again (QEMU restarts our back end's rings), and UDP echo, TCP echo and the status page work after",
            [], "net.ip=10.0.3.15/24 net.gw=10.0.3.1 net.ping-count=0", BootEnding.Ready, [],
            NicDevice: "virtio-net-pci,netdev=n0,vectors=0", ReadyPattern: "net: ready",
            RawPeerCheck: HostChecks.HostileRecoveryCheck.Once(System.Text.RegularExpressions.Regex.Escape(reason)),
            VhostUser: true, HostileDevice: new(fault), HostileRecoveries: 1);

    private static LogExpectation Transport(string name) => new($"uses the {name} transport", $"virtio-net: .* transport {name},");
    private static LogExpectation Feature(string name, bool present) =>
        new($"{name} {(present ? "negotiated" : "not negotiated")}", present ? $"features:.* {name}( |$)" : $"features:(?!.* {name}( |$))");

    private static List<(string, bool, string)> ServicesOnTheWire(HostChecks.WireCapture c) =>
    [
        ("UDP echo: 300 requests in, 300 identical replies out", c.UdpEchoRequests == 300 && c.UdpEchoReplies == 300 && c.UdpEchoMismatches == 0,
            $"requests {c.UdpEchoRequests}, replies {c.UdpEchoReplies}, mismatched {c.UdpEchoMismatches}"),
        ("TCP echo: 1 MiB each way", c.TcpEchoBytesIn >= 1 << 20 && c.TcpEchoBytesOut >= 1 << 20, $"in {c.TcpEchoBytesIn}, out {c.TcpEchoBytesOut} bytes (retransmissions count twice)"),
        ("HTTP: a SYN to port 80 and a 200 response", c.TcpSynToHttp >= 1 && c.HttpOk >= 1, $"SYNs {c.TcpSynToHttp}, 200 responses {c.HttpOk}"),
    ];

    private static BootSpec Fault(string kind, string description, params LogExpectation[] expectations) =>
        new($"fault-{kind}", description, VirtioNetTransitional, $"test.fault={kind}", BootEnding.Panic,
            [new("a panic report begins", @"\*\*\* PANIC: "), new("the report is complete", @"\*\*\* END PANIC"), .. expectations]);

    /// <summary>
    /// A boot on a busy link: the raw peer sends an ARP request and a datagram every millisecond from before
    /// QEMU starts, so frames (and, in interrupt modes, a raised line) are waiting the moment the driver
    /// starts. The kernel must reach "net: ready" and then answer, in every interrupt mode.
    /// </summary>
    private static BootSpec EarlyTraffic(string name, string description, string device, string kernelOptions, bool interrupts, string? cpu, LogExpectation mode) =>
        new($"early-traffic-{name}", description, [], $"net.ip=10.0.3.15/24 net.gw=10.0.3.1 net.ping-count=0 {kernelOptions}".TrimEnd(), BootEnding.Ready,
            [mode, new("no interrupt line masked as a storm", @"pic: irq \d+: .* masked", MustBeAbsent: true)],
            Cpu: cpu, NicDevice: $"virtio-net-pci,netdev=n0{device}", ReadyPattern: "net: ready",
            RawPeerCheck: HostChecks.EarlyTrafficCheck.For(interrupts), EarlyTrafficInterval: TimeSpan.FromMilliseconds(1));

    /// <summary>
    /// A boot on a tap with vnet_hdr in a network namespace of the runner's, dnsmasq serving DHCP and DNS, and
    /// the host kernel's own stack and tools as the peer (<see cref="HostChecks.TapChecks"/>).
    /// </summary>
    private static BootSpec TapBoot(string name, string description, string device, string kernelOptions, params LogExpectation[] expectations) =>
        TapBoot(name, description, device, kernelOptions, HostChecks.OffloadChecks.Receive.Coalesced, expectations);

    private static BootSpec TapBoot(string name, string description, string device, string kernelOptions, HostChecks.OffloadChecks.Receive receive,
        params LogExpectation[] expectations) =>
        TapBoot(name, description, device, kernelOptions, receive, HostChecks.OffloadChecks.Transmit.Segmentation, expectations);

    private static BootSpec TapBoot(string name, string description, string device, string kernelOptions, HostChecks.OffloadChecks.Receive receive,
        HostChecks.OffloadChecks.Transmit transmit, params LogExpectation[] expectations) =>
        new($"tap-{name}", $"tap, host kernel's stack: {description}; DHCP and DNS from dnsmasq, ping, flood ping, UDP echo, 64 MiB TCP echo each way, curl, pcap; HTTP: 404, HEAD, pipelining, Connection: close, 200 curls, wrk on 1 and 30 connections, idle timeout; TCP peer checks",
            [], $"net.resolve=lane.cosmos.test {kernelOptions}".TrimEnd(), BootEnding.Ready,
            [new("DNS from dnsmasq", @"dns: lane\.cosmos\.test -> 192\.168\.100\.1"), new("checksum offload negotiated", "features:.* CSUM GUEST_CSUM"), .. expectations],
            NicDevice: $"virtio-net-pci,netdev=n0,mac={HostChecks.TapChecks.KernelMac}{device}", ReadyPattern: @"dns: lane\.cosmos\.test",
            TapCheck: HostChecks.OffloadChecks.After(HostChecks.TcpPeerChecks.Before(HostChecks.TapChecks.For(new())), receive, transmit));

    public static IReadOnlyList<BootSpec> All { get; } =
    [
        new("selftest-transitional", "all in-kernel tests; virtio-net transitional (1af4:1000)",
            VirtioNetTransitional, $"{SelfTestOptions} test.pci=1af4:1000", BootEnding.SelfTestsPass, [PciListed("1af4:1000")]),
        new("selftest-modern", "all in-kernel tests; virtio-net modern only (1af4:1041)",
            VirtioNetModern, $"{SelfTestOptions} test.pci=1af4:1041", BootEnding.SelfTestsPass, [PciListed("1af4:1041")]),
        new("selftest-tick100", "all in-kernel tests with the tick at 100 Hz (clock.tick-hz=100, the rate a Xen guest uses)",
            VirtioNetTransitional, $"{SelfTestOptions} test.pci=1af4:1000 clock.tick-hz=100", BootEnding.SelfTestsPass, [PciListed("1af4:1000"), TickRate(100)]),
        new("selftest-qemu64", "all in-kernel tests on the baseline qemu64 CPU",
            VirtioNetTransitional, $"{SelfTestOptions} test.pci=1af4:1000", BootEnding.SelfTestsPass, [PciListed("1af4:1000")],
            Cpu: "qemu64"),
        new("selftest-64M", "all in-kernel tests in 64 MiB of RAM",
            VirtioNetTransitional, $"{SelfTestOptions} test.pci=1af4:1000", BootEnding.SelfTestsPass, [PciListed("1af4:1000")],
            Memory: "64M"),
        new("selftest-pci-unnamed", "negative: the PCI test without test.pci must fail (it would prove nothing about the NIC)",
            VirtioNetTransitional, "test=hal.pci-enumeration", BootEnding.SelfTestsPass, [],
            ExpectedFailures: new Dictionary<string, string> { ["hal.pci-enumeration"] = "test.pci not given" }),
        new("selftest-pci-malformed", "negative: a malformed test.pci must fail the PCI test, not be ignored",
            VirtioNetTransitional, "test=hal.pci-enumeration test.pci=1af4-10x0", BootEnding.SelfTestsPass, [],
            ExpectedFailures: new Dictionary<string, string> { ["hal.pci-enumeration"] = "test.pci is malformed" }),
        new("pvh-direct-boot", "qemu -kernel on the ELF (PVH entry note, no firmware boot loader): all in-kernel tests",
            ["-kernel", "{ELF}", "-initrd", "{SYM}", .. VirtioNetTransitional], $"{SelfTestOptions} test.pci=1af4:1000", BootEnding.SelfTestsPass,
            [PciListed("1af4:1000"), new("symbols from the unnamed module", @"symbols: [1-9][0-9]* symbols loaded")]),
        new("pvh-fault-names-symbols", "a panic after a direct boot still names the method (symbol map passed as -initrd)",
            ["-kernel", "{ELF}", "-initrd", "{SYM}", .. VirtioNetTransitional], "test.fault=throw", BootEnding.Panic,
            [new("names the throw site", @"thrown at 0x[0-9a-f]+ Cosmos_Kernel_Cosmos_Kernel_SelfTests_FaultInjection__ThrowManaged")]),
        new("grub-command-line", "no fw_cfg: GRUB's command line is used and the kernel reaches ready",
            VirtioNetTransitional, null, BootEnding.Ready,
            [new("the multiboot2 command line is used", @"command line \(multiboot2\)"), PciListed("1af4:1000"),
             new("symbols are loaded for panics", @"symbols: [1-9][0-9]* symbols loaded")]),
        Exchange("legacy", "transitional device on the legacy interface (QUEUE_PFN, I/O BAR), INTx", ",disable-modern=on", "",
            Transport("legacy"), new LogExpectation("legacy device id", "1af4:1000 transport legacy"),
            new LogExpectation("INTx interrupts arrived", @"EXCHANGE .* interrupts=[1-9]")),
        Exchange("modern", "modern-only device (1af4:1041), MSI-X interrupts", ",disable-legacy=on", "",
            Transport("modern"), new LogExpectation("modern device id", "1af4:1041 transport modern"), Feature("VERSION_1", true),
            new LogExpectation("MSI-X in use", "interrupts MSI-X"), new LogExpectation("MSI-X messages arrived", @"EXCHANGE .* interrupts=[1-9]")),
        Exchange("modern-intx", "modern interface with INTx chosen by virtio.interrupts=intx", "", "virtio.interrupts=intx",
            Transport("modern"), new LogExpectation("INTx in use", "interrupts INTx irq"), new LogExpectation("INTx interrupts arrived", @"EXCHANGE .* interrupts=[1-9]")),
        Exchange("msix-fallback", "a device without MSI-X vectors: the driver falls back to INTx", ",vectors=0", "",
            new LogExpectation("falls back", "MSI-X unavailable; using INTx"), new LogExpectation("INTx in use", "interrupts INTx irq")),
        Exchange("packed", "packed virtqueues (VIRTIO_F_RING_PACKED) on the modern interface", ",disable-legacy=on,packed=on", "",
            Feature("RING_PACKED", true), new LogExpectation("packed queues in use", @"queues: rx \d+ tx \d+ \(packed\)")),
        Exchange("packed-no-indirect-no-event-idx", "packed virtqueues without indirect descriptors or event index", ",packed=on,indirect_desc=off,event_idx=off", "",
            Feature("RING_PACKED", true), Feature("INDIRECT_DESC", false), Feature("EVENT_IDX", false)),
        Exchange("transitional-forced-legacy", "transitional device, legacy interface chosen by virtio.transport=legacy", "", "virtio.transport=legacy",
            Transport("legacy")),
        Exchange("event-idx-off", "VIRTIO_F_EVENT_IDX off: NO_NOTIFY / NO_INTERRUPT flags", ",event_idx=off", "",
            Feature("EVENT_IDX", false)),
        Exchange("mrg-rxbuf-off", "VIRTIO_NET_F_MRG_RXBUF off: whole-frame receive buffers", ",mrg_rxbuf=off", "",
            Feature("MRG_RXBUF", false)),
        Exchange("indirect-off", "VIRTIO_F_INDIRECT_DESC off: two-descriptor chains", ",indirect_desc=off", "",
            Feature("INDIRECT_DESC", false)),
        Exchange("queue-64", "queues of 64 entries (the modern interface lets the driver choose)", ",disable-legacy=on", "virtio.queue-size=64",
            new LogExpectation("queues of 64", "queues: rx 64 tx 64")),
        Exchange("small-rx-buffers", "512-byte receive buffers: frames merged from several mergeable buffers", "", "virtio.rx-buffer=512",
            Feature("MRG_RXBUF", true), new LogExpectation("frames were merged from several buffers", @"EXCHANGE .* merged=[1-9]")),
        Exchange("polling", "no interrupts: the driver polls", "", "virtio.interrupts=poll",
            new LogExpectation("polling mode", "interrupts polling")),
        VhostUserExchange("vhost-user", "the exchange through our C# vhost-user-net back end (QEMU 7.2, vectors=0, memfd-shared RAM); the driver's counters against the back end's",
            "", Feature("MRG_RXBUF", true), Feature("EVENT_IDX", true), Feature("INDIRECT_DESC", true)),
        VhostUserExchange("vhost-user-small-rx-buffers", "the exchange through our vhost-user back end with 512-byte receive buffers: the back end spreads frames over several mergeable buffers",
            "virtio.rx-buffer=512", new LogExpectation("frames were merged from several buffers", @"EXCHANGE .* merged=[1-9]")),
        VhostUserExchange("vhost-user-event-idx-off", "the exchange through our vhost-user back end without VIRTIO_F_EVENT_IDX: NO_NOTIFY and NO_INTERRUPT flags both ways",
            ",event_idx=off", "", Feature("EVENT_IDX", false)),
        VhostUserExchange("vhost-user-indirect-off", "the exchange through our vhost-user back end without indirect descriptors: the back end walks two-descriptor chains",
            ",indirect_desc=off", "", Feature("INDIRECT_DESC", false)),
        VhostUserExchange("vhost-user-mrg-rxbuf-off", "the exchange through our vhost-user back end without VIRTIO_NET_F_MRG_RXBUF: each frame in one whole receive buffer",
            ",mrg_rxbuf=off", "", Feature("MRG_RXBUF", false)),
        EarlyTraffic("vhost-user", "busy link from QEMU's start through our vhost-user back end (vectors=0, INTx): ARP, ping and UDP echo", ",vectors=0", "", true, null,
            new("INTx in use", "interrupts INTx irq")) with { VhostUser = true },
        HostileExchange(DeviceFault.UsedIdOutOfRange, "a used id past the queue's size", NotInFlight),
        HostileExchange(DeviceFault.UsedIdNotInFlight, "a used id the driver never made available", NotInFlight),
        HostileExchange(DeviceFault.UsedIdTwice, "the id completed last time completed again", NotInFlight),
        HostileExchange(DeviceFault.UsedLengthPastBuffer, "a receive completion longer than its buffer", "receive queue: used length larger than the buffer"),
        HostileExchange(DeviceFault.UsedIndexJumpsAhead, "used idx moved past the buffers in flight", "transmit queue: used index jumped past the buffers in flight"),
        new("vhost-user-hostile-service", "hostile vhost-user device under the network service: pings answered, then a flood brings on a used id past the queue's size; the kernel logs the stop and answers no more (net.recover=off: this boot tests the detection; recovery has its own boots)",
            [], "net.ip=10.0.3.15/24 net.gw=10.0.3.1 net.ping-count=0 net.recover=off", BootEnding.Ready, [],
            NicDevice: "virtio-net-pci,netdev=n0,vectors=0", ReadyPattern: "net: ready",
            RawPeerCheck: HostChecks.HostileDeviceCheck.Logged(@"device stopped: transmit queue: used id out of range or not in flight"),
            VhostUser: true, HostileDevice: new(DeviceFault.UsedIdOutOfRange)),
        new("vhost-user-hostile-completions-withheld", "hostile vhost-user device under the network service: pings answered, then the back end keeps every transmit buffer without completing it; the kernel logs the stall (net.recover=off: with recovery on the kernel resets the device, vhost-user-recovery-completions-withheld)",
            [], "net.ip=10.0.3.15/24 net.gw=10.0.3.1 net.ping-count=0 net.recover=off", BootEnding.Ready, [],
            NicDevice: "virtio-net-pci,netdev=n0,vectors=0", ReadyPattern: "net: ready",
            RawPeerCheck: HostChecks.HostileDeviceCheck.Logged(@"transmit stalled: \d+ buffers in flight, none completed for \d+ ms"),
            VhostUser: true, HostileDevice: new(DeviceFault.CompletionsWithheld)),
        new("vhost-user-hostile-spurious-interrupts", "hostile vhost-user device under the network service: the back end signals the receive queue's call eventfd every 2 ms with nothing new in the used ring; the kernel keeps answering and counts interrupts that found no work",
            [], "net.ip=10.0.3.15/24 net.gw=10.0.3.1 net.ping-count=0", BootEnding.Ready, [],
            NicDevice: "virtio-net-pci,netdev=n0,vectors=0", ReadyPattern: "net: ready",
            RawPeerCheck: HostChecks.SpuriousInterruptCheck.Run(),
            VhostUser: true, HostileDevice: new(DeviceFault.SpuriousInterrupts)),
        HostileRecovery(DeviceFault.UsedIdOutOfRange, "a used id past the queue's size", NotInFlight),
        HostileRecovery(DeviceFault.UsedIdNotInFlight, "a used id the driver never made available", NotInFlight),
        HostileRecovery(DeviceFault.UsedIdTwice, "the id completed last time completed again", NotInFlight),
        HostileRecovery(DeviceFault.UsedLengthPastBuffer, "a receive completion longer than its buffer", "receive queue: used length larger than the buffer"),
        HostileRecovery(DeviceFault.UsedIndexJumpsAhead, "used idx moved past the buffers in flight", "transmit queue: used index jumped past the buffers in flight"),
        HostileRecovery(DeviceFault.CompletionsWithheld, "transmit completions withheld (the kernel calls it a stall after 2 s and stops the device)", "transmit stalled: the device completed no transmit buffer for 2 s"),
        new("vhost-user-recovery-gives-up", "recovery against a hostile vhost-user device that misbehaves again after every reset (a used id past the queue's size, 100 completions into each start): three recoveries, then the kernel leaves the device stopped and says so once",
            [], "net.ip=10.0.3.15/24 net.gw=10.0.3.1 net.ping-count=0", BootEnding.Ready, [],
            NicDevice: "virtio-net-pci,netdev=n0,vectors=0", ReadyPattern: "net: ready",
            RawPeerCheck: HostChecks.HostileRecoveryCheck.EveryStart(System.Text.RegularExpressions.Regex.Escape(NotInFlight)),
            VhostUser: true, HostileDevice: new(DeviceFault.UsedIdOutOfRange, EveryStart: true), HostileRecoveries: 3),
        Soak.SoakCommand.ShortBoot(),
        LinkFlap("link-flap-msix", "modern interface, MSI-X: the configuration vector", ",disable-legacy=on", new("MSI-X in use", "interrupts MSI-X")),
        new("link-flap-dhcp-tap", "link down and up from QEMU's monitor on the tap lane with a DHCP address: pings from the host stop and resume, the kernel re-checks its lease with an early REQUEST that dnsmasq acknowledges",
            [], "net.ping-count=0", BootEnding.Ready, [],
            NicDevice: $"virtio-net-pci,netdev=n0,mac={HostChecks.TapChecks.KernelMac},disable-legacy=on", ReadyPattern: "net: ready",
            TapCheck: HostChecks.LinkFlapCheck.Dhcp("link-flap-dhcp-tap"), Qmp: true, TapCapture: false),
        LinkFlap("link-flap-intx", "a device without MSI-X vectors, INTx: ISR bit 1", ",vectors=0", new("INTx in use", "interrupts INTx irq")),
        EarlyTraffic("msix", "busy link from QEMU's start: modern interface, MSI-X", ",disable-legacy=on", "", true, null,
            new("MSI-X in use", "interrupts MSI-X")),
        EarlyTraffic("intx-no-vectors", "busy link from QEMU's start: a device without MSI-X vectors, INTx", ",vectors=0", "", true, null,
            new("INTx in use", "interrupts INTx irq")),
        EarlyTraffic("intx-modern", "busy link from QEMU's start: modern interface, INTx chosen", ",disable-legacy=on", "virtio.interrupts=intx", true, null,
            new("INTx in use", "interrupts INTx irq")),
        EarlyTraffic("intx-legacy", "busy link from QEMU's start: legacy interface, INTx, qemu64 CPU", ",disable-modern=on", "", true, "qemu64",
            new("INTx on the legacy interface", "legacy interface: using INTx")),
        EarlyTraffic("polling", "busy link from QEMU's start: no interrupts, the driver polls", "", "virtio.interrupts=poll", false, null,
            new("polling mode", "interrupts polling")),
        TapBoot("modern", "modern interface, MSI-X", ",disable-legacy=on", "", new LogExpectation("MSI-X in use", "interrupts MSI-X")),
        TapBoot("legacy", "legacy interface, INTx", ",disable-modern=on", "", new LogExpectation("legacy transport", "transport legacy")),
        TapBoot("packed", "packed virtqueues", ",disable-legacy=on,packed=on", "", new LogExpectation("packed queues in use", @"queues: rx \d+ tx \d+ \(packed\)")),
        TapBoot("intx", "modern interface without MSI-X vectors: INTx", ",vectors=0", "", new LogExpectation("INTx in use", "interrupts INTx irq")),
        TapBoot("no-guest-tso", "GUEST_TSO4/6 declined (virtio.disable): the host segments", "", "virtio.disable=guest-tso4,guest-tso6",
            HostChecks.OffloadChecks.Receive.Segmented, Feature("GUEST_TSO4", false), Feature("GUEST_ECN", false)),
        TapBoot("no-host-tso", "HOST_TSO4 declined (virtio.disable): the kernel sends only MTU-sized segments", "", "virtio.disable=host-tso4",
            HostChecks.OffloadChecks.Receive.Coalesced, HostChecks.OffloadChecks.Transmit.MtuSized, Feature("HOST_TSO4", false)),
        TapBoot("guest-offloads-off", "GUEST_TSO4/6 and ECN negotiated, then turned off through the control queue (GUEST_OFFLOADS_SET)", "",
            "virtio.guest-offloads-off=guest-tso4,guest-tso6,guest-ecn", HostChecks.OffloadChecks.Receive.Segmented,
            Feature("GUEST_TSO4", true), Feature("CTRL_GUEST_OFFLOADS", true),
            new LogExpectation("the device acknowledged the command", @"control queue: guest offloads now GUEST_CSUM \(GUEST_OFFLOADS_SET acknowledged\)")),
        new("net-dhcp-ping", "DHCP from QEMU's user network, then ping the gateway", [], null, BootEnding.Ready,
            [new("DHCP lease", @"net: DHCP bound 10\.0\.2\.15/24 gateway 10\.0\.2\.2"),
             new("gateway answers ping", @"net: ping 10\.0\.2\.2: reply seq 3")],
            NicDevice: "virtio-net-pci,netdev=n0", ReadyPattern: @"net: ping .* seq 3", HostCheck: (_, _) => Task.FromResult(new List<(string, bool, string)>()),
            WireCheck: c =>
            [
                ("DHCP DISCOVER, OFFER, REQUEST, ACK on the wire", c.DhcpDiscover >= 1 && c.DhcpOffer >= 1 && c.DhcpRequest >= 1 && c.DhcpAck >= 1,
                    $"discover {c.DhcpDiscover}, offer {c.DhcpOffer}, request {c.DhcpRequest}, ack {c.DhcpAck}"),
                ("three echo requests out, three replies back", c.EchoRequestsOut >= 3 && c.EchoRepliesIn >= 3, $"requests {c.EchoRequestsOut}, replies {c.EchoRepliesIn}"),
            ]),
        new("net-two-nics", "two virtio-net NICs on two user networks: each gets its own DHCP lease and interface, pings its own gateway, echoes through its own forward; the status page lists both", [],
            "net.resolve=cosmos.test net.dns=10.0.5.2:{DNS_PORT}", BootEnding.Ready,
            [new("net0 leased on its network", @"net: DHCP bound 10\.0\.2\.15/24 gateway 10\.0\.2\.2"),
             new("net1 leased on its network", @"net1: DHCP bound 10\.0\.5\.15/24 gateway 10\.0\.5\.2"),
             new("net0's gateway answers", @"net: ping 10\.0\.2\.2: reply seq 3"),
             new("net1's gateway answers", @"net1: ping 10\.0\.5\.2: reply seq 3"),
             new("a DNS query to net1's subnet is routed out of net1", @"dns: cosmos\.test -> 192\.0\.2\.7")],
            NicDevice: "virtio-net-pci,netdev=n0", ReadyPattern: @"net1: ping .* seq 3", HostCheck: HostChecks.ServiceChecks.TwoInterfaces,
            ExtraDevices: ["-netdev", "user,id=n1,net=10.0.5.0/24,hostfwd=udp:127.0.0.1:{SECOND_UDP}-:7", "-device", "virtio-net-pci,netdev=n1,mac=52:54:00:12:34:57,addr=0x6"]),
        new("net-dhcp-renewal", "the DHCP lease is renewed (T1 forced to 1.5 s by net.dhcp-renew-ms)", [], "net.dhcp-renew-ms=1500", BootEnding.Ready,
            [new("renewal logged", @"net: DHCP lease renewed \(1\): 10\.0\.2\.15")],
            NicDevice: "virtio-net-pci,netdev=n0", ReadyPattern: @"DHCP lease renewed", HostCheck: (_, _) => Task.FromResult(new List<(string, bool, string)>())),
        new("net-static", "a static address from the command line instead of DHCP; services answer", [], "net.ip=10.0.2.15/24 net.gw=10.0.2.2", BootEnding.Ready,
            [new("static address", @"net: static address 10\.0\.2\.15/24 gateway 10\.0\.2\.2"), new("no DHCP", "DHCP: discovering", MustBeAbsent: true)],
            NicDevice: "virtio-net-pci,netdev=n0", ReadyPattern: "net: ready", HostCheck: HostChecks.ServiceChecks.UdpEcho),
        new("net-quiet", "`quiet`: only problems and the ready line reach the serial port (legacy interface, so there is a notice to print); services answer", [],
            "quiet virtio.transport=legacy net.ip=10.0.2.15/24 net.gw=10.0.2.2", BootEnding.Ready,
            [new("the ready line is printed", @"^\[ *[0-9.]+\] net: ready"),
             new("a notice is printed", @"virtio-net: legacy interface: using INTx"),
             new("no PCI listing", @"\] pci: ", MustBeAbsent: true),
             new("no feature line", @"virtio-net: features", MustBeAbsent: true),
             new("no address line", @"net: static address", MustBeAbsent: true)],
            NicDevice: "virtio-net-pci,netdev=n0", ReadyPattern: "net: ready", HostCheck: HostChecks.ServiceChecks.UdpEcho),
        new("net-dns", "DNS A lookup through the runner's DNS server (net.dns=10.0.2.2:PORT net.resolve=cosmos.test)", [],
            "net.dns=10.0.2.2:{DNS_PORT} net.resolve=cosmos.test", BootEnding.Ready,
            [new("name resolved", @"dns: cosmos\.test -> 192\.0\.2\.7")],
            NicDevice: "virtio-net-pci,netdev=n0", ReadyPattern: @"dns: cosmos\.test", HostCheck: (_, _) => Task.FromResult(new List<(string, bool, string)>())),
        new("net-flood", "100,000 UDP echo requests at full speed from a raw peer (static address); ping and idle counters afterwards", [],
            "net.ip=10.0.3.15/24 net.gw=10.0.3.1 net.ping-count=0", BootEnding.Ready, [new("static address", @"net: static address 10\.0\.3\.15/24")],
            NicDevice: "virtio-net-pci,netdev=n0", ReadyPattern: "net: ready", RawPeerCheck: HostChecks.FloodCheck.Run),
        new("net-services", "from the host: UDP echo, TCP echo of 1 MiB, HTTP GET of the status page (forwarded ports); the benchmark's statistics port is not opened unless asked",
            [], null, BootEnding.Ready,
            [new("DHCP lease", @"net: DHCP bound"), new("echo and the status page, no statistics port", @"net: ready: UDP echo and TCP echo on port 7, HTTP status page on port 80\r?$")],
            NicDevice: "virtio-net-pci,netdev=n0", ReadyPattern: "net: ready", HostCheck: HostChecks.ServiceChecks.All, WireCheck: ServicesOnTheWire),
        new("net-device-recovery", "issue 17 item 4: the kernel stops its own virtio-net driver after 400 received frames (test.nic-fault=400, the driver's stop path as for a device fault), resets the function and sets it up again with a new driver behind the same interface; UDP echo across the fault, then all of the last 200 datagrams, a 1 MiB TCP echo and the status page (one recovery, device running)",
            [], "test.nic-fault=400", BootEnding.Ready,
            [new("the stop is logged", @"virtio-net: net0: device stopped: fault injected by test\.nic-fault after 400 received frames"),
             new("the recovery is logged", @"virtio-net: net0: device recovered: reset and set up again \d+ ms after it stopped \(recovery 1 of at most 3\)")],
            NicDevice: "virtio-net-pci,netdev=n0", ReadyPattern: "net: ready", HostCheck: HostChecks.RecoveryChecks.OneFault),
        new("net-device-recovery-gives-up", "issue 17 item 4: a fault after every 50 received frames (test.nic-fault=50,repeat): three recoveries, then the kernel leaves the device stopped and says so once",
            [], "test.nic-fault=50,repeat", BootEnding.Ready,
            [new("three recoveries", @"device recovered: [^\n]*\(recovery 3 of at most 3\)"),
             new("then stopped for good", @"virtio-net: net0: device stopped for good after 3 recoveries: its recoveries are spent; the interface no longer sends or receives")],
            NicDevice: "virtio-net-pci,netdev=n0", ReadyPattern: "net: ready", HostCheck: HostChecks.RecoveryChecks.RepeatedFaults),
        new("net-services-legacy", "the same services over the legacy virtio interface with INTx", [], null, BootEnding.Ready,
            [new("DHCP lease", @"net: DHCP bound"), new("legacy transport", "transport legacy")],
            NicDevice: "virtio-net-pci,netdev=n0,disable-modern=on", ReadyPattern: "net: ready", HostCheck: HostChecks.ServiceChecks.All, WireCheck: ServicesOnTheWire),
        new("app-template", "issue 15: the README's three commands from this clone (dotnet new install, dotnet new cosmos-net-app, dotnet build) make iso/HelloApp.iso and .elf, dotnet run boots it; then the runner boots that image: the network is up before Main, Main gets the words after -- as its arguments, and its return ends the run",
            ["-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0"], "-- alpha beta gamma", BootEnding.ApplicationExits,
            [new("DHCP before Main", @"net: DHCP bound[^\n]*\n(.*\n)*.*app: starting Main with 3 arguments"),
             new("the kernel's own services are off", @"net: ready \(the kernel's own services are off"),
             new("the program's output", @"^Hello from HelloApp, a C# program running as its own kernel\.\r?$"),
             new("the arguments", @"^arguments: 3\r?\n  alpha\r?\n  beta\r?\n  gamma\r?$"),
             new("the return", @"app: Main returned 0")],
            Application: Apps.TemplateFlow.Image, Timeout: TimeSpan.FromSeconds(90)),
        new("app-http-sample", "issue 15: Samples/HttpServer, an HTTP/1.1 server on System.Net.Sockets, built into a kernel image by dotnet build and checked from the host through the forwarded port (embedded files, JSON, keep-alive, pipelining, HEAD, a 48 KiB POST echo, 404/405/400/414/431, Connection: close, 20 connections at once); then the same source on .NET on the host passes the same checks",
            [], null, BootEnding.Ready, [new("listening", @"^http: listening on port 80\r?$")],
            ReadyPattern: "http: listening on port", HostCheck: Apps.SampleApplications.HttpChecks, Application: Apps.SampleApplications.Image("HttpServer")),
        new("app-kv-sample", "issue 15: Samples/KeyValueServer, a key-value server speaking RESP2 on System.Net.Sockets, built into a kernel image, on the tap lane (DHCP from dnsmasq), driven by Debian's redis-cli (strings, counters, lists, expiry, errors) and redis-benchmark (the nine tests of -t ping,set,get,incr,lpush,rpush,lpop,rpop,mset, 30 clients, without and with -P 16) from the lane's namespace; then the same source on .NET passes the same checks",
            [], null, BootEnding.Ready, [new("listening", @"^kv: listening on port 6379\r?$"), new("DHCP from dnsmasq", @"net: DHCP bound 192\.168\.100\.")],
            NicDevice: $"virtio-net-pci,netdev=n0,mac={HostChecks.TapChecks.KernelMac}", ReadyPattern: "kv: listening on port",
            TapCheck: Apps.SampleApplications.KeyValueChecks, Application: Apps.SampleApplications.Image("KeyValueServer")),
        new("app-socket-client", "issue 15: Tests/Apps/SocketClient, the client side of System.Net.Sockets in the kernel against the runner's TCP and UDP echo servers on the host (a 200,000-byte TCP echo, end of stream after Shutdown, ConnectionRefused, a read canceled by its token, 8 connections with Task.WhenAll, UDP echo, IPAddress/IPEndPoint/Dns, InvalidOperationException); every check line the same program prints on .NET must appear in the kernel's log, and Main returns 0",
            ["-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0"], null, BootEnding.ApplicationExits,
            [new("every check passed", @"^checks done: 0 failed\r?$")], Application: Apps.SocketClientTest.Image, Timeout: TimeSpan.FromSeconds(120)),
        new("app-kernel-services", "issue 15 item 3: Programs/KernelServices, the kernel's own services (UDP and TCP echo, the status page) as one program on System.Net.Sockets and System.Net.NetworkInformation, built into an image with dotnet build; the built-in services' checks (300 UDP datagrams, a 1 MiB TCP echo) and the page's HTTP/1.1 behaviour (keep-alive, pipelining, HEAD, 404, 405, 400, Connection: close) and content (net0's lease, MAC, gateway, DNS and NIC counters) through the forwarded ports; then the same source on .NET on the host",
            [], null, BootEnding.Ready, [new("services listening", @"^status: listening on port 80 \(HTTP\)\r?$")],
            NicDevice: "virtio-net-pci,netdev=n0", ReadyPattern: "services: 3 running", HostCheck: Apps.KernelServicesChecks.Run,
            Application: Apps.SampleApplications.Image("KernelServices", "Programs")),
        new("conformance", "the conformance suite (Tests/Conformance): each case's transcript in the kernel equals the same case's on .NET, line by line",
            [], "test=conformance", BootEnding.SelfTestsPass, [], ComparesConformance: true),
        new("conformance-gc-stress", $"the conformance suite under gc.stress={GcStress}: a collection every {GcStress} allocations, the heap verified after each",
            [], $"test=conformance gc.stress={GcStress}", BootEnding.SelfTestsPass, [GcStressOn], ComparesConformance: true,
            // 180 s like the gc.stress=1 boot: on a loaded 2-core machine (load average 6-10) the grown suite had reached
            // alloc.churn-small-objects, a million allocations and a thousand verified collections, at the default 90 s.
            Timeout: TimeSpan.FromSeconds(180)),
        new("selftest-gc-stress", $"all in-kernel tests under gc.stress={GcStress} (a collection every {GcStress} allocations, the heap verified after each, Allocator.Free quarantined)",
            VirtioNetTransitional, $"{SelfTestOptions} test.pci=1af4:1000 gc.stress={GcStress}", BootEnding.SelfTestsPass, [PciListed("1af4:1000"), GcStressOn]),
        new("conformance-gc-stress-1", $"the conformance suite under gc.stress=1: a collection, and the heap verifier, at every allocation, less the allocation programs and the table-driven text and number cases ({StressOneExcludes}: a full collection and heap check at each of their many thousands of allocations, over a live heap that grows as they go, takes minutes under TCG (alloc.word-frequencies alone 172 s); they run under gc.stress={GcStress} above; and async.delay-order, whose timer order depends on how fast a delay starts at this rate on a loaded host)",
            [], $"test=conformance gc.stress=1 test.conformance.exclude={StressOneExcludes}", BootEnding.SelfTestsPass, [GcStressOn], ComparesConformance: true,
            ConformanceExclude: StressOneExcludes, Timeout: TimeSpan.FromSeconds(180)),
        new("selftest-gc-stress-1", "the small allocator and verifier tests under gc.stress=1, a collection and the verifier at every allocation (the others allocate up to 150 MB each, which at this rate takes hours under TCG; they run under gc.stress=1000 above)",
            VirtioNetTransitional, "test=gc.verifier-passes,memory.allocator-reuses-freed-blocks,memory.large-objects-return-pages gc.stress=1",
            BootEnding.SelfTestsPass, [GcStressOn]),
        new("net-flood-gc-stress", "the 100,000-datagram flood under gc.stress=1000 (serving allocates nothing, so in this mode every busy turn of the service loop ends with a collection, the heap verified after each; a turn takes up to a ring of frames, so about one collection per 200 frames received); ping and idle counters afterwards", [],
            $"net.ip=10.0.3.15/24 net.gw=10.0.3.1 net.ping-count=0 gc.stress={GcStress}", BootEnding.Ready,
            [new("static address", @"net: static address 10\.0\.3\.15/24"), GcStressOn],
            NicDevice: "virtio-net-pci,netdev=n0", ReadyPattern: "net: ready", RawPeerCheck: HostChecks.FloodCheck.WithCollections(10, 3_000)),
        new("net-tcp-gc-stress", $"a 16 MiB TCP echo under gc.stress={GcStress}: every busy service turn ends with a collection and the heap verifier, while segments, rings and pool blocks are in use; the echo must come back unchanged", [],
            $"net.ip=10.0.3.15/24 net.gw=10.0.3.1 net.ping-count=0 gc.stress={GcStress} services=all", BootEnding.Ready,
            [new("static address", @"net: static address 10\.0\.3\.15/24"), GcStressOn],
            NicDevice: "virtio-net-pci,netdev=n0", ReadyPattern: "net: ready", RawPeerCheck: HostChecks.TcpStressCheck.For(16 << 20, 100)),
        new("net-no-allocation-16M", "in 16 MiB of RAM, after a warm-up: 100,000 UDP echo requests and a 64 MiB TCP echo allocate no object and need no collection (the kernel's statistics port counts)", [],
            "net.ip=10.0.3.15/24 net.gw=10.0.3.1 net.ping-count=0 services=all", BootEnding.Ready, [new("static address", @"net: static address 10\.0\.3\.15/24")],
            Memory: "16M", NicDevice: "virtio-net-pci,netdev=n0", ReadyPattern: "net: ready", RawPeerCheck: HostChecks.AllocationCheck.Run),
        Fault("divide", "integer division by zero in C#, not caught: an unhandled DivideByZeroException",
            new("names the exception", @"unhandled exception System\.DivideByZeroException: Attempted to divide by zero\."),
            new("names the managed method", @"thrown at 0x[0-9a-f]+ Cosmos_Kernel_Cosmos_Kernel_SelfTests_FaultInjection__DivideByZero")),
        Fault("divide-asm", "divide error in assembly code (not managed): a CPU-exception panic",
            new("names the exception", @"divide error \(#DE\)"), new("vector 0", @"vector 0 "),
            new("names the routine", @"RIP 0x[0-9a-f]+ cpu_fault_divide")),
        Fault("ud", "invalid opcode",
            new("names the exception", @"invalid opcode \(#UD\)"), new("vector 6", @"vector 6 "),
            new("names the routine", @"RIP 0x[0-9a-f]+ cpu_fault_ud")),
        Fault("gp", "general protection fault (non-canonical address)",
            new("names the exception", @"general protection fault \(#GP\)"), new("vector 13", @"vector 13 "),
            new("prints RSP", @"RSP 0x[0-9a-f]{16}")),
        Fault("pf", "page fault above the identity map",
            new("names the exception", @"page fault \(#PF\)"), new("prints CR2", @"CR2 0x0000001000000000 \(not present, write\)"),
            new("shows the error code", @"error code 0x0002")),
        Fault("nullref", "field read through a null reference, not caught: an unhandled NullReferenceException",
            new("names the exception", @"unhandled exception System\.NullReferenceException: Object reference not set to an instance of an object\."),
            new("names the managed method", @"thrown at 0x[0-9a-f]+ Cosmos_Kernel_Cosmos_Kernel_SelfTests_FaultInjection__NullDereference"),
            new("prints the stack trace", @"stack trace:\s+at Cosmos_Kernel_Cosmos_Kernel_SelfTests_FaultInjection__NullDereference")),
        Fault("irq-nullref", "null dereference inside an interrupt handler: a panic, not an exception",
            new("names the exception", @"page fault \(#PF\)"), new("says where", @"null reference inside an interrupt handler"),
            new("names the handler", @"RIP 0x[0-9a-f]+ Cosmos_Kernel_Cosmos_Kernel_SelfTests_FaultInjection__NullInInterruptHandler")),
        Fault("stack-overflow", "unbounded recursion runs into the boot stack's guard page: a panic",
            new("names the exception", @"page fault \(#PF\)"), new("says stack overflow", @"stack overflow: the kernel \(boot\) stack ran into its guard page"),
            new("offsets in symbols print every digit", @"RIP 0x[0-9a-f]+ Cosmos_Kernel_Cosmos_Kernel_SelfTests_FaultInjection__Recurse\+0x[0-9a-f]{2,}")),
        Fault("throw-inner", "an unhandled exception with two inner exceptions: each is reported with its stack trace",
            new("names the outer exception", @"unhandled exception System\.InvalidOperationException: outer"),
            new("names the first inner exception", @"inner exception System\.ArgumentException: middle \(Parameter 'p'\)"),
            new("names the innermost exception", @"inner exception System\.FormatException: innermost"),
            new("prints the inner exception's trace", @"inner exception System\.FormatException: innermost\s+stack trace:\s+at Cosmos_Kernel_Cosmos_Kernel_SelfTests_FaultInjection__ThrowInnermost")),
        new("fault-gc-free-reachable", "gc.verify: Allocator.Free of an object a static still reaches through another object is caught at the next collection",
            VirtioNetTransitional, "test.fault=gc-free-reachable gc.verify", BootEnding.Panic,
            [new("a panic report begins", @"\*\*\* PANIC: "), new("says what happened", @"Allocator\.Free released an object that is still referenced: \S*Holder"),
             new("names the holder", @"held by \S*Owner")]),
        new("fault-gc-corrupt-reference", "the heap verifier finds a reference field that points inside another object",
            VirtioNetTransitional, "test.fault=gc-corrupt-reference", BootEnding.Panic,
            [new("a panic report begins", @"\*\*\* PANIC: "), new("the verifier says what is wrong", @"heap verifier: a reference that does not start an allocated object \(object 0x[0-9a-f]+ of type \S*Owner")]),
        Fault("df", "double fault (on its own IST stack)",
            new("names the exception", @"double fault \(#DF\)"), new("vector 8", @"vector 8 ")),
        Fault("throw", "a managed throw with no handler",
            new("names the exception type and message", @"unhandled exception System\.InvalidOperationException: deliberate test exception"),
            new("names the throw site", @"thrown at 0x[0-9a-f]+ Cosmos_Kernel_Cosmos_Kernel_SelfTests_FaultInjection__ThrowManaged"),
            new("prints the stack trace", @"stack trace:\s+at Cosmos_Kernel_Cosmos_Kernel_SelfTests_FaultInjection__ThrowManaged")),
    ];
}
