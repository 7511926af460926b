using System;
using System.Threading;
using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Drivers.Virtio.Transport;
using Cosmos.Hal.Memory;

namespace Cosmos.Drivers.Virtio.Queues
{
    /// <summary>
    /// A split virtqueue (virtio 1.2 §2.7): descriptor table, available ring (driver to device) and used ring
    /// (device to driver) in DMA memory. The driver keeps its own shadow of everything it must trust (the
    /// free list, which heads are in flight and how many bytes each may receive), so a device that writes
    /// nonsense into shared memory is detected and can never make the driver touch memory it does not own.
    /// The available index is kept privately and published once per batch.
    /// </summary>
    public sealed unsafe class SplitVirtqueue : IVirtqueue
    {
        public const int MaxIndirect = 8;

        public ushort QueueIndex { get; }
        public ushort Size { get; }

        private readonly IVirtioTransport _transport;
        private readonly IDmaAllocator _dma;
        private readonly DmaRegion _ring;
        private readonly DmaRegion _indirectTables;
        private readonly VirtqDescriptor* _descriptors;
        private readonly byte* _avail;
        private readonly byte* _used;
        private readonly bool _eventIndex;
        private readonly bool _indirect;

        // Driver-private state (never read back from shared memory).
        private readonly ushort[] _nextFree;       // free-list links, and chain links of in-flight chains
        private readonly int[] _tokens;            // per head: caller's token, -1 when not in flight
        private readonly uint[] _writableBytes;    // per head: bytes the device may write
        private readonly ushort[] _chainLength;    // per head: descriptors the chain occupies in the table
        private ushort _freeHead;
        private int _freeCount;
        private int _inFlight;
        private ushort _availIndex;                // private producer index
        private ushort _publishedAvailIndex;       // what the device has seen (at the last kick)
        private ushort _lastUsedIndex;
        private bool _interruptsDisabled;

        public bool IsBroken { get; private set; }
        public string Error { get; private set; }
        public long Notifications { get; private set; }
        public long NotificationsSuppressed { get; private set; }
        public int FreeDescriptors => _freeCount;
        public int InFlight => _inFlight;
        public bool UsesIndirect => _indirect;
        public bool UsesEventIndex => _eventIndex;
        public string Kind => "split";

        // Diagnostics, read-only: the driver's private ring positions (§2.7.6, §2.7.8), for tests and status.
        /// <summary>The private available index: buffers made available so far, modulo 2^16.</summary>
        public ushort AvailableIndex => _availIndex;
        /// <summary>The available index the device was last shown (at the last kick).</summary>
        public ushort PublishedAvailableIndex => _publishedAvailIndex;
        /// <summary>The used index up to which the driver has taken used buffers, modulo 2^16.</summary>
        public ushort LastUsedIndex => _lastUsedIndex;

        // Offsets inside the rings (§2.7.6, §2.7.8).
        private const int RingFlagsOffset = 0, RingIndex = 2, RingEntries = 4;

        private SplitVirtqueue(IVirtioTransport transport, IDmaAllocator dma, ushort queueIndex, ushort size, DmaRegion ring,
            DmaRegion indirectTables, SplitRingLayout layout, bool eventIndex, bool indirect)
        {
            _transport = transport;
            _dma = dma;
            QueueIndex = queueIndex;
            Size = size;
            _ring = ring;
            _indirectTables = indirectTables;
            _descriptors = (VirtqDescriptor*)(ring.Virtual + layout.DescriptorTableOffset);
            _avail = ring.Virtual + layout.AvailableRingOffset;
            _used = ring.Virtual + layout.UsedRingOffset;
            _eventIndex = eventIndex;
            _indirect = indirect;
            _nextFree = new ushort[size];
            _tokens = new int[size];
            _writableBytes = new uint[size];
            _chainLength = new ushort[size];
            for (int i = 0; i < size; i++)
            {
                _nextFree[i] = (ushort)(i + 1);
                _tokens[i] = -1;
            }
            _freeHead = 0;
            _freeCount = size;
        }

