using Cosmos.TestRunner.Bench;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>
/// The pure parts of `bench --apps`: reading wrk's and redis-benchmark's reports (fixtures captured from this
/// benchmark's own runs on 2026-12-01), /proc/meminfo, the Linux guest's package and file lists, and the verdicts.
/// </summary>
public class AppBenchTests
{
    // wrk 4.1 against nginx in the Linux guest, 100 connections: a p99 printed in seconds with a trailing space.
    private const string WrkNginx100 = """
        Running 3s test @ http://192.168.100.2/static/bench.html
          2 threads and 100 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency   264.24ms  506.86ms   2.93s    87.61%
            Req/Sec   523.16    273.55     1.28k    65.52%
          Latency Distribution
             50%   54.15ms
             75%   96.85ms
             90%  966.56ms
             99%    2.34s 
          3023 requests in 3.01s, 2.43MB read
        Requests/sec:   1005.89
        Transfer/sec:    828.17KB
        """;

    // wrk 4.1 against our HttpServer sample, 30 connections with Connection: close.
    private const string WrkOursClose = """
        Running 3s test @ http://192.168.100.2/static/bench.html
          2 threads and 30 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency    13.25ms    5.03ms  56.39ms   71.35%
            Req/Sec   814.58    186.55     1.21k    53.33%
          Latency Distribution
             50%   12.74ms
             75%   15.60ms
             90%   18.97ms
             99%   26.42ms
          4905 requests in 3.04s, 3.45MB read
        Requests/sec:   1613.51
        Transfer/sec:      1.14MB
        """;

    [Fact]
    public void WrkReportGivesRatePercentilesAndRequests()
    {
        WrkSummary w = WrkSummary.Parse(WrkOursClose);
        Assert.Equal(1613.51, w.RequestsPerSecond, 2);
        Assert.Equal(12.74, w.P50Ms, 2);
        Assert.Equal(26.42, w.P99Ms, 2);
        Assert.Equal(4905, w.Requests);
        Assert.Equal(0, w.SocketErrors);
        Assert.Equal(0, w.Non2xx);
    }

    [Fact]
    public void WrkPercentileInSecondsIsConvertedToMilliseconds()
    {
        WrkSummary w = WrkSummary.Parse(WrkNginx100);
        Assert.Equal(54.15, w.P50Ms, 2);
        Assert.Equal(2340, w.P99Ms, 2);
    }

    [Fact]
    public void WrkErrorsAndNon2xxAreCounted()
    {
        string output = WrkOursClose.Replace("Requests/sec:", "  Socket errors: connect 3, read 4, write 0, timeout 2\n  Non-2xx or 3xx responses: 7\nRequests/sec:");
        WrkSummary w = WrkSummary.Parse(output);
        Assert.Equal(9, w.SocketErrors);
        Assert.Equal(7, w.Non2xx);
    }

    [Fact]
    public void WrkThatDidNotFinishIsAFailure()
    {
        WrkSummary w = WrkSummary.Parse("unable to connect to 192.168.100.2:80 Connection refused\n");
        Assert.True(double.IsNaN(w.RequestsPerSecond));
        Assert.Equal(1, w.SocketErrors);
    }

    // redis-benchmark 7.0.15 --csv -c 30 -n 20000 -t get,set against our KeyValueServer sample.
    private const string RedisCsv = """
        "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
        "SET","4349.72","6.186","0.744","5.303","11.959","17.087","41.151"
        "GET","4966.48","5.647","0.680","5.015","10.919","13.183","67.775"
        """;
    private const double RedisSetRps = 4349.72, RedisSetP50 = 5.303, RedisSetP99 = 17.087;

    [Fact]
    public void RedisBenchmarkCsvFindsColumnsByName()
    {
        var tests = RedisBenchmarkTest.ParseCsv(RedisCsv);
        Assert.Equal(["SET", "GET"], tests.Select(t => t.Test));
        Assert.Equal(RedisSetRps, tests[0].RequestsPerSecond, 2);
        Assert.Equal(RedisSetP50, tests[0].P50Ms, 3);
        Assert.Equal(RedisSetP99, tests[0].P99Ms, 3);
    }

