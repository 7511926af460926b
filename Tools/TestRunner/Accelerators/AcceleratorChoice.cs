namespace Cosmos.TestRunner.Accelerators;

/// <summary>The QEMU accelerator every boot of one run uses, and why it was chosen (printed once, as one line).</summary>
public sealed record AcceleratorChoice(string Name, string Reason)
{
    public const string Kvm = "kvm";
    public const string Tcg = "tcg";

    /// <summary>The line the runner prints before its first boot, e.g. <c>accelerator: tcg (no /dev/kvm)</c>.</summary>
    public string Line => $"accelerator: {Name} ({Reason})";
}

/// <summary>
/// What the user asked for, and where it came from (so the line can say who decided); a decision handed down
/// by a parent process keeps that parent's reason.
/// </summary>
public sealed record AcceleratorRequest(string Value, string Source, string? HandedDownReason = null)
{
    /// <summary>The environment variable that chooses the accelerator for every QEMU the project starts.</summary>
    public const string EnvironmentVariable = "COSMOS_ACCEL";

    /// <summary>
    /// Set by a parent that already decided (test.sh probes once for the runner, the Xen lane and the
    /// benchmark): the reason printed with an accelerator taken from <see cref="EnvironmentVariable"/>.
    /// </summary>
    public const string ReasonVariable = "COSMOS_ACCEL_REASON";

    public static readonly string[] Values = ["auto", AcceleratorChoice.Kvm, AcceleratorChoice.Tcg];

    /// <summary>The runner's --accel wins over the environment, which wins over "auto".</summary>
    public static AcceleratorRequest From(string? option, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(option)) return new(option.Trim().ToLowerInvariant(), "--accel");
        string? env = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            string? reason = environment(ReasonVariable);
            return new(env.Trim().ToLowerInvariant(), $"{EnvironmentVariable}={env.Trim()}", string.IsNullOrWhiteSpace(reason) ? null : reason.Trim());
        }
        return new("auto", "auto");
    }

    public bool IsValid => Values.Contains(Value);

    /// <summary>Why an explicit kvm or tcg is used: the parent's reason, or who asked.</summary>
    public string ExplicitReason => HandedDownReason ?? $"requested by {Source}";
}