        /// <summary>
        /// Allocates the rings for a queue of <paramref name="requestedSize"/> entries (clamped to the device's
        /// maximum; the legacy interface dictates the size) and gives them to the device. Null on failure,
        /// with the reason in <paramref name="error"/>.
        /// </summary>
        public static SplitVirtqueue Create(IVirtioTransport transport, IDmaAllocator dma, ushort queueIndex, ushort requestedSize,
            bool eventIndex, bool indirect, ushort msixVector, out string error)
        {
            error = null;
            ushort max = transport.QueueMaxSize(queueIndex);
            if (max == 0) { error = "queue does not exist"; return null; }
            ushort size = transport.QueueSizeIsFixed || requestedSize == 0 || requestedSize > max ? max : requestedSize;
            if ((size & (size - 1)) != 0 || size > 32768) { error = "queue size is not a power of two up to 32768"; return null; }

            var layout = new SplitRingLayout(size, transport.RequiresLegacyRingLayout);
            DmaRegion ring = dma.Allocate((ulong)layout.TotalSize, 4096);
            if (!ring.IsValid) { error = "no DMA memory for the rings"; return null; }
            DmaRegion tables = default;
            if (indirect)
            {
                tables = dma.Allocate((ulong)size * MaxIndirect * VirtqDescriptor.Size, 4096);
                if (!tables.IsValid) { dma.Free(ring); error = "no DMA memory for indirect tables"; return null; }
            }
            var queue = new SplitVirtqueue(transport, dma, queueIndex, size, ring, tables, layout, eventIndex, indirect);
            if (!transport.ActivateQueue(queueIndex, size, ring.Physical + (ulong)layout.DescriptorTableOffset,
                    ring.Physical + (ulong)layout.AvailableRingOffset, ring.Physical + (ulong)layout.UsedRingOffset, msixVector))
            {
                queue.ReleaseMemory();
                error = "the device did not accept the queue";
                return null;
            }
            return queue;
        }

        /// <summary>Frees the rings. Only after the device was reset (it must not touch them any more).</summary>
        public void ReleaseMemory()
        {
            _dma.Free(_ring);
            if (_indirectTables.IsValid) _dma.Free(_indirectTables);
        }

        private ref Le16 AvailRing(int slot) => ref *(Le16*)(_avail + RingEntries + 2 * slot);
        private ref Le16 AvailIndexField => ref *(Le16*)(_avail + RingIndex);
        private ref Le16 AvailFlags => ref *(Le16*)(_avail + RingFlagsOffset);
        private ref Le16 UsedEvent => ref *(Le16*)(_avail + RingEntries + 2 * Size);       // used_event (§2.7.10)
        private ref Le16 UsedIndexField => ref *(Le16*)(_used + RingIndex);
        private ref Le16 UsedFlags => ref *(Le16*)(_used + RingFlagsOffset);
        private ref Le16 AvailEvent => ref *(Le16*)(_used + RingEntries + VirtqUsedElement.Size * Size); // avail_event
        private VirtqUsedElement* UsedRing => (VirtqUsedElement*)(_used + RingEntries);

        public bool CanAdd(int segments) =>
            !IsBroken && (_indirect && segments > 1 && segments <= MaxIndirect ? _freeCount >= 1 : _freeCount >= segments);

        /// <summary>
        /// Places a buffer (one or more segments) in the available ring under <paramref name="token"/>. The
        /// device does not see it until <see cref="Kick"/> publishes the index. False when the table is full.
        /// </summary>
        public bool TryAdd(ReadOnlySpan<BufferSegment> segments, int token)
        {
            int count = segments.Length;
            if (count == 0 || IsBroken || !CanAdd(count)) return false;
            uint writable = 0;
            ushort head = _freeHead;
            if (_indirect && count > 1 && count <= MaxIndirect)
            {
                // §2.7.5.3: one ring descriptor pointing at a table of `count` descriptors.
                VirtqDescriptor* table = (VirtqDescriptor*)(_indirectTables.Virtual + (ulong)head * MaxIndirect * VirtqDescriptor.Size);
                for (int i = 0; i < count; i++)
                {
                    table[i].Address.Value = segments[i].Physical;
                    table[i].Length.Value = segments[i].Length;
                    table[i].Flags.Value = (ushort)((segments[i].DeviceWritable ? DescriptorFlags.Write : 0) | (i + 1 < count ? DescriptorFlags.Next : 0));
                    table[i].Next.Value = (ushort)(i + 1 < count ? i + 1 : 0);
                    if (segments[i].DeviceWritable) writable += segments[i].Length;
                }
                _descriptors[head].Address.Value = _indirectTables.PhysicalOf((byte*)table);
                _descriptors[head].Length.Value = (uint)(count * VirtqDescriptor.Size);
                _descriptors[head].Flags.Value = DescriptorFlags.Indirect;
                _descriptors[head].Next.Value = 0;
                _freeHead = _nextFree[head];
                _freeCount--;
                _chainLength[head] = 1;
            }
            else
            {
                ushort index = head;
                for (int i = 0; i < count; i++)
                {
                    ushort next = _nextFree[index];
                    _descriptors[index].Address.Value = segments[i].Physical;
                    _descriptors[index].Length.Value = segments[i].Length;
                    _descriptors[index].Flags.Value = (ushort)((segments[i].DeviceWritable ? DescriptorFlags.Write : 0) | (i + 1 < count ? DescriptorFlags.Next : 0));
                    _descriptors[index].Next.Value = i + 1 < count ? next : (ushort)0;
                    if (segments[i].DeviceWritable) writable += segments[i].Length;
                    if (i + 1 < count) index = next;
                    else _freeHead = next;
                }
                _freeCount -= count;
                _chainLength[head] = (ushort)count;
            }
            _tokens[head] = token;
            _writableBytes[head] = writable;
            AvailRing(_availIndex & (Size - 1)).Value = head;
            _availIndex++;
            _inFlight++;
            return true;
        }

