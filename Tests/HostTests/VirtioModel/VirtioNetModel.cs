using System.Buffers.Binary;
using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Drivers.VirtioNet.Spec;

namespace Cosmos.HostTests.VirtioModel;

/// <summary>Ways the model can break the rules of §2.7 on purpose.</summary>
public enum Hostility { None, UsedIdOutOfRange, UsedIdNotInFlight, UsedLengthTooLarge, UsedIndexJump }

/// <summary>
/// The device side of virtio-net (virtio 1.2 §5.1) over split virtqueues (§2.7), behind either PCI front end.
/// It walks the descriptors the driver wrote (chains and indirect tables), reads and writes guest memory
/// only through <see cref="GuestMemory"/> (so a bad address from the driver faults the test; received data
/// goes in with GuestMemory.DeviceWrite, so an audit can tell what the device wrote from what it did not), fills the used
/// ring, honours EVENT_IDX and the NO_INTERRUPT flag, and can ask for no notifications (NO_NOTIFY).
/// </summary>
public sealed unsafe partial class VirtioNetModel
{
    public sealed class VirtQueue
    {
        public ushort MaxSize = 256;
        public ushort Size;
        public ulong Descriptors, Driver, Device;
        public bool Enabled;
        public ushort LastAvail, UsedIndex, MsixVector = 0xFFFF;
        // Packed ring state (§2.8.1): the device's read position and wrap counter, and where it writes used.
        public ushort NextAvail, UsedPosition;
        public bool AvailWrap = true, UsedWrap = true;
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
    public readonly VirtQueue[] Queues = [new(), new(), new()];
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
    public bool Packed => Negotiated(VirtioFeatures.RingPacked);
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
        _guestOffloadsSet = false;
        Isr = 0;
        DriverFeatures = 0;
        foreach (var q in Queues)
        {
            q.Enabled = false; q.Size = 0; q.LastAvail = 0; q.UsedIndex = 0;
            q.NextAvail = 0; q.UsedPosition = 0; q.AvailWrap = true; q.UsedWrap = true;
        }
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
    /// <summary>The available index as the driver published it in the ring (split rings), as the device reads it.</summary>
    public ushort PublishedAvailIndex(int queue) => AvailIndex(Queues[queue]);
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

    /// <summary>The used-ring element (split rings) at <paramref name="index"/> (taken modulo the queue size), as the device wrote it.</summary>
    public (uint Id, uint Length) UsedElement(int queue, ushort index)
    {
        VirtQueue q = Queues[queue];
        Span<byte> e = Memory.Span(q.Device + 4 + (ulong)(8 * (index & (q.Size - 1))), 8);
        return (BinaryPrimitives.ReadUInt32LittleEndian(e), BinaryPrimitives.ReadUInt32LittleEndian(e[4..]));
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
        else if (queue == ControlQueueIndex && queue < QueueCount) ProcessControl();
    }

    public void ProcessTransmit()
    {
        VirtQueue q = Queues[NetQueues.Transmit];
        if (!q.Enabled || (Status & DeviceStatus.DriverOk) == 0) return;
        if (Packed) { ProcessTransmitPacked(q); return; }
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
        if (Packed) return ReceivePacked(q, frame, header);
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
                if (n > 0) Memory.DeviceWrite(s.Address, data.AsSpan(offset, n));
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
            Memory.DeviceWrite(firstSegment.Address + 10, NumBuffers(buffers));
        }
        foreach (var (head, length, capacity) in used) PushUsed(q, head, length, capacity);
        q.LastAvail += (ushort)buffers;
        if (EventIndex) WriteAvailEvent(q, q.LastAvail);
        PublishUsed(q, q.UsedIndex);
        Interrupt(q, oldUsed);
        return true;
    }

    private static byte[] NumBuffers(int count)
    {
        var value = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(value, (ushort)count);
        return value;
    }

