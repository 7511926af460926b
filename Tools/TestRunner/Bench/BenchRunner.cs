using System.Diagnostics;
using System.Text;
using Spectre.Console;

namespace Cosmos.TestRunner.Bench;

/// <summary>
/// `cosmos-runner bench`: our kernel and a Linux guest on the same QEMU, the same virtio-net device and the
/// same datagram backend to the same load generator, measured in one run; a table with our/Linux ratios,
/// a markdown report and a PNG chart under bench/, and the README's table refreshed.
/// </summary>
public static class BenchRunner
{
    public static readonly int[] Payloads = [64, 512, 1472];
    /// <summary>Fresh boots per configuration for the boot-time lines; the median is reported (boot times here move by ±100 ms).</summary>
    public const int BootRounds = 3;
    private const string Nic = "virtio-net-pci,id=nic0,netdev=n0,mac=52:54:00:12:34:56,romfile=";
    private const string OurCommandLine = "net.ip=10.0.3.15/24 net.gw=10.0.3.1 net.ping-count=0 services=all";

    /// <summary>
    /// What every guest gets from QEMU: the same machine without its default devices (no VGA, floppy, parallel
    /// port) and the same virtio-net device with no option ROM, so the firmware spends its time on neither;
    /// each guest then adds its boot medium.
    /// </summary>
    private static List<string> Common(string accelerator, string netdev, int mib, string monitor = "none") =>
        ["-accel", accelerator, "-m", $"{mib}M", "-nodefaults", "-display", "none", "-monitor", monitor, "-no-reboot",
         "-netdev", netdev, "-device", Nic];

    /// <summary>The four ways a guest boots in the comparison: ours and Linux's, each from a GRUB ISO and with qemu -kernel.</summary>
    private sealed record Guests(BenchGuest OursIso, BenchGuest OursDirect, BenchGuest LinuxIso, BenchGuest LinuxDirect)
    {
        /// <summary>Ours with <c>quiet</c>, as Linux always boots here: only problems and the ready line reach the serial port.</summary>
        public BenchGuest OursIsoQuiet { get; init; } = OursIso;
        public BenchGuest OursDirectQuiet { get; init; } = OursDirect;

        public static Guests Make(string iso, LinuxGuest linux, string accelerator)
        {
            string elf = Path.ChangeExtension(iso, ".elf"), sym = Path.ChangeExtension(iso, ".sym");
            BenchGuest Iso(string commandLine) => new("cosmos-net", (netdev, mib) =>
                [.. Common(accelerator, netdev, mib), "-cdrom", iso, "-boot", "d", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                 "-fw_cfg", $"name=opt/kernel/cmdline,string={commandLine}"], new FileInfo(iso).Length);
            BenchGuest Direct(string commandLine) => new("cosmos-net -kernel", (netdev, mib) =>
                [.. Common(accelerator, netdev, mib), "-kernel", elf, "-initrd", sym, "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                 "-fw_cfg", $"name=opt/kernel/cmdline,string={commandLine}"], new FileInfo(elf).Length + new FileInfo(sym).Length);
            var linuxDirect = new BenchGuest($"linux {linux.Version}", (netdev, mib) =>
                [.. Common(accelerator, netdev, mib), "-kernel", linux.Kernel, "-initrd", linux.Initramfs, "-append", LinuxGuest.CommandLine], linux.ImageBytes);
            var linuxIso = new BenchGuest($"linux {linux.Version} ISO", (netdev, mib) =>
                [.. Common(accelerator, netdev, mib), "-cdrom", linux.Iso, "-boot", "d"], new FileInfo(linux.Iso).Length);
            return new Guests(Iso(OurCommandLine), Direct(OurCommandLine), linuxIso, linuxDirect)
            {
                OursIsoQuiet = Iso(OurCommandLine + " quiet"),
                OursDirectQuiet = Direct(OurCommandLine + " quiet"),
            };
        }
    }

    /// <summary>Medians over <see cref="BootRounds"/> fresh boots of QEMU start to the first answered echo (ms; NaN if none answered).</summary>
    public sealed record BootTimes(double OursIso, double LinuxIso, double OursDirect, double LinuxDirect)
    {
        public string Samples { get; init; } = "";
        /// <summary>
        /// Our kernel's own clock at its "net: ready" line (it counts from the kernel's first instruction), median
        /// over the same boots, through GRUB and with -kernel (ms; NaN if a log lacked the line).
        /// </summary>
        public double OursIsoKernelMs { get; init; } = double.NaN;
        public double OursDirectKernelMs { get; init; } = double.NaN;
    }

    /// <summary>The uptime stamp of the kernel's "net: ready" line in a serial log, in ms (NaN if absent).</summary>
    public static double KernelReadyMs(string logPath)
    {
        if (!File.Exists(logPath)) return double.NaN;
        var m = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(logPath), @"\[\s*([0-9]+\.[0-9]+)\] net: ready");
        return m.Success ? double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 1000 : double.NaN;
    }

    private static double FirstEchoOnly(BenchGuest guest, string qemu, string logPath)
    {
        using var generator = new EchoLoadGenerator();
        long start = generator.Now;
        Process process = Measurements.Start(guest, generator, 256, qemu, logPath);
        try { return Measurements.FirstEcho(generator, start, TimeSpan.FromSeconds(60)); }
        finally { Measurements.Stop(process); }
    }

