using System;
using System.Threading;
using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Drivers.Virtio.Transport;
using Cosmos.Hal.Memory;

namespace Cosmos.Drivers.Virtio.Queues
{
    /// <summary>
    /// A packed virtqueue (virtio 1.2 §2.8, VIRTIO_F_RING_PACKED): one ring of descriptors that the driver
    /// marks available and the device overwrites as used, told apart by the AVAIL/USED flag bits and a wrap
    /// counter on each side; plus two event-suppression structures. As with the split queue, the driver keeps
    /// private state for every buffer (its descriptors, token and writable size) and checks each used
    /// descriptor against it, so a hostile device cannot make it touch memory it does not own.
    /// </summary>
    public sealed unsafe class PackedVirtqueue : IVirtqueue
    {
        public const int MaxIndirect = SplitVirtqueue.MaxIndirect;

        public ushort QueueIndex { get; }
        public ushort Size { get; }
        public string Kind => "packed";

        private readonly IVirtioTransport _transport;
        private readonly IDmaAllocator _dma;
        private readonly DmaRegion _ring;
        private readonly DmaRegion _indirectTables;
        private readonly PackedDescriptor* _descriptors;
        private readonly PackedEventSuppression* _driverEvent;  // written by us (§2.8.10)
        private readonly PackedEventSuppression* _deviceEvent;  // written by the device
        private readonly bool _eventIndex;
        private readonly bool _indirect;

        // Per buffer id: token (-1 = free), descriptors it occupies, bytes the device may write.
        private readonly int[] _tokens;
        private readonly ushort[] _descriptorCount;
        private readonly uint[] _writableBytes;
        private readonly ushort[] _freeIds;
        private int _freeIdCount;

        private ushort _nextAvail;
        private bool _availWrap = true;     // §2.8.1: both wrap counters start at 1
        private ushort _nextUsed;
        private bool _usedWrap = true;
        private int _freeDescriptors;
        private int _inFlight;
        private ushort _addedSinceKick;

        public bool IsBroken { get; private set; }
        public string Error { get; private set; }
        public long Notifications { get; private set; }
        public long NotificationsSuppressed { get; private set; }
        public int FreeDescriptors => _freeDescriptors;
        public int InFlight => _inFlight;

        // Diagnostics, read-only: the driver's ring positions and wrap counters (§2.8.1), for tests and status.
        /// <summary>The slot the next available descriptor goes in.</summary>
        public ushort NextAvailable => _nextAvail;
        /// <summary>The driver's available wrap counter (starts at 1, flips at each pass over the ring end).</summary>
        public bool AvailableWrapCounter => _availWrap;
        /// <summary>The slot where the driver expects the next used descriptor.</summary>
        public ushort NextUsed => _nextUsed;
        /// <summary>The driver's used wrap counter.</summary>
        public bool UsedWrapCounter => _usedWrap;

        private PackedVirtqueue(IVirtioTransport transport, IDmaAllocator dma, ushort queueIndex, ushort size, DmaRegion ring,
            DmaRegion indirectTables, bool eventIndex, bool indirect)
        {
            _transport = transport;
            _dma = dma;
            QueueIndex = queueIndex;
            Size = size;
            _ring = ring;
            _indirectTables = indirectTables;
            _descriptors = (PackedDescriptor*)ring.Virtual;
            _driverEvent = (PackedEventSuppression*)(ring.Virtual + DriverEventOffset(size));
            _deviceEvent = (PackedEventSuppression*)(ring.Virtual + DriverEventOffset(size) + PackedEventSuppression.Size);
            _eventIndex = eventIndex;
            _indirect = indirect;
            _tokens = new int[size];
            _descriptorCount = new ushort[size];
            _writableBytes = new uint[size];
            _freeIds = new ushort[size];
            for (int i = 0; i < size; i++) { _tokens[i] = -1; _freeIds[i] = (ushort)(size - 1 - i); }
            _freeIdCount = size;
            _freeDescriptors = size;
        }

        private static int DriverEventOffset(ushort size) => size * PackedDescriptor.Size;

