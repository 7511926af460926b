using Cosmos.Drivers.Xen.Spec;
using Cosmos.Drivers.XenNetfront.Spec;
using Cosmos.Hal.Memory;
using Cosmos.Hal.Network;

namespace Cosmos.Drivers.XenNetfront
{
    // Transmit segmentation (netif.h "Guest transmit" and "feature-gso-tcpv4"): one TCP/IPv4 packet of up to
    // 64 KiB goes out as
    //   slot 0:    the first page, flags csum_blank | data_validated | extra_info | more_data, size = the whole packet
    //   extra:     netif_extra_info GSO { size = payload bytes per segment (the MSS), type = TCPV4 }
    //   slot 1..n: the following pages, more_data on all but the last, size = that slot's bytes
    // (The size field is 16 bits: the frame, Ethernet header included, is at most 65,535 bytes.)
    // Netback segments it (or hands it whole to a peer that takes GSO). Every slot lies in its own granted page,
    // so no request crosses a page, and a packet takes at most 16 data slots, within XEN_NETIF_NR_SLOTS_MIN (18):
    // Linux netback disconnects a frontend that sends many more. Each data slot is answered with its own id; the
    // extra slot with NETIF_RSP_NULL. A large buffer is free again once all its data slots are answered.
    public sealed unsafe partial class XenNetfrontDevice
    {
        public const int LargeTransmitBuffers = 8;
        /// <summary>A transmit request's size field is 16 bits and counts the whole frame (netif.h "Guest transmit").</summary>
        public const int LargeTransmitFrame = NetifLimits.MaxPacket;
        /// <summary>On receive the slots' sizes are summed: a coalesced 64 KiB IPv4 packet and its Ethernet header.</summary>
        public const int LargeReceiveFrame = 14 + NetifLimits.MaxPacket;
        private const int PagesPerLarge = (LargeTransmitFrame + XenPage.Size - 1) / XenPage.Size; // 16
        private const int LargeTokenBase = 1 << 20;
        // Request ids of large-buffer slots: LargeIdBase + buffer * PagesPerLarge + slot; below it, small buffer indices.
        private const int LargeIdBase = 0x1000;

        private DmaRegion _largeMemory;
        private int[] _largeGrant;             // one per page
        private byte[] _largeState;            // TxFree, TxReserved, TxInFlight
        private int[] _largeSlotsInFlight;     // data slots of the buffer not yet answered
        private bool[] _largeSlotPending;      // per id above LargeIdBase
        private int[] _largeLength;
        private int[] _largeFree;
        private int _largeFreeCount;
        private int _txExtrasInFlight;

        /// <summary>Packets sent with a GSO extra (netback cut them into segments).</summary>
        public long SegmentedFrames { get; private set; }
        /// <summary>Bytes of the largest packet sent in one go.</summary>
        public int LargestTransmit { get; private set; }

        private int LargeBuffersOutstanding => _largeFree == null ? 0 : LargeTransmitBuffers - _largeFreeCount;
        private int LargeBuffersInFlight
        {
            get
            {
                int n = 0;
                if (_largeState != null) for (int i = 0; i < _largeState.Length; i++) if (_largeState[i] == TxInFlight) n++;
                return n;
            }
        }

        private bool SetUpLargeTransmitBuffers()
        {
            _largeMemory = _platform.Memory.Allocate((ulong)(LargeTransmitBuffers * PagesPerLarge) * XenPage.Size, XenPage.Size);
            if (!_largeMemory.IsValid) return false;
            _largeGrant = new int[LargeTransmitBuffers * PagesPerLarge];
            for (int p = 0; p < _largeGrant.Length; p++) _largeGrant[p] = -1;
            for (int p = 0; p < _largeGrant.Length; p++)
            {
                _largeGrant[p] = Grants.Grant(_xenbus.BackendDomain, (_largeMemory.Physical >> XenPage.Shift) + (ulong)p, readOnly: true);
                if (_largeGrant[p] < 0) return false;
            }
            _largeState = new byte[LargeTransmitBuffers];
            _largeSlotsInFlight = new int[LargeTransmitBuffers];
            _largeSlotPending = new bool[LargeTransmitBuffers * PagesPerLarge];
            _largeLength = new int[LargeTransmitBuffers];
            _largeFree = new int[LargeTransmitBuffers];
            for (int i = LargeTransmitBuffers - 1; i >= 0; i--) _largeFree[_largeFreeCount++] = i;
            return true;
        }

        private byte* LargeBuffer(int index) => _largeMemory.Virtual + (long)index * PagesPerLarge * XenPage.Size;

        /// <summary>The largest frame the stack may hand us to segment, 0 unless netback takes feature-gso-tcpv4.</summary>
        public int MaxSegmentationFrame => _largeFree != null ? LargeTransmitFrame : 0;

        public bool TryReserveLargeTransmit(out TransmitBuffer buffer)
        {
            buffer = default;
            if (!_operational || _largeFree == null) return false;
            if (_largeFreeCount == 0 || _tx.FreeRequests < PagesPerLarge + 1) ReclaimTransmitted();
            // No room: the caller falls back to MTU-sized frames (not counted as busy).
            if (!_operational || _largeFreeCount == 0 || _tx.FreeRequests < PagesPerLarge + 1) return false;
            int index = _largeFree[--_largeFreeCount];
            _largeState[index] = TxReserved;
            buffer = new TransmitBuffer(LargeBuffer(index), LargeTransmitFrame, LargeTokenBase + index);
            return true;
        }