    [Fact]
    public void RedisBenchmarkWithoutHeaderGivesNothing()
    {
        Assert.Empty(RedisBenchmarkTest.ParseCsv("Could not connect to Redis at 192.168.100.2:6379: Connection refused\n"));
        string withoutHeader = string.Join('\n', RedisCsv.Split('\n').Skip(1));
        Assert.Empty(RedisBenchmarkTest.ParseCsv(withoutHeader));
    }

    [Fact]
    public void ClientCpuTicksFromTheShellsLine()
    {
        Assert.Equal(412, AppBench.ParseClientCpuTicks(WrkOursClose + "\nclient-cpu-ticks: 412\n"));
        Assert.True(double.IsNaN(AppBench.ParseClientCpuTicks(WrkOursClose)));
    }

    [Fact]
    public void ProcStatBusyExcludesIdleAndIowait()
    {
        // The first lines of /proc/stat on this machine (2 cores).
        const string stat = "cpu  4705 150 1120 16058 100 0 50 7 0 0\ncpu0 2352 75 560 8029 50 0 25 3 0 0\nintr 1 2 3\n";
        var (busy, total) = AppBench.ParseProcStat(stat);
        Assert.Equal(4705 + 150 + 1120 + 0 + 50 + 7, busy);
        Assert.Equal(4705 + 150 + 1120 + 16058 + 100 + 0 + 50 + 7, total);
    }

    [Fact]
    public void MeminfoInUseIsTotalMinusAvailable()
    {
        const string meminfo = "MemTotal:         238212 kB\nMemFree:          181520 kB\nMemAvailable:     189660 kB\nBuffers:               0 kB\n";
        Assert.Equal(238212 - 189660, AppBench.ParseMeminfoInUseKiB(meminfo));
        Assert.True(double.IsNaN(AppBench.ParseMeminfoInUseKiB("MemTotal: 1 kB\n")));
    }

    // `apt-cache depends redis-tools` on Debian 12 (captured 2026-12-01): libelogind0 is listed as a provider, not a dependency.
    private const string AptDependsRedisTools = """
        redis-tools
          Depends: adduser
          Depends: libatomic1
          Depends: libc6
          Depends: libjemalloc2
          Depends: liblzf1
          Depends: libssl3
          Depends: libsystemd0
            libelogind0
          Breaks: redis-server
          Suggests: ruby-redis
          Replaces: redis-server
        """;

    [Fact]
    public void AptDependsGivesDependsOnly()
    {
        Assert.Equal(["adduser", "libatomic1", "libc6", "libjemalloc2", "liblzf1", "libssl3", "libsystemd0"],
            LinuxAppGuest.ParseAptDepends(AptDependsRedisTools).ToList());
    }

    [Fact]
    public void PackageClosureFollowsLibrariesOnly()
    {
        var graph = new Dictionary<string, string[]>
        {
            ["redis-tools"] = ["adduser", "libc6", "libsystemd0"],
            ["nginx"] = ["libc6", "zlib1g", "iproute2", "nginx-common"],
            ["libsystemd0"] = ["libc6", "libgcrypt20"],
            ["libgcrypt20"] = ["libgpg-error0"],
            ["libc6"] = ["libgcc-s1"],
            ["adduser"] = ["libfromadduser"],
            ["iproute2"] = ["libfromiproute"],
        };
        var closure = LinuxAppGuest.PackageClosure(["redis-tools", "nginx"], p => graph.GetValueOrDefault(p, []));
        Assert.Equal(["libc6", "libgcc-s1", "libgcrypt20", "libgpg-error0", "libsystemd0", "nginx", "redis-tools", "zlib1g"], closure);
    }

    // `readelf -d -W usr/sbin/nginx` from Debian's nginx 1.22.1-9+deb12u11 (first lines).
    private const string ReadelfNginx = """

        Dynamic section at offset 0x11c0c0 contains 32 entries:
          Tag        Type                         Name/Value
         0x0000000000000001 (NEEDED)             Shared library: [libcrypt.so.1]
         0x0000000000000001 (NEEDED)             Shared library: [libpcre2-8.so.0]
         0x0000000000000001 (NEEDED)             Shared library: [libssl.so.3]
         0x0000000000000001 (NEEDED)             Shared library: [libcrypto.so.3]
         0x0000000000000001 (NEEDED)             Shared library: [libz.so.1]
         0x0000000000000001 (NEEDED)             Shared library: [libc.so.6]
         0x000000000000000c (INIT)               0x23000
         0x000000000000000d (FINI)               0xe2468
        """;

