using System.Globalization;
using System.Text.RegularExpressions;

namespace Cosmos.TestRunner.Bench;

/// <summary>What one wrk run reported: requests/s, the 50th and 99th percentiles (ms), socket errors, non-2xx answers, requests.</summary>
public sealed record WrkSummary(double RequestsPerSecond, double P50Ms, double P99Ms, long SocketErrors, long Non2xx, long Requests)
{
    /// <summary>
    /// wrk 4.1's report (Debian's wrk, run with --latency). A run that printed no "Requests/sec" line did not
    /// finish: its rate is NaN and it counts one error, so it can never pass as a clean run.
    /// </summary>
    public static WrkSummary Parse(string output)
    {
        double rps = Regex.Match(output, @"Requests/sec:\s+([\d.]+)") is { Success: true } m ? Number(m.Groups[1].Value) : double.NaN;
        long errors = 0;
        if (Regex.Match(output, @"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)") is { Success: true } e)
            for (int i = 1; i <= 4; i++) errors += long.Parse(e.Groups[i].Value, CultureInfo.InvariantCulture);
        long non2xx = Regex.Match(output, @"Non-2xx or 3xx responses: (\d+)") is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        long requests = Regex.Match(output, @"(\d+) requests in") is { Success: true } t ? long.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        if (double.IsNaN(rps)) errors = Math.Max(errors, 1);
        return new WrkSummary(rps, Percentile(output, "50"), Percentile(output, "99"), errors, non2xx, requests);
    }

    /// <summary>A line of wrk's "Latency Distribution" ("     99%    1.23ms") in ms; NaN if absent.</summary>
    private static double Percentile(string output, string percent)
    {
        var q = Regex.Match(output, $@"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline);
        if (!q.Success) return double.NaN;
        double v = Number(q.Groups[1].Value);
        return q.Groups[2].Value switch { "us" => v / 1000, "s" => v * 1000, "m" => v * 60_000, _ => v };
    }

    private static double Number(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}

/// <summary>One test of a redis-benchmark run: requests/s and the 50th and 99th percentiles (ms).</summary>
public sealed record RedisBenchmarkTest(string Test, double RequestsPerSecond, double P50Ms, double P99Ms)
{
    /// <summary>
    /// redis-benchmark 7.0's --csv output: a header line naming the columns ("test","rps",...,"p50_latency_ms",...,
    /// "p99_latency_ms",...) then one line per test. Columns are found by name; lines that are not quoted CSV (progress
    /// or errors) are skipped. A test missing from the output is missing from the result.
    /// </summary>
    public static List<RedisBenchmarkTest> ParseCsv(string output)
    {
        var result = new List<RedisBenchmarkTest>();
        string[]? header = null;
        foreach (string raw in output.Split('\n'))
        {
            string line = raw.Trim().Split('\r').Last();
            if (!line.StartsWith('"')) continue;
            string[] cells = line.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
            if (cells[0] == "test") { header = cells; continue; }
            if (header == null) continue;
            double Cell(string name)
            {
                int i = Array.IndexOf(header, name);
                return i >= 0 && i < cells.Length && double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
            }
            result.Add(new RedisBenchmarkTest(cells[0], Cell("rps"), Cell("p50_latency_ms"), Cell("p99_latency_ms")));
        }
        return result;
    }
}
