using System;
using Cosmos.Drivers.Virtio.Queues;
using Cosmos.Drivers.VirtioNet.Spec;
using Cosmos.Hal.Memory;
using Cosmos.Hal.Network;

namespace Cosmos.Drivers.VirtioNet
{
    public sealed unsafe partial class VirtioNetDevice
    {
        // Transmit: a frame buffer and a header slot per ring entry. Each frame goes out as two segments
        // (header, frame): one ring descriptor with indirect descriptors, a chain of two without.
        private DmaRegion _txMemory;
        private DmaRegion _txHeaderMemory;
        private int _txBufferCount;
        private int[] _txFree;
        private int _txFreeCount;
        private int[] _txLength;     // bytes queued per buffer (0 = not in flight)
        private bool[] _txReserved;

        // With HOST_TSO4: a few buffers for frames the device segments (§5.1.6.2), up to a 64 KiB IPv4 packet each.
        // Their tokens start at LargeTokenBase so reclaiming tells them from the frame buffers.
        private const int LargeTokenBase = 1 << 20;
        public const int LargeTransmitBuffers = 8;
        public const int LargeFrame = 14 + 65535;
        private const int LargeBufferStride = 65536 + 64;
        private DmaRegion _largeMemory, _largeHeaderMemory;
        private int[] _largeFree;
        private int _largeFreeCount;
        private bool[] _largeReserved;
        private int[] _largeLength;
        public long SegmentedFrames { get; private set; }

        /// <summary>The device segments TCP/IPv4 for us (HOST_TSO4 negotiated).</summary>
        public bool SegmentsTransmit => Has(NetFeatures.HostTso4) && _largeFree != null;
        public int MaxSegmentationFrame => SegmentsTransmit ? LargeFrame : 0;

        private bool SetUpLargeTransmitBuffers()
        {
            if (!Has(NetFeatures.HostTso4)) return true;
            _largeMemory = _dma.Allocate((ulong)LargeTransmitBuffers * LargeBufferStride, 4096);
            _largeHeaderMemory = _dma.Allocate((ulong)LargeTransmitBuffers * VirtioNetHeader.Size, 64);
            if (!_largeMemory.IsValid || !_largeHeaderMemory.IsValid) return false;
            _largeFree = new int[LargeTransmitBuffers];
            _largeReserved = new bool[LargeTransmitBuffers];
            _largeLength = new int[LargeTransmitBuffers];
            for (int i = 0; i < LargeTransmitBuffers; i++) _largeFree[i] = LargeTransmitBuffers - 1 - i;
            _largeFreeCount = LargeTransmitBuffers;
            return true;
        }

        private bool SetUpTransmitBuffers()
        {
            if (!SetUpLargeTransmitBuffers()) return false;
            _txBufferCount = _tx.Size;
            _txMemory = _dma.Allocate((ulong)_txBufferCount * TxBufferSize, 4096);
            _txHeaderMemory = _dma.Allocate((ulong)_txBufferCount * VirtioNetHeader.Size, 4096);
            if (!_txMemory.IsValid || !_txHeaderMemory.IsValid) return false;
            _txFree = new int[_txBufferCount];
            _txLength = new int[_txBufferCount];
            _txReserved = new bool[_txBufferCount];
            for (int i = 0; i < _txBufferCount; i++) _txFree[i] = _txBufferCount - 1 - i;
            _txFreeCount = _txBufferCount;
            return true;
        }

        private void ReclaimTransmitted()
        {
            while (_tx.TryGetUsed(out int token, out _))
            {
                // The queue already checked the token is one we put in flight.
                if (token >= LargeTokenBase)
                {
                    int large = token - LargeTokenBase;
                    _counters.TxFrames++;
                    _counters.TxBytes += _largeLength[large];
                    _largeLength[large] = 0;
                    _largeFree[_largeFreeCount++] = large;
                    continue;
                }
                _counters.TxFrames++;
                _counters.TxBytes += _txLength[token];
                _txLength[token] = 0;
                _txFree[_txFreeCount++] = token;
            }
            if (_tx.IsBroken) StopOnDeviceError(_tx);
        }

