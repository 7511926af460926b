using System.Diagnostics;
using System.Text;
using Spectre.Console;

namespace Cosmos.TestRunner.Bench;

/// <summary>
/// `cosmos-runner bench --vhost-user` (issue 17 item 6): the UDP echo rate of the same guest (our kernel from its ISO)
/// through our C# vhost-user-net back end against QEMU's built-in virtio-net device on the datagram backend, in one run.
/// Both boots get the same machine, the same memfd-shared RAM and the same device options (<c>vectors=0</c>, because
/// QEMU 7.2's MSI-X path crashes with vhost-user under TCG; FEASIBILITY.md): only the netdev differs. The load generator
/// and the windowed rate are the main bench's (<see cref="Measurements.WindowedRate"/>). The two take turns boot by boot,
/// so a noisy stretch of this shared machine falls on both.
/// </summary>
public static class VhostUserBench
{
    private const string Nic = "virtio-net-pci,id=nic0,netdev=n0,mac=52:54:00:12:34:56,romfile=,vectors=0";
    private const string CommandLine = "net.ip=10.0.3.15/24 net.gw=10.0.3.1 net.ping-count=0 services=all quiet";
    private const int MemoryMiB = 256;

    private enum Device { BuiltIn, VhostUser }

    private static string Label(Device d) => d == Device.BuiltIn ? "QEMU virtio-net, -netdev dgram" : "our vhost-user back end";

    /// <summary>One boot's machine: everything but the netdev is the same for both devices.</summary>
    private static List<string> Arguments(string iso, string accelerator, IReadOnlyList<string> netdev, string logPath, string qmp) =>
    [
        "-accel", accelerator, "-m", $"{MemoryMiB}M", "-nodefaults", "-display", "none", "-monitor", "none", "-no-reboot",
        .. Peers.VhostUserLink.SharedMemoryArguments($"{MemoryMiB}M"),
        .. netdev, "-device", Nic,
        "-cdrom", iso, "-boot", "d", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        "-fw_cfg", $"name=opt/kernel/cmdline,string={CommandLine}",
        .. QmpAccelerator.Arguments(qmp), "-serial", $"file:{logPath}",
    ];

    public static int Run(string repoRoot, string iso, string qemu, string accelerator, double secondsPerRate, int rounds)
    {
        string outDir = Path.Combine(repoRoot, "bench", "vhost-user-" + DateTime.Now.ToString("yyyyMMdd-HHmmss"));
        Directory.CreateDirectory(outDir);
        var samples = new Dictionary<(Device, int), List<double>>();
        var accelerators = new List<string>();
        var notes = new List<string>();
        bool ok = true;
        // The generator against a trivial reflector: a rate near this ceiling says more about the host than the device.
        double ceiling = BenchRunner.MeasureGenerator(secondsPerRate);
        AnsiConsole.MarkupLine($"[grey]generator against a trivial reflector: {ceiling:N0} echoes/s[/]");
        for (int round = 1; round <= rounds; round++)
            foreach (Device device in round % 2 == 1 ? new[] { Device.BuiltIn, Device.VhostUser } : new[] { Device.VhostUser, Device.BuiltIn })
            {
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(Label(device))}[/] round {round}/{rounds}");
                string? problem = Boot(device, round, iso, qemu, accelerator, secondsPerRate, outDir, samples, accelerators, notes);
                if (problem != null) { ok = false; notes.Add(problem); AnsiConsole.MarkupLine($"  [red]{Markup.Escape(problem)}[/]"); }
            }