    public int AvailableReceiveBuffers
    {
        get
        {
            VirtQueue q = Queues[NetQueues.Receive];
            if (!q.Enabled) return 0;
            if (!Packed) return (ushort)(AvailIndex(q) - q.LastAvail);
            // Count the buffers marked available from the device's position on.
            int n = 0;
            ushort position = q.NextAvail;
            bool wrap = q.AvailWrap;
            for (int i = 0; i < q.Size && PackedAvailable(q, position, wrap); i++)
            {
                n++;
                if (++position == q.Size) { position = 0; wrap = !wrap; }
            }
            return n;
        }
    }

    // ---- packed rings (§2.8) ----

    private Span<byte> PackedSlot(VirtQueue q, int position) => Memory.Span(q.Descriptors + (ulong)(16 * position), 16);

    private bool PackedAvailable(VirtQueue q, ushort position, bool wrap)
    {
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(PackedSlot(q, position)[14..]);
        bool avail = (flags & PackedFlags.Available) != 0, used = (flags & PackedFlags.Used) != 0;
        return avail == wrap && used != wrap;
    }

    /// <summary>Reads the buffer that starts at the device's position: its segments, id and descriptor count.</summary>
    private (List<Segment> Segments, ushort Id, int Count) TakePackedBuffer(VirtQueue q)
    {
        var segments = new List<Segment>();
        int count = 0;
        while (true)
        {
            if (count >= q.Size) throw new GuestMemoryFault("packed chain longer than the ring");
            Span<byte> d = PackedSlot(q, q.NextAvail);
            ulong address = BinaryPrimitives.ReadUInt64LittleEndian(d);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(d[8..]);
            ushort id = BinaryPrimitives.ReadUInt16LittleEndian(d[12..]);
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(d[14..]);
            count++;
            if (++q.NextAvail == q.Size) { q.NextAvail = 0; q.AvailWrap = !q.AvailWrap; }
            if ((flags & PackedFlags.Indirect) != 0)
            {
                if (!Negotiated(VirtioFeatures.IndirectDescriptors)) throw new GuestMemoryFault("indirect descriptor without INDIRECT_DESC");
                if (length % 16 != 0 || length == 0) throw new GuestMemoryFault("indirect table length not a multiple of 16");
                for (uint i = 0; i < length / 16; i++)
                {
                    Span<byte> e = Memory.Span(address + 16 * i, 16);
                    ulong a = BinaryPrimitives.ReadUInt64LittleEndian(e);
                    uint l = BinaryPrimitives.ReadUInt32LittleEndian(e[8..]);
                    ushort f = BinaryPrimitives.ReadUInt16LittleEndian(e[14..]);
                    Memory.Translate(a, l);
                    segments.Add(new Segment(a, l, (f & PackedFlags.Write) != 0));
                }
                return (segments, id, count);
            }
            Memory.Translate(address, length);
            segments.Add(new Segment(address, length, (flags & PackedFlags.Write) != 0));
            if ((flags & PackedFlags.Next) == 0) return (segments, id, count);
            if (!PackedAvailable(q, q.NextAvail, q.AvailWrap)) throw new GuestMemoryFault("packed chain continues into a descriptor that is not available");
        }
    }

