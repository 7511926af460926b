using Cosmos.Drivers.Xen.Spec;
using Cosmos.Drivers.XenNetfront.Spec;
using Cosmos.Hal.Memory;
using Cosmos.Hal.Network;

namespace Cosmos.Drivers.XenNetfront
{
    // Receive (netif.h, request-rx-copy=1): one page per buffer, granted read-write to the backend once;
    // the backend copies each packet into the page of a request and answers in the same ring slot with the
    // request's id, the offset and the length. A packet spread over several slots (NETRXF_more_data, with
    // feature-sg) is copied into the assembly buffer; extra-info slots (NETRXF_extra_info) are skipped, and
    // the page of their request is posted again.
    public sealed unsafe partial class XenNetfrontDevice
    {
        private const int AssemblyToken = 1 << 20;
        private DmaRegion _rxMemory;
        private int _rxCount;
        private int[] _rxGrant;
        private bool[] _rxPosted;
        private bool[] _rxLent;
        private int[] _rxIdAtSlot;
        private int _rxRefillsPending;
        private DmaRegion _assembly;
        private bool _assemblyLent;

        public long MultiSlotFrames { get; private set; }
        public long ExtraInfoSlots { get; private set; }
        /// <summary>Packets that came with a GSO extra (netback coalesced segments; feature-gso-tcpv4).</summary>
        public long CoalescedFrames { get; private set; }
        /// <summary>Frames that came with NETRXF_csum_blank (a partial checksum; feature-no-csum-offload=0).</summary>
        public long ChecksumBlankFrames { get; private set; }
        /// <summary>Packets dropped for an offload the backend got wrong: a bad GSO extra, headers missing, too large.</summary>
        public long OffloadErrors { get; private set; }
        /// <summary>Bytes of the largest frame received.</summary>
        public int LargestFrame { get; private set; }
        private int _assemblyCapacity;
        public int ReceiveBuffersLent { get { int n = 0; for (int i = 0; i < _rxCount; i++) if (_rxLent[i]) n++; return n; } }

        private bool SetUpReceiveBuffers()
        {
            _rxCount = _options.ReceiveBuffers <= 0 || _options.ReceiveBuffers > _rx.Size ? _rx.Size : _options.ReceiveBuffers;
            _rxMemory = _platform.Memory.Allocate((ulong)_rxCount * XenPage.Size, XenPage.Size);
            // A multi-slot packet is copied into one buffer: a frame of the MTU, or with feature-gso-tcpv4 a whole
            // 64 KiB IPv4 packet with its Ethernet header.
            _assemblyCapacity = UsingReceiveSegmentation ? LargeReceiveFrame : MaxFrame;
            _assembly = _platform.Memory.Allocate((ulong)((_assemblyCapacity + XenPage.Size - 1) / XenPage.Size) * XenPage.Size, XenPage.Size);
            if (!_rxMemory.IsValid || !_assembly.IsValid) return false;
            _rxGrant = new int[_rxCount];
            _rxPosted = new bool[_rxCount];
            _rxLent = new bool[_rxCount];
            _rxIdAtSlot = new int[_rx.Size];
            for (int i = 0; i < _rx.Size; i++) _rxIdAtSlot[i] = -1;
            for (int i = 0; i < _rxCount; i++)
            {
                _rxGrant[i] = Grants.Grant(_xenbus.BackendDomain, (_rxMemory.Physical >> XenPage.Shift) + (ulong)i, readOnly: false);
                if (_rxGrant[i] < 0) return false;
                if (!PostReceive(i)) return false;
            }
            _rxRefillsPending = 0;
            return true;
        }

        private byte* ReceivePage(int id) => _rxMemory.Virtual + (long)id * XenPage.Size;

        private bool PostReceive(int id)
        {
            uint slot = _rx.RequestProducerPrivate;
            NetifRxRequest* request = (NetifRxRequest*)_rx.NextRequest();
            if (request == null) return false;
            request->Id = (ushort)id;
            request->Padding = 0;
            request->GrantRef = (uint)_rxGrant[id];
            _rxIdAtSlot[slot & (uint)(_rx.Size - 1)] = id;
            _rxPosted[id] = true;
            _rxRefillsPending++;
            return true;
        }

        private void FlushReceiveRefills()
        {
            if (_rxRefillsPending == 0 || !_operational) return;
            _rxRefillsPending = 0;
            if (_rx.PushRequests()) Notify(); else _counters.NotificationsSuppressed++;
        }

