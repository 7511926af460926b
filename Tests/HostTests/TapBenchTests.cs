using Cosmos.TestRunner.Bench;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>The tap benchmark reads wrk's own report (wrk 4.1 as Debian ships it).</summary>
public class TapBenchTests
{
    private const string KeepAlive = """
        Running 5s test @ http://192.168.100.2/hello
          2 threads and 100 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency    12.50ms    3.10ms  60.00ms   90.00%
            Req/Sec     4.01k   210.00     4.50k    70.00%
          Latency Distribution
             50%   12.00ms
             75%   13.50ms
             90%   15.00ms
             99%  850.00us
          39912 requests in 5.00s, 4.83MB read
          Non-2xx or 3xx responses: 3
        Requests/sec:   7982.40
        Transfer/sec:    989.12KB
        """;

    [Fact]
    public void ReadsRateLatencyRequestsAndNon2xx()
    {
        var r = TapBench.ParseWrk(KeepAlive);
        Assert.Equal(7982.40, r.RequestsPerSecond, 2);
        Assert.Equal(0.85, r.P99Ms, 3);
        Assert.Equal(3, r.Non2xx);
        Assert.Equal(39912, r.Requests);
        Assert.Equal(0, r.SocketErrors);
    }

    [Fact]
    public void AddsEverySocketError_AndCountsAnUnfinishedRunAsFailed()
    {
        var r = TapBench.ParseWrk(KeepAlive.Replace("  Non-2xx or 3xx responses: 3\n", "  Socket errors: connect 1, read 2, write 3, timeout 4\n"));
        Assert.Equal(10, r.SocketErrors);
        Assert.Equal(0, r.Non2xx);
        var broken = TapBench.ParseWrk("unable to connect to 192.168.100.2:80 Connection refused");
        Assert.True(double.IsNaN(broken.RequestsPerSecond));
        Assert.Equal(1, broken.SocketErrors);
    }
}
