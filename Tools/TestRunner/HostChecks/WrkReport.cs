using System.Globalization;
using System.Text.RegularExpressions;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// What wrk 4.1 printed for one run (with --latency): requests, rate, latency, and the error lines it prints only
/// when they are not zero ("Socket errors: connect A, read B, write C, timeout D", "Non-2xx or 3xx responses: N").
/// </summary>
public sealed record WrkReport(long Requests, double Seconds, double RequestsPerSecond, double LatencyAvgMs, double LatencyMaxMs,
    double LatencyP50Ms, double LatencyP99Ms, long ConnectErrors, long ReadErrors, long WriteErrors, long Timeouts, long Non2xx3xx)
{
    public long SocketErrors => ConnectErrors + ReadErrors + WriteErrors + Timeouts;

    public string Summary =>
        $"{Requests:N0} requests in {Seconds:0.00} s, {RequestsPerSecond:N0} requests/s, latency avg {LatencyAvgMs:0.###} ms, " +
        $"p50 {LatencyP50Ms:0.###} ms, p99 {LatencyP99Ms:0.###} ms, max {LatencyMaxMs:0.###} ms; socket errors connect {ConnectErrors}, " +
        $"read {ReadErrors}, write {WriteErrors}, timeout {Timeouts}; non-2xx/3xx {Non2xx3xx}";

    /// <summary>The report in wrk's output, or null when the output has no complete report (wrk failed to run).</summary>
    public static WrkReport? Parse(string output)
    {
        Match requests = Regex.Match(output, @"(\d+) requests in ([0-9.]+)(us|ms|s|m)\b");
        Match rate = Regex.Match(output, @"Requests/sec:\s+([0-9.]+)");
        Match latency = Regex.Match(output, @"^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)", RegexOptions.Multiline);
        if (!requests.Success || !rate.Success || !latency.Success) return null;
        Match errors = Regex.Match(output, @"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)");
        Match non2xx = Regex.Match(output, @"Non-2xx or 3xx responses: (\d+)");
        return new WrkReport(
            long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
            Milliseconds(requests.Groups[2].Value + requests.Groups[3].Value) / 1000,
            double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            Milliseconds(latency.Groups[1].Value), Milliseconds(latency.Groups[3].Value),
            Percentile(output, 50), Percentile(output, 99),
            errors.Success ? long.Parse(errors.Groups[1].Value) : 0, errors.Success ? long.Parse(errors.Groups[2].Value) : 0,
            errors.Success ? long.Parse(errors.Groups[3].Value) : 0, errors.Success ? long.Parse(errors.Groups[4].Value) : 0,
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value) : 0);
    }

    private static double Percentile(string output, int percent) =>
        Regex.Match(output, $@"^\s*{percent}%\s+(\S+)", RegexOptions.Multiline) is { Success: true } m ? Milliseconds(m.Groups[1].Value) : double.NaN;

    /// <summary>wrk's time units (us, ms, s, m, h) in milliseconds.</summary>
    public static double Milliseconds(string value)
    {
        Match m = Regex.Match(value, @"^([0-9.]+)(us|ms|s|m|h)$");
        if (!m.Success) return double.NaN;
        double number = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => number / 1000, "ms" => number, "s" => number * 1000, "m" => number * 60_000, _ => number * 3_600_000 };
    }
}
