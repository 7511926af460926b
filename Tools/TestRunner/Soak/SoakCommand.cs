using Cosmos.TestRunner.HostChecks;

namespace Cosmos.TestRunner.Soak;

/// <summary>
/// `cosmos-runner soak --minutes N`: one boot of the kernel on the tap lane under the soak's mixed traffic
/// (<see cref="SoakCheck"/>), judged like any boot, with a closing "N passed, N failed" line and a non-zero exit on failure.
/// The test suite runs a short one as the boot <c>tap-soak-short</c> (<see cref="ShortBoot"/>).
/// </summary>
public static class SoakCommand
{
    /// <summary>The suite's soak: one minute of traffic (about 80 s with the boot and the idle reports around it).</summary>
    public static readonly TimeSpan ShortDuration = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The soak's boot: the tap lane's modern virtio-net (MSI-X) with DHCP, the kernel's own services, no gateway pings, no
    /// packet capture (a 30-minute pcap would be hundreds of megabytes and take CPU from the guest).
    /// </summary>
    public static BootSpec Boot(string name, SoakPlan plan, Action<string>? progress = null) =>
        new(name, $"soak on the tap lane for {plan.Duration.TotalSeconds:0} s: flood ping, UDP echo, TCP connections to echo, wrk keep-alive on the status page; no stall, at least {plan.MinimumPackets:N0} packets, every held resource and the heap back to idle",
            [], "net.ping-count=0", BootEnding.Ready, [new("the device offers STATUS (link state known)", @"virtio-net: features: .*\bSTATUS\b")],
            NicDevice: $"virtio-net-pci,netdev=n0,mac={TapChecks.KernelMac},disable-legacy=on", ReadyPattern: "net: ready",
            TapCheck: SoakCheck.For(plan, progress), Timeout: plan.Duration + TimeSpan.FromMinutes(6), TapCapture: false);

    public static BootSpec ShortBoot() => Boot("tap-soak-short", SoakPlan.ForMinutes(ShortDuration.TotalMinutes));

    public static async Task<int> RunAsync(MachineOptions options, double minutes, string resultsRoot, CancellationToken cancel)
    {
        if (Environment.GetEnvironmentVariable("COSMOS_SKIP_TAP") == "1")
        {
            Console.WriteLine("soak: the tap lane is left out (COSMOS_SKIP_TAP=1)");
            return 2;
        }
        SoakPlan plan = SoakPlan.ForMinutes(minutes);
        string dir = Path.Combine(resultsRoot, "soak-" + DateTime.Now.ToString("yyyyMMdd-HHmmss"));
        string log = Path.Combine(dir, "soak.log");
        Console.WriteLine($"soak: {minutes:0.##} min of traffic on the tap lane ({options.Accelerator}); at least {plan.MinimumPackets:N0} packets; log {log}");
        BootSpec spec = Boot("soak", plan, line => Console.WriteLine($"soak: {line}"));
        BootRun run = await QemuMachine.BootAsync(spec, options, log, cancel);
        List<Outcome> outcomes = BootVerdict.Judge(spec, run);
        foreach (Outcome o in outcomes) Console.WriteLine($"{(o.Passed ? "pass" : "FAIL")}  {o.Name}: {o.Detail}");
        int passed = outcomes.Count(o => o.Passed), failed = outcomes.Count(o => !o.Passed);
        Console.WriteLine($"{passed} passed, {failed} failed");
        return failed == 0 && passed > 0 ? 0 : 1;
    }
}
