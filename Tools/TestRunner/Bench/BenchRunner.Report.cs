using System.Diagnostics;
using System.Text;
using Spectre.Console;

namespace Cosmos.TestRunner.Bench;

/// <summary>`bench`'s report: the table's rows, the targets met or not, the console table, the markdown and the README's section.</summary>
public static partial class BenchRunner
{
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


    private static void UpdateReadme(string repoRoot, string markdown, string relativeDir) =>
        ReadmeSection.Replace(repoRoot, "bench",
            $"{markdown}\n![UDP echo rate](Bench/Results/latest-chart.png)\n\nReport: `Bench/Results/latest-report.md` (all files of the run: `{relativeDir}/`).");
}
