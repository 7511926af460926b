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
