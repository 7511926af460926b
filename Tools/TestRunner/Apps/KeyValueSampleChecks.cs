using System.Text.RegularExpressions;

namespace Cosmos.TestRunner.Apps;

/// <summary>
/// What the key-value sample (Samples/KeyValueServer) must do for Debian's own Redis clients: redis-cli's answers to the
/// commands (strings, counters, lists, expiry, errors), and redis-benchmark's nine tests, without and with pipelining.
/// The same checks run against the kernel image and against the same source on .NET.
/// </summary>
public static class KeyValueSampleChecks
{
    public static readonly string[] BenchmarkTests = ["PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "LPUSH", "RPUSH", "LPOP", "RPOP", "MSET (10 keys)"];

    /// <summary>How a client tool is started: directly on the host, or inside the tap lane's network namespace.</summary>
    public delegate (string Program, string[] Arguments) ToolLauncher(string program, string[] arguments);

    public static (string, string[]) OnHost(string program, string[] arguments) => (program, arguments);

    public static async Task<List<(string Name, bool Passed, string Detail)>> RunAsync(string label, string host, int port, CancellationToken cancel) =>
        await RunAsync(label, host, port, OnHost, cancel);

    public static async Task<List<(string Name, bool Passed, string Detail)>> RunAsync(string label, string host, int port, ToolLauncher launch, CancellationToken cancel)
    {
        var results = new List<(string, bool, string)>();
        async Task<string> Cli(params string[] command)
        {
            var arguments = new List<string> { "-h", host, "-p", port.ToString() };
            arguments.AddRange(command);
            var (program, all) = launch("redis-cli", [.. arguments]);
            ToolRun run = await ToolProcess.RunAsync(Directory.GetCurrentDirectory(), TimeSpan.FromSeconds(20), cancel, program, all);
            return run.ExitCode == null ? "(timed out)" : run.Output.TrimEnd('\n');
        }
        async Task Expect(string name, (string[] Command, string Answer)[] steps)
        {
            var seen = new List<string>();
            bool ok = true;
            foreach (var (command, answer) in steps)
            {
                string got = await Cli(command);
                bool match = got == answer;
                ok &= match;
                seen.Add($"{string.Join(' ', command)} -> {got.Replace("\n", "\\n")}{(match ? "" : $" (expected {answer.Replace("\n", "\\n")})")}");
            }
            results.Add(($"{label}: redis-cli {name}", ok, string.Join("; ", seen)));
        }

        await Cli("FLUSHALL");
        await Expect("PING, SET/GET, INCR, MSET/MGET, DEL/EXISTS", [
            (["PING"], "PONG"), (["SET", "greeting", "hello world"], "OK"), (["GET", "greeting"], "hello world"),
            (["INCR", "counter"], "1"), (["INCRBY", "counter", "41"], "42"), (["DECR", "counter"], "41"),
            (["MSET", "a", "1", "b", "2"], "OK"), (["MGET", "a", "b", "missing"], "1\n2") /* nil prints an empty line; the trailing newlines are trimmed */,
            (["EXISTS", "a", "b", "missing"], "2"), (["DEL", "a", "missing"], "1"), (["EXISTS", "a"], "0"), (["DBSIZE"], "3")]);
        await Expect("lists", [
            (["RPUSH", "list", "x", "y"], "2"), (["LPUSH", "list", "w"], "3"), (["LRANGE", "list", "0", "-1"], "w\nx\ny"),
            (["LPOP", "list"], "w"), (["RPOP", "list"], "y"), (["LLEN", "list"], "1")]);
        await Expect("errors", [
            (["GET", "list"], "WRONGTYPE Operation against a key holding the wrong kind of value"),
            (["INCR", "greeting"], "ERR value is not an integer or out of range"),
            (["NOSUCHCOMMAND"], "ERR unknown command 'NOSUCHCOMMAND'"),
            (["GET"], "ERR wrong number of arguments for 'get' command")]);
        string longKey = new string('k', 300);   // past the 256 bytes a key is built from on the stack
        await Expect("names in any case, SET in place, long keys, extreme integers", [
            (["get", "greeting"], "hello world"), (["set", "mixed", "one"], "OK"), (["SET", "mixed", "two", "xx"], "OK"),
            (["Get", "mixed"], "two"), (["SET", "mixed", "three", "nx"], ""), (["SET", "list", "now a string"], "OK"),
            (["GET", "list"], "now a string"), (["nosuch"], "ERR unknown command 'nosuch'"),
            (["SET", longKey, "long"], "OK"), (["GET", longKey], "long"), (["STRLEN", longKey], "4"),
            (["INCRBY", "low", "-9223372036854775807"], "-9223372036854775807"), (["DECR", "low"], "-9223372036854775808")]);
        {
            string set = await Cli("SET", "short", "lived", "PX", "400");
            string before = await Cli("GET", "short");
            string pttl = await Cli("PTTL", "short");
            string ex = await Cli("SET", "second", "v", "EX", "1");
            string ttl = await Cli("TTL", "second");
            await Task.Delay(1200, cancel);
            string after = await Cli("GET", "short");
            string gone = await Cli("EXISTS", "second");
            bool ok = set == "OK" && before == "lived" && int.TryParse(pttl, out int ms) && ms > 0 && ms <= 400 && ex == "OK" && ttl == "1" && after == "" && gone == "0";
            results.Add(($"{label}: redis-cli expiry (SET PX and EX, PTTL, TTL, gone after)", ok,
                $"SET PX 400 {set}, GET {before}, PTTL {pttl}, SET EX 1 {ex}, TTL {ttl}; 1.2 s later GET '{after}', EXISTS {gone}"));
        }
        results.Add(await Benchmark(label, host, port, pipeline: 1, launch, cancel));
        results.Add(await Benchmark(label, host, port, pipeline: 16, launch, cancel));
        return results;
    }

    private static async Task<(string, bool, string)> Benchmark(string label, string host, int port, int pipeline, ToolLauncher launch, CancellationToken cancel)
    {
        string[] arguments = ["-h", host, "-p", port.ToString(), "-q", "-c", "30", "-n", "3000", "-P", pipeline.ToString(), "-t", "ping,set,get,incr,lpush,rpush,lpop,rpop,mset"];
        var (program, launchArguments) = launch("redis-benchmark", arguments);
        ToolRun run = await ToolProcess.RunAsync(Directory.GetCurrentDirectory(), TimeSpan.FromMinutes(3), cancel, program, launchArguments);
        // -q prints "NAME: N requests per second, p50=..." per test (progress lines end in \r, so only the last of each counts).
        var rates = new Dictionary<string, double>();
        foreach (string line in run.Output.Split('\n', '\r'))
        {
            Match m = Regex.Match(line, @"^(.+?): ([0-9.]+) requests per second");
            if (m.Success) rates[m.Groups[1].Value.Trim()] = double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        bool all = BenchmarkTests.All(t => rates.TryGetValue(t, out double r) && r > 0);
        bool errors = run.Output.Contains("Error", StringComparison.OrdinalIgnoreCase);
        string summary = string.Join(", ", BenchmarkTests.Select(t => rates.TryGetValue(t, out double r) ? $"{t} {r:N0}/s" : $"{t} MISSING"));
        return ($"{label}: redis-benchmark -c 30 -n 3000 -P {pipeline}, all nine tests", run.Succeeded && all && !errors,
            errors || !run.Succeeded ? $"{summary}; {run.Summary(3)}" : summary);
    }
}
