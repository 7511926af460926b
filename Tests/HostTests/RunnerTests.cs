using Cosmos.TestRunner;
using Xunit;

namespace Cosmos.HostTests;

public class SerialProtocolTests
{
    [Theory]
    [InlineData("TEST START runtime.span", SerialEventKind.TestStart, "runtime.span")]
    [InlineData("TEST PASS runtime.span\r", SerialEventKind.TestPass, "runtime.span")]
    [InlineData("TEST FAIL hal.clock: 200 ticks measured as 90 ms", SerialEventKind.TestFail, "hal.clock")]
    [InlineData("[    0.044029] kernel: ready", SerialEventKind.Ready, null)]
    [InlineData("*** PANIC: CPU exception invalid opcode (#UD)", SerialEventKind.PanicStart, null)]
    [InlineData("*** END PANIC", SerialEventKind.PanicEnd, null)]
    [InlineData("[    0.0] pci: 00:03.0 1af4:1000", SerialEventKind.Text, null)]
    public void ClassifiesLines(string line, SerialEventKind kind, string? name)
    {
        SerialEvent e = SerialProtocol.Parse(line);
        Assert.Equal(kind, e.Kind);
        Assert.Equal(name, e.TestName);
    }

    [Fact]
    public void FailureReasonKeepsColonsAfterTheFirst()
    {
        SerialEvent e = SerialProtocol.Parse("TEST FAIL a.b: expected 1, got 2: see log");
        Assert.Equal("a.b", e.TestName);
        Assert.Equal("expected 1, got 2: see log", e.Reason);
    }

    [Fact]
    public void SummaryCounters()
    {
        SerialEvent e = SerialProtocol.Parse("TEST SUMMARY passed=19 failed=2");
        Assert.Equal((19, 2), (e.Passed, e.Failed));
        Assert.Equal(-1, SerialProtocol.Parse("TEST SUMMARY passed=x").Passed);
    }
}

public class BootVerdictTests
{
    private static readonly BootSpec SelfTests = new("b", "d", [], "test=all", BootEnding.SelfTestsPass, []);

    private static BootRun Run(int? exit, bool timedOut, params string[] lines) =>
        new(exit, timedOut, false, string.Join('\n', lines), lines.Select(SerialProtocol.Parse).ToList(), TimeSpan.FromSeconds(1));

    [Fact]
    public void AllPassingWithSuccessExitPasses()
    {
        var outcomes = BootVerdict.Judge(SelfTests, Run(33, false, "TEST START a", "TEST PASS a", "TEST SUMMARY passed=1 failed=0"));
        Assert.All(outcomes, o => Assert.True(o.Passed, o.Detail));
        Assert.Contains(outcomes, o => o.Name == "a");
    }

    private static readonly BootSpec Negative = new("n", "d", [], "test=t", BootEnding.SelfTestsPass, [],
        ExpectedFailures: new Dictionary<string, string> { ["t"] = "not given" });

    [Fact]
    public void ANegativeBoot_PassesOnlyWhenTheTestFailsForTheExpectedReason()
    {
        var right = BootVerdict.Judge(Negative, Run(35, false, "TEST START t", "TEST FAIL t: test.pci not given", "TEST SUMMARY passed=0 failed=1"));
        Assert.All(right, o => Assert.True(o.Passed, $"{o.Name}: {o.Detail}"));

        var passedInstead = BootVerdict.Judge(Negative, Run(33, false, "TEST START t", "TEST PASS t", "TEST SUMMARY passed=1 failed=0"));
        Assert.Contains(passedInstead, o => !o.Passed && o.Name == "t fails as it must");

        var otherReason = BootVerdict.Judge(Negative, Run(35, false, "TEST START t", "TEST FAIL t: something else", "TEST SUMMARY passed=0 failed=1"));
        Assert.Contains(otherReason, o => !o.Passed && o.Name == "t fails as it must");

        var notRun = BootVerdict.Judge(Negative, Run(33, false, "TEST START u", "TEST PASS u", "TEST SUMMARY passed=1 failed=0"));
        Assert.Contains(notRun, o => !o.Passed && o.Detail == "the test did not run");
    }

