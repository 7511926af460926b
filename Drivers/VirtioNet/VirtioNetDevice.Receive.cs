using System;
using Cosmos.Drivers.Virtio.Queues;
using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Drivers.VirtioNet.Spec;
using Cosmos.Hal.Memory;
using Cosmos.Hal.Network;

namespace Cosmos.Drivers.VirtioNet
{
    public sealed unsafe partial class VirtioNetDevice
    {
        // Receive buffers: one DMA block, one buffer per ring entry, the token is the buffer's index.
        private DmaRegion _rxMemory;
        private int _rxBufferSize;
        private int _rxBufferCount;
        private bool[] _rxLent;
        private int _rxRefillsPending;

        // Frames spread over several mergeable buffers are copied into one of these (§5.1.6.4): a full frame, or
        // with GUEST_TSO4/6 a coalesced TCP packet of up to 64 KiB plus its Ethernet header.
        private const int AssemblySlots = 4;
        private const int AssemblyTokenBase = 1 << 20;
        private const int SmallAssembly = 2048, LargeAssembly = 65536 + 16;
        private int _assemblyCapacity;
        private DmaRegion _assemblyMemory;
        private bool[] _assemblyInUse;

        public long MergedFrames { get; private set; }
        /// <summary>Frames larger than the MTU that the device coalesced (gso_type TCPV4/TCPV6, GUEST_TSO4/6).</summary>
        public long CoalescedFrames { get; private set; }
        /// <summary>Bytes of the largest frame received (the MTU's 1,514 unless the device coalesced segments).</summary>
        public int LargestFrame { get; private set; }

        /// <summary>The smallest and largest buffer <see cref="AutomaticReceiveBufferSize"/> picks.</summary>
        public const int SmallestAutomaticBuffer = 2048, LargestAutomaticBuffer = 16384;

        /// <summary>Bytes per receive buffer (header included) in use; 0 before the device is set up.</summary>
        public int ReceiveBufferSize => _rxBufferSize;

        /// <summary>
        /// The receive buffer size when the kernel leaves it to the driver: the largest power of two from 2 KiB to 16 KiB
        /// for which one buffer per ring entry fits the budget (2 KiB when even that does not). Why large ones: with
        /// GUEST_TSO4 the host hands over coalesced packets of up to 64 KiB, and QEMU takes one descriptor chain from the
        /// ring, maps it and completes it per buffer a packet fills (virtio 1.2 §5.1.6.4, num_buffers). On 1 December
        /// 2026 (TCG, tap, 3 alternating boots each) a 256 MiB TCP echo with 16 KiB buffers against 2 KiB ran at 1,890
        /// against 1,752 Mbit/s and QEMU spent 5.64 against 6.00 CPU seconds per GiB; in the noisier bench --tap runs 16
        /// and 64 KiB buffers were 0.99-1.30x the default. The budget keeps small machines at 2 KiB.
        /// </summary>
        public static int AutomaticReceiveBufferSize(int buffers, long budgetBytes)
        {
            int size = LargestAutomaticBuffer;
            while (size > SmallestAutomaticBuffer && (long)size * buffers > budgetBytes) size >>= 1;
            return size;
        }

        private bool SetUpReceiveBuffers()
        {
            _rxBufferCount = _rx.Size;
            int chosen = _options.ReceiveBufferSize != 0 ? _options.ReceiveBufferSize
                : Has(NetFeatures.MergeableRxBuffers) ? AutomaticReceiveBufferSize(_rxBufferCount, _options.ReceiveMemoryBudget) : SmallestAutomaticBuffer;
            // Without mergeable buffers each buffer must hold a whole frame plus the header (§5.1.6.3.1).
            _rxBufferSize = Has(NetFeatures.MergeableRxBuffers) ? chosen : Math.Max(chosen, _headerSize + MaxFrame);
            _rxMemory = _dma.Allocate((ulong)_rxBufferCount * (ulong)_rxBufferSize, 4096);
            _assemblyCapacity = ReceivesLargeFrames ? LargeAssembly : SmallAssembly;
            _assemblyMemory = _dma.Allocate((ulong)(AssemblySlots * _assemblyCapacity), 4096);
            if (!_rxMemory.IsValid || !_assemblyMemory.IsValid) return false;
            _rxLent = new bool[_rxBufferCount];
            _assemblyInUse = new bool[AssemblySlots];
            for (int i = 0; i < _rxBufferCount; i++)
                if (!PostReceiveBuffer(i)) return false;
            _rxRefillsPending = 0;
            return true;
        }

