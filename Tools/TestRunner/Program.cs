using System.CommandLine;
using Cosmos.TestRunner;
using Cosmos.TestRunner.Accelerators;
using Spectre.Console;

// cosmos-runner: boots the kernel ISO in QEMU.
//   run    boot once with virtio-net and user networking, show the serial log live
//   test   boot every configuration in BootPlan, judge each from its serial log, print a summary
//   bench  our kernel against a Linux guest
//   soak   the kernel on the tap lane under mixed traffic for --minutes, then every resource back to idle
//   accel  decide the accelerator (probing KVM when asked for auto) and print the decision

var isoOption = new Option<FileInfo>("--iso") { Description = "Kernel ISO to boot", DefaultValueFactory = _ => new FileInfo(DefaultIso()) };
var qemuOption = new Option<string>("--qemu") { Description = "QEMU binary", DefaultValueFactory = _ => "qemu-system-x86_64" };
// --accel works before or after the verb; without it COSMOS_ACCEL decides, and without that "auto".
var accelOption = new Option<string?>("--accel")
{
    Description = "auto (KVM only where a probe boot shows it can run this kernel, else TCG), kvm or tcg; default: $COSMOS_ACCEL, else auto",
    Recursive = true,
};
var timeoutOption = new Option<int>("--timeout") { Description = "Seconds before a boot is killed", DefaultValueFactory = _ => 90 };
var resultsOption = new Option<DirectoryInfo>("--results") { Description = "Folder for the serial log of every boot", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(RepoRoot(), "results")) };
var filterOption = new Option<string?>("--filter") { Description = "Only boots whose name contains this text" };
var cmdlineOption = new Option<string?>("--cmdline") { Description = "Kernel command line for `run` (through fw_cfg)" };
var modernOption = new Option<bool>("--modern") { Description = "`run` with a modern-only virtio-net (1af4:1041)" };
var keepOption = new Option<bool>("--keep-running") { Description = "`run` until Ctrl-C instead of stopping at 'kernel: ready'" };
var netdevOption = new Option<string?>("--netdev") { Description = "`run`: QEMU -netdev for the NIC instead of user networking with forwarded ports, e.g. a dgram socket: dgram,local.type=inet,local.host=127.0.0.1,local.port=5555,remote.type=inet,remote.host=127.0.0.1,remote.port=5556" };
var httpPortOption = new Option<int>("--http-port") { Description = "`run`: host port forwarded to the kernel's HTTP server (port 80)", DefaultValueFactory = _ => 8080 };
var echoOption = new Option<bool>("--echo") { Description = "`test`: print each boot's serial log as it arrives" };

var root = new RootCommand("Boots the Cosmos-net kernel in QEMU and checks what it prints on its serial port.");
// The machine options apply to every verb and are accepted before or after it.
foreach (Option o in new Option[] { isoOption, qemuOption, accelOption, timeoutOption, resultsOption })
{
    o.Recursive = true;
    root.Options.Add(o);
}

