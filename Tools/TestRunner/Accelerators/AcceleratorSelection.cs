namespace Cosmos.TestRunner.Accelerators;

/// <summary>What the machine says about <c>/dev/kvm</c> before anything is booted.</summary>
public enum KvmDeviceState { Absent, NotAccessible, Present }

/// <summary>
/// Decides the accelerator once per run. "auto" means KVM only where KVM can actually run this kernel
/// (<see cref="KvmProbe"/>), TCG otherwise; an explicit kvm or tcg (from --accel or COSMOS_ACCEL) is taken
/// as asked, except that kvm without a usable /dev/kvm is an error rather than a boot that cannot start.
/// </summary>
public static class AcceleratorSelection
{
    /// <summary>The decision, or the error that stops the run (an unknown value, or KVM asked for where there is none).</summary>
    public static (AcceleratorChoice? Choice, string? Error) Decide(AcceleratorRequest request, KvmDeviceState kvm, Func<KvmProbeResult> probe)
    {
        if (!request.IsValid)
            return (null, $"unknown accelerator '{request.Value}' ({request.Source}); use one of: {string.Join(", ", AcceleratorRequest.Values)}");
        switch (request.Value)
        {
            case AcceleratorChoice.Tcg:
                return (new(AcceleratorChoice.Tcg, request.ExplicitReason), null);
            case AcceleratorChoice.Kvm:
                return kvm switch
                {
                    KvmDeviceState.Absent => (null, $"KVM requested by {request.Source}, but there is no /dev/kvm"),
                    KvmDeviceState.NotAccessible => (null, $"KVM requested by {request.Source}, but /dev/kvm cannot be opened by this user (add it to group kvm)"),
                    _ => (new(AcceleratorChoice.Kvm, request.ExplicitReason), null),
                };
        }
        switch (kvm)
        {
            case KvmDeviceState.Absent:
                return (new(AcceleratorChoice.Tcg, "no /dev/kvm"), null);
            case KvmDeviceState.NotAccessible:
                return (new(AcceleratorChoice.Tcg, "/dev/kvm present but not accessible to this user"), null);
        }
        KvmProbeResult result = probe();
        return result.Works
            ? (new(AcceleratorChoice.Kvm, $"/dev/kvm ran the kernel to its ready line in {result.Elapsed.TotalMilliseconds:0} ms"), null)
            : (new(AcceleratorChoice.Tcg, $"/dev/kvm present but could not run a guest: {result.Detail}"), null);
    }

    public static KvmDeviceState InspectKvmDevice(string path = "/dev/kvm")
    {
        if (!File.Exists(path)) return KvmDeviceState.Absent;
        try
        {
            using var device = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            return KvmDeviceState.Present;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return KvmDeviceState.NotAccessible;
        }
    }

    /// <summary>The decision for this process, probing at most once however many boots follow.</summary>
    public static (AcceleratorChoice? Choice, string? Error) ForRun(string? option, string qemu, string kernelElf, string symbols)
    {
        lock (Gate)
        {
            var request = AcceleratorRequest.From(option, Environment.GetEnvironmentVariable);
            if (s_decided is { } d && d.Request == request) return d.Result;
            var result = Decide(request, InspectKvmDevice(), () => KvmProbe.Run(qemu, kernelElf, symbols));
            s_decided = (request, result);
            return result;
        }
    }

    private static readonly object Gate = new();
    private static (AcceleratorRequest Request, (AcceleratorChoice? Choice, string? Error) Result)? s_decided;
}
