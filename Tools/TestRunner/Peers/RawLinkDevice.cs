using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Cosmos.Hal.Network;
using Cosmos.Net.Wire;

namespace Cosmos.TestRunner.Peers;

/// <summary>Sends one raw Ethernet frame onto a guest's link.</summary>
public delegate void FrameSender(ReadOnlySpan<byte> frame);

/// <summary>
/// An <see cref="INetworkDevice"/> over a raw Ethernet link to the guest (the benchmark's load generator, or the
/// test runner's raw peer), so this project's own stack (Net/, compiled for the host) can be a TCP client on it.
/// While it exists, every frame the link receives goes to it.
/// </summary>
public sealed unsafe class RawLinkDevice : INetworkDevice, IDisposable
{
    private const int Slots = 1024, SlotSize = 2048;
    private readonly FrameSender _send;
    private readonly Action<Action<byte[], int>?> _attach;
    private readonly byte[] _mac;
    private readonly byte* _memory = (byte*)NativeMemory.AllocZeroed(Slots * SlotSize);
    private readonly Stack<int> _free = new();
    private readonly ConcurrentQueue<byte[]> _inbound = new();
    private NetworkDeviceCounters _counters;

    /// <param name="send">Puts a frame on the link.</param>
    /// <param name="attach">Routes the link's received frames to the given sink (null: back to their usual handler).</param>
    /// <param name="mac">This side's MAC address.</param>
    public RawLinkDevice(FrameSender send, Action<Action<byte[], int>?> attach, byte[] mac)
    {
        _send = send;
        _attach = attach;
        _mac = mac;
        for (int i = Slots - 1; i >= 0; i--) _free.Push(i);
        attach((buffer, n) => _inbound.Enqueue(buffer.AsSpan(0, n).ToArray()));
    }

    public string Name => "raw-link";
    public MacAddress Mac => new(_mac);
    public bool LinkUp => true;
    public int Mtu => 1500;
    public bool IsOperational => true;
    public string? Error => null;
    public bool NeedsPolling => true;
    public bool PrepareToWait() => true;
    public bool DeferNotifications { get; set; }
    /// <summary>Slots taken: frames the stack holds (a transmitted frame is sent at once and its slot freed).</summary>
    public int ReceiveBuffersLent => Slots - _free.Count;
    public int TransmitBuffersOutstanding => 0;
    public bool CanOffloadTransmitChecksum => false;
    public ref readonly NetworkDeviceCounters Counters => ref _counters;
    public void Poll() { }

    public bool TryReceive(out ReceivedFrame frame)
    {
        frame = default;
        if (_free.Count == 0 || !_inbound.TryDequeue(out byte[]? bytes)) return false;
        int slot = _free.Pop();
        bytes.CopyTo(new Span<byte>(_memory + slot * SlotSize, SlotSize));
        frame = new ReceivedFrame(_memory + slot * SlotSize, bytes.Length, slot, false);
        return true;
    }

    public void Release(in ReceivedFrame frame) => _free.Push(frame.Token);

    public bool TryReserveTransmit(out TransmitBuffer buffer)
    {
        buffer = default;
        if (_free.Count == 0) return false;
        int slot = _free.Pop();
        buffer = new TransmitBuffer(_memory + slot * SlotSize, 1514, slot);
        return true;
    }

    public void Transmit(in TransmitBuffer buffer, int length, ChecksumOffload checksum)
    {
        _send(new ReadOnlySpan<byte>(buffer.Data, length));
        _free.Push(buffer.Token);
    }

    public void CancelTransmit(in TransmitBuffer buffer) => _free.Push(buffer.Token);
    public int MaxSegmentationFrame => 0;
    public bool TryReserveLargeTransmit(out TransmitBuffer buffer) { buffer = default; return false; }
    public void TransmitSegmented(in TransmitBuffer buffer, int length, ChecksumOffload checksum, SegmentationOffload segmentation) => throw new NotSupportedException();
    public void Flush() { }

    public void Dispose()
    {
        _attach(null);
        NativeMemory.Free(_memory);
    }
}