    /// <summary>
    /// Time from QEMU's start to the first answered echo, for ours and Linux, through GRUB from an ISO and with
    /// qemu -kernel: <see cref="BootRounds"/> rounds, each booting the four in turn (so a noisy moment of the
    /// machine falls on all of them), and the median of each.
    /// </summary>
    private static BootTimes MeasureBootTimes(Guests guests, string qemu, string outDir)
    {
        var order = new[] { guests.OursIsoQuiet, guests.LinuxIso, guests.OursDirectQuiet, guests.LinuxDirect };
        var samples = order.Select(_ => new List<double>()).ToArray();
        var kernelReady = order.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < BootRounds; round++)
            for (int i = 0; i < order.Length; i++)
            {
                string log = Path.Combine(outDir, $"{Slug(order[i].Name)}-boot{round}.log");
                double ms = FirstEchoOnly(order[i], qemu, log);
                samples[i].Add(ms);
                kernelReady[i].Add(KernelReadyMs(log));
                AnsiConsole.MarkupLine($"  boot {round + 1}/{BootRounds} {Markup.Escape(order[i].Name)}: {(double.IsNaN(ms) ? "[red]no echo[/]" : $"first answered echo after {ms:N0} ms")}");
            }
        static double Median(List<double> xs)
        {
            var ok = xs.Where(x => !double.IsNaN(x)).OrderBy(x => x).ToList();
            return ok.Count < xs.Count ? double.NaN : ok[ok.Count / 2]; // a boot that never answered fails the line
        }
        string text = string.Join("; ", order.Select((g, i) => $"{g.Name}: {string.Join(", ", samples[i].Select(x => double.IsNaN(x) ? "none" : $"{x:N0}"))}"));
        return new BootTimes(Median(samples[0]), Median(samples[1]), Median(samples[2]), Median(samples[3]))
        {
            Samples = text,
            OursIsoKernelMs = Median(kernelReady[0]),
            OursDirectKernelMs = Median(kernelReady[2]),
        };
    }

    /// <summary>`bench --tcp-only`: the TCP lines alone, ours and Linux's in turns, twice (nothing written to the README).</summary>
    public static int TcpOnly(string repoRoot, string iso, string qemu, string accelerator)
    {
        string outDir = Path.Combine(repoRoot, "bench", "tcp-" + DateTime.Now.ToString("yyyyMMdd-HHmmss"));
        Directory.CreateDirectory(outDir);
        LinuxGuest linux = LinuxGuest.Build(repoRoot, m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]"));
        Guests guests = Guests.Make(iso, linux, accelerator);
        bool ok = true;
        for (int round = 0; round < 2; round++)
            foreach (BenchGuest guest in new[] { guests.OursDirect, guests.LinuxDirect })
            {
                using var generator = new EchoLoadGenerator();
                long start = generator.Now;
                Process process = Measurements.Start(guest, generator, 256, qemu, Path.Combine(outDir, $"{Slug(guest.Name)}-{round}.log"));
                try
                {
                    if (double.IsNaN(Measurements.FirstEcho(generator, start, TimeSpan.FromSeconds(60)))) { AnsiConsole.MarkupLine($"{Markup.Escape(guest.Name)}: never answered"); ok = false; continue; }
                    double one = TcpThroughput.Measure(generator, 1, 4 << 20, TimeSpan.FromSeconds(90));
                    var r1 = TcpThroughput.LastClientRepairs;
                    double sixteen = TcpThroughput.Measure(generator, 16, 256 << 10, TimeSpan.FromSeconds(90));
                    var r16 = TcpThroughput.LastClientRepairs;
                    AnsiConsole.MarkupLine($"{Markup.Escape(guest.Name)}: 1 connection {one:N1} Mbit/s ({r1.Retransmissions} retransmitted: {r1.Fast} fast / {r1.Timeouts} timeouts), " +
                                           $"16 connections {sixteen:N1} Mbit/s ({r16.Retransmissions} retransmitted: {r16.Fast} fast / {r16.Timeouts} timeouts)");
                    Thread.Sleep(2000); // our kernel prints its idle counters after 1.5 s without traffic
                }
                finally { Measurements.Stop(process); }
            }
        return ok ? 0 : 1;
    }

    /// <summary>`bench --boot-only`: just the four boot-time lines (nothing written to the README).</summary>
    public static int BootOnly(string repoRoot, string iso, string qemu, string accelerator)
    {
        string outDir = Path.Combine(repoRoot, "bench", "boot-" + DateTime.Now.ToString("yyyyMMdd-HHmmss"));
        Directory.CreateDirectory(outDir);
        LinuxGuest linux = LinuxGuest.Build(repoRoot, m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]"));
        BootTimes boot = MeasureBootTimes(Guests.Make(iso, linux, accelerator), qemu, outDir);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("QEMU start to first answered echo (ms, median)").AddColumn("cosmos-net").AddColumn($"linux {linux.Version}").AddColumn("ours / Linux");
        foreach (var row in BootRows(boot)) table.AddRow(Markup.Escape(row.Metric), row.Ours, row.Linux, row.Ratio);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[grey]samples: {Markup.Escape(boot.Samples)}; logs in {Markup.Escape(outDir)}[/]");
        return double.IsNaN(boot.OursIso + boot.LinuxIso + boot.OursDirect + boot.LinuxDirect) ? 1 : 0;
    }
    private static readonly int[] MemoryLadder = [256, 192, 128, 112, 96, 80, 64, 48, 32, 24, 16, 12, 8, 7, 6, 5, 4];