        public static PackedVirtqueue Create(IVirtioTransport transport, IDmaAllocator dma, ushort queueIndex, ushort requestedSize,
            bool eventIndex, bool indirect, ushort msixVector, out string error)
        {
            error = null;
            if (!transport.IsModern) { error = "packed queues need the modern interface"; return null; }
            ushort max = transport.QueueMaxSize(queueIndex);
            if (max == 0) { error = "queue does not exist"; return null; }
            ushort size = requestedSize == 0 || requestedSize > max ? max : requestedSize;
            // Packed rings need no power-of-two size (§2.8), but keep the driver's arithmetic simple.
            if (size > 32768) { error = "queue too large"; return null; }
            DmaRegion ring = dma.Allocate((ulong)(DriverEventOffset(size) + 2 * PackedEventSuppression.Size), 4096);
            if (!ring.IsValid) { error = "no DMA memory for the ring"; return null; }
            DmaRegion tables = default;
            if (indirect)
            {
                tables = dma.Allocate((ulong)size * MaxIndirect * PackedDescriptor.Size, 4096);
                if (!tables.IsValid) { dma.Free(ring); error = "no DMA memory for indirect tables"; return null; }
            }
            var queue = new PackedVirtqueue(transport, dma, queueIndex, size, ring, tables, eventIndex, indirect);
            ulong driverArea = ring.Physical + (ulong)DriverEventOffset(size);
            if (!transport.ActivateQueue(queueIndex, size, ring.Physical, driverArea, driverArea + PackedEventSuppression.Size, msixVector))
            {
                queue.ReleaseMemory();
                error = "the device did not accept the queue";
                return null;
            }
            return queue;
        }

        public void ReleaseMemory()
        {
            _dma.Free(_ring);
            if (_indirectTables.IsValid) _dma.Free(_indirectTables);
        }

        private ushort AvailUsedBits(bool avail) =>
            (ushort)((avail ? PackedFlags.Available : 0) | (avail ? 0 : PackedFlags.Used));

        public bool CanAdd(int segments) =>
            !IsBroken && _freeIdCount > 0 && (_indirect && segments > 1 && segments <= MaxIndirect ? _freeDescriptors >= 1 : _freeDescriptors >= segments);

        /// <summary>
        /// Makes a buffer available (§2.8.21): fills its descriptors, then writes the first descriptor's flags
        /// last, after a barrier, so the device sees the whole buffer at once.
        /// </summary>
        public bool TryAdd(ReadOnlySpan<BufferSegment> segments, int token)
        {
            int count = segments.Length;
            if (count == 0 || !CanAdd(count)) return false;
            ushort id = _freeIds[--_freeIdCount];
            ushort head = _nextAvail;
            bool headWrap = _availWrap;
            ushort headFlags;
            uint writable = 0;
            int used;

            if (_indirect && count > 1 && count <= MaxIndirect)
            {
                PackedDescriptor* table = (PackedDescriptor*)(_indirectTables.Virtual + (ulong)id * MaxIndirect * PackedDescriptor.Size);
                for (int i = 0; i < count; i++)
                {
                    table[i].Address.Value = segments[i].Physical;
                    table[i].Length.Value = segments[i].Length;
                    table[i].Id.Value = 0;
                    table[i].Flags.Value = segments[i].DeviceWritable ? PackedFlags.Write : (ushort)0; // no NEXT in indirect tables (§2.8.19)
                    if (segments[i].DeviceWritable) writable += segments[i].Length;
                }
                _descriptors[head].Address.Value = _indirectTables.PhysicalOf((byte*)table);
                _descriptors[head].Length.Value = (uint)(count * PackedDescriptor.Size);
                _descriptors[head].Id.Value = id;
                headFlags = (ushort)(PackedFlags.Indirect | AvailUsedBits(headWrap));
                Advance();
                used = 1;
            }
            else
            {
                headFlags = 0;
                for (int i = 0; i < count; i++)
                {
                    ushort slot = _nextAvail;
                    ushort flags = (ushort)((segments[i].DeviceWritable ? PackedFlags.Write : 0) | (i + 1 < count ? PackedFlags.Next : 0) | AvailUsedBits(_availWrap));
                    _descriptors[slot].Address.Value = segments[i].Physical;
                    _descriptors[slot].Length.Value = segments[i].Length;
                    _descriptors[slot].Id.Value = id;
                    if (i == 0) headFlags = flags;
                    else _descriptors[slot].Flags.Value = flags;
                    if (segments[i].DeviceWritable) writable += segments[i].Length;
                    Advance();
                }
                used = count;
            }
            _tokens[id] = token;
            _descriptorCount[id] = (ushort)used;
            _writableBytes[id] = writable;
            _freeDescriptors -= used;
            _inFlight++;
            _addedSinceKick += (ushort)used;
            // §2.8.21.3.1: all other descriptor fields must be visible before the head's flags.
            DmaBarriers.Write();
            _descriptors[head].Flags.WriteVolatile(headFlags);
            return true;
        }