        string report = Report(samples, accelerators, notes, qemu, accelerator, secondsPerRate, rounds, outDir, ceiling);
        File.WriteAllText(Path.Combine(outDir, "report.md"), report);
        Console.WriteLine(report);
        AnsiConsole.MarkupLine($"[grey]report and serial logs: {Markup.Escape(outDir)}[/]");
        return ok ? 0 : 1;
    }

    /// <summary>One fresh boot: first echo, then one windowed rate per payload. Returns a problem, or null.</summary>
    private static string? Boot(Device device, int round, string iso, string qemu, string accelerator, double seconds, string outDir,
        Dictionary<(Device, int), List<double>> samples, List<string> accelerators, List<string> notes)
    {
        string slug = device == Device.BuiltIn ? "builtin" : "vhost-user";
        string log = Path.Combine(outDir, $"{slug}-round{round}.log");
        string qmp = Path.Combine(Path.GetTempPath(), $"cosmos-vhost-bench-{Environment.ProcessId}-{slug}-{round}.qmp");
        using var generator = new EchoLoadGenerator();
        // The back end logs from two threads; its lines are kept here and written once the boot is over.
        var backendLog = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using Peers.VhostUserLink? link = device == Device.VhostUser ? new Peers.VhostUserLink(generator.Netdev, $"bench-{round}", backendLog.Enqueue) : null;
        IReadOnlyList<string> netdev = link != null ? link.NetdevArgumentsFor() : ["-netdev", generator.Netdev];
        var psi = new ProcessStartInfo(qemu) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in Arguments(iso, accelerator, netdev, log, qmp)) psi.ArgumentList.Add(a);
        long start = generator.Now;
        Process process = Process.Start(psi)!;
        try
        {
            double first = Measurements.FirstEcho(generator, start, TimeSpan.FromSeconds(90));
            accelerators.Add(QmpAccelerator.Query(qmp, TimeSpan.FromSeconds(5)));
            if (double.IsNaN(first))
                return $"{Label(device)} round {round}: never answered a UDP echo" +
                       (process.HasExited ? $" (QEMU exited {process.ExitCode}: {process.StandardError.ReadToEnd().Trim()})" : "");
            Thread.Sleep(300);
            int sequence = 3_000_000;
            var line = new StringBuilder($"  first echo after {first:N0} ms;");
            foreach (int payload in BenchRunner.Payloads)
            {
                double rate = Measurements.WindowedRate(generator, payload, TimeSpan.FromSeconds(seconds), ref sequence);
                if (!samples.TryGetValue((device, payload), out var list)) samples[(device, payload)] = list = [];
                list.Add(rate);
                line.Append($" {payload} B {rate:N0}/s");
            }
            AnsiConsole.MarkupLine(Markup.Escape(line.ToString()));
            if (link != null)
            {
                Peers.VhostUserReport r = link.Report();
                notes.Add($"{Label(device)} round {round}: {r}");
                if (r.GuestErrors > 0 || r.BackendFault != null) return $"{Label(device)} round {round}: {r}";
            }
            return null;
        }
        finally
        {
            Measurements.Stop(process);
            File.Delete(qmp);
            if (link != null) File.WriteAllLines(log + ".backend", backendLog);
        }
    }

    private static string Report(Dictionary<(Device, int), List<double>> samples, List<string> accelerators, List<string> notes, string qemu,
        string accelerator, double seconds, int rounds, string outDir, double ceiling)
    {
        double Mean(Device d, int p) => samples.TryGetValue((d, p), out var l) && l.Count == rounds ? l.Average() : double.NaN;
        string Each(Device d, int p) => samples.TryGetValue((d, p), out var l) ? string.Join(", ", l.Select(x => x.ToString("N0"))) : "none";
        var md = new StringBuilder();
        md.AppendLine($"UDP echo rate of our kernel through our vhost-user back end against QEMU's built-in virtio-net on `-netdev dgram`, " +
                      $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.MachineName} ({Environment.ProcessorCount} cores), {QemuVersion(qemu)}, " +
                      $"accelerator asked {accelerator}, QEMU reported {string.Join("/", accelerators.Distinct())}; {rounds} boots each, alternating, " +
                      $"{seconds:0.#} s per rate with {Measurements.Window} requests in flight; same guest, memory and device (`vectors=0`). " +
                      $"The load generator alone, against a trivial reflector: {ceiling:N0} echoes/s.");
        md.AppendLine();
        md.AppendLine("| payload | QEMU virtio-net, dgram (echoes/s) | our vhost-user back end (echoes/s) | vhost-user / built-in |");
        md.AppendLine("|---|---|---|---|");
        foreach (int p in BenchRunner.Payloads)
        {
            double b = Mean(Device.BuiltIn, p), v = Mean(Device.VhostUser, p);
            md.AppendLine($"| {p} B | {b:N0} ({Each(Device.BuiltIn, p)}) | {v:N0} ({Each(Device.VhostUser, p)}) | " +
                          $"{(double.IsNaN(b) || double.IsNaN(v) || b == 0 ? "n/a" : $"{v / b:0.00}x")} |");
        }
        md.AppendLine();
        foreach (string n in notes) md.AppendLine($"- {n}");
        md.AppendLine($"- logs: {outDir}");
        return md.ToString();
    }

    private static string QemuVersion(string qemu)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(qemu, "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            string first = p.StandardOutput.ReadLine() ?? "";
            p.WaitForExit(5000);
            return first.Replace("QEMU emulator version ", "QEMU ");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException) { return "QEMU (version unknown)"; }
    }
}
