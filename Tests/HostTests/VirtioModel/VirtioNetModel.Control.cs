using System.Buffers.Binary;
using Cosmos.Drivers.Virtio.Spec;

namespace Cosmos.HostTests.VirtioModel;

/// <summary>
/// The model's control virtqueue (virtio 1.2 §5.1.6.5), present when it offers VIRTIO_NET_F_CTRL_VQ: queue 2 of a
/// device without MQ. Each command is a chain of device-readable bytes (u8 class, u8 command, then data) and a
/// device-writable ack byte. GUEST_OFFLOADS_SET (class 5, command 0, le64 offloads, §5.1.6.5.6.1) changes which
/// negotiated receive offloads the model applies; an unknown command, or offloads never negotiated, get
/// VIRTIO_NET_ERR (§5.1.6.5.6.2). The constants are the spec's, written here apart from the driver's.
/// </summary>
public sealed unsafe partial class VirtioNetModel
{
    private const int CtrlVq = 17, CtrlGuestOffloads = 2;                     // feature bits (§5.1.3)
    private const byte ClassGuestOffloads = 5, GuestOffloadsSet = 0;          // §5.1.6.5.6
    private const byte AckOk = 0, AckError = 1;                                // VIRTIO_NET_OK / VIRTIO_NET_ERR
    /// <summary>GUEST_CSUM, GUEST_TSO4, GUEST_TSO6, GUEST_ECN, GUEST_UFO: the bits GUEST_OFFLOADS_SET may name.</summary>
    private const ulong GuestOffloadMask = (1UL << 1) | (1UL << 7) | (1UL << 8) | (1UL << 9) | (1UL << 10);

    public const ushort ControlQueueIndex = 2;
    /// <summary>Queues the device has: receive and transmit, and the control queue when it offers CTRL_VQ.</summary>
    public int QueueCount => (DeviceFeatures & (1UL << CtrlVq)) != 0 ? 3 : 2;
    /// <summary>The receive offloads in force: the negotiated ones, until GUEST_OFFLOADS_SET changes them.</summary>
    public ulong GuestOffloads;
    private bool _guestOffloadsSet;
    public ulong ActiveGuestOffloads => _guestOffloadsSet ? GuestOffloads : DriverFeatures & GuestOffloadMask;
    /// <summary>Every control command seen: class, command, data, and the ack the model wrote.</summary>
    public readonly List<(byte Class, byte Command, byte[] Data, byte Ack)> ControlCommands = [];
    /// <summary>Answer every control command with VIRTIO_NET_ERR (a device that refuses).</summary>
    public bool RefuseControlCommands;

    /// <summary>The queue a selector names, or null past the last one (its registers then read as absent).</summary>
    public VirtQueue? QueueAt(int select) => select < QueueCount ? Queues[select] : null;

    private void ProcessControl()
    {
        VirtQueue q = Queues[ControlQueueIndex];
        if (!q.Enabled || (Status & DeviceStatus.DriverOk) == 0) return;
        if (Packed)
        {
            bool any = false;
            while (PackedAvailable(q, q.NextAvail, q.AvailWrap))
            {
                var (segments, id, count) = TakePackedBuffer(q);
                Execute(segments);
                WritePackedUsed(q, id, 1, 1, count);
                any = true;
            }
            PackedEventsAfterWork(q, any);
            return;
        }
        ushort availIndex = AvailIndex(q);
        while (q.LastAvail != availIndex)
        {
            ushort head = AvailEntry(q, q.LastAvail & (q.Size - 1));
            Execute(WalkChain(q, head));
            PushUsed(q, head, 1, 1);
            q.LastAvail++;
        }
        if (EventIndex) WriteAvailEvent(q, q.LastAvail); // notify me when you add past what I have seen (§2.7.10)
        PublishUsed(q, q.UsedIndex);
    }

    /// <summary>Reads the command from the readable segments, applies it, writes the ack into the writable one.</summary>
    private void Execute(List<Segment> chain)
    {
        var readable = new List<byte>();
        Segment? ack = null;
        foreach (Segment s in chain)
        {
            if (s.Writable) { ack ??= s; continue; }
            if (ack != null) throw new GuestMemoryFault("control command: a readable segment after the writable ack");
            readable.AddRange(Memory.Span(s.Address, (int)s.Length).ToArray());
        }
        if (ack is not { } ackSegment || ackSegment.Length < 1) throw new GuestMemoryFault("control command without a writable ack byte");
        if (readable.Count < 2) throw new GuestMemoryFault("control command shorter than its class and command bytes");
        byte cls = readable[0], cmd = readable[1];
        byte[] data = readable.Skip(2).ToArray();
        byte result = AckError;
        if (!RefuseControlCommands && cls == ClassGuestOffloads && cmd == GuestOffloadsSet && data.Length == 8
            && (DriverFeatures & (1UL << CtrlGuestOffloads)) != 0)
        {
            ulong offloads = BinaryPrimitives.ReadUInt64LittleEndian(data);
            if ((offloads & ~(DriverFeatures & GuestOffloadMask)) == 0)
            {
                GuestOffloads = offloads;
                _guestOffloadsSet = true;
                result = AckOk;
            }
        }
        Memory.DeviceWrite(ackSegment.Address, [result]);
        ControlCommands.Add((cls, cmd, data, result));
    }
}
