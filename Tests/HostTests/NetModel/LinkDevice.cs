using System.Runtime.InteropServices;
using Cosmos.Hal.Network;

namespace Cosmos.HostTests.NetModel;

/// <summary>
/// One end of an in-memory Ethernet link: an <see cref="INetworkDevice"/> whose frames go to the other end
/// through <see cref="Link"/>, which can drop, reorder and duplicate them. Frame memory is native (stable
/// pointers, as DMA buffers are).
/// </summary>
public sealed unsafe class LinkDevice : INetworkDevice, IDisposable
{
    private const int Slots = 256, SlotSize = 2048;
    private readonly byte* _memory = (byte*)NativeMemory.AllocZeroed(Slots * SlotSize);
    private readonly Stack<int> _free = new();
    private readonly Queue<(int Slot, int Length)> _inbound = new();
    private readonly HashSet<int> _lent = [];
    private NetworkDeviceCounters _counters;
    internal Link? Link;
    internal LinkDevice? Peer;

    public LinkDevice(byte lastMacByte)
    {
        Mac = new MacAddress([0x02, 0, 0, 0, 0, lastMacByte]);
        for (int i = Slots - 1; i >= 0; i--) _free.Push(i);
    }

    public string Name => "link";
    public MacAddress Mac { get; set; }   // settable: a test gives the device another address, as a new Xen vif may have
    public bool LinkUp => true;
    public int Mtu => 1500;
    public bool IsOperational => true;
    public string? Error => null;
    public bool NeedsPolling => true;
    public bool PrepareToWait() => true;
    public bool DeferNotifications { get; set; }
    public int ReceiveBuffersLent => _lent.Count;
    /// <summary>A transmitted frame is carried at once, so none is ever in flight.</summary>
    public int TransmitBuffersOutstanding => 0;
    /// <summary>Partial checksums are completed by the device; TSO needs it (so a segmenting link offers it too).</summary>
    public bool CanOffloadTransmitChecksum => SegmentsTcp;
    public ref readonly NetworkDeviceCounters Counters => ref _counters;
    public int FreeSlots => _free.Count;

    public void Poll() { }

    internal void Deliver(ReadOnlySpan<byte> frame)
    {
        if (_free.Count == 0) { _counters.RxDropped++; return; }
        int slot = _free.Pop();
        frame.CopyTo(new Span<byte>(_memory + slot * SlotSize, SlotSize));
        _inbound.Enqueue((slot, frame.Length));
    }

    /// <summary>Every frame waiting at this end, copied out and released (a test's look at what the other end sent).</summary>
    public List<byte[]> TakeAll()
    {
        var frames = new List<byte[]>();
        while (TryReceive(out ReceivedFrame f)) { frames.Add(f.Span.ToArray()); Release(f); }
        return frames;
    }

    public bool TryReceive(out ReceivedFrame frame)
    {
        frame = default;
        if (_inbound.Count == 0) return false;
        var (slot, length) = _inbound.Dequeue();
        _lent.Add(slot);
        _counters.RxFrames++;
        frame = new ReceivedFrame(_memory + slot * SlotSize, length, slot, false);
        return true;
    }

    public void Release(in ReceivedFrame frame)
    {
        if (_lent.Remove(frame.Token)) _free.Push(frame.Token);
    }

    public bool TryReserveTransmit(out TransmitBuffer buffer)
    {
        buffer = default;
        if (_free.Count == 0) { _counters.TxBusy++; return false; }
        int slot = _free.Pop();
        buffer = new TransmitBuffer(_memory + slot * SlotSize, 1514, slot);
        return true;
    }

    public void Transmit(in TransmitBuffer buffer, int length, ChecksumOffload checksum)
    {
        _counters.TxFrames++;
        if (checksum.Start >= 0) Cosmos.Hal.Network.InternetChecksum.Complete(new Span<byte>(buffer.Data, length), checksum.Start, checksum.Offset);
        Link!.Carry(this, new ReadOnlySpan<byte>(buffer.Data, length));
        _free.Push(buffer.Token);
    }

    public void CancelTransmit(in TransmitBuffer buffer)
    {
        if (buffer.Token >= LargeTokenBase) { _largeFree.Push(buffer.Token - LargeTokenBase); return; }
        _free.Push(buffer.Token);
    }

    public void Flush() { }

    // ---- TCP segmentation, as a host's NIC or virtio-net with HOST_TSO4 would do it (virtio 1.2 §5.1.6.2) ----

    /// <summary>Take large TCP/IPv4 frames and cut them into segments of the size asked (off by default).</summary>
    public bool SegmentsTcp;
    private const int LargeTokenBase = 1 << 20, LargeBuffers = 4, LargeSize = 14 + 65535;
    private readonly byte* _large = (byte*)NativeMemory.AllocZeroed(LargeBuffers * LargeSize);
    private readonly Stack<int> _largeFree = new(Enumerable.Range(0, LargeBuffers));
    /// <summary>Large frames taken, and the segments they were cut into.</summary>
    public long SegmentedFrames, SegmentsMade;

    public int MaxSegmentationFrame => SegmentsTcp ? LargeSize : 0;

