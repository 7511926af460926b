using System.Diagnostics;
using System.Text;
using Spectre.Console;

namespace Cosmos.TestRunner.Bench;

/// <summary>`bench`'s measurements beyond the echo load itself: boot times, the generator's ceiling, instructions per echo, the guest's statistics, the smallest memory.</summary>
public static partial class BenchRunner
{
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

    private static readonly int[] MemoryLadder = [256, 192, 128, 112, 96, 80, 64, 48, 32, 24, 16, 12, 8, 7, 6, 5, 4];

    internal static double MeasureGenerator(double seconds)
    {
        using var generator = new EchoLoadGenerator();
        using var reflector = new Reflector(generator.GeneratorPort);
        generator.Retarget(reflector.Port);
        int seq = 0;
        return Measurements.WindowedRate(generator, 64, TimeSpan.FromSeconds(seconds), ref seq);
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
}