        public bool TryReserveTransmit(out TransmitBuffer buffer)
        {
            buffer = default;
            if (!_operational) return false;
            if (_txFreeCount == 0 || !_tx.CanAdd(2))
            {
                Flush(); // the device cannot free what it has not been told about
                ReclaimTransmitted();
            }
            if (!_operational || _txFreeCount == 0 || !_tx.CanAdd(2))
            {
                _counters.TxBusy++;
                return false;
            }
            int index = _txFree[--_txFreeCount];
            _txReserved[index] = true;
            buffer = new TransmitBuffer(_txMemory.Virtual + (long)index * TxBufferSize, MaxFrame, index);
            return true;
        }

        public bool TryReserveLargeTransmit(out TransmitBuffer buffer)
        {
            buffer = default;
            if (!_operational || !SegmentsTransmit) return false;
            if (_largeFreeCount == 0 || !_tx.CanAdd(2))
            {
                Flush();
                ReclaimTransmitted();
            }
            if (!_operational || _largeFreeCount == 0 || !_tx.CanAdd(2)) return false; // the caller falls back to MTU-sized frames
            int index = _largeFree[--_largeFreeCount];
            _largeReserved[index] = true;
            buffer = new TransmitBuffer(_largeMemory.Virtual + (long)index * LargeBufferStride, LargeFrame, LargeTokenBase + index);
            return true;
        }

        /// <summary>
        /// A TCP/IPv4 frame for the device to segment (§5.1.6.2): gso_type TCPV4, gso_size the payload per segment,
        /// hdr_len the header bytes, and the checksum partial (NEEDS_CSUM), which TSO requires (HOST_TSO4 needs CSUM).
        /// </summary>
        public void TransmitSegmented(in TransmitBuffer buffer, int length, ChecksumOffload checksum, SegmentationOffload segmentation)
        {
            int index = buffer.Token - LargeTokenBase;
            if (!SegmentsTransmit || (uint)index >= LargeTransmitBuffers || !_largeReserved[index]) { _counters.TxErrors++; return; }
            _largeReserved[index] = false;
            if (!_operational || length < segmentation.HeaderLength || length > LargeFrame || checksum.Start < 0 || segmentation.SegmentSize <= 0)
            {
                _counters.TxErrors++;
                _largeFree[_largeFreeCount++] = index;
                return;
            }
            if (DropForLinkDown())
            {
                _largeFree[_largeFreeCount++] = index;
                return;
            }
            byte* frame = _largeMemory.Virtual + (long)index * LargeBufferStride;
            VirtioNetHeader* header = (VirtioNetHeader*)(_largeHeaderMemory.Virtual + (long)index * VirtioNetHeader.Size);
            *header = default;
            header->Flags = NetHeaderFlags.NeedsChecksum;
            header->ChecksumStart.Value = (ushort)checksum.Start;
            header->ChecksumOffset.Value = (ushort)checksum.Offset;
            bool needsSegmenting = length - segmentation.HeaderLength > segmentation.SegmentSize;
            if (needsSegmenting)
            {
                header->GsoType = NetGsoType.TcpV4;
                header->GsoSize.Value = (ushort)segmentation.SegmentSize;
                header->HeaderLength.Value = (ushort)segmentation.HeaderLength;
            }
            Span<BufferSegment> segments = stackalloc BufferSegment[2];
            segments[0] = new BufferSegment(_largeHeaderMemory.PhysicalOf((byte*)header), (uint)_headerSize, deviceWritable: false);
            segments[1] = new BufferSegment(_largeMemory.PhysicalOf(frame), (uint)length, deviceWritable: false);
            if (!_tx.TryAdd(segments, LargeTokenBase + index))
            {
                _counters.TxErrors++;
                _largeFree[_largeFreeCount++] = index;
                return;
            }
            _largeLength[index] = length;
            if (needsSegmenting) SegmentedFrames++;
            if (DeferNotifications) _transmitKickPending = true;
            else KickTransmit();
        }