    public static async Task<int> RunAsync(string repoRoot, string iso, string qemu, string accelerator, double secondsPerRate, bool quick, CancellationToken cancel)
    {
        string outDir = Path.Combine(repoRoot, "bench", DateTime.Now.ToString("yyyyMMdd-HHmmss"));
        Directory.CreateDirectory(outDir);
        LinuxGuest linux = LinuxGuest.Build(repoRoot, m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]"));
        Guests guests = Guests.Make(iso, linux, accelerator);
        BenchGuest cosmos = guests.OursIso, linuxGuest = guests.LinuxDirect;

        double generatorCeiling = MeasureGenerator(secondsPerRate);
        AnsiConsole.MarkupLine($"[grey]generator against a trivial reflector: {generatorCeiling:N0} echoes/s (window {Measurements.Window})[/]");

        // The two guests take turns phase by phase (ours, then Linux, for each measurement), so that a noisy
        // stretch of this shared machine falls on both rather than on one guest's whole series.
        var plans = new[] { PlanGuest(cosmos, qemu, outDir, secondsPerRate), PlanGuest(linuxGuest, qemu, outDir, secondsPerRate) };
        for (int phase = 0; phase < plans[0].Phases.Count; phase++)
            foreach (var plan in plans)
            {
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(plan.Result.Name)}[/] {Markup.Escape(plan.Phases[phase].Name)}");
                plan.Phases[phase].Run();
            }
        var results = new List<GuestResult>();
        foreach (var plan in plans)
        {
            plan.Finish();
            results.Add(plan.Result);
        }
        if (!quick)
            foreach (var (guest, result) in new[] { (cosmos, results[0]), (linuxGuest, results[1]) })
            {
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(guest.Name)}[/] smallest memory");
                result.MinMemoryMiB = MinimumMemory(guest, qemu, outDir);
            }
        AnsiConsole.MarkupLine("[bold]boot to first answered echo[/] (both quiet; through GRUB from each one's ISO, and with qemu -kernel)");
        BootTimes boot = MeasureBootTimes(guests, qemu, outDir);
        var images = new ImageSizes(guests.OursIso.ImageBytes, guests.LinuxIso.ImageBytes, guests.OursDirect.ImageBytes, guests.LinuxDirect.ImageBytes);

        PrintTable(results, boot, images, generatorCeiling);
        string markdown = Markdown(results, boot, images, generatorCeiling, linux);
        await File.WriteAllTextAsync(Path.Combine(outDir, "report.md"), markdown, cancel);
        Chart(results, Path.Combine(outDir, "chart.png"));
        // The latest report and chart are kept in the repository (bench/ itself is not tracked).
        string tracked = Path.Combine(repoRoot, "Bench", "Results");
        Directory.CreateDirectory(tracked);
        File.Copy(Path.Combine(outDir, "report.md"), Path.Combine(tracked, "latest-report.md"), overwrite: true);
        File.Copy(Path.Combine(outDir, "chart.png"), Path.Combine(tracked, "latest-chart.png"), overwrite: true);
        UpdateReadme(repoRoot, markdown, Path.GetRelativePath(repoRoot, outDir));
        AnsiConsole.MarkupLine($"[grey]report: {Markup.Escape(Path.Combine(outDir, "report.md"))}, chart: chart.png[/]");
        return results.All(r => r.Failure == null) ? 0 : 1;
    }

    /// <summary>
    /// `bench --stress N`: N direct boots of our kernel, each under windowed 1472-byte UDP echo for ten
    /// one-second slices; prints each slice's rate so a guest that stops answering shows when it stops.
    /// </summary>
    public static int Stress(string iso, string qemu, string accelerator, int boots, string guestKind, string repoRoot)
    {
        string elf = Path.ChangeExtension(iso, ".elf"), sym = Path.ChangeExtension(iso, ".sym");
        string outDir = Path.Combine(repoRoot, "bench", "stress-" + DateTime.Now.ToString("yyyyMMdd-HHmmss"));
        string monitor = Path.Combine(outDir, "monitor.sock");
        Directory.CreateDirectory(outDir);
        BenchGuest guest;
        if (guestKind == "linux")
        {
            LinuxGuest linux = LinuxGuest.Build(repoRoot, _ => { });
            guest = new BenchGuest("linux", (netdev, mib) => [.. Common(accelerator, netdev, mib, $"unix:{monitor},server=on,wait=off"),
                "-kernel", linux.Kernel, "-initrd", linux.Initramfs, "-append", LinuxGuest.CommandLine], 0);
        }
        else
        {
            guest = new BenchGuest("cosmos", (netdev, mib) => [.. Common(accelerator, netdev, mib, $"unix:{monitor},server=on,wait=off"),
                "-kernel", elf, "-initrd", sym, "-fw_cfg", $"name=opt/kernel/cmdline,string={OurCommandLine}"], 0);
        }
        int collapsed = 0;
        for (int b = 0; b < boots; b++)
        {
            using var generator = new EchoLoadGenerator();
            long start = generator.Now;
            Process process = Measurements.Start(guest, generator, 256, qemu, Path.Combine(outDir, $"boot{b}.log"));
            try
            {
                if (double.IsNaN(Measurements.FirstEcho(generator, start, TimeSpan.FromSeconds(60)))) { Console.WriteLine($"boot {b}: never answered"); collapsed++; continue; }
                int seq = 3_000_000;
                var slices = new List<double>();
                for (int i = 0; i < 10; i++) slices.Add(Measurements.WindowedRate(generator, 1472, TimeSpan.FromSeconds(1), ref seq));
                bool dead = slices.Any(r => r < 100);
                if (dead)
                {
                    // What QEMU's side looks like once the guest has stopped answering: the rings' indices and the
                    // network backend's state, from the human monitor.
                    string report = Monitor(monitor, ["info virtio-queue-status /machine/peripheral/nic0/virtio-backend 0",
                        "info virtio-queue-status /machine/peripheral/nic0/virtio-backend 1", "info network",
                        "info virtio-status /machine/peripheral/nic0/virtio-backend"]);
                    File.WriteAllText(Path.Combine(outDir, $"boot{b}-monitor.txt"), report);
                    Console.WriteLine(string.Join('\n', report.Split('\n').Where(l => !l.Contains("(qemu)") && !l.Contains('\u001b'))));
                    Console.WriteLine($"generator: {generator.Echoes} echoes in all, {Measurements.Stalls} window refills after 50 ms of silence");
                    // Does the guest answer again once QEMU flushes its network queues (a link cycle does)?
                    Monitor(monitor, ["set_link nic0 off", "set_link nic0 on"]);
                    LatencyStats after = Measurements.PingPong(generator, 20, 4_500_000);
                    Console.WriteLine($"after set_link nic0 off/on: {20 - after.Lost} of 20 echoes answered");
                }
                if (dead) collapsed++;
                Console.WriteLine($"boot {b}: {string.Join(" ", slices.Select(r => $"{r / 1000:0.0}k"))}{(dead ? "  <- stopped" : "")}");
                Thread.Sleep(2000); // our kernel logs its per-frame profile once it has been idle for 1.5 s
            }
            finally { Measurements.Stop(process); }
        }
        Console.WriteLine($"{collapsed} of {boots} boots stopped answering; logs in {outDir}");
        return collapsed == 0 ? 0 : 1;
    }

    /// <summary>Runs HMP commands on QEMU's monitor socket and returns what it printed.</summary>
    private static string Monitor(string socketPath, string[] commands)
    {
        try
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
            socket.ReceiveTimeout = 1000;
            var text = new StringBuilder();
            var buffer = new byte[65536];
            void Drain()
            {
                Thread.Sleep(300);
                while (socket.Available > 0) text.Append(Encoding.ASCII.GetString(buffer, 0, socket.Receive(buffer)));
            }
            Drain();
            foreach (string command in commands) { socket.Send(Encoding.ASCII.GetBytes(command + "\n")); Drain(); }
            return text.ToString();
        }
        catch (Exception e) { return $"monitor not reachable: {e.Message}"; }
    }

    internal static double MeasureGenerator(double seconds)
    {
        using var generator = new EchoLoadGenerator();
        using var reflector = new Reflector(generator.GeneratorPort);
        generator.Retarget(reflector.Port);
        int seq = 0;
        return Measurements.WindowedRate(generator, 64, TimeSpan.FromSeconds(seconds), ref seq);
    }

    /// <summary>
    /// Each measurement gets a fresh boot of the guest (so one cannot disturb the next): first echo and
    /// latency, then one boot per payload size for the rates, then one for TCP. A boot whose guest stops
    /// answering is reported as such.
    /// </summary>
    /// <summary>Rate boots per payload and guest; the line reports their mean (and the report each one).</summary>
    public const int RateRounds = 2;

    private sealed record GuestPlan(GuestResult Result, List<(string Name, Action Run)> Phases, Action Finish);

    /// <summary>
    /// The measurements of one guest as phases the caller runs in turn with the other guest's: latency, the
    /// rates (<see cref="RateRounds"/> rounds over the payloads), instructions per echo, TCP. Each phase boots
    /// the guest afresh.
    /// </summary>
    private static GuestPlan PlanGuest(BenchGuest guest, string qemu, string outDir, double secondsPerRate)
    {
        var result = new GuestResult { Name = guest.Name, ImageBytes = guest.ImageBytes };
        var phases = new List<(string Name, Action Run)>();
        var problems = new List<string>();
        // A boot whose guest stops answering during a measurement (see README: QEMU stops taking frames from
        // its socket although the guest has receive buffers posted; seen with both guests) is measured again
        // on a fresh boot, at most twice more; every such boot is counted in the report.
        const int Attempts = 3;
        bool Boot(string what, Action<EchoLoadGenerator, long> measure)
        {
            for (int attempt = 1; attempt <= Attempts; attempt++)
            {
                using var generator = new EchoLoadGenerator();
                long start = generator.Now;
                string log = Path.Combine(outDir, $"{Slug(guest.Name)}-{what}{(attempt > 1 ? $"-attempt{attempt}" : "")}.log");
                string qmp = Path.Combine(Path.GetTempPath(), $"cosmos-bench-{Environment.ProcessId}-{what}-{attempt}.qmp");
                Process process = Measurements.Start(guest, generator, 256, qemu, log, qmp);
                try
                {
                    double first = Measurements.FirstEcho(generator, start, TimeSpan.FromSeconds(90));
                    // What QEMU really ran this boot on (asked after the first echo, outside every timed window).
                    string accelerator = QmpAccelerator.Query(qmp, TimeSpan.FromSeconds(5));
                    result.Accelerators[accelerator] = result.Accelerators.GetValueOrDefault(accelerator) + 1;
                    if (double.IsNaN(first)) { problems.Add($"{what}: never answered a UDP echo"); return false; }
                    if (what == "latency") result.FirstEchoMs = first;
                    Thread.Sleep(300);
                    measure(generator, start);
                    LatencyStats after = Measurements.PingPong(generator, 20, 4_000_000);
                    if (after.Lost <= 2) return true;
                    result.StoppedBoots++;
                    string note = $"{what}: stopped answering ({after.Lost}/20 echoes lost afterwards; log {Path.GetFileName(log)})";
                    AnsiConsole.MarkupLine($"  [yellow]{Markup.Escape(note)}{(attempt < Attempts ? "; measuring again on a fresh boot" : "")}[/]");
                    if (attempt == Attempts) problems.Add(note);
                }
                finally
                {
                    Measurements.Stop(process);
                    File.Delete(qmp);
                }
            }
            return false;
        }

        phases.Add(("latency", () => Boot("latency", (g, _) =>
        {
            result.Latency = Measurements.PingPong(g, 1000, 2_000_000);
            AnsiConsole.MarkupLine($"  first answered echo after {result.FirstEchoMs:N0} ms; ping-pong p50 {result.Latency.P50Us:N0} us, p99 {result.Latency.P99Us:N0} us, max {result.Latency.MaxUs:N0} us");
        })));
        for (int round = 1; round <= RateRounds; round++)
            foreach (int payload in Payloads)
            {
                string what = $"rate-{payload}{(round > 1 ? $"-round{round}" : "")}";
                phases.Add((what, () =>
                {
                    Boot(what, (g, _) =>
                    {
                        int seq = 3_000_000;
                        double rate = Measurements.WindowedRate(g, payload, TimeSpan.FromSeconds(secondsPerRate), ref seq);
                        if (!result.RateSamples.TryGetValue(payload, out var samples)) result.RateSamples[payload] = samples = [];
                        samples.Add(rate);
                        result.EchoRate[payload] = samples.Average();
                        AnsiConsole.MarkupLine($"  UDP echo {payload} B: {rate:N0}/s");
                        Thread.Sleep(2000); // our kernel logs its per-frame cost once it has been idle for 1.5 s
                    });
                    string log = Path.Combine(outDir, $"{Slug(guest.Name)}-{what}.log");
                    var match = File.Exists(log) ? System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(log), @"cycles-per-frame=(\d+) ns-per-frame=(\d+)") : null;
                    if (match is { Count: > 0 } && !result.CyclesPerFrame.ContainsKey(payload))
                    {
                        result.CyclesPerFrame[payload] = long.Parse(match[0].Groups[1].Value);
                        result.NsPerFrame[payload] = long.Parse(match[0].Groups[2].Value);
                    }
                }));
            }
        // Under -icount the guest runs under TCG whatever the accelerator of the other boots (QEMU allows
        // -icount only with TCG), so the instruction counts are measured on every machine.
        {
            foreach (int payload in Payloads)
            {
                phases.Add(($"profile-{payload}", () =>
                {
                    double instructions = ProfileInstructions(guest, qemu, outDir, payload, secondsPerRate);
                    if (!double.IsNaN(instructions)) result.InstructionsPerEcho[payload] = instructions;
                    else problems.Add($"profile-{payload}: no statistics from the guest");
                    AnsiConsole.MarkupLine($"  instructions per echo at {payload} B (-icount): {instructions:N0}");
                }));
            }
        }
        phases.Add(("tcp", () => Boot("tcp", (g, _) =>
        {
            result.Tcp1Mbps = TcpThroughput.Measure(g, 1, 4 << 20, TimeSpan.FromSeconds(90));
            var one = TcpThroughput.LastClientRepairs;
            result.Tcp16Mbps = TcpThroughput.Measure(g, 16, 256 << 10, TimeSpan.FromSeconds(90));
            var sixteen = TcpThroughput.LastClientRepairs;
            result.TcpRepairs = $"{one.Retransmissions} ({one.Fast} / {one.Timeouts}) / {sixteen.Retransmissions} ({sixteen.Fast} / {sixteen.Timeouts})";
            AnsiConsole.MarkupLine($"  TCP echo: 1 connection {result.Tcp1Mbps:N1} Mbit/s, 16 connections {result.Tcp16Mbps:N1} Mbit/s");
        })));
        return new GuestPlan(result, phases, () => { if (problems.Count > 0) result.Failure = string.Join("; ", problems); });
    }

    /// <summary>
    /// Instructions per echoed datagram: the guest runs under -icount shift=0 (single-threaded TCG; the
    /// guest's clock, and so its TSC and its jiffies, advance one nanosecond per instruction while it runs),
    /// the statistics port is asked for the busy time before and after a windowed load, and the busy time
    /// over the datagrams echoed is the instruction count per echo. Idle time (halted) is not counted.
    /// </summary>
    private static double ProfileInstructions(BenchGuest guest, string qemu, string outDir, int payload, double seconds)
    {
        var icountGuest = guest with
        {
            QemuArguments = (netdev, mib) =>
            {
                var args = guest.QemuArguments(netdev, mib);
                int accel = args.IndexOf("-accel");
                if (accel >= 0) args[accel + 1] = "tcg";
                args.AddRange(["-icount", "shift=0,sleep=on"]);
                return args;
            },
        };
        using var generator = new EchoLoadGenerator();
        long start = generator.Now;
        Process process = Measurements.Start(icountGuest, generator, 256, qemu, Path.Combine(outDir, $"{Slug(guest.Name)}-profile-{payload}.log"));
        try
        {
            if (double.IsNaN(Measurements.FirstEcho(generator, start, TimeSpan.FromSeconds(120)))) return double.NaN;
            Thread.Sleep(300);
            var before = ParseStats(generator.QueryStats(TimeSpan.FromSeconds(5)));
            int seq = 5_000_000;
            Measurements.WindowedRate(generator, payload, TimeSpan.FromSeconds(seconds), ref seq);
            Thread.Sleep(300);
            var after = ParseStats(generator.QueryStats(TimeSpan.FromSeconds(5)));
            if (before == null || after == null) return double.NaN;
            double echoed = after.Value.Echoed - before.Value.Echoed;
            double busyNs = after.Value.BusyNs - before.Value.BusyNs;
            return echoed > 0 ? busyNs / echoed : double.NaN; // at shift=0 one instruction is one nanosecond
        }
        finally { Measurements.Stop(process); }
    }

    /// <summary>"busy-cycles=N tsc-hz=N echoed=N" (ours) or "busy-ticks=N ticks-per-second=N echoed=N" (Linux) into ns and a count.</summary>
    public static (double BusyNs, long Echoed)? ParseStats(string? text)
    {
        if (text == null) return null;
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=')).Where(f => f.Length == 2)
            .ToDictionary(f => f[0], f => double.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));
        if (!fields.TryGetValue("echoed", out double echoed)) return null;
        if (fields.TryGetValue("busy-cycles", out double cycles) && fields.TryGetValue("tsc-hz", out double hz) && hz > 0) return (cycles * 1e9 / hz, (long)echoed);
        if (fields.TryGetValue("busy-ticks", out double ticks) && fields.TryGetValue("ticks-per-second", out double tps) && tps > 0) return (ticks * 1e9 / tps, (long)echoed);
        return null;
    }

    /// <summary>The smallest -m (from a fixed ladder) at which the guest still boots and answers an echo.</summary>
    private static int MinimumMemory(BenchGuest guest, string qemu, string outDir)
    {
        int smallest = -1;
        foreach (int mib in MemoryLadder)
        {
            using var generator = new EchoLoadGenerator();
            long start = generator.Now;
            Process process = Measurements.Start(guest, generator, mib, qemu, Path.Combine(outDir, $"{Slug(guest.Name)}-{mib}M.log"));
            double first;
            try { first = Measurements.FirstEcho(generator, start, TimeSpan.FromSeconds(60)); }
            finally { Measurements.Stop(process); }
            AnsiConsole.MarkupLine($"  -m {mib}M: {(double.IsNaN(first) ? "[red]does not serve[/]" : "serves")}");
            if (double.IsNaN(first)) break;
            smallest = mib;
        }
        return smallest;
    }

    private static string Slug(string name) => new(name.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());

    /// <summary>Bytes of what each guest boots from: the ISO for GRUB, and what qemu -kernel is given.</summary>
    public sealed record ImageSizes(long OursIso, long LinuxIso, long OursDirect, long LinuxDirect);

    private static string Samples(GuestResult r, int payload) =>
        r.RateSamples.TryGetValue(payload, out var xs) ? string.Join(", ", xs.Select(x => $"{x / 1000:0.0}k")) : "-";

    private static string Ratio(double a, double b) => double.IsNaN(a) || double.IsNaN(b) || b == 0 ? "n/a" : $"{a / b:0.00}x";
    private static string Ratio3(double a, double b) => double.IsNaN(a) || double.IsNaN(b) || b == 0 ? "n/a" : $"{a / b:0.000}x";

    private static IEnumerable<(string Metric, string Ours, string Linux, string Ratio)> BootRows(BootTimes b)
    {
        yield return ($"QEMU start to first answered echo through GRUB, each from its own ISO (ms, median of {BootRounds} boots, lower is better)",
            $"{b.OursIso:N0}", $"{b.LinuxIso:N0}", Ratio3(b.OursIso, b.LinuxIso));
        yield return ($"QEMU start to first answered echo with qemu -kernel: ours through its PVH note, Linux's bzImage + initramfs (ms, median of {BootRounds})",
            $"{b.OursDirect:N0}", $"{b.LinuxDirect:N0}", Ratio3(b.OursDirect, b.LinuxDirect));
    }

    private static IEnumerable<(string Metric, string Ours, string Linux, string Ratio)> Rows(List<GuestResult> r, BootTimes boot, ImageSizes images)
    {
        GuestResult ours = r[0], linux = r[1];
        foreach (int p in Payloads)
        {
            double a = ours.EchoRate.GetValueOrDefault(p, double.NaN), b = linux.EchoRate.GetValueOrDefault(p, double.NaN);
            yield return ($"UDP echo rate, {p} B, {Measurements.Window} in flight (echoes/s, mean of {RateRounds} boots: {Samples(ours, p)} / {Samples(linux, p)}; higher is better)", $"{a:N0}", $"{b:N0}", Ratio(a, b));
        }
        yield return ("guest TSC cycles per received frame under the 64 / 512 / 1472 B load (our kernel's own profile)",
            string.Join(" / ", Payloads.Select(p => ours.CyclesPerFrame.TryGetValue(p, out long c) ? $"{c:N0}" : "?")), "n/a", "n/a");
        yield return ("guest instructions per echoed datagram, 64 / 512 / 1472 B (QEMU -icount; busy time, lower is better)",
            string.Join(" / ", Payloads.Select(p => ours.InstructionsPerEcho.TryGetValue(p, out double c) ? $"{c:N0}" : "?")),
            string.Join(" / ", Payloads.Select(p => linux.InstructionsPerEcho.TryGetValue(p, out double c) ? $"{c:N0}" : "?")),
            string.Join(" / ", Payloads.Select(p => ours.InstructionsPerEcho.TryGetValue(p, out double a) && linux.InstructionsPerEcho.TryGetValue(p, out double b) && b > 0 ? $"{a / b:0.00}x" : "n/a")));
        yield return ("UDP round trip p50 (us, lower is better)", $"{ours.Latency?.P50Us:N0}", $"{linux.Latency?.P50Us:N0}", Ratio(ours.Latency?.P50Us ?? double.NaN, linux.Latency?.P50Us ?? double.NaN));
        yield return ("UDP round trip p99 (us)", $"{ours.Latency?.P99Us:N0}", $"{linux.Latency?.P99Us:N0}", Ratio(ours.Latency?.P99Us ?? double.NaN, linux.Latency?.P99Us ?? double.NaN));
        yield return ("UDP round trip max (us)", $"{ours.Latency?.MaxUs:N0}", $"{linux.Latency?.MaxUs:N0}", Ratio(ours.Latency?.MaxUs ?? double.NaN, linux.Latency?.MaxUs ?? double.NaN));
        foreach (var row in BootRows(boot)) yield return row;
        yield return ("smallest -m that serves (MiB)", ours.MinMemoryMiB < 0 ? "not measured" : $"{ours.MinMemoryMiB}", linux.MinMemoryMiB < 0 ? "not measured" : $"{linux.MinMemoryMiB}",
            ours.MinMemoryMiB > 0 && linux.MinMemoryMiB > 0 ? Ratio(ours.MinMemoryMiB, linux.MinMemoryMiB) : "n/a");
        yield return ("image size, ISO (bytes)", $"{images.OursIso:N0}", $"{images.LinuxIso:N0}", Ratio(images.OursIso, images.LinuxIso));
        yield return ("image size for qemu -kernel (bytes; ours ELF + symbol map, Linux bzImage + initramfs)", $"{images.OursDirect:N0}", $"{images.LinuxDirect:N0}", Ratio(images.OursDirect, images.LinuxDirect));
        yield return ("TCP echo throughput, 1 connection (Mbit/s of payload, higher is better)", $"{ours.Tcp1Mbps:N1}", $"{linux.Tcp1Mbps:N1}", Ratio(ours.Tcp1Mbps, linux.Tcp1Mbps));
        yield return ("TCP echo throughput, 16 connections (Mbit/s)", $"{ours.Tcp16Mbps:N1}", $"{linux.Tcp16Mbps:N1}", Ratio(ours.Tcp16Mbps, linux.Tcp16Mbps));
        yield return ("TCP client's retransmissions, 1 / 16 connections (fast retransmits / timeouts)", ours.TcpRepairs, linux.TcpRepairs, "n/a");
        yield return ("boots that stopped answering and were measured again (of this run's measurement boots)", $"{ours.StoppedBoots}", $"{linux.StoppedBoots}", "n/a");
    }

    /// <summary>Each target of the benchmark issue, met or not in this run, and what the profile says where not.</summary>
    public static IEnumerable<string> Targets(List<GuestResult> r, BootTimes boot)
    {
        GuestResult ours = r[0], linux = r[1];
        static string Mark(bool met) => met ? "met" : "**not met**";
        var rates = Payloads.Select(p => ours.EchoRate.GetValueOrDefault(p, double.NaN) / linux.EchoRate.GetValueOrDefault(p, double.NaN)).ToArray();
        bool ratesMet = rates.All(x => x >= 2);
        string instructions = string.Join(" / ", Payloads.Select(p => ours.InstructionsPerEcho.TryGetValue(p, out double a) && linux.InstructionsPerEcho.TryGetValue(p, out double b) ? $"{a / b:0.00}x" : "?"));
        yield return $"UDP echo rate at least 2x Linux's at 64 / 512 / 1472 B: {string.Join(" / ", rates.Select(x => $"{x:0.00}x"))}, {Mark(ratesMet)}." +
            (ratesMet ? "" : $" In this run our kernel needed {instructions} of Linux's instructions per echo; {GuestBusyShare(ours)}");
        double p50 = (ours.Latency?.P50Us ?? double.NaN) / (linux.Latency?.P50Us ?? double.NaN);
        yield return $"Round-trip p50 at most half of Linux's: {p50:0.00}x, {Mark(p50 <= 0.5)}." +
            (p50 <= 0.5 ? "" : $" {BackgroundNote}: the p50 ratio moved between about 0.35x and 1.0x from run to run on this shared 2-core machine.");
        double grub = boot.OursIso / boot.LinuxIso;
        yield return $"First answered packet through GRUB under 1/10 of Linux's time, both from their ISOs: {grub:0.000}x, {Mark(grub < 0.1)}. {BeforeKernel(boot.OursIso, boot.OursIsoKernelMs, "QEMU, SeaBIOS and GRUB")}";
        double direct = boot.OursDirect / boot.LinuxDirect;
        yield return $"First answered packet with qemu -kernel (PVH) under 1/20: {direct:0.000}x, {Mark(direct < 0.05)}. {BeforeKernel(boot.OursDirect, boot.OursDirectKernelMs, "QEMU and its firmware")}";
        yield return ours.MinMemoryMiB > 0 ? $"Serving in 16 MiB: smallest -m that serves is {ours.MinMemoryMiB} MiB, {Mark(ours.MinMemoryMiB <= 16)}." : "Serving in 16 MiB: not measured in this run (--quick).";
        double tcp1 = ours.Tcp1Mbps / linux.Tcp1Mbps, tcp16 = ours.Tcp16Mbps / linux.Tcp16Mbps;
        yield return $"TCP throughput {tcp1:0.00}x / {tcp16:0.00}x on 1 / 16 connections (no target); the client (this project's stack on the host, single-threaded) " +
            $"retransmitted {ours.TcpRepairs} against our kernel and {linux.TcpRepairs} against Linux (1 / 16 connections, fast / timeouts). " +
            $"{BackgroundNote}: on 16 connections the client's bursts overflowed the receive buffer of QEMU's datagram socket.";
    }

    /// <summary>How explanations not measured in the run are labelled: with the date they were measured.</summary>
    public const string BackgroundNote = "Background, measured 2026-11-23 and not in this run";

    /// <summary>
    /// From this run: how busy our guest was at its 1472-byte rate, from its own ns per received frame times the
    /// frames per second (about one request in and one echo out per frame received), so what share of each
    /// echo's time was spent outside the guest.
    /// </summary>
    private static string GuestBusyShare(GuestResult ours)
    {
        const int payload = 1472;
        if (!ours.NsPerFrame.TryGetValue(payload, out long ns) || !ours.EchoRate.TryGetValue(payload, out double rate) || ns <= 0)
            return "the guest's own busy time per frame was not reported in this run, so the share spent outside the guest is not known.";
        double busy = ns * rate / 1e9;
        return $"at {payload} B the guest was busy {busy:P0} of the time ({ns:N0} ns per frame by its own clock x {rate:N0} frames/s), " +
               $"so {Math.Max(0, 1 - busy):P0} of each echo's time was outside the guest (QEMU's device emulation and backend, the host).";
    }

    /// <summary>From this run: how much of the first-answer time passed before our kernel's first instruction.</summary>
    private static string BeforeKernel(double firstEchoMs, double kernelReadyMs, string what)
    {
        if (double.IsNaN(firstEchoMs) || double.IsNaN(kernelReadyMs))
            return "The kernel's own ready time was not in this run's boot logs.";
        return $"Our kernel's clock (from its first instruction) said `net: ready` at {kernelReadyMs:N1} ms (median), so about {firstEchoMs - kernelReadyMs:N0} ms of the {firstEchoMs:N0} ms went to {what} before it started.";
    }

    private static void PrintTable(List<GuestResult> results, BootTimes boot, ImageSizes images, double ceiling)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("metric").AddColumn(results[0].Name).AddColumn(results[1].Name).AddColumn("ours / Linux");
        foreach (var row in Rows(results, boot, images)) table.AddRow(Markup.Escape(row.Metric), row.Ours, row.Linux, row.Ratio);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[grey]load generator ceiling (trivial reflector): {ceiling:N0} echoes/s[/]");
        foreach (var r in results.Where(r => r.Failure != null)) AnsiConsole.MarkupLine($"[red]{Markup.Escape(r.Name)}: {Markup.Escape(r.Failure!)}[/]");
    }

    private static string Markdown(List<GuestResult> results, BootTimes boot, ImageSizes images, double ceiling, LinuxGuest linux)
    {
        var md = new StringBuilder();
        md.AppendLine($"Measured {DateTime.Now:yyyy-MM-dd HH:mm} on {Environment.ProcessorCount} cores; accelerator as QEMU reported it (QMP query-kvm) in each measurement boot: " +
                      $"{results[0].Name} {results[0].AcceleratorText}, {results[1].Name} {results[1].AcceleratorText} (the -icount profile boots always run under TCG); " +
                      $"QEMU virtio-net (transitional, modern interface) on `-netdev dgram` to the runner's load generator; Linux {linux.Version} from Debian with our static echo server as /init.");
        md.AppendLine();
        md.AppendLine($"| metric | {results[0].Name} | {results[1].Name} | ours / Linux |");
        md.AppendLine("|---|---|---|---|");
        foreach (var row in Rows(results, boot, images)) md.AppendLine($"| {row.Metric} | {row.Ours} | {row.Linux} | {row.Ratio} |");
        md.AppendLine();
        double fastest = results.SelectMany(r => r.EchoRate.Values).DefaultIfEmpty(double.NaN).Max();
        md.AppendLine($"Load generator against a trivial reflector: {ceiling:N0} echoes/s with {Measurements.Window} in flight; the fastest guest rate in this run was {fastest:N0}/s, " +
                      (ceiling >= 1.5 * fastest ? $"{ceiling / fastest:0.0}x below that ceiling, so the generator did not limit the rates."
                       : $"only {ceiling / fastest:0.00}x below that ceiling, so the generator may have limited the fastest rates."));
        md.AppendLine("Each measurement runs on a fresh boot of the guest. Both guests run on the same QEMU machine without default devices (`-nodefaults`) and a virtio-net without option ROM. " +
                      $"The boot lines are medians of {BootRounds} rounds that boot all four in turn, both kernels with `quiet`; each ISO is made by grub-mkrescue with the same options (samples, ms: {boot.Samples}). " +
                      "TCP uses this project's own stack (Net/, on the host) as the client for both guests.");
        foreach (var r in results.Where(r => r.Failure != null)) md.AppendLine($"\n**{r.Name}:** {r.Failure}");
        md.AppendLine();
        md.AppendLine("Targets (issue 6), checked against this run:");
        md.AppendLine();
        foreach (var line in Targets(results, boot)) md.AppendLine($"- {line}");
        return md.ToString();
    }

    private static void Chart(List<GuestResult> results, string path)
    {
        var plot = new ScottPlot.Plot();
        var bars = new List<ScottPlot.Bar>();
        var colors = new[] { ScottPlot.Colors.SteelBlue, ScottPlot.Colors.Orange };
        for (int g = 0; g < results.Count; g++)
            for (int i = 0; i < Payloads.Length; i++)
                bars.Add(new ScottPlot.Bar { Position = i * 3 + g, Value = results[g].EchoRate.GetValueOrDefault(Payloads[i], 0), FillColor = colors[g] });
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(Payloads.Select((_, i) => i * 3 + 0.5).ToArray(), Payloads.Select(p => $"{p} B").ToArray());
        plot.Title("UDP echo rate, 32 in flight (echoes/s)");
        plot.Legend.IsVisible = true;
        plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = results[0].Name, FillColor = colors[0] });
        plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = results[1].Name, FillColor = colors[1] });
        plot.Axes.Margins(bottom: 0);
        plot.SavePng(path, 800, 450);
    }

    private const string Start = "<!-- bench:start -->", End = "<!-- bench:end -->";

    private static void UpdateReadme(string repoRoot, string markdown, string relativeDir)
    {
        string readme = Path.Combine(repoRoot, "README.md");
        string text = File.ReadAllText(readme);
        int a = text.IndexOf(Start, StringComparison.Ordinal), b = text.IndexOf(End, StringComparison.Ordinal);
        if (a < 0 || b < a) return;
        string body = $"{Start}\n{markdown}\n![UDP echo rate](Bench/Results/latest-chart.png)\n\nReport: `Bench/Results/latest-report.md` (all files of the run: `{relativeDir}/`).\n{End}";
        File.WriteAllText(readme, text[..a] + body + text[(b + End.Length)..]);
    }
}