        public bool TryReceive(out ReceivedFrame frame)
        {
            frame = default;
            while (_operational)
            {
                if (_rx.UnconsumedResponses() == 0)
                {
                    if (_rx.IsBroken) StopOnBackendError(string.Concat("receive ring: ", _rx.Error));
                    return false;
                }
                if (!TakeReceiveSlot(out NetifRxResponse response, out int id)) return false;
                if (response.Status <= 0)
                {
                    // NETIF_RSP_DROPPED / ERROR, or an empty packet: count it, give the page back.
                    if (response.Status == NetifStatus.Dropped) _counters.RxDropped++; else _counters.RxErrors++;
                    PostReceive(id);
                    if ((response.Flags & (NetifFlags.RxMoreData | NetifFlags.RxExtraInfo)) != 0 && !SkipRestOfPacket(response.Flags)) return false;
                    continue;
                }
                // netif.h "Guest receive": the extras follow the first fragment, before the second.
                ReceiveExtras extras = default;
                if ((response.Flags & NetifFlags.RxExtraInfo) != 0 && !ReadExtraInfo(ref extras)) return false;

                byte* data;
                int length;
                int token;
                if ((response.Flags & NetifFlags.RxMoreData) == 0)
                {
                    data = ReceivePage(id) + response.Offset;
                    length = response.Status;
                    token = id;
                    _rxLent[id] = true;
                }
                else
                {
                    if (!AssembleMultiSlot(response, id, out length)) continue;
                    data = _assembly.Virtual;
                    token = AssemblyToken;
                    _assemblyLent = true;
                    MultiSlotFrames++;
                }
                var received = new ReceivedFrame(data, length, token, false);
                if (!AcceptOffloads(response.Flags, extras, data, length, out bool verified))
                {
                    OffloadErrors++;
                    _counters.RxErrors++;
                    Release(received);
                    continue;
                }
                if (length > LargestFrame) LargestFrame = length;
                _counters.RxFrames++;
                _counters.RxBytes += length;
                frame = new ReceivedFrame(data, length, token, verified);
                return true;
            }
            return false;
        }

        /// <summary>
        /// Takes one response and checks it: the id must be a page we posted and have not had back, and offset
        /// plus length must stay inside that page. A violation stops the device before anything is read.
        /// </summary>
        private bool TakeReceiveSlot(out NetifRxResponse response, out int id)
        {
            uint slot = _rx.ResponseConsumer;
            response = *(NetifRxResponse*)_rx.TakeResponse();
            id = response.Id;
            if ((uint)id >= (uint)_rxCount || !_rxPosted[id])
            {
                StopOnBackendError(string.Concat("receive response with id ", ((long)id).ToString(), ", which was not posted"));
                return false;
            }
            // With rx-copy the backend consumes requests and produces responses in lockstep, one slot each
            // (Linux netback; Linux netfront relies on it too): the id must be the one posted in this slot.
            if (_rxIdAtSlot[slot & (uint)(_rx.Size - 1)] != id)
            {
                StopOnBackendError(string.Concat("receive response with id ", ((long)id).ToString(), " in the slot of another request"));
                return false;
            }
            _rxPosted[id] = false;
            if (response.Status > 0 && response.Offset + response.Status > XenPage.Size)
            {
                StopOnBackendError(string.Concat(string.Concat("receive response runs past its page (offset ", ((long)response.Offset).ToString()),
                    string.Concat(", length ", ((long)response.Status).ToString(), ")")));
                return false;
            }
            return true;
        }

        /// <summary>
        /// Extra-info slots follow a response with NETRXF_extra_info (netif.h "Extra Info"). They carry no id: the
        /// page of the request in that ring slot is what the backend used up, so that page is posted again. A GSO
        /// extra is kept for <see cref="AcceptOffloads"/>; other types are skipped.
        /// </summary>
        private bool ReadExtraInfo(ref ReceiveExtras extras)
        {
            while (true)
            {
                if (_rx.UnconsumedResponses() == 0) { StopOnBackendError("extra-info slot missing after NETRXF_extra_info"); return false; }
                uint slot = _rx.ResponseConsumer;
                NetifExtraInfo extra = *(NetifExtraInfo*)_rx.TakeResponse();
                ExtraInfoSlots++;
                int id = _rxIdAtSlot[slot & (uint)(_rx.Size - 1)];
                if (id >= 0 && _rxPosted[id]) { _rxPosted[id] = false; PostReceive(id); }
                if (extra.Type == NetifExtra.TypeGso)
                {
                    if (extras.HasGso) extras.Malformed = true; // two GSO extras for one packet
                    extras.HasGso = true;
                    extras.GsoSize = extra.Word0;
                    extras.GsoType = extra.Byte2;
                }
                if ((extra.Flags & NetifFlags.ExtraFlagMore) == 0) return true;
            }
        }

        private struct ReceiveExtras
        {
            public bool HasGso, Malformed;
            public int GsoSize;
            public byte GsoType;
        }