    public bool TryReserveLargeTransmit(out TransmitBuffer buffer)
    {
        buffer = default;
        if (!SegmentsTcp || _largeFree.Count == 0) return false;
        int index = _largeFree.Pop();
        buffer = new TransmitBuffer(_large + index * LargeSize, LargeSize, LargeTokenBase + index);
        return true;
    }

    /// <summary>Cuts the frame as the device would: each segment the headers again, its own IP length, ID and checksum, TCP sequence, flags and full checksum.</summary>
    public void TransmitSegmented(in TransmitBuffer buffer, int length, ChecksumOffload checksum, SegmentationOffload segmentation)
    {
        if (!SegmentsTcp || buffer.Token < LargeTokenBase) throw new InvalidOperationException("a large frame the device did not lend");
        var frame = new ReadOnlySpan<byte>(buffer.Data, length);
        int headers = segmentation.HeaderLength, ihl = (frame[14] & 0xF) * 4;
        if (frame[23] != 6 || headers < 14 + ihl + 20) throw new InvalidOperationException("not a TCP/IPv4 frame");
        SegmentedFrames++;
        uint sequence = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(frame[(14 + ihl + 4)..]);
        ushort ipId = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(frame[18..]);
        byte flags = frame[14 + ihl + 13];
        int payload = length - headers;
        for (int offset = 0, n = 0; offset < payload || (payload == 0 && n == 0); offset += segmentation.SegmentSize, n++)
        {
            int take = Math.Min(segmentation.SegmentSize, payload - offset);
            bool last = offset + take >= payload;
            var segment = new byte[headers + take];
            frame[..headers].CopyTo(segment);
            frame.Slice(headers + offset, take).CopyTo(segment.AsSpan(headers));
            var s = segment.AsSpan();
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(s[16..], (ushort)(segment.Length - 14));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(s[18..], (ushort)(ipId + n));
            s[24] = 0; s[25] = 0;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(s[24..], Cosmos.Net.Wire.Checksum.Compute(s.Slice(14, ihl)));
            int tcp = 14 + ihl;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(s[(tcp + 4)..], sequence + (uint)offset);
            s[tcp + 13] = last ? flags : (byte)(flags & ~0x09); // FIN and PSH on the last segment only
            s[tcp + 16] = 0; s[tcp + 17] = 0;
            uint sum = Cosmos.Net.Wire.Checksum.Add(Cosmos.Net.Wire.Checksum.PseudoHeader(
                Cosmos.Net.Wire.Ipv4Address.Read(s, 26), Cosmos.Net.Wire.Ipv4Address.Read(s, 30), 6, segment.Length - tcp), s[tcp..]);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(s[(tcp + 16)..], Cosmos.Net.Wire.Checksum.Finish(sum));
            SegmentsMade++;
            _counters.TxFrames++;
            Link!.Carry(this, segment);
            if (last) break;
        }
        _largeFree.Push(buffer.Token - LargeTokenBase);
    }

    public void Dispose()
    {
        NativeMemory.Free(_memory);
        NativeMemory.Free(_large);
    }
}

/// <summary>The wire between two <see cref="LinkDevice"/>s, with seeded faults.</summary>
public sealed class Link
{
    private readonly Random _random;
    private readonly List<(LinkDevice To, byte[] Frame, int DelaySteps)> _inFlight = [];
    public double LossRate, ReorderRate, DuplicateRate;
    public long Dropped, Reordered, Duplicated;
    /// <summary>A bottleneck: at most this many frames per direction per <see cref="Step"/>; the rest are tail-dropped.</summary>
    public int QueueLimit = int.MaxValue;
    public long QueueDrops, Offered;
    /// <summary>Drops the frames this returns true for (a chosen segment, say), before any other rule.</summary>
    public Func<byte[], bool>? DropWhen;

    public Link(LinkDevice a, LinkDevice b, int seed)
    {
        _random = new Random(seed);
        a.Link = b.Link = this;
        a.Peer = b;
        b.Peer = a;
    }

    internal void Carry(LinkDevice from, ReadOnlySpan<byte> frame)
    {
        Offered++;
        if (DropWhen != null && DropWhen(frame.ToArray())) { Dropped++; return; }
        if (_random.NextDouble() < LossRate) { Dropped++; return; }
        if (QueueLimit != int.MaxValue && _inFlight.Count(f => f.To == from.Peer) >= QueueLimit) { QueueDrops++; return; }
        int delay = 0;
        if (_random.NextDouble() < ReorderRate) { delay = 1 + _random.Next(3); Reordered++; }
        _inFlight.Add((from.Peer!, frame.ToArray(), delay));
        if (_random.NextDouble() < DuplicateRate) { _inFlight.Add((from.Peer!, frame.ToArray(), delay + 1)); Duplicated++; }
    }

    /// <summary>Moves frames whose delay has passed; returns how many were delivered.</summary>
    public int Step()
    {
        int delivered = 0;
        for (int i = 0; i < _inFlight.Count;)
        {
            var (to, frame, delay) = _inFlight[i];
            if (delay > 0) { _inFlight[i] = (to, frame, delay - 1); i++; continue; }
            to.Deliver(frame);
            _inFlight.RemoveAt(i);
            delivered++;
        }
        return delivered;
    }
}
