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
    /// <summary>A receive completion whose len is larger than the buffer's writable bytes (§2.7.8: len counts bytes written into the chain's device-writable buffers, so it cannot exceed them).</summary>
    UsedLengthPastBuffer,
    /// <summary>used->idx moved on by more entries than there are buffers in flight (§2.7.8: idx counts entries actually added).</summary>
    UsedIndexJumpsAhead,
    /// <summary>
    /// From one completion on, none: the back end goes on taking the driver's transmit buffers (and sending their frames)
    /// but never puts them in the used ring. Breaks no single rule (§2.7.13 sets no time limit), so the driver cannot
    /// stop on it; the kernel can only notice that nothing comes back.
    /// </summary>
    CompletionsWithheld,
    /// <summary>
    /// From one transmit completion on, the back end signals the receive queue's call eventfd every couple of milliseconds
    /// with nothing new in the used ring (QEMU turns each into ISR bit 0 and INTx). Breaks no rule either (§2.7.10 lets a
    /// device notify when it likes, and a driver must tolerate it); the driver must keep serving and count them.
    /// </summary>
    SpuriousInterrupts,
}
