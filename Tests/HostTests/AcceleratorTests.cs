using Cosmos.TestRunner.Accelerators;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>The runner's accelerator decision: who asked, what /dev/kvm is, and what a probe boot showed.</summary>
public class AcceleratorTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static AcceleratorRequest Request(string? option, Dictionary<string, string>? env = null) =>
        AcceleratorRequest.From(option, name => (env ?? NoEnvironment).GetValueOrDefault(name));

    private static Func<KvmProbeResult> Probe(bool works, string detail = "", Action? called = null) => () =>
    {
        called?.Invoke();
        return new KvmProbeResult(works, detail, TimeSpan.FromMilliseconds(120));
    };

    private static Func<KvmProbeResult> MustNotProbe => () => throw new Xunit.Sdk.XunitException("probed although the decision did not need it");

    [Fact]
    public void Auto_WithAKvmThatCannotRunAGuest_ChoosesTcg_AndSaysWhy()
    {
        var (choice, error) = AcceleratorSelection.Decide(Request(null), KvmDeviceState.Present, Probe(false, "QEMU: KVM internal error. Suberror: 1, emulation failure"));
        Assert.Null(error);
        Assert.Equal("accelerator: tcg (/dev/kvm present but could not run a guest: QEMU: KVM internal error. Suberror: 1, emulation failure)", choice!.Line);
    }

    [Fact]
    public void Auto_WithAWorkingKvm_ChoosesKvm()
    {
        var (choice, _) = AcceleratorSelection.Decide(Request(null), KvmDeviceState.Present, Probe(true));
        Assert.Equal("kvm", choice!.Name);
        Assert.Contains("ran the kernel to its ready line", choice.Reason);
    }

    [Theory]
    [InlineData(KvmDeviceState.Absent, "no /dev/kvm")]
    [InlineData(KvmDeviceState.NotAccessible, "/dev/kvm present but not accessible to this user")]
    public void Auto_WithoutAUsableDevice_ChoosesTcg_WithoutProbing(KvmDeviceState state, string reason)
    {
        var (choice, _) = AcceleratorSelection.Decide(Request(null), state, MustNotProbe);
        Assert.Equal($"accelerator: tcg ({reason})", choice!.Line);
    }

    [Fact]
    public void TheOptionWinsOverTheEnvironment_AndNeitherProbes()
    {
        var (choice, _) = AcceleratorSelection.Decide(Request("TCG", new() { ["COSMOS_ACCEL"] = "kvm" }), KvmDeviceState.Present, MustNotProbe);
        Assert.Equal("accelerator: tcg (requested by --accel)", choice!.Line);
        (choice, _) = AcceleratorSelection.Decide(Request(null, new() { ["COSMOS_ACCEL"] = "kvm" }), KvmDeviceState.Present, MustNotProbe);
        Assert.Equal("accelerator: kvm (requested by COSMOS_ACCEL=kvm)", choice!.Line);
    }

    [Fact]
    public void ADecisionHandedDown_KeepsItsReason()
    {
        var env = new Dictionary<string, string> { ["COSMOS_ACCEL"] = "tcg", ["COSMOS_ACCEL_REASON"] = "/dev/kvm present but could not run a guest: x" };
        var (choice, _) = AcceleratorSelection.Decide(Request(null, env), KvmDeviceState.Present, MustNotProbe);
        Assert.Equal("accelerator: tcg (/dev/kvm present but could not run a guest: x)", choice!.Line);
    }

    [Fact]
    public void AutoFromTheEnvironment_StillProbes()
    {
        int probes = 0;
        var (choice, _) = AcceleratorSelection.Decide(Request(null, new() { ["COSMOS_ACCEL"] = "auto" }), KvmDeviceState.Present, Probe(false, "x", () => probes++));
        Assert.Equal(1, probes);
        Assert.Equal("tcg", choice!.Name);
    }

    [Theory]
    [InlineData(KvmDeviceState.Absent, "there is no /dev/kvm")]
    [InlineData(KvmDeviceState.NotAccessible, "cannot be opened")]
    public void KvmRequestedWhereThereIsNone_IsAnError(KvmDeviceState state, string message)
    {
        var (choice, error) = AcceleratorSelection.Decide(Request("kvm"), state, MustNotProbe);
        Assert.Null(choice);
        Assert.Contains(message, error);
    }

    [Fact]
    public void AnUnknownValue_IsAnError_NamingTheChoices()
    {
        var (choice, error) = AcceleratorSelection.Decide(Request(null, new() { ["COSMOS_ACCEL"] = "hvf" }), KvmDeviceState.Present, MustNotProbe);
        Assert.Null(choice);
        Assert.Equal("unknown accelerator 'hvf' (COSMOS_ACCEL=hvf); use one of: auto, kvm, tcg", error);
    }

    [Fact]
    public void TheProbeBootsTheElfUnderKvm_AndAsksTheKernelToExitOnceReady()
    {
        var args = KvmProbe.Arguments("k.elf", "k.sym");
        Assert.Equal(["-accel", "kvm"], args.Take(2));
        Assert.Contains("-kernel", args);
        Assert.Contains("name=opt/kernel/cmdline,string=exit=after-boot quiet", args);
        Assert.Contains("isa-debug-exit,iobase=0xf4,iosize=0x04", args);
    }

    /// <summary>
    /// The real probe on this machine: whatever it decides, a probe that says KVM works must have run the kernel
    /// to its success exit, and one that says it does not must say why (no /dev/kvm at all: QEMU's own message;
    /// a /dev/kvm that cannot run guests, as here: the emulation failure), within the probe's limit.
    /// </summary>
    [Fact]
    public void TheRealProbe_GivesAReasonWhenItFails()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Cosmos.sln"))) root = Path.GetDirectoryName(root)!;
        string elf = Path.Combine(root, "iso", "cosmos-net.elf");
        Assert.True(File.Exists(elf), "build the kernel first (dotnet build): the probe boots its ELF");
        KvmProbeResult result = KvmProbe.Run("qemu-system-x86_64", elf, Path.ChangeExtension(elf, ".sym"));
        Assert.True(result.Elapsed < KvmProbe.Limit + TimeSpan.FromSeconds(3), $"the probe took {result.Elapsed}");
        if (!result.Works) Assert.False(string.IsNullOrWhiteSpace(result.Detail));
    }
}

/// <summary>The benchmark's question to QEMU about what it really runs on.</summary>
public class QmpAcceleratorTests
{
    [Fact]
    public void QemuUnderTcg_SaysTcg()
    {
        string socket = Path.Combine(Path.GetTempPath(), $"qmp-test-{Environment.ProcessId}.sock");
        var psi = new System.Diagnostics.ProcessStartInfo("qemu-system-x86_64") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-accel", "tcg", "-nodefaults", "-display", "none", "-S" }) psi.ArgumentList.Add(a);
        foreach (string a in Cosmos.TestRunner.Bench.QmpAccelerator.Arguments(socket)) psi.ArgumentList.Add(a);
        using var qemu = System.Diagnostics.Process.Start(psi)!;
        try
        {
            Assert.Equal("tcg", Cosmos.TestRunner.Bench.QmpAccelerator.Query(socket, TimeSpan.FromSeconds(10)));
        }
        finally
        {
            qemu.Kill();
            qemu.WaitForExit();
            File.Delete(socket);
        }
    }

    [Fact]
    public void NoQemu_SaysUnknown_WithTheReason()
    {
        string answer = Cosmos.TestRunner.Bench.QmpAccelerator.Query("/nonexistent/qmp.sock", TimeSpan.FromMilliseconds(100));
        Assert.StartsWith("unknown (", answer);
    }
}
