using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Cosmos.Conformance.Bench;
using Spectre.Console;

namespace Cosmos.TestRunner.Bench;

/// <summary>
/// bench --exceptions: TSC cycles per throw-and-catch (1 and 10 frames) and per call of a 10-frame chain with
/// and without a try/catch, in our kernel (test=eh.bench) and, from the same source
/// (Tests/Conformance/Bench/ThrowCatchBench.cs), on .NET here on the host as the reference.
/// </summary>
public static class ExceptionBench
{
    public sealed record Line(string Name, int Iterations, ulong Cycles, double Nanoseconds);

    private static readonly Regex KernelLine = new(@"^EH-BENCH name=(\S+) iterations=(\d+) cycles=(\d+) ns=(\d+) tsc-khz=(\d+)", RegexOptions.Multiline);

    public static List<Line> ParseKernel(string log) =>
        KernelLine.Matches(log).Select(m => new Line(m.Groups[1].Value, int.Parse(m.Groups[2].Value), ulong.Parse(m.Groups[3].Value), double.Parse(m.Groups[4].Value))).ToList();

    public static async Task<int> RunAsync(MachineOptions options, string resultsDir, int rounds, CancellationToken cancel)
    {
        // .NET first: the host is quiet before QEMU starts.
        ulong hostTscHz = HostTsc.MeasureFrequency();
        var host = new List<List<Line>>();
        for (int r = 0; r < rounds; r++)
            host.Add(ThrowCatchBench.Run(HostTsc.Read, 20000, 200000)
                .Select(x => new Line(x.Name, x.Iterations, x.CyclesPerOperation, x.CyclesPerOperation * 1e9 / hostTscHz)).ToList());

        var kernel = new List<List<Line>>();
        var spec = new BootSpec("eh-bench", "exception benchmark", [], "test=eh.bench", BootEnding.SelfTestsPass, []);
        for (int r = 0; r < rounds; r++)
        {
            string log = Path.Combine(resultsDir, $"eh-bench-{r + 1}.log");
            BootRun run = await QemuMachine.BootAsync(spec, options, log, cancel);
            var lines = ParseKernel(run.Log);
            if (lines.Count == 0)
            {
                AnsiConsole.MarkupLine($"[red]the kernel printed no EH-BENCH lines (exit {run.ExitCode}); log: {Markup.Escape(log)}[/]");
                return 1;
            }
            kernel.Add(lines);
        }

        static Line Median(List<List<Line>> runs, string name)
        {
            var all = runs.Select(r => r.First(l => l.Name == name)).OrderBy(l => l.Cycles).ToList();
            return all[all.Count / 2];
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("measurement").AddColumn("kernel: TSC cycles (ns)").AddColumn(".NET on the host: TSC cycles (ns)").AddColumn("kernel / .NET");
        foreach (string name in kernel[0].Select(l => l.Name))
        {
            Line k = Median(kernel, name), h = Median(host, name);
            table.AddRow(name, $"{k.Cycles:N0} ({k.Nanoseconds:N0})", $"{h.Cycles:N0} ({h.Nanoseconds:N0})", $"{(double)k.Cycles / Math.Max(1, h.Cycles):0.0}x");
        }
        AnsiConsole.Write(table);
        Console.WriteLine($"medians of {rounds} rounds each (best of 5 timed loops per round); kernel under QEMU {options.Accelerator} " +
                          $"(guest TSC as the kernel calibrated it), .NET {Environment.Version} on the host (TSC {hostTscHz / 1e6:0} MHz, " +
                          $"{Environment.ProcessorCount} cores); per-round lines in the boot logs under {resultsDir}");
        foreach (string name in kernel[0].Select(l => l.Name))
        {
            Line k = Median(kernel, name), h = Median(host, name);
            Console.WriteLine($"EH-BENCH {name}: kernel {k.Cycles} cycles ({k.Nanoseconds:0} ns), .NET {h.Cycles} cycles ({h.Nanoseconds:0} ns)");
        }
        return 0;
    }

    /// <summary>The host's time-stamp counter, read by four instructions placed in an executable page.</summary>
    public static unsafe class HostTsc
    {
        [DllImport("libc", SetLastError = true)]
        private static extern nint mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

        private static readonly delegate* unmanaged<ulong> s_read = Create();

        private static delegate* unmanaged<ulong> Create()
        {
            // rdtsc; shl rdx, 32; or rax, rdx; ret
            byte[] code = [0x0F, 0x31, 0x48, 0xC1, 0xE2, 0x20, 0x48, 0x09, 0xD0, 0xC3];
            nint page = mmap(0, 4096, 7 /* read, write, execute */, 0x22 /* private, anonymous */, -1, 0);
            if (page == -1) throw new InvalidOperationException("mmap of an executable page failed");
            Marshal.Copy(code, 0, page, code.Length);
            return (delegate* unmanaged<ulong>)page;
        }

        public static ulong Read() => s_read();

        public static ulong MeasureFrequency()
        {
            var watch = Stopwatch.StartNew();
            ulong start = Read();
            Thread.Sleep(200);
            ulong cycles = Read() - start;
            return (ulong)(cycles / watch.Elapsed.TotalSeconds);
        }
    }
}