var run = new Command("run", "Boot the kernel once with virtio-net and QEMU user networking; show the boot log.");
run.Options.Add(cmdlineOption);
run.Options.Add(modernOption);
run.Options.Add(keepOption);
run.Options.Add(netdevOption);
run.Options.Add(httpPortOption);
run.SetAction(async (parse, cancel) =>
{
    if (Options(parse) is not { } options) return 2;
    string? netdev = parse.GetValue(netdevOption);
    int httpPort = parse.GetValue(httpPortOption);
    // User networking with the HTTP server forwarded to the host (and UDP/TCP echo on the next ports).
    netdev ??= $"user,id=n0,hostfwd=tcp:127.0.0.1:{httpPort}-:80,hostfwd=udp:127.0.0.1:{httpPort + 1}-:7,hostfwd=tcp:127.0.0.1:{httpPort + 1}-:7";
    string[] nic = BootPlan.VirtioNet(netdev.Contains("id=") ? netdev : $"{netdev},id=n0", parse.GetValue(modernOption));
    bool userNetwork = netdev.StartsWith("user", StringComparison.Ordinal);
    HostCheck? showStatus = userNetwork ? async (_, token) =>
    {
        // The main job: show the kernel online, as curl would.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        AnsiConsole.MarkupLine($"[grey]$ curl http://127.0.0.1:{httpPort}/[/]");
        try
        {
            string page = await http.GetStringAsync($"http://127.0.0.1:{httpPort}/", token);
            Console.WriteLine(page);
            return [("status page", true, "")];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            AnsiConsole.MarkupLine($"[red]HTTP request failed: {Markup.Escape(e.Message)}[/]");
            return [("status page", false, e.Message)];
        }
    } : null;
    var spec = new BootSpec("run", "interactive boot", nic,
        parse.GetValue(cmdlineOption), parse.GetValue(keepOption) ? BootEnding.SelfTestsPass : BootEnding.Ready, [],
        ReadyPattern: userNetwork ? "net: ping .* seq 3" : "kernel: ready", HostCheck: showStatus);
    if (parse.GetValue(keepOption)) options = options with { Timeout = Timeout.InfiniteTimeSpan };
    options = options with { Echo = true };
    AnsiConsole.MarkupLine($"[grey]Booting {Markup.Escape(options.IsoPath)} ({options.Accelerator}); serial output follows[/]");
    string log = Path.Combine(parse.GetValue(resultsOption)!.FullName, "run.log");
    BootRun result = await QemuMachine.BootAsync(spec, options, log, cancel);
    AnsiConsole.MarkupLine(result.StoppedAtReady ? $"[green]Kernel ready after {result.Elapsed.TotalSeconds:0.0} s; machine stopped. Log: {Markup.Escape(log)}[/]"
        : result.TimedOut ? "[red]Timed out before 'kernel: ready'.[/]" : $"[yellow]QEMU exited with {result.ExitCode}.[/]");
    bool hostOk = result.HostResults == null || result.HostResults.All(r => r.Passed);
    return (result.StoppedAtReady || result.ExitCode == QemuMachine.KernelSuccessExit) && hostOk ? 0 : 1;
});
root.Subcommands.Add(run);

