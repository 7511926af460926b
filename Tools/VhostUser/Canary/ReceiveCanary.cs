using Cosmos.VhostUser.Rings;

namespace Cosmos.VhostUser.Canary;

/// <summary>
/// Ownership checks on the guest's receive buffers from the device's side (issue 17 item 3, "canary pages"), the
/// counterpart of <see cref="TransmitCanary"/>. The back end maps the guest's RAM, so it can plant a pattern in memory the
/// driver has given it and look later whether the pattern is intact:
/// <list type="bullet">
/// <item>A posted receive buffer belongs to the device until it is used (virtio 1.2 §2.7.13.1: the driver must not alter a
/// buffer it has made available). When the back end first sees a chain in the available ring it fills every writable byte
/// with the pattern (the device may write anything there), and right before it writes a frame into the chain it checks the
/// pattern and the chain's descriptors are as it left them. A driver writing into a buffer it posted (reuse before
/// completion, or an overrun from the buffer next to it) shows up here.</item>
/// <item>A completion gives the driver <c>len</c> bytes (§2.7.8); the rest of the buffer still holds the pattern. When the
/// driver posts the same buffer again, the back end checks the bytes past <c>len</c> are still the pattern: no spec rule
/// forbids the driver writing there (the buffer is its own meanwhile), but our kernel treats a received frame as its
/// <c>len</c> bytes, so a write past them is a kernel bug (an overrun of a received frame) that this finds.</item>
/// </list>
/// Not covered (the device cannot know who owns it): memory no descriptor names, such as the gaps between buffers, a
/// transmit buffer's slack past its frame, or the kernel's own memory; receive chains the back end takes in the same turn
/// they were posted (counted in <see cref="Unarmed"/>); reads; a write of the very byte the pattern holds there. Touched
/// only by the data-plane thread; holds host pointers into the current memory table, so <see cref="Reset"/> runs whenever
/// a ring stops or the table changes.
/// </summary>
public sealed unsafe class ReceiveCanary
{
    /// <summary>The planted bytes: byte k of a segment is Pattern[k % 4099] (a prime length, so it never lines up with buffer sizes).</summary>
    private static readonly byte[] Pattern = MakePattern(4099);

    private sealed class Armed
    {
        public readonly Segment[] Segments = new Segment[DescriptorChain.MaxSegments];
        public int Count;
    }

    /// <summary>Chains armed (pattern planted), by head, until used.</summary>
    private readonly Dictionary<ushort, Armed> _armed = new();
    private readonly Stack<Armed> _spare = new();
    /// <summary>Buffers completed, by guest address: their length and how many bytes the device wrote (the rest holds the pattern).</summary>
    private readonly Dictionary<ulong, (uint Length, uint Written)> _returned = new();
    private readonly DescriptorChain _peek = new();
    private ushort _armedThrough;
    private bool _armedValid;

    /// <summary>Chains whose pattern was checked before a frame was written into them.</summary>
    public long Checked { get; private set; }
    /// <summary>Buffers posted again whose bytes past the last completion's length were checked.</summary>
    public long CheckedPastLength { get; private set; }
    /// <summary>Chains used before the back end had armed them (posted and needed in the same turn): not checked.</summary>
    public long Unarmed { get; private set; }
    /// <summary>Writes into posted buffers (or their descriptors) while the device held them, and writes past a completed frame.</summary>
    public long HeldViolations { get; private set; }
    public long PastLengthViolations { get; private set; }
    public long Violations => HeldViolations + PastLengthViolations;
    /// <summary>The first violation of each kind, for the log.</summary>
    public string? FirstHeldViolation { get; private set; }
    public string? FirstPastLengthViolation { get; private set; }
    public string? FirstViolation => FirstHeldViolation ?? FirstPastLengthViolation;

    /// <summary>Arms every chain posted since the last call: checks bytes past the last completion of a buffer posted again, then plants the pattern.</summary>
    public void Arm(DeviceSplitRing ring)
    {
        int pending = ring.Pending;
        ushort from = ring.LastAvailIndex;
        // Positions already armed stay armed (a receive that found too little room gives chains back, Rewind).
        if (_armedValid && (ushort)(_armedThrough - from) <= pending) from = _armedThrough;
        ushort to = (ushort)(ring.LastAvailIndex + pending);
        for (ushort position = from; position != to; position++)
        {
            if (!ring.TryPeek(position, _peek)) return;
            _armedThrough = (ushort)(position + 1);
            _armedValid = true;
            if (_armed.ContainsKey(_peek.Head)) continue; // armed and not yet used: the driver cannot have posted it twice
            Armed a = _spare.Count > 0 ? _spare.Pop() : new Armed();
            a.Count = 0;
            for (int i = 0; i < _peek.Count; i++)
            {
                ref Segment s = ref _peek.Segments[i];
                if (!s.Writable || s.Length == 0) continue;
                if (_returned.Remove(s.Guest, out var last) && last.Length == s.Length)
                {
                    CheckedPastLength++;
                    int at = Differs(s.Host, (int)last.Written, (int)s.Length);
                    if (at >= 0)
                        PastLength($"receive buffer at guest 0x{s.Guest:x} ({s.Length} bytes): byte {at} changed (0x{Pattern[at % Pattern.Length]:x2} planted, 0x{s.Host[at]:x2} found) after the device completed it with {last.Written} bytes and before the driver posted it again: a write past the received frame");
                }
                Fill(s.Host, (int)s.Length);
                a.Segments[a.Count++] = s;
            }
            _armed[_peek.Head] = a;
        }
    }