        /// <summary>
        /// Checks a received packet's offload flags and GSO extra against what we negotiated, and its headers against
        /// what the flags claim. False: the packet is dropped (counted in <see cref="OffloadErrors"/>), never handed on.
        /// - A GSO extra (XEN_NETIF_EXTRA_TYPE_GSO) is accepted only with feature-gso-tcpv4=1 written by us, of type
        ///   TCPV4, with a segment size above 0 (netif.h: "size: maximum payload size of each segment"), on an IPv4
        ///   TCP packet; only such a packet may pass the MTU.
        /// - NETRXF_csum_blank says the transport checksum holds only the pseudo-header sum, not where it is: the
        ///   IPv4 and TCP/UDP headers must be there to find it. A frame of MTU size gets it completed (cheap, and
        ///   the bytes are then exactly what a wire would carry); a coalesced packet is passed as verified without
        ///   summing 64 KiB again: it never crossed a wire (netback built it from the sender's segments or stack),
        ///   and the stack consumes frames in place and forwards none (the virtio driver does the same).
        /// </summary>
        private bool AcceptOffloads(ushort flags, in ReceiveExtras extras, byte* data, int length, out bool verified)
        {
            verified = (flags & NetifFlags.RxDataValidated) != 0;
            var bytes = new System.Span<byte>(data, length);
            if (extras.Malformed) return false;
            if (extras.HasGso)
            {
                if (!UsingReceiveSegmentation || extras.GsoType != NetifExtra.GsoTypeTcpV4 || extras.GsoSize == 0) return false;
                if (!InternetChecksum.TryLocateIpv4Transport(bytes, out _, out int checksumOffset) || checksumOffset != 16) return false;
                CoalescedFrames++;
            }
            else if (length > MaxFrame) return false; // larger than the MTU without a GSO extra
            if ((flags & NetifFlags.RxChecksumBlank) != 0)
            {
                if (!InternetChecksum.TryLocateIpv4Transport(bytes, out _, out _)) return false;
                ChecksumBlankFrames++;
                if (length <= MaxFrame) InternetChecksum.CompleteIpv4Transport(bytes);
                verified = true;
            }
            return true;
        }

        /// <summary>Drops the remaining slots of a packet whose first slot was an error.</summary>
        private bool SkipRestOfPacket(ushort flags)
        {
            ReceiveExtras ignored = default;
            if ((flags & NetifFlags.RxExtraInfo) != 0 && !ReadExtraInfo(ref ignored)) return false;
            int slots = 1;
            while ((flags & NetifFlags.RxMoreData) != 0)
            {
                if (++slots > _rx.Size) { StopOnBackendError("a packet's more_data chain runs longer than the ring"); return false; }
                if (_rx.UnconsumedResponses() == 0) { StopOnBackendError("packet ends without its last slot"); return false; }
                if (!TakeReceiveSlot(out NetifRxResponse next, out int id)) return false;
                PostReceive(id);
                flags = next.Flags;
            }
            return true;
        }

        /// <summary>Copies a packet spread over slots into the assembly page; false (counted) if it cannot be kept.</summary>
        private bool AssembleMultiSlot(NetifRxResponse first, int firstId, out int total)
        {
            total = 0;
            bool keep = UsingScatterGather && !_assemblyLent;
            if (!keep) _counters.RxDropped++;
            ushort flags = first.Flags;
            NetifRxResponse current = first;
            int id = firstId;
            int slots = 1;
            while (true)
            {
                if (keep && total + current.Status <= _assemblyCapacity)
                {
                    new System.Span<byte>(ReceivePage(id) + current.Offset, current.Status).CopyTo(new System.Span<byte>(_assembly.Virtual + total, current.Status));
                    total += current.Status;
                }
                else if (keep)
                {
                    // Larger than we can take: the MTU's frame, or with feature-gso-tcpv4 a 64 KiB IPv4 packet.
                    keep = false;
                    OffloadErrors++;
                    _counters.RxErrors++;
                }
                PostReceive(id);
                if ((flags & NetifFlags.RxMoreData) == 0) break;
                // Bounded even if the backend keeps producing while we consume: no packet spans more than the ring.
                if (++slots > _rx.Size) { StopOnBackendError("a packet's more_data chain runs longer than the ring"); return false; }
                if (_rx.UnconsumedResponses() == 0) { StopOnBackendError("packet ends without its last slot"); return false; }
                if (!TakeReceiveSlot(out current, out id)) return false;
                if (current.Status <= 0) { StopOnBackendError("error status inside a multi-slot packet"); return false; }
                flags = current.Flags;
            }
            return keep;
        }

        public void Release(in ReceivedFrame frame)
        {
            int token = frame.Token;
            if (token == AssemblyToken) { _assemblyLent = false; return; }
            if ((uint)token >= (uint)_rxCount || !_rxLent[token]) return;
            _rxLent[token] = false;
            if (_operational) PostReceive(token);
        }
    }
}