        private void Advance()
        {
            if (++_nextAvail == Size) { _nextAvail = 0; _availWrap = !_availWrap; }
        }

        /// <summary>Notifies unless the device's event suppression says not to (§2.8.10, §2.8.22).</summary>
        public bool Kick()
        {
            if (IsBroken || _addedSinceKick == 0) return false;
            ushort added = _addedSinceKick;
            _addedSinceKick = 0;
            // The flags written in TryAdd must be visible before we read the device's suppression state.
            DmaBarriers.Full();
            ushort flags = _deviceEvent->Flags.ReadVolatile();
            bool notify;
            if (flags == PackedEventSuppression.Disable) notify = false;
            else if (flags == PackedEventSuppression.Desc && _eventIndex)
            {
                // As Linux's virtqueue_kick_prepare_packed: compare positions on one 16-bit line.
                ushort offWrap = _deviceEvent->Descriptor.ReadVolatile();
                ushort eventIndex = (ushort)(offWrap & 0x7FFF);
                bool wrap = (offWrap >> 15) != 0;
                ushort newIndex = _nextAvail, oldIndex = (ushort)(_nextAvail - added);
                if (wrap != _availWrap) eventIndex = (ushort)(eventIndex - Size);
                notify = SplitRingLayout.NeedEvent(eventIndex, newIndex, oldIndex);
            }
            else notify = true;
            if (!notify) { NotificationsSuppressed++; return false; }
            Notifications++;
            _transport.Notify(QueueIndex);
            return true;
        }

        private bool IsUsed(ushort flags)
        {
            bool avail = (flags & PackedFlags.Available) != 0, used = (flags & PackedFlags.Used) != 0;
            return avail == used && used == _usedWrap;
        }

        public bool HasUsed => !IsBroken && IsUsed(_descriptors[_nextUsed].Flags.ReadVolatile());

        public bool TryGetUsed(out int token, out uint length)
        {
            token = -1;
            length = 0;
            if (IsBroken) return false;
            ushort flags = _descriptors[_nextUsed].Flags.ReadVolatile();
            if (!IsUsed(flags)) return false;
            if (_inFlight == 0) { Fail("used descriptor with no buffer in flight"); return false; }
            // §2.8.21: read the flags before the rest of the used descriptor.
            DmaBarriers.Read();
            ushort id = _descriptors[_nextUsed].Id.Value;
            uint written = _descriptors[_nextUsed].Length.Value;
            if (id >= Size || _tokens[id] < 0) { Fail("used id out of range or not in flight"); return false; }
            if (written > _writableBytes[id]) { Fail("used length larger than the buffer"); return false; }
            token = _tokens[id];
            length = written;
            _tokens[id] = -1;
            _freeIds[_freeIdCount++] = id;
            _freeDescriptors += _descriptorCount[id];
            _inFlight--;
            // The device wrote one used descriptor for the buffer; skip the slots the buffer occupied.
            int next = _nextUsed + _descriptorCount[id];
            if (next >= Size) { next -= Size; _usedWrap = !_usedWrap; }
            _nextUsed = (ushort)next;
            return true;
        }

        public void DisableInterrupts() => _driverEvent->Flags.WriteVolatile(PackedEventSuppression.Disable);

        public bool EnableInterrupts()
        {
            _driverEvent->Flags.WriteVolatile(PackedEventSuppression.Enable);
            DmaBarriers.Full(); // the flag store must be visible before we look at the ring again
            return HasUsed;
        }

        private void Fail(string reason)
        {
            IsBroken = true;
            Error = reason;
        }
    }
}
