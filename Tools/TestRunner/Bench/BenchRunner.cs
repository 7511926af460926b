using System.Diagnostics;
using System.Text;
using Spectre.Console;

namespace Cosmos.TestRunner.Bench;

/// <summary>
/// `cosmos-runner bench`: our kernel and a Linux guest on the same QEMU, the same virtio-net device and the
/// same datagram backend to the same load generator, measured in one run; a table with our/Linux ratios,
/// a markdown report and a PNG chart under bench/, and the README's table refreshed. The entry points are here;
/// the plan of each guest's measurements, the guests, the measurements, the report and the chart have their own files.
/// </summary>
public static partial class BenchRunner
{
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

    private static string Slug(string name) => new(name.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}
