namespace Cosmos.VhostUser.Hostile;

/// <summary>
/// What the back end does wrong, and when: the <see cref="AfterCompletions"/>+1-th completion on the fault's queue
/// misbehaves, once (withheld completions: that one and every later one, until the driver resets the device). After a
/// reset (QEMU stops the rings with GET_VRING_BASE and starts them again) the back end behaves, unless
/// <see cref="EveryStart"/>: then it misbehaves again <see cref="AfterCompletions"/> completions into every new start.
/// </summary>
public sealed record HostileScript(DeviceFault Fault, int AfterCompletions = 100, bool EveryStart = false)
{
    /// <summary>The queue the fault is made on: receive for the length (only receive buffers have writable bytes), else transmit.</summary>
    public int Queue => Fault is DeviceFault.UsedLengthPastBuffer or DeviceFault.SpuriousInterrupts ? VhostUserNetBackend.ReceiveQueue : VhostUserNetBackend.TransmitQueue;

    /// <summary>The fault breaks a ring rule the driver checks, so the driver must stop (reset) the device; withheld completions break none.</summary>
    public bool DriverMustStop => Fault is not (DeviceFault.CompletionsWithheld or DeviceFault.SpuriousInterrupts);

    /// <summary>Misbehaviours to expect in a boot where the kernel recovers <paramref name="recoveries"/> times (one per ring start with <see cref="EveryStart"/>).</summary>
    public int ExpectedFaults(int recoveries) => EveryStart ? recoveries + 1 : 1;

    /// <summary>Spurious interrupts: how many the back end sends at most (one every <see cref="SpuriousIntervalMs"/>).</summary>
    public const int SpuriousCallLimit = 3000, SpuriousIntervalMs = 2;

    /// <summary>The command-line and boot-name spelling: used-id-out-of-range, used-id-not-in-flight, used-id-twice, used-length-past-buffer, used-index-jumps-ahead, completions-withheld.</summary>
    public static string Name(DeviceFault fault) => fault switch
    {
        DeviceFault.UsedIdOutOfRange => "used-id-out-of-range",
        DeviceFault.UsedIdNotInFlight => "used-id-not-in-flight",
        DeviceFault.UsedIdTwice => "used-id-twice",
        DeviceFault.UsedLengthPastBuffer => "used-length-past-buffer",
        DeviceFault.UsedIndexJumpsAhead => "used-index-jumps-ahead",
        DeviceFault.CompletionsWithheld => "completions-withheld",
        DeviceFault.SpuriousInterrupts => "spurious-interrupts",
        _ => "none",
    };
}