    private void WritePackedUsed(VirtQueue q, ushort id, uint length, uint capacity, int count)
    {
        switch (Hostile)
        {
            case Hostility.UsedIdOutOfRange: id = (ushort)(q.Size + 3); break;
            case Hostility.UsedLengthTooLarge: length = capacity + 100; break;
        }
        Span<byte> d = PackedSlot(q, q.UsedPosition);
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], length);
        BinaryPrimitives.WriteUInt16LittleEndian(d[12..], id);
        // The flags last (§2.8.21): AVAIL and USED both equal to the device's used wrap counter.
        BinaryPrimitives.WriteUInt16LittleEndian(d[14..], q.UsedWrap ? (ushort)(PackedFlags.Available | PackedFlags.Used) : (ushort)0);
        for (int i = 0; i < count; i++)
            if (++q.UsedPosition == q.Size) { q.UsedPosition = 0; q.UsedWrap = !q.UsedWrap; }
    }

    private void PackedEventsAfterWork(VirtQueue q, bool produced)
    {
        // Device event suppression (§2.8.10): ask for notifications (or not).
        Span<byte> device = Memory.Span(q.Device, 4);
        BinaryPrimitives.WriteUInt16LittleEndian(device, (ushort)(q.NextAvail | (q.AvailWrap ? 0x8000 : 0)));
        ushort mode = RequestNoNotify ? PackedEventSuppression.Disable
            : EventIndex ? PackedEventSuppression.Desc : PackedEventSuppression.Enable;
        BinaryPrimitives.WriteUInt16LittleEndian(device[2..], mode);
        if (!produced) return;
        ushort driverFlags = BinaryPrimitives.ReadUInt16LittleEndian(Memory.Span(q.Driver + 2, 2));
        if (driverFlags == PackedEventSuppression.Disable) return;
        Isr |= IsrStatus.Queue;
        Interrupts++;
    }

    private void ProcessTransmitPacked(VirtQueue q)
    {
        ushort lastId = 0;
        bool any = false;
        while (PackedAvailable(q, q.NextAvail, q.AvailWrap))
        {
            var (segments, id, count) = TakePackedBuffer(q);
            var bytes = new List<byte>();
            foreach (Segment s in segments)
            {
                if (s.Writable) throw new GuestMemoryFault("transmit buffer marked device-writable");
                bytes.AddRange(Memory.Span(s.Address, (int)s.Length).ToArray());
            }
            byte[] all = bytes.ToArray();
            var header = new VirtioNetHeader();
            fixed (byte* p = all) Buffer.MemoryCopy(p, &header, sizeof(VirtioNetHeader), Math.Min(HeaderSize, all.Length));
            TransmittedHeaders.Add(header);
            Transmitted.Add(all[HeaderSize..]);
            if (Hostile == Hostility.UsedIdNotInFlight && any) id = lastId;
            WritePackedUsed(q, id, 0, 0, count);
            lastId = id;
            any = true;
        }
        PackedEventsAfterWork(q, any);
    }

    private bool ReceivePacked(VirtQueue q, byte[] frame, VirtioNetHeader header)
    {
        var data = new byte[HeaderSize + frame.Length];
        fixed (byte* p = data) Buffer.MemoryCopy(&header, p, data.Length, HeaderSize);
        frame.CopyTo(data, HeaderSize);
        bool merge = Negotiated(NetFeatures.MergeableRxBuffers);
        // Look ahead without consuming: the frame is dropped if the buffers do not suffice.
        ushort savedAvail = q.NextAvail;
        bool savedWrap = q.AvailWrap;
        var buffers = new List<(List<Segment> Segments, ushort Id, int Count)>();
        int capacity = 0;
        while (capacity < data.Length)
        {
            if (!PackedAvailable(q, q.NextAvail, q.AvailWrap) || (!merge && buffers.Count == 1))
            {
                q.NextAvail = savedAvail;
                q.AvailWrap = savedWrap;
                return false;
            }
            var buffer = TakePackedBuffer(q);
            buffers.Add(buffer);
            capacity += buffer.Segments.Sum(s => (int)s.Length);
        }
        int offset = 0;
        var written = new List<uint>();
        foreach (var buffer in buffers)
        {
            uint n = 0;
            foreach (Segment s in buffer.Segments)
            {
                if (!s.Writable) throw new GuestMemoryFault("receive buffer not device-writable");
                int take = Math.Min((int)s.Length, data.Length - offset);
                if (take > 0) Memory.DeviceWrite(s.Address, data.AsSpan(offset, take));
                offset += take;
                n += (uint)take;
            }
            written.Add(n);
        }
        if (merge) Memory.DeviceWrite(buffers[0].Segments[0].Address + 10, NumBuffers(buffers.Count));
        for (int i = 0; i < buffers.Count; i++)
        {
            ushort id = buffers[i].Id;
            if (Hostile == Hostility.UsedIdNotInFlight) id = LastPackedReceiveId;
            WritePackedUsed(q, id, written[i], (uint)buffers[i].Segments.Sum(s => (int)s.Length), buffers[i].Count);
            LastPackedReceiveId = buffers[i].Id;
        }
        PackedEventsAfterWork(q, true);
        return true;
    }

    /// <summary>The id of the last receive buffer completed (a hostile device may report it again).</summary>
    public ushort LastPackedReceiveId;
}