        private void CancelLargeTransmit(int token)
        {
            int index = token - LargeTokenBase;
            if (_largeFree == null || (uint)index >= LargeTransmitBuffers || _largeState[index] != TxReserved) return;
            _largeState[index] = TxFree;
            _largeFree[_largeFreeCount++] = index;
        }

        /// <summary>
        /// Sends a TCP/IPv4 packet for netback to cut into segments of <see cref="SegmentationOffload.SegmentSize"/>
        /// payload bytes. The checksum must be partial (csum_blank): a GSO packet's is by nature. A packet whose
        /// payload fits one segment goes without the GSO extra (netback rejects a GSO size it cannot use).
        /// </summary>
        public void TransmitSegmented(in TransmitBuffer buffer, int length, ChecksumOffload checksum, SegmentationOffload segmentation)
        {
            int index = buffer.Token - LargeTokenBase;
            if (_largeFree == null || (uint)index >= LargeTransmitBuffers || _largeState[index] != TxReserved) { _counters.TxErrors++; return; }
            if (!_operational || length < segmentation.HeaderLength || length > LargeTransmitFrame || checksum.Start < 0
                || segmentation.SegmentSize <= 0 || segmentation.SegmentSize > NetifLimits.MaxPacket || segmentation.HeaderLength < 14 + 20 + 20)
            {
                _counters.TxErrors++;
                CancelLargeTransmit(buffer.Token);
                return;
            }
            int slots = (length + XenPage.Size - 1) / XenPage.Size;
            bool gso = length - segmentation.HeaderLength > segmentation.SegmentSize;
            if (_tx.FreeRequests < slots + (gso ? 1 : 0)) { _counters.TxBusy++; CancelLargeTransmit(buffer.Token); return; }

            ushort more = slots > 1 ? NetifFlags.TxMoreData : (ushort)0;
            NetifTxRequest* first = (NetifTxRequest*)_tx.NextRequest();
            first->GrantRef = (uint)_largeGrant[index * PagesPerLarge];
            first->Offset = 0;
            first->Flags = (ushort)(NetifFlags.TxChecksumBlank | NetifFlags.TxDataValidated | more | (gso ? NetifFlags.TxExtraInfo : 0));
            first->Id = (ushort)(LargeIdBase + index * PagesPerLarge);
            first->Size = (ushort)length; // netif.h: the first slot's size is the whole packet's
            if (gso)
            {
                NetifExtraInfo* extra = (NetifExtraInfo*)_tx.NextRequest();
                extra->Type = NetifExtra.TypeGso;
                extra->Flags = 0; // no further extra
                extra->Word0 = (ushort)segmentation.SegmentSize;
                extra->Byte2 = NetifExtra.GsoTypeTcpV4;
                extra->Byte3 = 0;
                extra->Word2 = 0; // no GSO features (no ECN)
                _txExtrasInFlight++;
                SegmentedFrames++;
            }
            _largeSlotPending[index * PagesPerLarge] = true;
            for (int k = 1; k < slots; k++)
            {
                int bytes = k == slots - 1 ? length - k * XenPage.Size : XenPage.Size;
                NetifTxRequest* request = (NetifTxRequest*)_tx.NextRequest();
                request->GrantRef = (uint)_largeGrant[index * PagesPerLarge + k];
                request->Offset = 0;
                request->Flags = k == slots - 1 ? (ushort)0 : NetifFlags.TxMoreData;
                request->Id = (ushort)(LargeIdBase + index * PagesPerLarge + k);
                request->Size = (ushort)bytes;
                _largeSlotPending[index * PagesPerLarge + k] = true;
            }
            _largeState[index] = TxInFlight;
            _largeSlotsInFlight[index] = slots;
            _largeLength[index] = length;
            if (length > LargestTransmit) LargestTransmit = length;
            _counters.TxFrames++;
            _counters.TxBytes += length;
            _txPending = true;
            if (!DeferNotifications) Flush();
        }

        /// <summary>One answered data slot of a large buffer: it must be one we sent and have not had back.</summary>
        private bool ReclaimLargeSlot(NetifTxResponse response)
        {
            int slotId = response.Id - LargeIdBase;
            int index = slotId / PagesPerLarge;
            if (_largeFree == null || (uint)index >= LargeTransmitBuffers || _largeState[index] != TxInFlight || !_largeSlotPending[slotId])
            {
                StopOnBackendError(string.Concat("transmit response with id ", ((long)response.Id).ToString(), ", which is not in flight"));
                return false;
            }
            if (response.Status != NetifStatus.Okay && response.Status != NetifStatus.Dropped && response.Status != NetifStatus.Error)
            {
                StopOnBackendError(string.Concat("transmit response with status ", ((long)response.Status).ToString()));
                return false;
            }
            // Netback answers every slot of a packet with the packet's status: count the packet once, by its first slot.
            if (slotId % PagesPerLarge == 0 && response.Status != NetifStatus.Okay) _counters.TxErrors++;
            _largeSlotPending[slotId] = false;
            if (--_largeSlotsInFlight[index] == 0)
            {
                _largeState[index] = TxFree;
                _largeFree[_largeFreeCount++] = index;
            }
            return true;
        }
    }
}