        private byte* ReceiveBuffer(int index) => _rxMemory.Virtual + (long)index * _rxBufferSize;

        private bool PostReceiveBuffer(int index)
        {
            byte* buffer = ReceiveBuffer(index);
            ulong physical = _rxMemory.PhysicalOf(buffer);
            Span<BufferSegment> segments = stackalloc BufferSegment[2];
            int count;
            if (Has(VirtioFeatures.Version1) || Has(VirtioFeatures.AnyLayout) || Has(NetFeatures.MergeableRxBuffers))
            {
                segments[0] = new BufferSegment(physical, (uint)_rxBufferSize, deviceWritable: true);
                count = 1;
            }
            else
            {
                // Legacy without ANY_LAYOUT: the header must be a descriptor of its own (§5.1.6.6 legacy note).
                segments[0] = new BufferSegment(physical, (uint)_headerSize, deviceWritable: true);
                segments[1] = new BufferSegment(physical + (ulong)_headerSize, (uint)(_rxBufferSize - _headerSize), deviceWritable: true);
                count = 2;
            }
            if (!_rx.TryAdd(segments.Slice(0, count), index)) return false;
            _rxRefillsPending++;
            return true;
        }

        /// <summary>
        /// A poll turn's notification for refilled buffers, when it is due. The device reads the available index
        /// whenever it looks for a buffer, so it needs a notification only after it found the ring empty and asked to
        /// be told (§2.7.10; with EVENT_IDX QEMU asks after every buffer it takes). A kick at every turn that refilled
        /// anything cost one MMIO exit per turn: a fifth of the guest's time under a pipelined key-value load
        /// (1 December profile). So the turn kicks when a quarter of the ring waits unannounced, or when fewer than a
        /// quarter of the buffers announced by the last kick are still out; a device that ran dry has taken them
        /// all, so that turn kicks.
        /// </summary>
        private void FlushReceiveRefillsIfDue()
        {
            if (_rxRefillsPending == 0) return;
            int announcedStillOut = _rx.InFlight - _rxRefillsPending;
            if (_rxRefillsPending >= _rxBufferCount / 4 || announcedStillOut < _rxBufferCount / 4) FlushReceiveRefills();
        }

        private void FlushReceiveRefills()
        {
            if (_rxRefillsPending == 0) return;
            _rxRefillsPending = 0;
            if (_rx.Kick()) _counters.Notifications++; else _counters.NotificationsSuppressed++;
        }

        public bool TryReceive(out ReceivedFrame frame)
        {
            frame = default;
            while (_operational)
            {
                if (!_rx.TryGetUsed(out int token, out uint length))
                {
                    if (_rx.IsBroken) StopOnDeviceError(_rx);
                    return false;
                }
                if (length < (uint)_headerSize)
                {
                    _counters.RxErrors++;
                    RepostAfterDrop(token);
                    continue;
                }
                byte* buffer = ReceiveBuffer(token);
                VirtioNetHeader* header = (VirtioNetHeader*)buffer;
                int buffers = Has(NetFeatures.MergeableRxBuffers) ? header->NumBuffers.Value : 1;
                if (buffers < 1)
                {
                    _counters.RxErrors++; // num_buffers 0 is not a valid header (§5.1.6.4)
                    RepostAfterDrop(token);
                    continue;
                }
                int frameLength = (int)length - _headerSize;
                byte flags = header->Flags;
                int checksumStart = header->ChecksumStart.Value, checksumOffset = header->ChecksumOffset.Value;

                byte* data;
                int leaseToken;
                if (buffers == 1)
                {
                    data = buffer + _headerSize;
                    leaseToken = token;
                    _rxLent[token] = true;
                }
                else
                {
                    if (!Assemble(token, frameLength, buffers, out data, out frameLength, out leaseToken)) continue;
                    MergedFrames++;
                }

                byte gso = (byte)(header->GsoType & NetGsoType.KindMask);
                if (gso != NetGsoType.None)
                {
                    // A coalesced packet (§5.1.6.4): only what we negotiated may come, and it must be larger than the
                    // segments it stands for; anything else is the device's mistake, dropped and counted.
                    bool allowed = (gso == NetGsoType.TcpV4 && (GuestOffloads & VirtioFeatures.Bit(NetFeatures.GuestTso4)) != 0)
                                || (gso == NetGsoType.TcpV6 && (GuestOffloads & VirtioFeatures.Bit(NetFeatures.GuestTso6)) != 0);
                    if (!allowed) { _counters.RxErrors++; Release(new ReceivedFrame(data, frameLength, leaseToken, false)); _counters.RxDropped++; continue; }
                    CoalescedFrames++;
                }
                if (frameLength > LargestFrame) LargestFrame = frameLength;

                // §5.1.6.4: with NEEDS_CSUM "the packet checksum at offset csum_offset from csum_start and any preceding
                // checksums have been validated", only the field is left partial (the packet never crossed a wire: it
                // came from the host's stack). It is as good as DATA_VALID, and the stack consumes frames in place and
                // forwards none, so the field is not completed: summing a 64 KiB coalesced packet again would cost more
                // than the rest of its receive path. Its bounds are still checked, as a device could lie about them.
                bool verified = (flags & NetHeaderFlags.DataValid) != 0;
                if ((flags & NetHeaderFlags.NeedsChecksum) != 0)
                {
                    verified = checksumStart + checksumOffset + 2 <= frameLength;
                    if (!verified) _counters.RxErrors++;
                }
                _counters.RxFrames++;
                _counters.RxBytes += frameLength;
                frame = new ReceivedFrame(data, frameLength, leaseToken, verified);
                return true;
            }
            return false;
        }