    [Fact]
    public void HungBootFails()
    {
        var outcomes = BootVerdict.Judge(SelfTests, Run(null, true, "TEST START a"));
        Assert.Contains(outcomes, o => !o.Passed && o.Name == "ends by itself");
        Assert.Contains(outcomes, o => !o.Passed && o.Name == "a");
        Assert.Contains(outcomes, o => !o.Passed && o.Name == "self-test summary");
    }

    [Fact]
    public void SilentBootFails()
    {
        var outcomes = BootVerdict.Judge(SelfTests, Run(33, false));
        Assert.Contains(outcomes, o => !o.Passed);
    }

    [Fact]
    public void SuccessExitDespiteAFailedTestIsCaught()
    {
        var outcomes = BootVerdict.Judge(SelfTests, Run(33, false, "TEST START a", "TEST FAIL a: broken", "TEST SUMMARY passed=0 failed=1"));
        Assert.Contains(outcomes, o => !o.Passed && o.Name == "exit code");
        Assert.Contains(outcomes, o => !o.Passed && o.Name == "a" && o.Detail == "broken");
    }

    [Fact]
    public void PanicBootNeedsTheFailureExitAndItsPatterns()
    {
        var spec = new BootSpec("f", "d", [], "test.fault=ud", BootEnding.Panic, [new("names #UD", @"invalid opcode \(#UD\)")]);
        Assert.All(BootVerdict.Judge(spec, Run(35, false, "*** PANIC: CPU exception invalid opcode (#UD)", "*** END PANIC")), o => Assert.True(o.Passed));
        Assert.Contains(BootVerdict.Judge(spec, Run(33, false, "*** PANIC: x")), o => !o.Passed);
    }

    [Fact]
    public void AbsentExpectationsFailWhenTheLineAppears()
    {
        var absent = new LogExpectation("no DHCP", "DHCP: discovering", MustBeAbsent: true);
        Assert.True(absent.IsMetBy("net: static address 10.0.2.15/24\nnet: ready"));
        Assert.False(absent.IsMetBy("kernel: ready\nnet: DHCP: discovering\nnet: ready"));
    }

    [Fact]
    public void CommasInTheKernelCommandLineAreEscapedForQemu()
    {
        var spec = new BootSpec("c", "d", [], "test=a,b", BootEnding.SelfTestsPass, []);
        var args = QemuMachine.BuildArguments(spec, new MachineOptions("k.iso", "qemu", TimeSpan.FromSeconds(1), "tcg", false));
        Assert.Contains("name=opt/kernel/cmdline,string=test=a,,b", args);
        Assert.Contains("isa-debug-exit,iobase=0xf4,iosize=0x04", args);
    }

    [Fact]
    public void EveryPlannedBootHasAUniqueName()
    {
        var names = BootPlan.All.Select(b => b.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains(BootPlan.All, b => b.KernelCommandLine?.Contains("1af4:1041") == true);
    }
}

public class BenchStatsParsingTests
{
    [Fact]
    public void BothGuestsStatistics_BecomeNanosecondsOfBusyTime()
    {
        var ours = Cosmos.TestRunner.Bench.BenchRunner.ParseStats("busy-cycles=2000000000 tsc-hz=1000000000 echoed=42");
        Assert.Equal((2e9, 42L), ours);
        var linux = Cosmos.TestRunner.Bench.BenchRunner.ParseStats("busy-ticks=150 ticks-per-second=100 echoed=7");
        Assert.Equal((1.5e9, 7L), linux);
        Assert.Null(Cosmos.TestRunner.Bench.BenchRunner.ParseStats("echoed=1"));
        Assert.Null(Cosmos.TestRunner.Bench.BenchRunner.ParseStats(null));
    }
}
