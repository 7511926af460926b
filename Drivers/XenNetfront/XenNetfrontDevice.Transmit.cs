using Cosmos.Drivers.Xen.Spec;
using Cosmos.Drivers.XenNetfront.Spec;
using Cosmos.Hal.Memory;
using Cosmos.Hal.Network;

namespace Cosmos.Drivers.XenNetfront
{
    // Transmit: 2 KiB buffers, two to a page, so a request never crosses a 4 KiB page (netif.h: "a
    // request's data must not cross a page boundary"). Each page is granted read-only to the backend once.
    // A request's id is the buffer index; the response must name a buffer that is in flight.
    // With feature-gso-tcpv4 (XenNetfrontDevice.Segmentation.cs) a few large buffers of 16 pages carry TCP/IPv4
    // frames of up to 65,535 bytes as one slot per page.
    public sealed unsafe partial class XenNetfrontDevice
    {
        private const int TxBufferSize = 2048;
        private const int TxBuffersPerPage = XenPage.Size / TxBufferSize;
        private const byte TxFree = 0, TxReserved = 1, TxInFlight = 2;

        private DmaRegion _txMemory;
        private int _txCount;
        private int[] _txPageGrant;
        private byte[] _txState;
        private int[] _txFree;
        private int _txFreeCount;
        private bool _txPending;

        public int TransmitBuffersOutstanding => _txCount - _txFreeCount + LargeBuffersOutstanding;

        private bool SetUpTransmitBuffers()
        {
            _txCount = _tx.Size;
            int pages = _txCount / TxBuffersPerPage;
            _txMemory = _platform.Memory.Allocate((ulong)pages * XenPage.Size, XenPage.Size);
            if (!_txMemory.IsValid) return false;
            if (UsingTransmitSegmentation && !SetUpLargeTransmitBuffers()) return false;
            _txPageGrant = new int[pages];
            for (int p = 0; p < pages; p++)
            {
                _txPageGrant[p] = Grants.Grant(_xenbus.BackendDomain, (_txMemory.Physical >> XenPage.Shift) + (ulong)p, readOnly: true);
                if (_txPageGrant[p] < 0) return false;
            }
            _txState = new byte[_txCount];
            _txFree = new int[_txCount];
            for (int i = _txCount - 1; i >= 0; i--) _txFree[_txFreeCount++] = i;
            return true;
        }

        public bool TryReserveTransmit(out TransmitBuffer buffer)
        {
            buffer = default;
            if (!_operational) return false;
            if (_txFreeCount == 0 || _tx.FreeRequests == 0) ReclaimTransmitted();
            if (_txFreeCount == 0 || _tx.FreeRequests == 0)
            {
                _counters.TxBusy++;
                return false;
            }
            int index = _txFree[--_txFreeCount];
            _txState[index] = TxReserved;
            buffer = new TransmitBuffer(_txMemory.Virtual + (long)index * TxBufferSize, MaxFrame, index);
            return true;
        }

        public void CancelTransmit(in TransmitBuffer buffer)
        {
            if (buffer.Token >= LargeTokenBase) { CancelLargeTransmit(buffer.Token); return; }
            int index = buffer.Token;
            if ((uint)index >= (uint)_txCount || _txState[index] != TxReserved) return;
            _txState[index] = TxFree;
            _txFree[_txFreeCount++] = index;
        }

        public void Transmit(in TransmitBuffer buffer, int length, ChecksumOffload checksum)
        {
            int index = buffer.Token;
            if (index >= LargeTokenBase) { _counters.TxErrors++; CancelLargeTransmit(index); return; } // large buffers go through TransmitSegmented
            if ((uint)index >= (uint)_txCount || _txState[index] != TxReserved) { _counters.TxErrors++; return; }
            if (!_operational || length < 14 || length > MaxFrame)
            {
                _counters.TxErrors++;
                CancelTransmit(buffer);
                return;
            }
            ushort flags = 0; // one slot, no extras
            if (checksum.Start >= 0)
            {
                // netif.h NETTXF_csum_blank: the transport checksum field holds only the pseudo-header sum, as our
                // stack emits it; netback finds the field from the IPv4 and TCP/UDP headers and completes it.
                if (UsingTransmitChecksum) flags = NetifFlags.TxChecksumBlank | NetifFlags.TxDataValidated;
                else if (!InternetChecksum.Complete(new System.Span<byte>(_txMemory.Virtual + (long)index * TxBufferSize, length), checksum.Start, checksum.Offset)) _counters.TxErrors++;
            }
            NetifTxRequest* request = (NetifTxRequest*)_tx.NextRequest();
            if (request == null) { _counters.TxBusy++; CancelTransmit(buffer); return; }
            request->GrantRef = (uint)_txPageGrant[index / TxBuffersPerPage];
            request->Offset = (ushort)(index % TxBuffersPerPage * TxBufferSize);
            request->Flags = flags;
            request->Id = (ushort)index;
            request->Size = (ushort)length;
            _txState[index] = TxInFlight;
            _counters.TxFrames++;
            _counters.TxBytes += length;
            _txPending = true;
            if (!DeferNotifications) Flush();
        }

        /// <summary>Publishes the requests made since the last flush; notifies only if the backend asked (req_event).</summary>
        public void Flush()
        {
            if (!_operational) return;
            if (_txPending)
            {
                _txPending = false;
                if (_tx.PushRequests()) Notify(); else _counters.NotificationsSuppressed++;
            }
            FlushReceiveRefills();
        }

        /// <summary>
        /// Takes transmit responses: each must name a buffer (or a slot of a large buffer) in flight; its status is
        /// counted. An extra-info slot is answered with NETIF_RSP_NULL and no meaningful id (netif.h, "Extra Info":
        /// "there is no id information in the opposite direction"); only as many as we sent are accepted.
        /// </summary>
        private void ReclaimTransmitted()
        {
            if (!_operational) return;
            int available = _tx.UnconsumedResponses();
            while (available-- > 0)
            {
                NetifTxResponse response = *(NetifTxResponse*)_tx.TakeResponse();
                if (response.Status == NetifStatus.Null)
                {
                    if (_txExtrasInFlight == 0) { StopOnBackendError("transmit response NETIF_RSP_NULL with no extra-info slot in flight"); return; }
                    _txExtrasInFlight--;
                    continue;
                }
                int index = response.Id;
                if (index >= LargeIdBase) { if (!ReclaimLargeSlot(response)) return; continue; }
                if ((uint)index >= (uint)_txCount || _txState[index] != TxInFlight)
                {
                    StopOnBackendError(string.Concat("transmit response with id ", ((long)index).ToString(), ", which is not in flight"));
                    return;
                }
                if (response.Status == NetifStatus.Dropped) _counters.TxErrors++;
                else if (response.Status == NetifStatus.Error) _counters.TxErrors++;
                else if (response.Status != NetifStatus.Okay)
                {
                    StopOnBackendError(string.Concat("transmit response with status ", ((long)response.Status).ToString()));
                    return;
                }
                _txState[index] = TxFree;
                _txFree[_txFreeCount++] = index;
            }
        }
    }
}