    /// <summary>
    /// Before a frame is written into <paramref name="chain"/>: its pattern must be intact and its descriptors as armed.
    /// False when the chain was never armed (posted and needed in the same turn): it holds no pattern, only what was there.
    /// </summary>
    public bool CheckBeforeUse(DescriptorChain chain)
    {
        if (!_armed.Remove(chain.Head, out Armed? a)) { Unarmed++; return false; }
        Checked++;
        int n = 0;
        for (int i = 0; i < chain.Count; i++)
        {
            ref Segment s = ref chain.Segments[i];
            if (!s.Writable || s.Length == 0) continue;
            if (n >= a.Count || a.Segments[n].Guest != s.Guest || a.Segments[n].Length != s.Length)
            {
                Held($"receive chain of head {chain.Head}: its descriptors changed while it was posted (segment {n}: guest 0x{s.Guest:x} +{s.Length})");
                break;
            }
            n++;
            int at = Differs(s.Host, 0, (int)s.Length);
            if (at >= 0)
            {
                Held($"receive chain of head {chain.Head}: guest address 0x{s.Guest + (ulong)at:x} (byte {at} of a {s.Length}-byte buffer) changed from 0x{Pattern[at % Pattern.Length]:x2} to 0x{s.Host[at]:x2} while the device held the buffer");
                break;
            }
        }
        _spare.Push(a);
        return true;
    }

    /// <summary>
    /// After a frame's bytes went into <paramref name="chain"/> (<paramref name="written"/> of them): remembers where the
    /// pattern still stands, if the chain was <paramref name="armed"/>. An unarmed chain's bytes past the frame are whatever
    /// an earlier frame left there, so nothing is expected of them (expecting the pattern there was a false alarm, seen
    /// when a recovery's first frames arrived together with the new driver's buffers).
    /// </summary>
    public void Completed(DescriptorChain chain, uint written, bool armed)
    {
        for (int i = 0; i < chain.Count; i++)
        {
            ref Segment s = ref chain.Segments[i];
            if (!s.Writable || s.Length == 0) continue;
            uint inSegment = Math.Min(written, s.Length);
            written -= inSegment;
            if (armed) _returned[s.Guest] = (s.Length, inSegment);
            else _returned.Remove(s.Guest);
        }
    }

    /// <summary>Forgets everything: the ring stopped (a reset: the driver owns all its buffers again) or the memory table changed.</summary>
    public void Reset()
    {
        foreach (Armed a in _armed.Values) _spare.Push(a);
        _armed.Clear();
        _returned.Clear();
        _armedValid = false;
    }

    private void Held(string what)
    {
        HeldViolations++;
        FirstHeldViolation ??= what;
    }

    private void PastLength(string what)
    {
        PastLengthViolations++;
        FirstPastLengthViolation ??= what;
    }

    private static void Fill(byte* host, int length)
    {
        var destination = new Span<byte>(host, length);
        for (int at = 0; at < length; at += Pattern.Length)
            Pattern.AsSpan(0, Math.Min(Pattern.Length, length - at)).CopyTo(destination.Slice(at));
    }

    /// <summary>The first offset in [<paramref name="from"/>, <paramref name="length"/>) whose byte is not the pattern's, or -1.</summary>
    private static int Differs(byte* host, int from, int length)
    {
        int at = from;
        while (at < length)
        {
            int phase = at % Pattern.Length;
            int n = Math.Min(Pattern.Length - phase, length - at);
            int same = new ReadOnlySpan<byte>(host + at, n).CommonPrefixLength(Pattern.AsSpan(phase, n));
            if (same < n) return at + same;
            at += n;
        }
        return -1;
    }

    private static byte[] MakePattern(int length)
    {
        var pattern = new byte[length];
        uint x = 0x9E3779B9;
        for (int i = 0; i < length; i++)
        {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5; // xorshift32: fixed, so a run is reproducible
            pattern[i] = (byte)x;
        }
        return pattern;
    }
}
