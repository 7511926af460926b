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
    public MacAddress Mac { get; }
    public bool LinkUp => true;
    public int Mtu => 1500;
    public bool IsOperational => true;
    public bool CanOffloadTransmitChecksum => false;
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
        Link!.Carry(this, new ReadOnlySpan<byte>(buffer.Data, length));
        _free.Push(buffer.Token);
    }

    public void CancelTransmit(in TransmitBuffer buffer) => _free.Push(buffer.Token);
    public void Flush() { }

    public void Dispose() => NativeMemory.Free(_memory);
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
