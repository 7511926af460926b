using System.Text.RegularExpressions;
using Cosmos.Conformance.Bench;
using Spectre.Console;

namespace Cosmos.TestRunner.Bench;

/// <summary>
/// bench --gc: the collector's pause with 10k, 100k and 1M small objects live, and the allocation-heavy workload
/// (build and drop a string-keyed table of 100,000 int lists, repeatedly), in our kernel (test=gc.bench) and, from
/// the same source (Tests/Conformance/Bench/CollectorBench.cs), on .NET here on the host; and the image's size.
/// </summary>
public static class CollectorBenchRunner
{
    public sealed record Line(string Name, int Count, ulong Cycles, double Nanoseconds, long Collections);

    private static readonly Regex KernelLine = new(@"^GC-BENCH name=(\S+) count=(\d+) cycles=(\d+) ns=(\d+) collections=(\d+)", RegexOptions.Multiline);

    public static List<Line> ParseKernel(string log) =>
        KernelLine.Matches(log).Select(m => new Line(m.Groups[1].Value, int.Parse(m.Groups[2].Value), ulong.Parse(m.Groups[3].Value),
            double.Parse(m.Groups[4].Value), long.Parse(m.Groups[5].Value))).ToList();

    private static readonly int[] LiveCounts = [10_000, 100_000, 1_000_000];
    private const int Entries = 100_000, Rounds = 5;

    public static async Task<int> RunAsync(MachineOptions options, string resultsDir, CancellationToken cancel)
    {
        // .NET first: the host is quiet before QEMU starts.
        ulong hostTscHz = ExceptionBench.HostTsc.MeasureFrequency();
        Func<ulong> tsc = ExceptionBench.HostTsc.Read;
        Func<long> collections = () => GC.CollectionCount(0);
        var host = CollectorBench.Pauses(tsc, collections, LiveCounts).Append(CollectorBench.Workload(tsc, collections, Entries, Rounds))
            .Append(CollectorBench.Baseline(tsc, Entries, Rounds))
            .Select(r => new Line(r.Name, r.Count, r.Cycles, r.Cycles * 1e9 / hostTscHz, r.Collections)).ToList();

        // A million live nodes are 48 MB in the kernel's heap: 256 MiB leaves the workload room. TCG takes its time.
        var spec = new BootSpec("gc-bench", "collector benchmark", [], "test=gc.bench", BootEnding.SelfTestsPass, [], Memory: "256M");
        string log = Path.Combine(resultsDir, "gc-bench.log");
        BootRun run = await QemuMachine.BootAsync(spec, options with { Timeout = TimeSpan.FromSeconds(Math.Max(300, options.Timeout.TotalSeconds)) }, log, cancel);
        List<Line> kernel = ParseKernel(run.Log);
        if (kernel.Count != host.Count)
        {
            AnsiConsole.MarkupLine($"[red]the kernel printed {kernel.Count} of {host.Count} GC-BENCH lines (exit {run.ExitCode}); log: {Markup.Escape(log)}[/]");
            return 1;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("measurement").AddColumn("kernel: TSC cycles (ms)").AddColumn(".NET on the host: TSC cycles (ms)").AddColumn("kernel / .NET");
        for (int i = 0; i < kernel.Count; i++)
        {
            Line k = kernel[i], h = host[i];
            string name = k.Name switch
            {
                "pause" => $"GC.Collect() with {k.Count:N0} objects live",
                "workload" => $"build and drop {k.Count:N0} entries (best of {Rounds}; collections per round: kernel {k.Collections}, .NET {h.Collections})",
                _ => $"baseline without allocation: hash {4 * k.Count:N0} keys (the emulator's factor)",
            };
            table.AddRow(name, $"{k.Cycles:N0} ({k.Nanoseconds / 1e6:0.00})", $"{h.Cycles:N0} ({h.Nanoseconds / 1e6:0.00})", $"{(double)k.Cycles / Math.Max(1, h.Cycles):0.0}x");
        }
        AnsiConsole.Write(table);
        Console.WriteLine($"kernel under QEMU {options.Accelerator} (guest TSC as the kernel calibrated it), .NET {Environment.Version} on the host " +
                          $"(TSC {hostTscHz / 1e6:0} MHz, {Environment.ProcessorCount} cores, its default workstation GC); log: {log}");
        Line workload = kernel.First(l => l.Name == "workload"), baseline = kernel.First(l => l.Name == "baseline");
        Line hostWorkload = host.First(l => l.Name == "workload"), hostBaseline = host.First(l => l.Name == "baseline");
        double workloadRatio = (double)workload.Cycles / hostWorkload.Cycles, baselineRatio = (double)baseline.Cycles / hostBaseline.Cycles;
        Console.WriteLine($"workload kernel/.NET {workloadRatio:0.0}x; the same machine's code without allocation {baselineRatio:0.0}x; " +
                          $"workload over baseline {workloadRatio / baselineRatio:0.00}x (what allocation and collection cost beyond the emulator's factor)");
        for (int i = 0; i < kernel.Count; i++)
            Console.WriteLine($"GC-BENCH {kernel[i].Name} {kernel[i].Count}: kernel {kernel[i].Cycles} cycles ({kernel[i].Nanoseconds:0} ns), .NET {host[i].Cycles} cycles ({host[i].Nanoseconds:0} ns)");

        string elf = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(options.IsoPath)!)!, "Kernel", "obj", "Release", "net10.0", "native", "kernel.elf");
        if (File.Exists(options.IsoPath)) Console.WriteLine($"image: ISO {new FileInfo(options.IsoPath).Length:N0} bytes");
        if (File.Exists(elf)) Console.WriteLine($"image: kernel ELF {new FileInfo(elf).Length:N0} bytes ({elf})");
        return 0;
    }
}
