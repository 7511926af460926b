using System.Buffers.Binary;
using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Drivers.VirtioNet.Spec;

namespace Cosmos.HostTests.VirtioModel;

/// <summary>Ways the model can break the rules of §2.7 on purpose.</summary>
public enum Hostility { None, UsedIdOutOfRange, UsedIdNotInFlight, UsedLengthTooLarge, UsedIndexJump }

/// <summary>
/// The device side of virtio-net (virtio 1.2 §5.1) over split virtqueues (§2.7), behind either PCI front end.
/// It walks the descriptors the driver wrote (chains and indirect tables), reads and writes guest memory
/// only through <see cref="GuestMemory"/> (so a bad address from the driver faults the test), fills the used
/// ring, honours EVENT_IDX and the NO_INTERRUPT flag, and can ask for no notifications (NO_NOTIFY).
/// </summary>
public sealed unsafe class VirtioNetModel
{
    public sealed class VirtQueue
    {
        public ushort MaxSize = 256;
        public ushort Size;
        public ulong Descriptors, Driver, Device;
        public bool Enabled;
        public ushort LastAvail, UsedIndex, MsixVector = 0xFFFF;
    }

    public readonly GuestMemory Memory;
    public ulong DeviceFeatures;
    public ulong DriverFeatures;
    public byte Status;
    public bool RefuseFeaturesOk;
    public byte Isr;
    public byte Generation;
    public byte[] Mac = [0x52, 0x54, 0x00, 0xAB, 0xCD, 0xEF];
    public ushort LinkStatus = NetConfig.LinkUp;
    /// <summary>When set, the configuration changes (generation bump) after this many reads.</summary>
    public int BumpGenerationAfterReads = -1;
    public int ConfigReads;
    public readonly VirtQueue[] Queues = [new(), new()];
    public readonly List<byte> StatusWrites = [];
    public readonly List<byte[]> Transmitted = [];
    public readonly List<VirtioNetHeader> TransmittedHeaders = [];
    public int Interrupts, Notifications, Resets;
    public Hostility Hostile;
    /// <summary>Sets VIRTQ_USED_F_NO_NOTIFY: the driver should stop notifying (we poll instead).</summary>
    public bool RequestNoNotify;
    /// <summary>Leave transmit work until the test calls <see cref="ProcessTransmit"/> (a busy device).</summary>
    public bool DeferTransmit;

    public VirtioNetModel(GuestMemory memory, ulong features)
    {
        Memory = memory;
        DeviceFeatures = features;
    }

    public bool Negotiated(int bit) => (DriverFeatures & (1UL << bit)) != 0;
    public int HeaderSize => Negotiated(VirtioFeatures.Version1) || Negotiated(NetFeatures.MergeableRxBuffers) ? 12 : 10;
    private bool EventIndex => Negotiated(VirtioFeatures.EventIndex);

    public void WriteStatus(byte value)
    {
        StatusWrites.Add(value);
        if (value == 0) { Reset(); return; }
        if ((value & DeviceStatus.FeaturesOk) != 0 && RefuseFeaturesOk) value = (byte)(value & ~DeviceStatus.FeaturesOk);
        Status = value;
    }

    public void Reset()
    {
        Resets++;
        Status = 0;
        Isr = 0;
        DriverFeatures = 0;
        foreach (var q in Queues) { q.Enabled = false; q.Size = 0; q.LastAvail = 0; q.UsedIndex = 0; }
    }

    public byte ReadConfig(int offset)
    {
        ConfigReads++;
        if (BumpGenerationAfterReads >= 0 && ConfigReads == BumpGenerationAfterReads) { Generation++; Mac[5]++; }
        if (offset < 6) return Mac[offset];
        if (offset == 6) return (byte)LinkStatus;
        if (offset == 7) return (byte)(LinkStatus >> 8);
        return 0;
    }

    // ---- ring access (§2.7.6, §2.7.8) ----
    private ushort AvailIndex(VirtQueue q) => BinaryPrimitives.ReadUInt16LittleEndian(Memory.Span(q.Driver + 2, 2));
    private ushort AvailFlags(VirtQueue q) => BinaryPrimitives.ReadUInt16LittleEndian(Memory.Span(q.Driver, 2));
    private ushort AvailEntry(VirtQueue q, int slot) => BinaryPrimitives.ReadUInt16LittleEndian(Memory.Span(q.Driver + 4 + (ulong)(2 * slot), 2));
    private ushort UsedEvent(VirtQueue q) => BinaryPrimitives.ReadUInt16LittleEndian(Memory.Span(q.Driver + 4 + (ulong)(2 * q.Size), 2));
    private void WriteAvailEvent(VirtQueue q, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Memory.Span(q.Device + 4 + (ulong)(8 * q.Size), 2), value);

