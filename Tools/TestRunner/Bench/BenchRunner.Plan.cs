using System.Diagnostics;
using System.Text;
using Spectre.Console;

namespace Cosmos.TestRunner.Bench;

/// <summary>`bench`'s plan: what each guest measures, phase by phase, so the guests can take turns.</summary>
public static partial class BenchRunner
{
    public static readonly int[] Payloads = [64, 512, 1472];
    /// <summary>Fresh boots per configuration for the boot-time lines; the median is reported (boot times here move by ±100 ms).</summary>
    public const int BootRounds = 3;

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
}
