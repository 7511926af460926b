using Cosmos.VhostUser.Rings;

namespace Cosmos.VhostUser.Hostile;

/// <summary>
/// Carries out a <see cref="HostileScript"/> at completion time: every completion on the script's queue passes through
/// <see cref="TryMisbehave"/>, which either lets it be written normally (false) or writes the used ring wrongly itself
/// (true), once. Touched only by the data-plane thread, under the back end's gate.
/// </summary>
public sealed class HostileCompletions
{
    private readonly HostileScript _script;
    private int _completions;
    private int _previousHead = -1;
    /// <summary>Heads this queue has ever taken: an id never among them was never in flight.</summary>
    private readonly bool[] _seen = new bool[32768];

    public bool Done { get; private set; }
    /// <summary>Withheld completions in force: every completion on the queue is dropped until the next ring start.</summary>
    private bool _withholding;
    /// <summary>What was done wrong, for the log.</summary>
    public string? Description { get; private set; }

    public HostileCompletions(HostileScript script) => _script = script;

    /// <summary>
    /// One completion of <paramref name="chain"/> with <paramref name="length"/> bytes written, on queue <paramref name="queue"/>.
    /// True when the misbehaviour replaced it (the used ring already holds what the driver will read).
    /// </summary>
    public bool TryMisbehave(int queue, DeviceSplitRing ring, DescriptorChain chain, uint length)
    {
        if (queue != _script.Queue || _script.Fault == DeviceFault.None) return false;
        ushort head = chain.Head;
        _seen[head] = true;
        if (_withholding) return true; // withheld until the driver resets the device
        bool replaced = !Done && ++_completions > _script.AfterCompletions && Misbehave(ring, chain, length);
        if (replaced)
        {
            Done = true;
            _withholding = _script.Fault == DeviceFault.CompletionsWithheld;
        }
        _previousHead = head;
        return replaced;
    }

    /// <summary>
    /// The front end started queue <paramref name="queue"/> again (SET_VRING_KICK after GET_VRING_BASE: the driver reset the
    /// device and set it up anew, with new rings whose heads mean new chains). What the last start saw is forgotten, withheld
    /// completions end, and with <see cref="HostileScript.EveryStart"/> the script misbehaves again after as many completions.
    /// </summary>
    public void RingStarted(int queue)
    {
        if (queue != _script.Queue) return;
        Array.Clear(_seen);
        _previousHead = -1;
        _completions = 0;
        _withholding = false;
        if (_script.EveryStart) Done = false;
    }

    private bool Misbehave(DeviceSplitRing ring, DescriptorChain chain, uint length)
    {
        ushort head = chain.Head;
        switch (_script.Fault)
        {
            case DeviceFault.UsedIdOutOfRange:
                ring.AddUsed((uint)ring.Size + 3, length);
                Description = $"completed id {ring.Size + 3} (queue of {ring.Size}) instead of head {head}";
                return true;
            case DeviceFault.UsedIdNotInFlight:
                // A descriptor index this queue never took and the driver has not just made available: not in flight.
                for (int id = ring.Size - 1; id >= 0; id--)
                {
                    if (_seen[id] || id == head || ring.IsAvailablePending((ushort)id)) continue;
                    ring.AddUsed((uint)id, length);
                    Description = $"completed id {id}, never made available, instead of head {head}";
                    return true;
                }
                return false; // every index in use: try on a later completion
            case DeviceFault.UsedIdTwice:
                // The driver frees ids last in, first out, so it often reuses the id just completed: wait for a
                // completion whose head differs from the previous one, and whose previous one is not available again.
                if (_previousHead < 0 || _previousHead == head || ring.IsAvailablePending((ushort)_previousHead)) return false;
                ring.AddUsed((uint)_previousHead, length);
                Description = $"completed head {_previousHead} a second time instead of head {head}";
                return true;
            case DeviceFault.UsedLengthPastBuffer:
                ring.AddUsed(head, chain.WritableBytes + 1);
                Description = $"completed head {head} with len {chain.WritableBytes + 1}, its buffer holds {chain.WritableBytes}";
                return true;
            case DeviceFault.UsedIndexJumpsAhead:
                ring.AddUsed(head, length);
                ring.SkipUsed(ring.Size);
                Description = $"completed head {head}, then moved used idx on by {ring.Size} entries never written";
                return true;
            case DeviceFault.CompletionsWithheld:
                Description = $"withholds the completion of head {head} and of every chain after it";
                return true;
            default:
                return false;
        }
    }
}
