using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Cosmos.TestRunner.Apps;
using Cosmos.TestRunner.Tap;
using Spectre.Console;

namespace Cosmos.TestRunner.Bench;

/// <summary>
/// `cosmos-runner bench --apps`: our samples (Samples/HttpServer, Samples/KeyValueServer, each its own kernel image)
/// against Debian's nginx and redis-server in a Linux guest (<see cref="LinuxAppGuest"/>), on the same QEMU machine,
/// virtio-net device and tap, one vCPU each, with Debian's wrk and redis-benchmark in the tap's namespace as the
/// clients (the host kernel's stack). Every measurement is a fresh boot; the two guests of a line take turns
/// measurement by measurement (which one goes first alternates by round); then a short search for the smallest -m
/// that serves. The report (bench/apps-TIME/report.md) has medians, spread and ours / Linux for every line.
/// </summary>
public static class AppBench
{
    public sealed record Options(int Rounds, double WrkSeconds, int RedisRequests, bool MemorySearch);
    /// <summary>redis-benchmark -n as the issue names it (the Unikraft paper's 100k).</summary>
    public const int DefaultRedisRequests = 100000;
    /// <summary>
    /// Fresh boots per line and guest. Three, so the median is a sample and not the mean of two: on 1 December 2026
    /// one of two boots of the key-value sample ran its whole -P 16 load at half speed (68,498 against 33,210 cycles per
    /// frame, with the same frames, halts and interrupts), a machine effect that halved that line's median.
    /// </summary>
    public const int DefaultRounds = 3;

    private static readonly IPAddress GuestAddress = IPAddress.Parse(LinuxAppGuest.Address);
    private const string Nic = "virtio-net-pci,id=nic0,netdev=n0,mac=52:54:00:12:34:56,romfile=";
    private const int MeasureMiB = 256;
    private static readonly int[] MemoryLadder = [256, 128, 64, 32, 16, 12, 8];

    /// <summary>A guest: its name, whether it is ours, what it serves, its QEMU arguments for a memory size and serial log, its image bytes.</summary>
    private sealed record Guest(string Name, bool Ours, bool Http, bool Redis, Func<int, string, List<string>> Arguments, long ImageBytes);

    /// <summary>A measurement: its name, whether it needs an HTTP or a Redis guest, and what it runs once the guest serves.</summary>
    private sealed record Measurement(string Name, bool Http, Action<TapNetwork, Guest, AppBenchResults, string> Run, string CpuKey);

    public static async Task<int> RunAsync(string repoRoot, string qemu, string accelerator, Options options, CancellationToken cancel)
    {
        string? missing = TapNetwork.MissingPrerequisites();
        if (missing != null) { AnsiConsole.MarkupLine($"[red]{Markup.Escape(missing)}[/]"); return 2; }
        foreach (var (tool, package) in new[] { ("redis-benchmark", "redis-tools"), ("readelf", "binutils"), ("apt-get", "apt") })
            if (!Host.Run("sh", ["-c", $"command -v {tool}"], TimeSpan.FromSeconds(5), allowFailure: true).Succeeded)
            { AnsiConsole.MarkupLine($"[red]{tool} is missing (apt-get install {package})[/]"); return 2; }
        var runWatch = Stopwatch.StartNew();
        string outDir = Path.Combine(repoRoot, "bench", "apps-" + DateTime.Now.ToString("yyyyMMdd-HHmmss"));
        Directory.CreateDirectory(outDir);
        void Grey(string m) => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]");

        LinuxAppGuest linux = LinuxAppGuest.Build(repoRoot, Grey);
        Grey($"Linux guest: {linux.Kernel} + {linux.Initramfs} ({linux.ImageBytes:N0} bytes; packages {string.Join(", ", linux.Packages)})");
        string? httpIso = await BuildSample(repoRoot, "HttpServer", accelerator, outDir, cancel);
        string? kvIso = await BuildSample(repoRoot, "KeyValueServer", accelerator, outDir, cancel);
        if (httpIso == null || kvIso == null) return 1;

