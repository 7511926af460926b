using System.Diagnostics;
using System.Text;

namespace Cosmos.TestRunner.Accelerators;

/// <summary>The outcome of trying KVM once: whether the kernel ran to its ready line, and if not, what QEMU said.</summary>
public sealed record KvmProbeResult(bool Works, string Detail, TimeSpan Elapsed);

/// <summary>
/// Whether KVM can really run this kernel. A <c>/dev/kvm</c> that answers the KVM API is not enough: on the
/// machines this project runs on it is a paravirtual module (kvm_pvm) under which QEMU starts, runs the
/// firmware, then stops with "KVM internal error ... emulation failure" at the kernel's first SSE instruction.
/// So the probe boots the kernel ELF itself through its PVH note (no firmware, no GRUB: about 0.2 s under TCG,
/// less under KVM) with <c>exit=after-boot</c> and a few seconds' limit; only the kernel's success exit code
/// counts. QEMU does not exit after an emulation failure (it pauses the vCPU), so those lines end the probe at once.
/// </summary>
public static class KvmProbe
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>Lines on QEMU's stderr that mean KVM cannot run the guest; QEMU keeps running after some of them.</summary>
    private static readonly string[] FatalMarkers = ["KVM internal error", "emulation failure", "failed to initialize kvm", "Could not access KVM kernel module", "kvm run failed"];

    public static List<string> Arguments(string qemuElf, string symbols) =>
    [
        "-accel", AcceleratorChoice.Kvm, "-m", "64M", "-nodefaults", "-display", "none", "-monitor", "none", "-serial", "stdio", "-no-reboot",
        "-kernel", qemuElf, "-initrd", symbols, "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        "-fw_cfg", "name=opt/kernel/cmdline,string=exit=after-boot quiet",
    ];

    public static KvmProbeResult Run(string qemu, string elf, string symbols)
    {
        var stopwatch = Stopwatch.StartNew();
        if (!File.Exists(elf)) return new(false, $"no kernel ELF at {elf} to probe with", stopwatch.Elapsed);
        var startInfo = new ProcessStartInfo(qemu) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in Arguments(elf, symbols)) startInfo.ArgumentList.Add(a);
        using var process = new Process { StartInfo = startInfo };
        var stderr = new StringBuilder();
        string? fatal = null;
        using var fatalSeen = new ManualResetEventSlim();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data == null) return;
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
                if (fatal == null && FatalMarkers.Any(m => e.Data.Contains(m, StringComparison.OrdinalIgnoreCase)))
                {
                    fatal = e.Data.Trim();
                    fatalSeen.Set();
                }
            }
        };
        try { process.Start(); }
        catch (System.ComponentModel.Win32Exception e) { return new(false, $"could not start {qemu}: {e.Message}", stopwatch.Elapsed); }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        bool exited = false;
        while (stopwatch.Elapsed < Limit && !(exited = process.WaitForExit(50)))
            if (fatalSeen.IsSet)
            {
                exited = process.WaitForExit(300); // the rest of QEMU's report (its register dump follows the first line)
                break;
            }
        if (!exited)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit();
        }
        else process.WaitForExit(); // drain the readers
        stopwatch.Stop();

        lock (stderr)
        {
            if (exited && process.ExitCode == QemuMachine.KernelSuccessExit) return new(true, "", stopwatch.Elapsed);
            if (fatal != null) return new(false, $"QEMU: {Describe(stderr.ToString(), fatal)}", stopwatch.Elapsed);
            if (!exited) return new(false, $"the kernel did not reach its ready line within {Limit.TotalSeconds:0} s", stopwatch.Elapsed);
            string last = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
            return new(false, $"QEMU exited with {process.ExitCode}{(last.Length > 0 ? $": {last}" : "")}", stopwatch.Elapsed);
        }
    }

    /// <summary>"KVM internal error. Suberror: 1" and "emulation failure" come on separate lines; name both when both are there.</summary>
    private static string Describe(string stderr, string fatal)
    {
        var named = FatalMarkers.Where(m => stderr.Contains(m, StringComparison.OrdinalIgnoreCase)).ToList();
        string first = stderr.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => FatalMarkers.Any(m => l.Contains(m, StringComparison.OrdinalIgnoreCase))) ?? fatal;
        return named.Count > 1 && !first.Contains(named[^1], StringComparison.OrdinalIgnoreCase) ? $"{first}, {named[^1]}" : first;
    }
}
