using Cosmos.TestRunner.Conformance;
using Xunit;
using T = Cosmos.TestRunner.Conformance.ConformanceTranscripts;

namespace Cosmos.HostTests.ExceptionHandling;

/// <summary>How the runner reads the kernel's transcript and compares it with the suite run on .NET.</summary>
public sealed class ConformanceComparisonTests
{
    private static T.CaseTranscript Case(string name, params string[] lines) => new(name, [.. lines]);

    [Fact]
    public void TheSuiteHasAtLeastSixtyUniquelyNamedCases()
    {
        var host = T.RunOnHost();
        Assert.True(host.Count >= 60, $"{host.Count} cases");
        Assert.Equal(host.Count, host.Select(c => c.Case).Distinct().Count());
        Assert.All(host, c => Assert.NotEmpty(c.Lines));
        Assert.All(host, c => Assert.Matches(@"^[a-z]+\.[a-z0-9-]+$", c.Case));
    }

    [Fact]
    public void OnDotNetNoCaseLeaksAnException() =>
        Assert.All(T.RunOnHost(), c => Assert.DoesNotContain(c.Lines, l => l.StartsWith("uncaught", StringComparison.Ordinal)));

    [Fact]
    public void ParsesTheKernelsLinesAmongTheBootLog()
    {
        string log = "[ 0.1] kernel: ready\r\nTEST START conformance\r\nCONF a.one: first: x\r\nCONF a.one: second\r\n" +
                     "[ 0.2] net: something\nCONF b.two: only line\nCONF-END 2\nTEST PASS conformance\n";
        var kernel = T.ParseKernel(log);
        Assert.Equal(["a.one", "b.two"], kernel.Select(k => k.Case));
        Assert.Equal(["first: x", "second"], kernel[0].Lines);
        Assert.Equal(2, T.KernelCaseCount(log));
        Assert.Equal(-1, T.KernelCaseCount("CONF a.one: x\n"));
    }

    [Fact]
    public void IdenticalTranscriptsPass()
    {
        var outcomes = T.Compare([Case("a.one", "x", "y")], [Case("a.one", "x", "y")]);
        Assert.Equal([("conformance a.one", true, "")], outcomes);
    }

    [Fact]
    public void ADifferenceIsReportedByCaseAndLine()
    {
        var outcomes = T.Compare([Case("a.one", "x", "y"), Case("b.two", "z")], [Case("a.one", "x", "Y"), Case("b.two", "z")]);
        Assert.Equal(("conformance a.one", false, "line 2: kernel \"Y\", .NET \"y\""), outcomes[0]);
        Assert.True(outcomes[1].Passed);
    }

    [Fact]
    public void ShortAndLongTranscriptsAndMissingOrExtraCasesFail()
    {
        Assert.Equal("line 2: kernel's transcript ends, .NET has \"y\" (1 more lines)", T.Difference(["x", "y"], ["x"]));
        Assert.Equal("line 2: kernel has \"y\" past the end of .NET's (1 more lines)", T.Difference(["x"], ["x", "y"]));
        var outcomes = T.Compare([Case("a.one", "x")], [Case("c.three", "x")]);
        Assert.Contains(outcomes, o => o.Name == "conformance a.one" && !o.Passed && o.Detail.Contains("not in the kernel's transcript"));
        Assert.Contains(outcomes, o => o.Name == "conformance c.three" && !o.Passed);
    }
}

public sealed class ExceptionBenchTests
{
    [Fact]
    public void ReadsTheKernelsBenchLines()
    {
        string log = "TEST START eh.bench\r\nEH-BENCH name=throw-catch-1-frame iterations=2000 cycles=16970 ns=7413 tsc-khz=2289000\r\n" +
                     "[ 1.0] other\nEH-BENCH name=call-10-frames-with-try iterations=20000 cycles=303 ns=132 tsc-khz=2289000\n";
        var lines = Cosmos.TestRunner.Bench.ExceptionBench.ParseKernel(log);
        Assert.Equal(2, lines.Count);
        Assert.Equal(("throw-catch-1-frame", 2000, 16970UL, 7413.0), (lines[0].Name, lines[0].Iterations, lines[0].Cycles, lines[0].Nanoseconds));
        Assert.Equal("call-10-frames-with-try", lines[1].Name);
    }

    [Fact]
    public void TheSameBenchmarkRunsOnDotNet()
    {
        ulong clock = 0;
        var results = Cosmos.Conformance.Bench.ThrowCatchBench.Run(() => clock += 1000, 10, 10);
        Assert.Equal(["throw-catch-1-frame", "throw-catch-10-frames", "call-10-frames-with-try", "call-10-frames-without-try"], results.Select(r => r.Name));
        Assert.All(results, r => Assert.Equal(100UL, r.CyclesPerOperation)); // 1000 fake cycles per clock read, 10 iterations
    }
}