        /// <summary>
        /// Publishes the available index and notifies the device unless it asked not to be (§2.7.13).
        /// Returns true if a notification was sent.
        /// </summary>
        public bool Kick()
        {
            if (IsBroken || _availIndex == _publishedAvailIndex) return false;
            // §2.7.13.3.1: the descriptors and ring entries must be visible before the new idx.
            DmaBarriers.Write();
            ushort old = _publishedAvailIndex;
            AvailIndexField.WriteVolatile(_availIndex);
            _publishedAvailIndex = _availIndex;
            // §2.7.13.4: the idx store must be visible before we read the device's suppression state.
            DmaBarriers.Full();
            bool notify = _eventIndex
                ? SplitRingLayout.NeedEvent(AvailEvent.ReadVolatile(), _availIndex, old)
                : (UsedFlags.ReadVolatile() & RingFlags.UsedNoNotify) == 0;
            if (!notify) { NotificationsSuppressed++; return false; }
            Notifications++;
            _transport.Notify(QueueIndex);
            return true;
        }

        public bool HasUsed => !IsBroken && UsedIndexField.ReadVolatile() != _lastUsedIndex;

        /// <summary>
        /// Takes the next used buffer: its token and the bytes the device wrote. Checks everything the device
        /// wrote; on a violation the queue stops (IsBroken, Error says why) and returns false from then on.
        /// </summary>
        public bool TryGetUsed(out int token, out uint length)
        {
            token = -1;
            length = 0;
            if (IsBroken) return false;
            ushort usedIndex = UsedIndexField.ReadVolatile();
            if (usedIndex == _lastUsedIndex) return false;
            if ((ushort)(usedIndex - _lastUsedIndex) > _inFlight)
            {
                Fail("used index jumped past the buffers in flight");
                return false;
            }
            // §2.7.14: read the used idx before the ring entry it covers.
            DmaBarriers.Read();
            VirtqUsedElement element = UsedRing[_lastUsedIndex & (Size - 1)];
            uint id = element.Id.Value, written = element.Length.Value;
            if (id >= Size || _tokens[id] < 0)
            {
                Fail("used id out of range or not in flight");
                return false;
            }
            if (written > _writableBytes[id])
            {
                Fail("used length larger than the buffer");
                return false;
            }
            // Return the chain to the free list using our own links, not the table the device can write.
            ushort last = (ushort)id;
            for (int i = 1; i < _chainLength[id]; i++) last = _nextFree[last];
            _nextFree[last] = _freeHead;
            _freeHead = (ushort)id;
            _freeCount += _chainLength[id];
            token = _tokens[id];
            length = written;
            _tokens[id] = -1;
            _inFlight--;
            _lastUsedIndex++;
            if (_eventIndex && !_interruptsDisabled)
            {
                // Ask for an interrupt when the device uses the next buffer (§2.7.10).
                UsedEvent.WriteVolatile(_lastUsedIndex);
            }
            return true;
        }

        /// <summary>Asks the device not to interrupt for this queue (a hint: it may still).</summary>
        public void DisableInterrupts()
        {
            _interruptsDisabled = true;
            if (_eventIndex)
                UsedEvent.WriteVolatile((ushort)(_lastUsedIndex - 1)); // already passed: no event until wrap
            else
                AvailFlags.WriteVolatile(RingFlags.AvailNoInterrupt);
        }

        /// <summary>
        /// Re-enables interrupts, then looks again: returns true when used buffers arrived meanwhile, which
        /// the caller must process (they may have raised no interrupt).
        /// </summary>
        public bool EnableInterrupts()
        {
            _interruptsDisabled = false;
            if (_eventIndex)
                UsedEvent.WriteVolatile(_lastUsedIndex);
            else
                AvailFlags.WriteVolatile(0);
            // The store above must be visible before we re-read the used index.
            DmaBarriers.Full();
            return HasUsed;
        }

        private void Fail(string reason)
        {
            IsBroken = true;
            Error = reason;
        }
    }
}