    private void WriteUsedElement(VirtQueue q, int slot, uint id, uint length)
    {
        Span<byte> e = Memory.Span(q.Device + 4 + (ulong)(8 * slot), 8);
        BinaryPrimitives.WriteUInt32LittleEndian(e, id);
        BinaryPrimitives.WriteUInt32LittleEndian(e[4..], length);
    }

    private void PublishUsed(VirtQueue q, ushort newIndex) =>
        BinaryPrimitives.WriteUInt16LittleEndian(Memory.Span(q.Device + 2, 2), newIndex);

    private void WriteUsedFlags(VirtQueue q) =>
        BinaryPrimitives.WriteUInt16LittleEndian(Memory.Span(q.Device, 2), RequestNoNotify ? RingFlags.UsedNoNotify : (ushort)0);

    public readonly record struct Segment(ulong Address, uint Length, bool Writable);

    /// <summary>Follows a descriptor chain (§2.7.5.2) or indirect table (§2.7.5.3), with the checks a device makes.</summary>
    public List<Segment> WalkChain(VirtQueue q, ushort head)
    {
        var segments = new List<Segment>();
        ulong table = q.Descriptors;
        int tableSize = q.Size;
        ushort index = head;
        bool indirect = false;
        for (int steps = 0; ; steps++)
        {
            if (index >= tableSize || steps > tableSize) throw new GuestMemoryFault($"descriptor {index} out of range or chain loops");
            Span<byte> d = Memory.Span(table + (ulong)(16 * index), 16);
            ulong address = BinaryPrimitives.ReadUInt64LittleEndian(d);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(d[8..]);
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(d[12..]);
            ushort next = BinaryPrimitives.ReadUInt16LittleEndian(d[14..]);
            if ((flags & DescriptorFlags.Indirect) != 0)
            {
                if (indirect) throw new GuestMemoryFault("nested indirect table");
                if (!Negotiated(VirtioFeatures.IndirectDescriptors)) throw new GuestMemoryFault("indirect descriptor without INDIRECT_DESC");
                if (length % 16 != 0 || length == 0) throw new GuestMemoryFault("indirect table length not a multiple of 16");
                Memory.Translate(address, length);
                table = address;
                tableSize = (int)(length / 16);
                index = 0;
                indirect = true;
                continue;
            }
            Memory.Translate(address, length);
            segments.Add(new Segment(address, length, (flags & DescriptorFlags.Write) != 0));
            if ((flags & DescriptorFlags.Next) == 0) return segments;
            index = next;
        }
    }

    private void Interrupt(VirtQueue q, ushort oldUsed)
    {
        bool raise = EventIndex
            ? SplitRingLayout.NeedEvent(UsedEvent(q), q.UsedIndex, oldUsed)
            : (AvailFlags(q) & RingFlags.AvailNoInterrupt) == 0;
        if (!raise) return;
        Isr |= IsrStatus.Queue;
        Interrupts++;
    }

    /// <summary>Hostile modes change the next used element (or the published index) in a rule-breaking way.</summary>
    private void PushUsed(VirtQueue q, ushort head, uint length, uint capacity)
    {
        uint id = head;
        switch (Hostile)
        {
            case Hostility.UsedIdOutOfRange: id = (uint)q.Size + 3; break;
            case Hostility.UsedLengthTooLarge: length = capacity + 100; break;
            case Hostility.UsedIdNotInFlight when q.UsedIndex > 0:
                id = BinaryPrimitives.ReadUInt32LittleEndian(Memory.Span(q.Device + 4 + (ulong)(8 * ((q.UsedIndex - 1) & (q.Size - 1))), 4));
                break;
        }
        WriteUsedElement(q, q.UsedIndex & (q.Size - 1), id, length);
        q.UsedIndex++;
        if (Hostile == Hostility.UsedIndexJump) q.UsedIndex += q.Size; // claims more used buffers than were ever made available
    }