var test = new Command("test", "Boot every configuration and judge each from its serial log.");
test.Options.Add(filterOption);
test.Options.Add(echoOption);
test.SetAction(async (parse, cancel) =>
{
    if (Options(parse) is not { } options) return 2;
    options = options with { Echo = parse.GetValue(echoOption) };
    string filter = parse.GetValue(filterOption) ?? "";
    var boots = BootPlan.All.Where(b => b.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();
    if (Environment.GetEnvironmentVariable("COSMOS_SKIP_TAP") == "1" && boots.Any(b => b.UsesTap))
    {
        // Machines without root or /dev/net/tun: the lane is left out on request, and says so.
        AnsiConsole.MarkupLine($"[yellow]tap lane left out (COSMOS_SKIP_TAP=1): {boots.Count(b => b.UsesTap)} boots not run[/]");
        boots = boots.Where(b => !b.UsesTap).ToList();
    }
    string resultsDir = Path.Combine(parse.GetValue(resultsOption)!.FullName, DateTime.Now.ToString("yyyyMMdd-HHmmss"));
    var outcomes = new List<Outcome>();
    var timings = new Dictionary<string, (TimeSpan Elapsed, string Log)>();

    await AnsiConsole.Progress()
        .AutoClear(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
        .StartAsync(async ctx =>
        {
            var task = ctx.AddTask($"{boots.Count} boots", maxValue: boots.Count);
            foreach (BootSpec planned in boots)
            {
                BootSpec boot = planned;
                task.Description = $"booting {boot.Name}";
                string log = Path.Combine(resultsDir, $"{boot.Name}.log");
                MachineOptions bootOptions = options;
                if (boot.Application is { } app)
                {
                    // An application image: made first, as a user would make it; its making is checked too.
                    task.Description = $"building {boot.Name}";
                    var built = await app.Build(new Cosmos.TestRunner.Apps.ApplicationBuild(RepoRoot(), Path.Combine(resultsDir, boot.Name), options.Accelerator), cancel);
                    outcomes.AddRange(built.Checks.Select(c => new Outcome(boot.Name, c.Name, c.Passed, c.Detail)));
                    if (built.IsoPath == null)
                    {
                        timings[boot.Name] = (TimeSpan.Zero, log);
                        task.Increment(1);
                        continue;
                    }
                    bootOptions = options with { IsoPath = built.IsoPath };
                    if (built.KernelArguments != null)
                        boot = boot with { KernelCommandLine = $"{boot.KernelCommandLine} {built.KernelArguments}".Trim() };
                    if (built.Expectations != null) boot = boot with { Expectations = [.. boot.Expectations, .. built.Expectations] };
                    task.Description = $"booting {boot.Name}";
                }
                BootRun result = await QemuMachine.BootAsync(boot, bootOptions, log, cancel);
                var verdict = BootVerdict.Judge(boot, result).ToList();
                outcomes.AddRange(verdict);
                // Every check with its detail at the end of the boot's log (the table shows only failures' details; the
                // measured numbers of passing checks are wanted too).
                try { File.AppendAllLines(log, verdict.Select(o => $"# verdict: {o.Name}: {(o.Passed ? "pass" : "FAIL")} {o.Detail}")); }
                catch (IOException) { }
                timings[boot.Name] = (result.Elapsed, log);
                task.Increment(1);
            }
            task.Description = $"{boots.Count} boots done";
        });

    var table = new Table().Border(TableBorder.Rounded)
        .AddColumn("boot").AddColumn("checks").AddColumn("result").AddColumn("time").AddColumn("what it proves");
    foreach (BootSpec boot in boots)
    {
        var mine = outcomes.Where(o => o.Boot == boot.Name).ToList();
        int failedCount = mine.Count(o => !o.Passed);
        table.AddRow(boot.Name, mine.Count.ToString(),
            failedCount == 0 ? "[green]pass[/]" : $"[red]{failedCount} failed[/]",
            $"{timings[boot.Name].Elapsed.TotalSeconds:0.0} s", Markup.Escape(boot.Description));
    }
    AnsiConsole.Write(table);
    foreach (Outcome o in outcomes.Where(o => !o.Passed))
        AnsiConsole.MarkupLine($"[red]FAIL[/] {Markup.Escape(o.Boot)} / {Markup.Escape(o.Name)}: {Markup.Escape(o.Detail)}  [grey](log: {Markup.Escape(timings[o.Boot].Log)})[/]");
    AnsiConsole.MarkupLine($"[grey]Serial logs: {Markup.Escape(resultsDir)}[/]");
    int passedTotal = outcomes.Count(o => o.Passed), failedTotal = outcomes.Count(o => !o.Passed);
    Console.WriteLine($"{passedTotal} passed, {failedTotal} failed");
    return failedTotal == 0 && passedTotal > 0 ? 0 : 1;
});
root.Subcommands.Add(test);

var bench = new Command("bench", "Measure our kernel and a Linux guest side by side (UDP echo rate, latency, boot, memory, image size).");
var secondsOption = new Option<double>("--seconds") { Description = "Seconds per rate measurement", DefaultValueFactory = _ => 3 };
var quickOption = new Option<bool>("--quick") { Description = "Skip the smallest-memory search" };
var stressOption = new Option<int>("--stress") { Description = "Instead of the comparison: N boots under windowed 1472-byte load, rate per second (finds a guest that stops answering)" };
var bootOnlyOption = new Option<bool>("--boot-only") { Description = "Only the boot-time lines (QEMU start to first answered echo, ours and Linux's, through GRUB and with -kernel); the README is left alone" };
var tcpOnlyOption = new Option<bool>("--tcp-only") { Description = "Only the TCP lines, ours and Linux's in turns, twice; the README is left alone" };
var tapBenchOption = new Option<bool>("--tap") { Description = "Only the tap lines: TCP bulk, wrk keep-alive at 100 connections, new connections/s; ours and Linux's in turns on a tap with the host kernel's stack as the client (needs root); the README is left alone" };
var tapSecondsOption = new Option<double>("--wrk-seconds") { Description = "With --tap: seconds per wrk run (the issue's targets name 60)", DefaultValueFactory = _ => 60 };
var tapLinesOption = new Option<string>("--tap-lines") { Description = "With --tap: which lines, comma-separated, of tcp, keep-alive, close (all three unless given)", DefaultValueFactory = _ => "tcp,keep-alive,close" };
var tapTcpMiBOption = new Option<int>("--tcp-mib") { Description = "With --tap: MiB each way for the TCP echo line", DefaultValueFactory = _ => 64 };
var tapVariantOption = new Option<string[]>("--variant") { Description = "With --tap: one more boot of our kernel per round with these kernel command-line words (for example \"virtio.rx-buffer=4096\"), in the same turns; repeat for more", DefaultValueFactory = _ => [] };
var exceptionsOption = new Option<bool>("--exceptions") { Description = "Only the exception benchmark: TSC cycles per throw-and-catch (1 and 10 frames) and per call with and without try/catch, our kernel against .NET on the host" };
var roundsOption = new Option<int>("--rounds") { Description = "With --exceptions: boots (and .NET runs) to take the median of; with --vhost-user: boots of each device; with --tap or --apps: rounds (fresh boots per line and guest)", DefaultValueFactory = _ => 3 };
var gcBenchOption = new Option<bool>("--gc") { Description = "Only the collector benchmark: GC.Collect() pause with 10k, 100k and 1M objects live, and building and dropping a table of 100k string keys with int lists, our kernel against .NET on the host; image size" };
var xenOffloadsOption = new Option<bool>("--xen-offloads") { Description = "Only the Xen line: the real-Xen lane (PVH) with a TCP echo timed with the netfront's offloads on and, in a second guest, off (xen.offloads-off=all); the README is left alone" };
var vhostUserBenchOption = new Option<bool>("--vhost-user") { Description = "Only the vhost-user line: our kernel's UDP echo rate through our C# vhost-user back end against QEMU's built-in virtio-net on -netdev dgram, same machine and device (vectors=0), --rounds boots each in turns; the README is left alone" };
var appsOption = new Option<bool>("--apps") { Description = "Only the application lines: Samples/HttpServer and Samples/KeyValueServer against Debian's nginx and redis-server in a Linux guest on a tap, wrk and redis-benchmark in its namespace, --rounds fresh boots per line and guest in turns (3 unless given; 10-25 minutes under TCG) (needs root); a run with the defaults (3 rounds, -n 100000, the memory search) replaces the README's application table" };
var appSecondsOption = new Option<double>("--app-seconds") { Description = "With --apps: seconds per wrk run", DefaultValueFactory = _ => 5 };
var redisRequestsOption = new Option<int>("--redis-requests") { Description = "With --apps: redis-benchmark -n", DefaultValueFactory = _ => Cosmos.TestRunner.Bench.AppBench.DefaultRedisRequests };
var guestOption = new Option<string>("--guest") { Description = "With --stress: cosmos (default) or linux", DefaultValueFactory = _ => "cosmos" };
bench.Options.Add(secondsOption);
bench.Options.Add(quickOption);
bench.Options.Add(stressOption);
bench.Options.Add(guestOption);
bench.Options.Add(bootOnlyOption);
bench.Options.Add(tcpOnlyOption);
bench.Options.Add(tapBenchOption);
bench.Options.Add(tapSecondsOption);
bench.Options.Add(tapLinesOption);
bench.Options.Add(tapTcpMiBOption);
bench.Options.Add(tapVariantOption);
bench.Options.Add(exceptionsOption);
bench.Options.Add(roundsOption);
bench.Options.Add(gcBenchOption);
bench.Options.Add(xenOffloadsOption);
bench.Options.Add(vhostUserBenchOption);
bench.Options.Add(appsOption);
bench.Options.Add(appSecondsOption);
bench.Options.Add(redisRequestsOption);
bench.SetAction(async (parse, cancel) =>
{
    if (Options(parse) is not { } options) return 2;
    if (parse.GetValue(exceptionsOption))
    {
        string dir = Path.Combine(RepoRoot(), "bench", "exceptions-" + DateTime.Now.ToString("yyyyMMdd-HHmmss"));
        Directory.CreateDirectory(dir);
        return await Cosmos.TestRunner.Bench.ExceptionBench.RunAsync(options, dir, Math.Max(1, parse.GetValue(roundsOption)), cancel);
    }
    if (parse.GetValue(gcBenchOption))
    {
        string dir = Path.Combine(RepoRoot(), "bench", "gc-" + DateTime.Now.ToString("yyyyMMdd-HHmmss"));
        Directory.CreateDirectory(dir);
        return await Cosmos.TestRunner.Bench.CollectorBenchRunner.RunAsync(options, dir, cancel);
    }
    if (parse.GetValue(vhostUserBenchOption))
        return Cosmos.TestRunner.Bench.VhostUserBench.Run(RepoRoot(), options.IsoPath, options.QemuBinary, options.Accelerator,
            parse.GetValue(secondsOption), Math.Max(1, parse.GetValue(roundsOption)));
    if (parse.GetValue(appsOption))
        return await Cosmos.TestRunner.Bench.AppBench.RunAsync(RepoRoot(), options.QemuBinary, options.Accelerator,
            new Cosmos.TestRunner.Bench.AppBench.Options(parse.GetResult(roundsOption) is { Implicit: false } ? Math.Max(1, parse.GetValue(roundsOption)) : Cosmos.TestRunner.Bench.AppBench.DefaultRounds, parse.GetValue(appSecondsOption),
                parse.GetValue(redisRequestsOption), !parse.GetValue(quickOption)), cancel);
    if (parse.GetValue(xenOffloadsOption))
        return Cosmos.TestRunner.Bench.XenOffloadBench.Run(RepoRoot(), options.Accelerator);
    if (parse.GetValue(tapBenchOption))
    {
        string[] tapLines = parse.GetValue(tapLinesOption)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string? unknown = tapLines.Except(Cosmos.TestRunner.Bench.TapBench.AllLines).FirstOrDefault();
        if (tapLines.Length == 0 || unknown != null)
        {
            Console.Error.WriteLine($"--tap-lines: expected a comma-separated list of {string.Join(", ", Cosmos.TestRunner.Bench.TapBench.AllLines)}" +
                                    (unknown == null ? "" : $"; '{unknown}' is not one of them"));
            return 2;
        }
        int tapRounds = parse.GetResult(roundsOption) is { Implicit: false } ? Math.Max(1, parse.GetValue(roundsOption)) : Cosmos.TestRunner.Bench.TapBench.DefaultRounds;
        return Cosmos.TestRunner.Bench.TapBench.Run(RepoRoot(), options.IsoPath, options.QemuBinary, options.Accelerator,
            new Cosmos.TestRunner.Bench.TapBench.Options(parse.GetValue(tapSecondsOption), Math.Clamp(parse.GetValue(tapTcpMiBOption), 1, 1024), tapRounds, tapLines,
                parse.GetValue(tapVariantOption) ?? []));
    }
    if (parse.GetValue(tcpOnlyOption))
        return Cosmos.TestRunner.Bench.BenchRunner.TcpOnly(RepoRoot(), options.IsoPath, options.QemuBinary, options.Accelerator);
    if (parse.GetValue(bootOnlyOption))
        return Cosmos.TestRunner.Bench.BenchRunner.BootOnly(RepoRoot(), options.IsoPath, options.QemuBinary, options.Accelerator);
    if (parse.GetValue(stressOption) > 0)
        return Cosmos.TestRunner.Bench.BenchRunner.Stress(options.IsoPath, options.QemuBinary, options.Accelerator, parse.GetValue(stressOption), parse.GetValue(guestOption)!, RepoRoot());
    return await Cosmos.TestRunner.Bench.BenchRunner.RunAsync(RepoRoot(), options.IsoPath, options.QemuBinary, options.Accelerator,
        parse.GetValue(secondsOption), parse.GetValue(quickOption), cancel);
});
root.Subcommands.Add(bench);

var conformance = new Command("conformance", "Print the conformance suite's transcript on .NET (the reference the kernel's conformance boot is compared with).");
var prefixOption = new Option<string?>("--prefix") { Description = "Only the cases whose name starts with this" };
conformance.Options.Add(prefixOption);
conformance.SetAction(parse =>
{
    var transcripts = Cosmos.TestRunner.Conformance.ConformanceTranscripts.RunOnHost(parse.GetValue(prefixOption));
    foreach (var t in transcripts)
        foreach (string line in t.Lines)
            Console.WriteLine($"{Cosmos.TestRunner.Conformance.ConformanceTranscripts.KernelLinePrefix}{t.Case}: {line}");
    Console.WriteLine($"{Cosmos.TestRunner.Conformance.ConformanceTranscripts.KernelEndPrefix}{transcripts.Count}");
    return 0;
});
root.Subcommands.Add(conformance);

var accel = new Command("accel", "Decide the accelerator as every boot would (probing KVM for auto) and print one line: accelerator: NAME (why).");
accel.SetAction(parse =>
{
    string iso = parse.GetValue(isoOption)!.FullName;
    var (choice, error) = AcceleratorSelection.ForRun(parse.GetValue(accelOption), parse.GetValue(qemuOption)!,
        Path.ChangeExtension(iso, ".elf"), Path.ChangeExtension(iso, ".sym"));
    if (choice == null)
    {
        Console.Error.WriteLine($"accelerator: {error}");
        return 2;
    }
    Console.WriteLine(choice.Line);
    return 0;
});
root.Subcommands.Add(accel);

var soak = new Command("soak", "Soak (issue 17 item 5): the kernel on the tap lane under flood ping, UDP echo, TCP connections and wrk for --minutes; no stall, a packet count, every resource and the heap back to idle afterwards.");
var minutesOption = new Option<double>("--minutes") { Description = "Minutes of traffic (the issue's soak: 30, at least 1,000,000 packets; shorter runs demand the same rate)", DefaultValueFactory = _ => 30 };
soak.Options.Add(minutesOption);
soak.SetAction(async (parse, cancel) => Options(parse) is { } options
    ? await Cosmos.TestRunner.Soak.SoakCommand.RunAsync(options, parse.GetValue(minutesOption), parse.GetValue(resultsOption)!.FullName, cancel) : 2);
root.Subcommands.Add(soak);

return await root.Parse(args).InvokeAsync();

// Everything a boot needs, with the accelerator decided (once) and announced; null (after a message) when the run cannot start.
MachineOptions? Options(ParseResult parse)
{
    string iso = parse.GetValue(isoOption)!.FullName;
    string qemu = parse.GetValue(qemuOption)!;
    if (!CheckPrerequisites(iso, qemu)) return null;
    var (choice, error) = AcceleratorSelection.ForRun(parse.GetValue(accelOption), qemu, Path.ChangeExtension(iso, ".elf"), Path.ChangeExtension(iso, ".sym"));
    if (choice == null)
    {
        AnsiConsole.MarkupLine($"[red]accelerator: {Markup.Escape(error!)}[/]");
        return null;
    }
    Console.WriteLine(choice.Line);
    return new(iso, qemu, TimeSpan.FromSeconds(parse.GetValue(timeoutOption)), choice.Name, Echo: false);
}

bool CheckPrerequisites(string iso, string qemu)
{
    if (!File.Exists(iso))
    {
        AnsiConsole.MarkupLine($"[red]No kernel image at {Markup.Escape(iso)}.[/] Build it first: dotnet build");
        return false;
    }
    bool hasQemu = Environment.GetEnvironmentVariable("PATH")!.Split(':')
        .Any(dir => File.Exists(Path.Combine(dir, qemu))) || File.Exists(qemu);
    if (!hasQemu)
    {
        AnsiConsole.MarkupLine($"[red]{Markup.Escape(qemu)} not found.[/] Install it: apt-get install -y qemu-system-x86");
        return false;
    }
    return true;
}

static string RepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Cosmos.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}

static string DefaultIso() => Path.Combine(RepoRoot(), "iso", "cosmos-net.iso");
