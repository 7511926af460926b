namespace Cosmos.VhostUser.Hostile;

/// <summary>
/// A way the device side of a split virtqueue can break the rules of virtio 1.2 §2.7.8 ("The Virtqueue Used Ring") that a
/// driver must survive: each is something a buggy or malicious device could write into the used ring.
/// </summary>
public enum DeviceFault
{
    None,
    /// <summary>A used element whose id is not a descriptor index at all (≥ the queue size; §2.7.8: id is "Index of start of used descriptor chain").</summary>
    UsedIdOutOfRange,
    /// <summary>A used element naming a descriptor the driver never made available (a valid index, but not the head of a chain in flight).</summary>
    UsedIdNotInFlight,
    /// <summary>The id completed last time completed again, instead of the chain actually taken.</summary>
    UsedIdTwice,
    /// <summary>A receive completion whose len is larger than the buffer's writable bytes (§2.7.8.1: the device MUST NOT write more).</summary>
    UsedLengthPastBuffer,
    /// <summary>used->idx moved on by more entries than there are buffers in flight (§2.7.8: idx counts entries actually added).</summary>
    UsedIndexJumpsAhead,
}

/// <summary>What the back end does wrong, and when: the <see cref="AfterCompletions"/>+1-th completion on the fault's queue misbehaves, once.</summary>
public sealed record HostileScript(DeviceFault Fault, int AfterCompletions = 100)
{
    /// <summary>The queue the fault is made on: receive for the length (only receive buffers have writable bytes), else transmit.</summary>
    public int Queue => Fault == DeviceFault.UsedLengthPastBuffer ? VhostUserNetBackend.ReceiveQueue : VhostUserNetBackend.TransmitQueue;

    /// <summary>The command-line and boot-name spelling: used-id-out-of-range, used-id-not-in-flight, used-id-twice, used-length-past-buffer, used-index-jumps-ahead.</summary>
    public static string Name(DeviceFault fault) => fault switch
    {
        DeviceFault.UsedIdOutOfRange => "used-id-out-of-range",
        DeviceFault.UsedIdNotInFlight => "used-id-not-in-flight",
        DeviceFault.UsedIdTwice => "used-id-twice",
        DeviceFault.UsedLengthPastBuffer => "used-length-past-buffer",
        DeviceFault.UsedIndexJumpsAhead => "used-index-jumps-ahead",
        _ => "none",
    };
}