        List<string> Common(int mib, string log) =>
        [
            "-accel", accelerator, "-smp", "1", "-m", $"{mib}M", "-nodefaults", "-display", "none", "-monitor", "none", "-no-reboot",
            "-netdev", TapNetwork.Netdev(), "-device", Nic, "-serial", $"file:{log}",
        ];
        Guest Ours(string name, string iso, bool http) => new(name, true, http, !http, (mib, log) =>
            [.. Common(mib, log), "-kernel", Path.ChangeExtension(iso, ".elf"), "-initrd", Path.ChangeExtension(iso, ".sym"),
             "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
             "-fw_cfg", $"name=opt/kernel/cmdline,string=net.ip={GuestAddress}/24 net.gw={TapNetwork.HostAddress} net.ping-count=0"],
            new FileInfo(Path.ChangeExtension(iso, ".elf")).Length + new FileInfo(Path.ChangeExtension(iso, ".sym")).Length);
        Guest oursHttp = Ours("HttpServer sample", httpIso, http: true), oursKv = Ours("KeyValueServer sample", kvIso, http: false);
        var linuxGuest = new Guest($"Linux {linux.Version}, nginx + redis-server", false, true, true, (mib, log) =>
            [.. Common(mib, log), "-kernel", linux.Kernel, "-initrd", linux.Initramfs, "-append", LinuxAppGuest.CommandLine], linux.ImageBytes);

        var results = new AppBenchResults
        {
            OursHttpImageBytes = oursHttp.ImageBytes, OursKvImageBytes = oursKv.ImageBytes, LinuxImageBytes = linux.ImageBytes,
        };
        var measurements = new List<Measurement>();
        foreach (int c in AppBenchResults.KeepAliveConnections)
            measurements.Add(new($"wrk-keepalive-{c}", true, (tap, g, r, log) => WrkLine(tap, g, r, c, close: false, options, log), AppBenchResults.HttpKey(c, "qemu-cpu")));
        measurements.Add(new("wrk-close", true, (tap, g, r, log) => WrkLine(tap, g, r, AppBenchResults.CloseConnections, close: true, options, log), "http-close-qemu-cpu"));
        measurements.Add(new("redis", false, (tap, g, r, log) => RedisLine(tap, g, r, pipelined: false, options, log), "redis-qemu-cpu"));
        measurements.Add(new($"redis-P{AppBenchResults.Pipeline}", false, (tap, g, r, log) => RedisLine(tap, g, r, pipelined: true, options, log), $"redis-P{AppBenchResults.Pipeline}-qemu-cpu"));

        for (int round = 1; round <= options.Rounds; round++)
            foreach (Measurement m in measurements)
            {
                Guest ours = m.Http ? oursHttp : oursKv;
                Guest[] turn = round % 2 == 1 ? [ours, linuxGuest] : [linuxGuest, ours];
                foreach (Guest g in turn)
                {
                    AnsiConsole.MarkupLine($"[bold]{Markup.Escape(g.Name)}[/] {m.Name} (round {round}/{options.Rounds})");
                    MeasureOnFreshBoot(g, m, qemu, Path.Combine(outDir, $"{Slug(g.Name)}-{m.Name}-{round}"), results);
                }
            }
        if (options.MemorySearch)
        {
            results.OursHttpMinMiB = SmallestMemory(oursHttp, qemu, outDir);
            results.OursKvMinMiB = SmallestMemory(oursKv, qemu, outDir);
            results.LinuxMinMiB = SmallestMemory(linuxGuest, qemu, outDir);
        }