        /// <summary>Copies a frame that spans <paramref name="buffers"/> mergeable buffers into an assembly slot.</summary>
        private bool Assemble(int firstToken, int firstLength, int buffers, out byte* data, out int total, out int leaseToken)
        {
            data = null;
            total = 0;
            leaseToken = -1;
            int slot = -1;
            for (int i = 0; i < AssemblySlots; i++) if (!_assemblyInUse[i]) { slot = i; break; }
            bool ok = slot >= 0 && buffers <= _rxBufferCount;
            byte* destination = ok ? _assemblyMemory.Virtual + slot * _assemblyCapacity : null;
            ok = ok && Append(destination, ref total, ReceiveBuffer(firstToken) + _headerSize, firstLength);
            PostReceiveBuffer(firstToken);
            for (int k = 1; k < buffers; k++)
            {
                if (!_rx.TryGetUsed(out int token, out uint length))
                {
                    // The device promised num_buffers but did not use them all: drop what we have.
                    if (_rx.IsBroken) StopOnDeviceError(_rx);
                    _counters.RxErrors++;
                    return false;
                }
                ok = ok && Append(destination, ref total, ReceiveBuffer(token), (int)length);
                PostReceiveBuffer(token);
            }
            if (!ok)
            {
                _counters.RxDropped++;
                return false;
            }
            _assemblyInUse[slot] = true;
            data = destination;
            leaseToken = AssemblyTokenBase + slot;
            return true;
        }

        private bool Append(byte* destination, ref int total, byte* source, int length)
        {
            if (total + length > _assemblyCapacity) return false;
            new ReadOnlySpan<byte>(source, length).CopyTo(new Span<byte>(destination + total, length));
            total += length;
            return true;
        }

        private void RepostAfterDrop(int token)
        {
            PostReceiveBuffer(token);
            _counters.RxDropped++;
        }

        public void Release(in ReceivedFrame frame)
        {
            int token = frame.Token;
            if (token >= AssemblyTokenBase && token < AssemblyTokenBase + AssemblySlots)
            {
                _assemblyInUse[token - AssemblyTokenBase] = false;
                return;
            }
            if ((uint)token >= (uint)_rxBufferCount || !_rxLent[token]) return; // not ours, or released twice
            _rxLent[token] = false;
            if (!_operational) return;
            PostReceiveBuffer(token);
            // Batch the notification: kick when a quarter of the ring is waiting (Poll flushes the rest).
            if (_rxRefillsPending >= _rxBufferCount / 4) FlushReceiveRefills();
        }

        /// <summary>Receive buffers the driver currently holds lent to the stack (for leak checks).</summary>
        public int ReceiveBuffersLent
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _rxBufferCount; i++) if (_rxLent[i]) n++;
                for (int i = 0; i < AssemblySlots; i++) if (_assemblyInUse[i]) n++;
                return n;
            }
        }
    }
}
