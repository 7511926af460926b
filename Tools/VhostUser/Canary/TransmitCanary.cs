using Cosmos.VhostUser.Rings;

namespace Cosmos.VhostUser.Canary;

/// <summary>
/// An ownership check on the guest's driver from the device's side (issue 17 item 3, "canary pages"): a buffer the driver
/// made available belongs to the device until the device puts it in the used ring (virtio 1.2 §2.7.13.1, "the driver MUST
/// NOT ... alter" a buffer it has made available), so a device-readable buffer must hold the same bytes from the moment the
/// device takes it to the moment it completes it. The back end, which maps the guest's RAM, copies each transmit chain's
/// readable bytes when it takes the chain, holds the completion until its next turn (so each buffer stays in flight for a
/// while instead of microseconds), and compares before completing: any difference is a guest write into memory it had
/// handed over. A driver that reuses a transmit buffer before its completion, or scribbles past its own buffer into the
/// next one, shows up here.
/// </summary>
public sealed unsafe class TransmitCanary
{
    private sealed class Held
    {
        public ushort Head;
        public readonly Segment[] Segments = new Segment[DescriptorChain.MaxSegments];
        public int Count;
        public byte[] Copy = new byte[2048];
    }

    private readonly Queue<Held> _held = new();
    private readonly Stack<Held> _spare = new();

    /// <summary>Chains compared at completion.</summary>
    public long Checked { get; private set; }
    /// <summary>Chains whose readable bytes changed while the device held them.</summary>
    public long Violations { get; private set; }
    public string? FirstViolation { get; private set; }
    public int HeldCount => _held.Count;

    /// <summary>Takes <paramref name="chain"/> into custody: its readable segments and a copy of their bytes.</summary>
    public void Hold(DescriptorChain chain)
    {
        Held h = _spare.Count > 0 ? _spare.Pop() : new Held();
        h.Head = chain.Head;
        h.Count = 0;
        int total = 0;
        for (int i = 0; i < chain.Count; i++)
        {
            ref Segment s = ref chain.Segments[i];
            if (s.Writable) break;
            h.Segments[h.Count++] = s;
            total += (int)s.Length;
        }
        if (h.Copy.Length < total) h.Copy = new byte[total];
        int at = 0;
        for (int i = 0; i < h.Count; i++)
        {
            new ReadOnlySpan<byte>(h.Segments[i].Host, (int)h.Segments[i].Length).CopyTo(h.Copy.AsSpan(at));
            at += (int)h.Segments[i].Length;
        }
        _held.Enqueue(h);
    }

    /// <summary>Compares every held chain with its copy, then hands its head to <paramref name="complete"/>; returns how many.</summary>
    public int ReleaseAll(Action<ushort> complete)
    {
        int n = 0;
        while (_held.TryDequeue(out Held? h))
        {
            Verify(h);
            complete(h.Head);
            _spare.Push(h);
            n++;
        }
        return n;
    }

    private void Verify(Held h)
    {
        Checked++;
        int at = 0;
        for (int i = 0; i < h.Count; i++)
        {
            ref Segment s = ref h.Segments[i];
            var now = new ReadOnlySpan<byte>(s.Host, (int)s.Length);
            var then = h.Copy.AsSpan(at, (int)s.Length);
            int differs = now.CommonPrefixLength(then);
            if (differs < now.Length)
            {
                Violations++;
                FirstViolation ??= $"transmit chain of head {h.Head}: guest address 0x{s.Guest + (ulong)differs:x} (segment {i}, byte {differs}) changed from 0x{then[differs]:x2} to 0x{now[differs]:x2} while the device held it";
                return;
            }
            at += (int)s.Length;
        }
    }
}