        public void CancelTransmit(in TransmitBuffer buffer)
        {
            if (buffer.Token >= LargeTokenBase)
            {
                int large = buffer.Token - LargeTokenBase;
                if (_largeReserved == null || (uint)large >= LargeTransmitBuffers || !_largeReserved[large]) return;
                _largeReserved[large] = false;
                _largeFree[_largeFreeCount++] = large;
                return;
            }
            int index = buffer.Token;
            if ((uint)index >= (uint)_txBufferCount || !_txReserved[index]) return;
            _txReserved[index] = false;
            _txFree[_txFreeCount++] = index;
        }

        public void Transmit(in TransmitBuffer buffer, int length, ChecksumOffload checksum)
        {
            int index = buffer.Token;
            if ((uint)index >= (uint)_txBufferCount || !_txReserved[index]) { _counters.TxErrors++; return; }
            _txReserved[index] = false;
            if (!_operational || length < 14 || length > MaxFrame)
            {
                _counters.TxErrors++;
                _txFree[_txFreeCount++] = index;
                return;
            }
            if (DropForLinkDown())
            {
                _txFree[_txFreeCount++] = index;
                return;
            }
            byte* frame = _txMemory.Virtual + (long)index * TxBufferSize;
            VirtioNetHeader* header = (VirtioNetHeader*)(_txHeaderMemory.Virtual + (long)index * VirtioNetHeader.Size);
            *header = default;
            if (checksum.Start >= 0)
            {
                if (Has(NetFeatures.Checksum))
                {
                    // §5.1.6.2: the device computes the checksum from csum_start and stores it at csum_offset.
                    header->Flags = NetHeaderFlags.NeedsChecksum;
                    header->ChecksumStart.Value = (ushort)checksum.Start;
                    header->ChecksumOffset.Value = (ushort)checksum.Offset;
                }
                else if (!InternetChecksum.Complete(new Span<byte>(frame, length), checksum.Start, checksum.Offset))
                {
                    _counters.TxErrors++;
                }
            }
            Span<BufferSegment> segments = stackalloc BufferSegment[2];
            segments[0] = new BufferSegment(_txHeaderMemory.PhysicalOf((byte*)header), (uint)_headerSize, deviceWritable: false);
            segments[1] = new BufferSegment(_txMemory.PhysicalOf(frame), (uint)length, deviceWritable: false);
            if (!_tx.TryAdd(segments, index))
            {
                // Cannot happen after a successful reserve (it checked for room); count it if it does.
                _counters.TxErrors++;
                _txFree[_txFreeCount++] = index;
                return;
            }
            _txLength[index] = length;
            if (DeferNotifications) _transmitKickPending = true;
            else KickTransmit();
        }

        /// <summary>
        /// When set, Transmit only queues and <see cref="Flush"/> publishes the batch with one notification
        /// (like Linux's xmit_more): the service loop flushes once per turn.
        /// </summary>
        public bool DeferNotifications { get; set; }
        private bool _transmitKickPending;

        public void Flush()
        {
            if (_transmitKickPending) KickTransmit();
        }

        private void KickTransmit()
        {
            _transmitKickPending = false;
            if (_tx.Kick()) _counters.Notifications++; else _counters.NotificationsSuppressed++;
        }

        /// <summary>Transmit buffers in flight or reserved (for leak checks), large ones included.</summary>
        public int TransmitBuffersOutstanding => _txBufferCount - _txFreeCount + (_largeFree == null ? 0 : LargeTransmitBuffers - _largeFreeCount);
    }
}
