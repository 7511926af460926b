namespace Cosmos.VhostUser.Net;

/// <summary>What the back end did, to compare with the driver's own counters (one writer: the data-plane thread).</summary>
public sealed class BackendCounters
{
    /// <summary>Frames the guest transmitted (taken from the transmit queue and handed to the endpoint).</summary>
    public long TxFrames, TxBytes;
    /// <summary>Frames delivered into the guest's receive queue.</summary>
    public long RxFrames, RxBytes;
    /// <summary>Received frames spread over more than one mergeable buffer.</summary>
    public long RxMerged;
    /// <summary>Frames from the endpoint dropped: larger than the guest's buffers could ever hold, or while the ring was not running.</summary>
    public long RxDroppedTooLarge, RxDroppedNotRunning;
    /// <summary>Times the guest kicked a queue, and times we signalled its call eventfd.</summary>
    public long Kicks, Calls;
    /// <summary>Protocol violations by the guest's driver (a ring stopped) and ownership checks that failed.</summary>
    public long GuestErrors, CanaryViolations;
    /// <summary>Times the used idx in guest memory was not what we had published (the driver wrote it; only with the receive canary on).</summary>
    public long UsedIndexOverwrites;
    /// <summary>Ring starts (SET_VRING_KICK) and stops (GET_VRING_BASE): each link down/up or device reset is one of each per ring.</summary>
    public long RingStarts, RingStops;
    /// <summary>Misbehaviours the hostile script carried out.</summary>
    public long FaultsInjected;
    /// <summary>Hostile spurious interrupts: call eventfd signals sent with nothing new in the used ring.</summary>
    public long SpuriousCalls;

    public override string ToString() =>
        $"tx {TxFrames} frames {TxBytes} B, rx {RxFrames} frames {RxBytes} B (merged {RxMerged}), rx dropped {RxDroppedTooLarge} too large {RxDroppedNotRunning} not running, " +
        $"kicks {Kicks}, calls {Calls}, guest errors {GuestErrors}, canary violations {CanaryViolations}, ring starts {RingStarts} stops {RingStops}, faults {FaultsInjected}";
}