    [Fact]
    public void ReadelfNeededEntries()
    {
        Assert.Equal(["libcrypt.so.1", "libpcre2-8.so.0", "libssl.so.3", "libcrypto.so.3", "libz.so.1", "libc.so.6"],
            LinuxAppGuest.ParseNeeded(ReadelfNginx).ToList());
    }

    [Fact]
    public void InitramfsFileListFollowsNeededThroughLibrariesOnce()
    {
        var needed = new Dictionary<string, string[]>
        {
            ["/x/nginx"] = ["libssl.so.3", "libc.so.6"],
            ["/x/redis"] = ["libssl.so.3", "libjemalloc.so.2", "libc.so.6"],
            ["/l/libssl.so.3"] = ["libcrypto.so.3", "libc.so.6"],
            ["/l/libcrypto.so.3"] = ["libc.so.6"],
            ["/l/libjemalloc.so.2"] = ["libc.so.6"],
            ["/l/libc.so.6"] = ["ld-linux-x86-64.so.2"],
        };
        var files = LinuxAppGuest.FileList([("usr/sbin/nginx", "/x/nginx"), ("usr/bin/redis-server", "/x/redis")],
            name => "/l/" + name, f => needed.GetValueOrDefault(f, []));
        Assert.Equal(
        [
            ("usr/sbin/nginx", "/x/nginx"), ("usr/bin/redis-server", "/x/redis"),
            ("lib/libssl.so.3", "/l/libssl.so.3"), ("lib/libc.so.6", "/l/libc.so.6"), ("lib/libjemalloc.so.2", "/l/libjemalloc.so.2"),
            ("lib/libcrypto.so.3", "/l/libcrypto.so.3"), ("lib/ld-linux-x86-64.so.2", "/l/ld-linux-x86-64.so.2"),
            ("lib64/ld-linux-x86-64.so.2", "/l/ld-linux-x86-64.so.2"),
        ], files);
    }

    [Fact]
    public void InitramfsFileListNamesAMissingLibrary()
    {
        var e = Assert.Throws<InvalidOperationException>(() => LinuxAppGuest.FileList([("usr/sbin/nginx", "/x/nginx")],
            name => name == "libc.so.6" ? "/l/libc.so.6" : null, f => f == "/x/nginx" ? ["libpcre2-8.so.0", "libc.so.6"] : []));
        Assert.Contains("libpcre2-8.so.0", e.Message);
    }

    [Fact]
    public void InitScriptStartsBothServersAndConfiguresTheAddress()
    {
        string init = LinuxAppGuest.InitScript();
        Assert.StartsWith("#!/bin/busybox sh\n", init);
        Assert.Contains($"ip addr add {LinuxAppGuest.Address}/24 dev eth0", init);
        Assert.Contains("/usr/bin/redis-server", init);
        Assert.Contains("/usr/sbin/nginx", init);
        Assert.Contains("virtio_net", init);
        Assert.Contains("worker_processes 1;", LinuxAppGuest.NginxConf());
    }

    [Fact]
    public void BenchPageIsNginxDefaultPageSize()
    {
        string page = Path.Combine(Cosmos.TestRunner.Apps.SampleApplications.RepoRoot(), "Samples", "HttpServer", "wwwroot", "bench.html");
        Assert.Equal(612, new FileInfo(page).Length);
    }