        string header = $"Measured {DateTime.Now:yyyy-MM-dd HH:mm} on {Machine()}; accelerator {accelerator} for every boot; QEMU {QemuVersion(qemu)}, " +
                        $"`-smp 1 -m {MeasureMiB}M`, virtio-net (no option ROM) on a tap with vnet_hdr in a network namespace; clients Debian's wrk and redis-benchmark " +
                        $"in that namespace (the host kernel's stack). Ours: Samples/HttpServer and Samples/KeyValueServer, each its own kernel image booted with -kernel. " +
                        $"Linux: Debian's {linux.Version} kernel with Debian's nginx ({PackageVersion(linux, "nginx")}) and redis-server ({PackageVersion(linux, "redis-tools")}) " +
                        $"in an initramfs (one nginx worker, no access log; redis without persistence). {options.Rounds} rounds; every measurement a fresh boot; " +
                        $"the guests of a line take turns, the first alternating by round. The run took {runWatch.Elapsed.TotalMinutes:0} minutes.";
        string markdown = results.Markdown(header, options.WrkSeconds, options.RedisRequests, oursHttp.Name, oursKv.Name, linuxGuest.Name);
        await File.WriteAllTextAsync(Path.Combine(outDir, "report.md"), markdown, cancel);
        Console.WriteLine(markdown);
        Grey($"report and logs: {outDir}");
        // Only a run with the issue's parameters stands for the project in the README; a shortened one stays in bench/.
        if (options.Rounds >= DefaultRounds && options.RedisRequests == DefaultRedisRequests && options.MemorySearch)
        {
            string latest = Path.Combine(repoRoot, "Bench", "Results", "apps-latest-report.md");
            File.Copy(Path.Combine(outDir, "report.md"), latest, overwrite: true);
            bool written = ReadmeSection.Replace(repoRoot, "apps",
                $"{markdown}\nReport: `Bench/Results/apps-latest-report.md` (all files of the run: `{Path.GetRelativePath(repoRoot, outDir)}/`).");
            Grey(written ? "README: the application table now shows this run" : "README: no <!-- apps:start --> marker, left alone");
        }
        else Grey($"README left alone: only a run of at least 2 rounds, -n {DefaultRedisRequests} and the memory search replaces its table");
        return results.Problems.Count == 0 ? 0 : 1;
    }

    private static async Task<string?> BuildSample(string repoRoot, string name, string accelerator, string outDir, CancellationToken cancel)
    {
        AnsiConsole.MarkupLine($"[grey]building Samples/{name} (dotnet build, as the test runner does)[/]");
        BuiltImage built = await SampleApplications.Image(name).Build(new ApplicationBuild(repoRoot, outDir, accelerator), cancel);
        foreach (var (check, passed, detail) in built.Checks)
            AnsiConsole.MarkupLine($"  {(passed ? "[green]ok[/]" : "[red]FAILED[/]")} {Markup.Escape(check)}: {Markup.Escape(detail)}");
        return built.IsoPath;
    }

    private static void MeasureOnFreshBoot(Guest g, Measurement m, string qemu, string stem, AppBenchResults results)
    {
        using var tap = new TapNetwork("apps", stem + "-tap", capture: false);
        string log = stem + ".log";
        var watch = Stopwatch.StartNew();
        Process process = tap.Namespace.Start(qemu, g.Arguments(MeasureMiB, log), redirectOutput: true);
        try
        {
            double ready = WaitServing(tap, process, m.Http, TimeSpan.FromSeconds(120), watch);
            if (double.IsNaN(ready)) { results.Problems.Add($"{g.Name}, {m.Name}: never served (log {Path.GetFileName(log)})"); return; }
            results.Add(m.Http ? "boot-http-ms" : "boot-redis-ms", g.Ours, ready);
            AnsiConsole.MarkupLine($"  serving after {ready:N0} ms");
            int reportsBefore = HeapReports(log).Count;
            var cpuBefore = CpuTicks(process.Id);
            var machineBefore = ParseProcStat(File.ReadAllText("/proc/stat"));
            var cpuWatch = Stopwatch.StartNew();
            m.Run(tap, g, results, stem);
            double cpu = (CpuTicks(process.Id) - cpuBefore) / 100.0 / cpuWatch.Elapsed.TotalSeconds * 100; // USER_HZ is 100
            var machineAfter = ParseProcStat(File.ReadAllText("/proc/stat"));
            double machine = 100.0 * (machineAfter.Busy - machineBefore.Busy) / (machineAfter.Total - machineBefore.Total);
            results.Add(m.CpuKey, g.Ours, cpu);
            results.Add(m.CpuKey.Replace("qemu-cpu", "machine-cpu"), g.Ours, machine);
            double memoryKiB = MemoryInUseKiB(tap, g, log, reportsBefore);
            results.Add(m.Http ? "memory-http" : "memory-redis", g.Ours, memoryKiB);
            AnsiConsole.MarkupLine($"  QEMU's CPU {cpu:N0}% of a core, the machine {machine:N0}% busy; memory in use afterwards {memoryKiB:N0} KiB");
        }
        finally
        {
            try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit();
            process.Dispose();
        }
    }

    /// <summary>The whole machine's CPU time from /proc/stat's "cpu" line: busy (all but idle and iowait) and total, in ticks.</summary>
    public static (long Busy, long Total) ParseProcStat(string stat)
    {
        string line = stat.Split('\n').First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        long[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        long total = f.Sum();
        return (total - f[3] - f[4], total);
    }

    /// <summary>utime + stime of a process (clock ticks), from /proc/PID/stat; QEMU runs as the process `ip netns exec` became.</summary>
    private static long CpuTicks(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; }
    }

    /// <summary>
    /// Memory in use after the load. Ours: the live heap of the kernel's idle report (printed 1.5 s after the
    /// traffic stops; waited for up to 10 s), the first one after the load began. Linux: MemTotal - MemAvailable from
    /// the /proc/meminfo copy its /init writes every second where nginx serves it. NaN when the guest did not report it.
    /// </summary>
    private static double MemoryInUseKiB(TapNetwork tap, Guest g, string log, int reportsBefore)
    {
        if (g.Ours)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(10))
            {
                var reports = HeapReports(log);
                if (reports.Count > reportsBefore) return reports[reportsBefore] / 1024.0;
                Thread.Sleep(200);
            }
            return double.NaN;
        }
        Thread.Sleep(1500);
        var (status, body) = HttpGet(tap, LinuxAppGuest.MeminfoPath, TimeSpan.FromSeconds(3));
        return status == 200 ? ParseMeminfoInUseKiB(Encoding.ASCII.GetString(body)) : double.NaN;
    }

    /// <summary>The live-heap bytes of every idle report in our kernel's serial log, in order.</summary>
    private static List<long> HeapReports(string log) =>
        [.. Regex.Matches(File.Exists(log) ? File.ReadAllText(log) : "", @" heap=(\d+)").Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    /// <summary>MemTotal - MemAvailable (KiB) from /proc/meminfo's text; NaN if either is missing.</summary>
    public static double ParseMeminfoInUseKiB(string meminfo)
    {
        double Field(string name) => Regex.Match(meminfo, $@"^{name}:\s+(\d+) kB", RegexOptions.Multiline) is { Success: true } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
        return Field("MemTotal") - Field("MemAvailable");
    }

    /// <summary>ms from QEMU's start until the guest serves (an HTTP 200 with the 612-byte page, or +PONG); NaN if it never does or QEMU ends.</summary>
    private static double WaitServing(TapNetwork tap, Process process, bool http, TimeSpan limit, Stopwatch sinceStart)
    {
        while (sinceStart.Elapsed < limit)
        {
            if (process.HasExited) return double.NaN;
            if (http ? HttpGet(tap, LinuxAppGuest.PagePath, TimeSpan.FromMilliseconds(500)) is (200, { Length: 612 }) : Ping(tap))
                return sinceStart.Elapsed.TotalMilliseconds;
            Thread.Sleep(50);
        }
        return double.NaN;
    }

    /// <summary>One GET with Connection: close from the namespace: status and body (0 and empty when it fails).</summary>
    private static (int Status, byte[] Body) HttpGet(TapNetwork tap, string path, TimeSpan timeout)
    {
        try
        {
            using Socket s = tap.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            if (!s.ConnectAsync(new IPEndPoint(GuestAddress, 80)).Wait(timeout) || !s.Connected) return (0, []);
            s.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            s.Send(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {GuestAddress}\r\nConnection: close\r\n\r\n"));
            var all = new MemoryStream();
            var buffer = new byte[4096];
            for (int n; (n = s.Receive(buffer)) > 0;) all.Write(buffer, 0, n);
            byte[] bytes = all.ToArray();
            int end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
            if (end < 0) return (0, []);
            var m = Regex.Match(Encoding.ASCII.GetString(bytes, 0, end), @"^HTTP/1\.[01] (\d{3})");
            return m.Success ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), bytes[(end + 4)..]) : (0, []);
        }
        catch (Exception e) when (e is SocketException or AggregateException or IOException) { return (0, []); }
    }

    private static bool Ping(TapNetwork tap)
    {
        try
        {
            using Socket s = tap.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            if (!s.ConnectAsync(new IPEndPoint(GuestAddress, 6379)).Wait(500) || !s.Connected) return false;
            s.ReceiveTimeout = 500;
            s.Send("*1\r\n$4\r\nPING\r\n"u8.ToArray());
            var buffer = new byte[64];
            int n = s.Receive(buffer);
            return Encoding.ASCII.GetString(buffer, 0, n).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or AggregateException) { return false; }
    }

    private static void WrkLine(TapNetwork tap, Guest g, AppBenchResults r, int connections, bool close, Options options, string stem)
    {
        var args = new List<string> { "-t", Math.Min(2, connections).ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{options.WrkSeconds:0}s", "--latency", "--timeout", "5s" };
        if (close) args.AddRange(["-H", "Connection: close"]);
        args.Add($"http://{GuestAddress}{LinuxAppGuest.PagePath}");
        var (run, clientCpu) = RunClient(tap, "wrk", args, TimeSpan.FromSeconds(options.WrkSeconds + 60));
        File.WriteAllText(stem + "-wrk.txt", run.Output);
        WrkSummary w = WrkSummary.Parse(run.Output);
        r.Add(close ? "http-close-client-cpu" : AppBenchResults.HttpKey(connections, "client-cpu"), g.Ours, clientCpu);
        if (close)
        {
            r.Add("http-close-rps", g.Ours, w.RequestsPerSecond);
            r.Add("http-close-errors", g.Ours, w.SocketErrors + w.Non2xx);
        }
        else
        {
            r.Add(AppBenchResults.HttpKey(connections, "rps"), g.Ours, w.RequestsPerSecond);
            r.Add(AppBenchResults.HttpKey(connections, "p50"), g.Ours, w.P50Ms);
            r.Add(AppBenchResults.HttpKey(connections, "p99"), g.Ours, w.P99Ms);
            r.Add(AppBenchResults.HttpKey(connections, "errors"), g.Ours, w.SocketErrors + w.Non2xx);
        }
        AnsiConsole.MarkupLine($"  wrk -c {connections}{(close ? " Connection: close" : "")}: {w.RequestsPerSecond:N0} requests/s, p50 {w.P50Ms:0.00} ms, p99 {w.P99Ms:0.00} ms, {w.SocketErrors} socket errors, {w.Non2xx} non-2xx");
    }

    private static void RedisLine(TapNetwork tap, Guest g, AppBenchResults r, bool pipelined, Options options, string stem)
    {
        var args = new List<string> { "-h", GuestAddress.ToString(), "-p", "6379", "-c", AppBenchResults.RedisClients.ToString(CultureInfo.InvariantCulture),
            "-n", options.RedisRequests.ToString(CultureInfo.InvariantCulture), "-t", "get,set", "--csv" };
        if (pipelined) args.AddRange(["-P", AppBenchResults.Pipeline.ToString(CultureInfo.InvariantCulture)]);
        var (run, clientCpu) = RunClient(tap, "redis-benchmark", args, TimeSpan.FromMinutes(8));
        File.WriteAllText(stem + "-redis-benchmark.txt", run.Output);
        r.Add(pipelined ? $"redis-P{AppBenchResults.Pipeline}-client-cpu" : "redis-client-cpu", g.Ours, clientCpu);
        var tests = RedisBenchmarkTest.ParseCsv(run.Output);
        foreach (string test in new[] { "SET", "GET" })
        {
            RedisBenchmarkTest? t = tests.FirstOrDefault(x => x.Test == test);
            r.Add(AppBenchResults.RedisKey(pipelined, test, "rps"), g.Ours, t?.RequestsPerSecond ?? double.NaN);
            r.Add(AppBenchResults.RedisKey(pipelined, test, "p50"), g.Ours, t?.P50Ms ?? double.NaN);
            r.Add(AppBenchResults.RedisKey(pipelined, test, "p99"), g.Ours, t?.P99Ms ?? double.NaN);
            AnsiConsole.MarkupLine(t == null ? $"  [red]{test}: no result (exit {run.ExitCode}{(run.TimedOut ? ", timed out" : "")})[/]"
                : $"  {test}{(pipelined ? $" -P {AppBenchResults.Pipeline}" : "")}: {t.RequestsPerSecond:N0} requests/s, p50 {t.P50Ms:0.000} ms, p99 {t.P99Ms:0.000} ms");
        }
    }

    /// <summary>
    /// Runs a client in the namespace under a shell that prints, once the client has ended, the CPU ticks its waited
    /// children used (utime + stime of the client, /proc/self/stat's cutime and cstime); returns the run and the
    /// client's CPU as % of one core over the run's wall time (NaN if the line is missing).
    /// </summary>
    private static (HostCommandResult Run, double CpuPercent) RunClient(TapNetwork tap, string program, List<string> args, TimeSpan limit)
    {
        const string Script = "\"$@\"; s=$?; echo; echo \"client-cpu-ticks: $(awk '{print $16+$17}' /proc/$$/stat)\"; exit $s";
        var watch = Stopwatch.StartNew();
        HostCommandResult run = tap.Namespace.Run("sh", ["-c", Script, "sh", program, .. args], limit, allowFailure: true);
        double ticks = ParseClientCpuTicks(run.Output);
        return (run, ticks / 100.0 / watch.Elapsed.TotalSeconds * 100); // USER_HZ is 100
    }

    /// <summary>The "client-cpu-ticks: N" line <see cref="RunClient"/>'s shell prints; NaN if absent.</summary>
    public static double ParseClientCpuTicks(string output) =>
        Regex.Match(output, @"^client-cpu-ticks: (\d+)\s*$", RegexOptions.Multiline) is { Success: true } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;

    /// <summary>The smallest -m on a short ladder (from 256 MiB down, stopping at the first that does not serve) at which the guest serves.</summary>
    private static int SmallestMemory(Guest g, string qemu, string outDir)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(g.Name)}[/] smallest memory");
        int smallest = 0;
        foreach (int mib in MemoryLadder)
        {
            string stem = Path.Combine(outDir, $"{Slug(g.Name)}-memory-{mib}M");
            using var tap = new TapNetwork("apps", stem + "-tap", capture: false);
            var watch = Stopwatch.StartNew();
            Process process = tap.Namespace.Start(qemu, g.Arguments(mib, stem + ".log"), redirectOutput: true);
            bool serves;
            try
            {
                serves = (!g.Http || !double.IsNaN(WaitServing(tap, process, true, TimeSpan.FromSeconds(60), watch)))
                         && (!g.Redis || !double.IsNaN(WaitServing(tap, process, false, TimeSpan.FromSeconds(60), watch)));
            }
            finally
            {
                try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                process.WaitForExit();
                process.Dispose();
            }
            AnsiConsole.MarkupLine($"  -m {mib}M: {(serves ? "serves" : "[red]does not serve[/]")}");
            if (!serves) break;
            smallest = mib;
        }
        return smallest;
    }

    private static string Machine()
    {
        string cpu = File.Exists("/proc/cpuinfo") && Regex.Match(File.ReadAllText("/proc/cpuinfo"), @"model name\s*:\s*(.+)") is { Success: true } m ? m.Groups[1].Value.Trim() : "unknown CPU";
        return $"{Environment.MachineName} ({Environment.ProcessorCount} cores, {cpu}, Linux {Environment.OSVersion.Version})";
    }

    private static string QemuVersion(string qemu)
    {
        var r = Host.Run(qemu, ["--version"], TimeSpan.FromSeconds(10), allowFailure: true);
        return Regex.Match(r.Output, @"version ([\d.]+)") is { Success: true } m ? m.Groups[1].Value : "unknown";
    }

    private static string PackageVersion(LinuxAppGuest linux, string package) =>
        linux.Packages.FirstOrDefault(p => p.StartsWith(package + "_", StringComparison.Ordinal))?.Split('_')[1].Replace("%3a", ":") ?? "version unknown";

    private static string Slug(string name) => new(name.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}
