using Cosmos.TestRunner.HostChecks;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>The tap lane's reading of wrk's output (wrk 4.1, Debian 12), from runs of this kernel.</summary>
public class WrkReportTests
{
    private const string Clean = """
        Running 3s test @ http://192.168.100.50/hello
          1 threads and 1 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency    97.17us   82.10us   2.61ms   92.24%
            Req/Sec    11.05k     1.82k   13.72k    67.74%
          Latency Distribution
             50%   69.00us
             75%  115.00us
             90%  164.00us
             99%  331.00us
          34027 requests in 3.10s, 3.80MB read
        Requests/sec:  10978.14
        Transfer/sec:      1.22MB
        """;

    private const string WithErrors = """
        Running 5s test @ http://192.168.100.50/hello
          2 threads and 30 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency     1.07ms    1.02ms  14.89ms   97.72%
            Req/Sec    14.56k     3.64k   24.00k    78.00%
          Latency Distribution
             50%  930.00us
             75%    0.98ms
             90%    1.27ms
             99%    4.51ms
          147844 requests in 5.10s, 16.50MB read
          Socket errors: connect 0, read 14, write 2, timeout 1
          Non-2xx or 3xx responses: 3
        Requests/sec:  28986.27
        Transfer/sec:      3.23MB
        """;

    [Fact]
    public void ACleanRunHasNoErrors()
    {
        WrkReport r = WrkReport.Parse(Clean)!;
        Assert.Equal(34027, r.Requests);
        Assert.Equal(3.10, r.Seconds, 3);
        Assert.Equal(10978.14, r.RequestsPerSecond, 2);
        Assert.Equal(0.09717, r.LatencyAvgMs, 5);
        Assert.Equal(2.61, r.LatencyMaxMs, 5);
        Assert.Equal(0.069, r.LatencyP50Ms, 5);
        Assert.Equal(0.331, r.LatencyP99Ms, 5);
        Assert.Equal(0, r.SocketErrors);
        Assert.Equal(0, r.Non2xx3xx);
    }

    [Fact]
    public void ErrorLinesAreRead()
    {
        WrkReport r = WrkReport.Parse(WithErrors)!;
        Assert.Equal((0, 14, 2, 1), (r.ConnectErrors, r.ReadErrors, r.WriteErrors, r.Timeouts));
        Assert.Equal(17, r.SocketErrors);
        Assert.Equal(3, r.Non2xx3xx);
        Assert.Equal(0.93, r.LatencyP50Ms, 5);
    }

    [Fact]
    public void OutputWithoutAReportIsNull()
    {
        Assert.Null(WrkReport.Parse("unable to connect to 192.168.100.50:80 Connection refused\n"));
        Assert.Null(WrkReport.Parse(""));
    }

    [Theory]
    [InlineData("250.00us", 0.25)]
    [InlineData("1.50ms", 1.5)]
    [InlineData("2.00s", 2000)]
    [InlineData("1.00m", 60_000)]
    public void UnitsAreMilliseconds(string text, double ms) => Assert.Equal(ms, WrkReport.Milliseconds(text), 6);
}