    /// <summary>A notification (§4.1.5.2): transmit queue work is done at once, as QEMU does.</summary>
    public void Notify(ushort queue)
    {
        Notifications++;
        if (queue == NetQueues.Transmit && !DeferTransmit) ProcessTransmit();
    }

    public void ProcessTransmit()
    {
        VirtQueue q = Queues[NetQueues.Transmit];
        if (!q.Enabled || (Status & DeviceStatus.DriverOk) == 0) return;
        ushort oldUsed = q.UsedIndex;
        ushort availIndex = AvailIndex(q);
        while (q.LastAvail != availIndex)
        {
            ushort head = AvailEntry(q, q.LastAvail & (q.Size - 1));
            var bytes = new List<byte>();
            foreach (Segment s in WalkChain(q, head))
            {
                if (s.Writable) throw new GuestMemoryFault("transmit buffer marked device-writable");
                bytes.AddRange(Memory.Span(s.Address, (int)s.Length).ToArray());
            }
            byte[] all = bytes.ToArray();
            var header = new VirtioNetHeader();
            fixed (byte* p = all) Buffer.MemoryCopy(p, &header, sizeof(VirtioNetHeader), Math.Min(HeaderSize, all.Length));
            TransmittedHeaders.Add(header);
            Transmitted.Add(all[HeaderSize..]);
            PushUsed(q, head, 0, 0);
            q.LastAvail++;
        }
        if (EventIndex) WriteAvailEvent(q, q.LastAvail); // notify me when you add past what I have seen
        WriteUsedFlags(q);
        if (q.UsedIndex != oldUsed) { PublishUsed(q, q.UsedIndex); Interrupt(q, oldUsed); }
    }

    /// <summary>
    /// Delivers a frame into the receive queue (§5.1.6.3-4): header plus data into the driver's buffers,
    /// spread over several buffers when MRG_RXBUF is negotiated. False when the driver posted too few buffers.
    /// </summary>
    public bool Receive(byte[] frame, VirtioNetHeader header = default)
    {
        VirtQueue q = Queues[NetQueues.Receive];
        if (!q.Enabled || (Status & DeviceStatus.DriverOk) == 0) return false;
        var data = new byte[HeaderSize + frame.Length];
        fixed (byte* p = data) Buffer.MemoryCopy(&header, p, data.Length, HeaderSize);
        frame.CopyTo(data, HeaderSize);
        bool merge = Negotiated(NetFeatures.MergeableRxBuffers);
        ushort availIndex = AvailIndex(q);
        ushort oldUsed = q.UsedIndex;
        int offset = 0, buffers = 0;
        var used = new List<(ushort Head, uint Length, uint Capacity)>();
        while (offset < data.Length)
        {
            if ((ushort)(q.LastAvail + buffers) == availIndex) return false; // out of buffers: the frame is dropped
            ushort head = AvailEntry(q, (q.LastAvail + buffers) & (q.Size - 1));
            uint written = 0, capacity = 0;
            foreach (Segment s in WalkChain(q, head))
            {
                if (!s.Writable) throw new GuestMemoryFault("receive buffer not device-writable");
                capacity += s.Length;
                int n = Math.Min((int)s.Length, data.Length - offset);
                if (n > 0) data.AsSpan(offset, n).CopyTo(Memory.Span(s.Address, n));
                offset += n;
                written += (uint)n;
            }
            used.Add((head, written, capacity));
            buffers++;
            if (!merge && offset < data.Length) return false; // frame does not fit a single buffer
        }
        if (merge)
        {
            // num_buffers lives in the first buffer's header.
            VirtQueue rq = q;
            ushort first = used[0].Head;
            Segment firstSegment = WalkChain(rq, first)[0];
            BinaryPrimitives.WriteUInt16LittleEndian(Memory.Span(firstSegment.Address + 10, 2), (ushort)buffers);
        }
        foreach (var (head, length, capacity) in used) PushUsed(q, head, length, capacity);
        q.LastAvail += (ushort)buffers;
        if (EventIndex) WriteAvailEvent(q, q.LastAvail);
        PublishUsed(q, q.UsedIndex);
        Interrupt(q, oldUsed);
        return true;
    }

    public int AvailableReceiveBuffers
    {
        get
        {
            VirtQueue q = Queues[NetQueues.Receive];
            return q.Enabled ? (ushort)(AvailIndex(q) - q.LastAvail) : 0;
        }
    }
}