    private static AppBenchResults Filled(double oursRps, double linuxRps, double oursP99, double linuxP99, int oursHttpMiB, int oursKvMiB)
    {
        var r = new AppBenchResults();
        foreach (bool ours in new[] { true, false })
        {
            double rps = ours ? oursRps : linuxRps, p99 = ours ? oursP99 : linuxP99;
            // Three samples each; the median is the middle one.
            foreach (double f in new[] { 0.9, 1.0, 1.3 })
            {
                r.Add(AppBenchResults.HttpKey(30, "rps"), ours, rps * f);
                r.Add(AppBenchResults.HttpKey(30, "p99"), ours, p99 * f);
                foreach (bool pipelined in new[] { false, true })
                    foreach (string test in new[] { "SET", "GET" })
                    {
                        r.Add(AppBenchResults.RedisKey(pipelined, test, "rps"), ours, rps * f);
                        r.Add(AppBenchResults.RedisKey(pipelined, test, "p99"), ours, p99 * f);
                    }
            }
            r.Add(AppBenchResults.HttpKey(30, "qemu-cpu"), ours, 97);
        }
        r.OursHttpMinMiB = oursHttpMiB;
        r.OursKvMinMiB = oursKvMiB;
        return r;
    }

    [Fact]
    public void VerdictsMetAtTwiceTheRateAndHalfTheP99In16MiB()
    {
        var verdicts = Filled(2000, 1000, 5, 10, 16, 12).Verdicts();
        Assert.Equal(7, verdicts.Count);
        Assert.All(verdicts, v => Assert.True(v.Met, v.Target + ": " + v.Detail));
    }

    [Fact]
    public void VerdictsNotMetJustBelowTheLinesWithTheMeasuredCpu()
    {
        var verdicts = Filled(1990, 1000, 5.1, 10, 24, 12).Verdicts();
        Assert.All(verdicts, v => Assert.False(v.Met, v.Target + ": " + v.Detail));
        Assert.Contains("1.99x", verdicts[0].Detail);
        Assert.Contains("QEMU's CPU during it: ours 97%, Linux 97%", verdicts[0].Detail);
        Assert.Contains("HTTP sample 24 MiB", verdicts[6].Detail);
    }

    [Fact]
    public void VerdictNotMeasuredWhenASideHasNoSample()
    {
        var r = new AppBenchResults();
        r.Add(AppBenchResults.HttpKey(30, "rps"), true, 500);
        r.Add(AppBenchResults.HttpKey(30, "rps"), false, double.NaN);
        var verdicts = r.Verdicts();
        Assert.Null(verdicts[0].Met);
        Assert.Null(verdicts[6].Met);
    }

    [Fact]
    public void MedianOfAnEvenCountIsTheMeanOfTheMiddleTwoAndSkipsFailures()
    {
        Assert.Equal(2.5, AppBenchResults.MedianOf([4, 1, 2, 3, double.NaN]));
        Assert.True(double.IsNaN(AppBenchResults.MedianOf([double.NaN])));
    }

    [Fact]
    public void ReportShowsMedianSpreadAndRatio()
    {
        string md = Filled(2000, 1000, 5, 10, 16, 12).Markdown("header", 5, 100000, "a", "b", "linux");
        Assert.Contains("| 2,000 (1,800-2,600, n=3) | 1,000 (900-1,300, n=3) | 2.00x |", md);
        Assert.Contains("- HTTP requests/s at least 2x nginx-in-Linux at 30 connections (keep-alive): met.", md);
    }

    /// <summary>The README's benchmark sections: only the text between a section's own markers is replaced.</summary>
    [Fact]
    public void AReadmeSectionIsReplacedBetweenItsMarkersOnly()
    {
        string dir = Directory.CreateTempSubdirectory("readme-section").FullName;
        try
        {
            string readme = Path.Combine(dir, "README.md");
            File.WriteAllText(readme, "intro\n<!-- bench:start -->\nold bench\n<!-- bench:end -->\nmiddle\n<!-- apps:start -->\nold apps\n<!-- apps:end -->\nend\n");
            Assert.True(ReadmeSection.Replace(dir, "apps", "new apps table\n\n"));
            Assert.Equal("intro\n<!-- bench:start -->\nold bench\n<!-- bench:end -->\nmiddle\n<!-- apps:start -->\nnew apps table\n<!-- apps:end -->\nend\n",
                File.ReadAllText(readme));
            Assert.False(ReadmeSection.Replace(dir, "tap", "nothing"));
            Assert.Contains("new apps table", File.ReadAllText(readme));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
