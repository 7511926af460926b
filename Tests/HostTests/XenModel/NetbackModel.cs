using System.Buffers.Binary;

namespace Cosmos.HostTests.XenModel;

public enum NetbackHostility { None, RxIdNotPosted, RxLengthPastPage, RxProducerAhead, RxDuplicateId, TxIdNotInFlight, TxBadStatus, TxNullUnasked }

/// <summary>
/// A packet for the netback to deliver, with the netif.h receive offloads it carries: NETRXF_data_validated,
/// NETRXF_csum_blank (the frame's transport checksum then holds the pseudo-header sum only), and a GSO extra
/// (XEN_NETIF_EXTRA_TYPE_GSO with size and type). <see cref="Hostile"/> lets it go to a frontend that did not
/// ask for the offload (a real netback would not send it).
/// </summary>
public sealed record RxPacket(byte[] Frame)
{
    public bool DataValidated { get; init; } = true;
    public bool ChecksumBlank { get; init; }
    public int GsoSize { get; init; } = -1; // -1: no GSO extra
    public byte GsoType { get; init; } = NetbackModel.GsoTypeTcpV4;
    public bool Hostile { get; init; }
    /// <summary>Hostile: every slot says more_data, so the chain never ends.</summary>
    public bool EndlessChain { get; init; }
    public static implicit operator RxPacket(byte[] frame) => new(frame);
}

/// <summary>A packet the frontend sent, as the netback reassembled it from its slots (checksum completed if csum_blank).</summary>
public sealed record TxPacket(byte[] Frame, ushort Flags, int Slots, int GsoSize, byte GsoType);

/// <summary>
/// A netback in domain 0 as Linux's xen-netback behaves, from io/netif.h and io/ring.h with its own
/// offsets. It writes the backend's xenstore nodes and goes to InitWait; when the frontend says Connected it
/// reads tx-ring-ref, rx-ring-ref, event-channel, request-rx-copy and feature-rx-notify, maps both rings
/// through the grant table (with Xen's access checks), binds the event channel and goes Connected. Transmit
/// requests are grant-copied out (a request that crosses its page is a protocol violation and fails the
/// test); received frames are grant-copied into the frontend's posted pages, in the slot of the request they
/// consumed, with the request's id.
/// </summary>
public sealed unsafe class NetbackModel : IModelPart
{
    private const int RingSize = 256; // __CONST_RING_SIZE for 12- and 8-byte entries in a 4 KiB page
    private readonly HypervisorModel _xen;
    private readonly XenstoreDaemonModel _store;
    public readonly string Backend, Frontend;
    public byte[] Mac = { 0x00, 0x16, 0x3e, 0x12, 0x34, 0x56 };

    public bool Connected { get; private set; }
    private byte* _tx, _rx;
    private uint _txRef, _rxRef, _port;
    private uint _txReqCons, _txRspProdPvt, _rxReqCons, _rxRspProdPvt;
    /// <summary>The frames put on the bridge: whole packets, or the segments of a GSO packet.</summary>
    public readonly List<byte[]> Transmitted = new();
    /// <summary>The packets as the frontend sent them, one per packet, with their offload flags.</summary>
    public readonly List<TxPacket> TransmittedPackets = new();
    public readonly Queue<RxPacket> ToDeliver = new();
    public readonly List<string> Violations = new();
    public readonly HashSet<uint> TxGrantsSeen = new();
    /// <summary>The grant references of every receive request consumed (pages the frontend posted for us to fill).</summary>
    public readonly HashSet<uint> RxGrantsSeen = new();
    public int NotificationsFromFrontend, NotificationsToFrontend, RxDroppedNoBuffer;

    // Knobs.
    public bool OfferScatterGather = true;
    public int OfferMultiQueue = 2;
    public bool StayInitialising;
    public bool NeverConnect;
    public int RxSlotLimit = 4096;
    public bool RxExtraInfo;
    public NetbackHostility Hostility;
    public int HostileAfterFrames;
    public bool Paused;
    public short TxStatus = 0;
    public bool OfferGsoTcpV4 = true;     // feature-gso-tcpv4, as Linux netback offers
    public bool OfferNoChecksumOffload;   // write feature-no-csum-offload=1 (Linux netback never does)
    /// <summary>A backend that never lets go: it stays in Closing with both rings mapped (a stuck netback).</summary>
    public bool NeverLetGo;
    /// <summary>The toolstack removed this vif's directories; this backend is gone for good.</summary>
    public bool Removed { get; private set; }

    // The frontend's choices, read when it connects (netif.h).
    public bool FrontendScatterGather { get; private set; }
    public bool FrontendGsoTcpV4 { get; private set; }
    public bool FrontendTakesPartialChecksums { get; private set; }

    // netif.h constants, written here from the header rather than taken from the driver.
    public const ushort TxCsumBlank = 1, TxDataValidated = 2, TxMoreData = 4, TxExtraInfo = 8;
    public const ushort RxFlagDataValidated = 1, RxFlagCsumBlank = 2, RxFlagMoreData = 4, RxFlagExtraInfo = 8;
    public const byte ExtraTypeNone = 0, ExtraTypeGso = 1, ExtraFlagMore = 1;
    public const byte GsoTypeTcpV4 = 1, GsoTypeTcpV6 = 2;
    public const short RspNull = 1;
    public const int SlotsMin = 18; // XEN_NETIF_NR_SLOTS_MIN

    public NetbackModel(HypervisorModel xen, XenstoreDaemonModel store, int handle = 0)
    {
        _xen = xen;
        _store = store;
        Backend = $"/local/domain/0/backend/vif/{HypervisorModel.GuestDomain}/{handle}";
        Frontend = $"/local/domain/{HypervisorModel.GuestDomain}/device/vif/{handle}";
        xen.Parts.Add(this);
    }

    /// <summary>The toolstack's part (libxl) and netback's probe: both directories, then InitWait.</summary>
    public NetbackModel Create()
    {
        _store.Set($"{Frontend}/backend", Backend);
        _store.Set($"{Frontend}/backend-id", "0");
        _store.Set($"{Frontend}/mac", string.Join(":", Mac.Select(b => b.ToString("x2"))));
        _store.Set($"{Frontend}/state", "1");
        _store.Set($"{Backend}/frontend", Frontend);
        _store.Set($"{Backend}/frontend-id", HypervisorModel.GuestDomain.ToString());
        _store.Set($"{Backend}/feature-rx-copy", "1");
        if (OfferScatterGather) _store.Set($"{Backend}/feature-sg", "1");
        if (OfferMultiQueue > 0) _store.Set($"{Backend}/multi-queue-max-queues", OfferMultiQueue.ToString());
        if (OfferGsoTcpV4) { _store.Set($"{Backend}/feature-gso-tcpv4", "1"); _store.Set($"{Backend}/feature-gso-tcpv6", "1"); }
        _store.Set($"{Backend}/feature-ipv6-csum-offload", "1");
        if (OfferNoChecksumOffload) _store.Set($"{Backend}/feature-no-csum-offload", "1");
        _store.Set($"{Backend}/state", StayInitialising ? "1" : "2");
        return this;
    }

    public void SetState(int state) => _store.Set($"{Backend}/state", state.ToString());
    public string? FrontendKey(string key) => _store.Get($"{Frontend}/{key}");

    public bool Run()
    {
        bool progress = false;
        string? frontendState = FrontendKey("state"), backendState = _store.Get($"{Backend}/state");
        if (!Connected && !NeverConnect && frontendState == "4" && backendState == "2") progress |= Connect();
        // xen-netback's frontend_changed: the frontend's Closing takes the backend to Closing, disconnecting first
        // (both rings unmapped); its Closed to Closed. Online (not being detached), a Closed backend goes back to
        // InitWait when the frontend says Initialising again ("prepare for reconnect"), for a new connection.
        if (Connected && !NeverLetGo && (frontendState == "5" || frontendState == "6")) { Disconnect(frontendState == "5" ? 5 : 6); return true; }
        if (!Connected && !Removed && backendState == "5" && frontendState == "6" && !NeverLetGo) { SetState(6); return true; }
        if (!Connected && !Removed && !NeverConnect && backendState == "6" && frontendState == "1" && _store.Get($"{Backend}/online") != "0")
        {
            _txReqCons = _txRspProdPvt = _rxReqCons = _rxRspProdPvt = 0;
            Reconnections++;
            SetState(2);
            return true;
        }
        if (!Connected || Paused || Removed) return progress;
        progress |= ProcessTransmit();
        progress |= ProcessReceive();
        return progress;
    }

    private bool Connect()
    {
        string? txRef = FrontendKey("tx-ring-ref"), rxRef = FrontendKey("rx-ring-ref"), channel = FrontendKey("event-channel");
        if (txRef == null || rxRef == null || channel == null) return Fatal("frontend did not write tx-ring-ref, rx-ring-ref and event-channel");
        if (FrontendKey("request-rx-copy") != "1") return Fatal("request-rx-copy must be 1");
        if (FrontendKey("feature-rx-notify") != "1") return Fatal("feature-rx-notify is mandatory");
        // netif.h: a missing feature-no-csum-offload means checksum offload is on; gso and sg only when present.
        FrontendScatterGather = FrontendKey("feature-sg") == "1";
        FrontendGsoTcpV4 = FrontendKey("feature-gso-tcpv4") == "1";
        FrontendTakesPartialChecksums = FrontendKey("feature-no-csum-offload") != "1";
        _txRef = uint.Parse(txRef);
        _rxRef = uint.Parse(rxRef);
        _port = uint.Parse(channel);
        _tx = _xen.MapGrant(0, _txRef, write: true);
        _rx = _xen.MapGrant(0, _rxRef, write: true);
        if (!_xen.BindInterdomain(0, _port, () => NotificationsFromFrontend++)) return Fatal($"event channel {_port} is not offered to domain 0");
        Connected = true;
        SetState(4);
        return true;
    }

    private bool Fatal(string reason)
    {
        Violations.Add(reason);
        _store.Set($"{Backend}/error", reason);
        SetState(5);
        NeverConnect = true;
        return true;
    }

    private void Disconnect(int nextState)
    {
        Connected = false;
        _xen.UnmapGrant(_txRef);
        _xen.UnmapGrant(_rxRef);
        SetState(nextState);
    }

    /// <summary>Times this backend went from Closed back to InitWait for a new connection from the frontend.</summary>
    public int Reconnections { get; private set; }

    /// <summary>
    /// What `xl network-detach` does first (libxl's libxl__initiate_device_generic_remove): in one transaction the
    /// backend's online=0 and state=Closing; netback then waits for the frontend to close, unmaps the rings and says Closed.
    /// </summary>
    public void Detach()
    {
        _store.Set($"{Backend}/online", "0");
        SetState(5);
    }

    /// <summary>What libxl does once the backend is Closed (or its 10 s are up): both directories removed.</summary>
    public void RemoveDirectories()
    {
        Removed = true;
        NeverConnect = true;
        Connected = false;
        _store.Remove(Frontend);
        _store.Remove(Backend);
    }

    /// <summary>Lets go of the rings late (a stuck backend that recovers).</summary>
    public void UnmapRings()
    {
        _xen.UnmapGrant(_txRef);
        _xen.UnmapGrant(_rxRef);
    }

    public uint TxRingRef => _txRef;
    public uint RxRingRef => _rxRef;

    /// <summary>Closes from the backend side, as when dom0 removes the vif.</summary>
    public void CloseFromBackend()
    {
        SetState(5);
        Paused = true;
    }

    private uint Index(byte* ring, int offset) => Volatile.Read(ref *(uint*)(ring + offset));
    private void SetIndex(byte* ring, int offset, uint value) => Volatile.Write(ref *(uint*)(ring + offset), value);
    private static byte* Slot(byte* ring, uint index, int size) => ring + 64 + (index & (RingSize - 1)) * size;

    private readonly record struct TxSlot(uint Gref, ushort Offset, ushort Flags, ushort Id, ushort Size);

    private TxSlot ReadTxSlot(uint index)
    {
        // Copied out first (netback's RING_COPY_REQUEST): the frontend may change the slot.
        byte* slot = Slot(_tx, index, 12);
        return new TxSlot(HypervisorModel.U32(slot, 0), HypervisorModel.U16(slot, 4), HypervisorModel.U16(slot, 6), HypervisorModel.U16(slot, 8), HypervisorModel.U16(slot, 10));
    }

    /// <summary>
    /// netif.h "Guest transmit": fragment 1 (size = the whole packet), its extras while XEN_NETIF_EXTRA_FLAG_MORE,
    /// then fragments 2..N while NETTXF_more_data; fragment 1's own size is the total less the others'. Every data
    /// slot is answered with its id and the packet's status, every extra with NETIF_RSP_NULL.
    /// </summary>
    private bool ProcessTransmit()
    {
        uint producer = Index(_tx, 0);
        if (producer - _txReqCons > RingSize) { Violations.Add("tx req_prod runs more than a ring ahead"); return false; }
        bool progress = false;
        while (_txReqCons != producer)
        {
            TxSlot first = ReadTxSlot(_txReqCons++);
            int extras = 0, gsoSize = -1;
            byte gsoType = 0;
            if ((first.Flags & TxExtraInfo) != 0)
            {
                while (true)
                {
                    if (_txReqCons == producer) { Violations.Add("tx packet published without its extra-info slot"); return progress; }
                    byte* extra = Slot(_tx, _txReqCons++, 12);
                    extras++;
                    if (extra[0] == ExtraTypeGso) { gsoSize = HypervisorModel.U16(extra, 2); gsoType = extra[4]; }
                    else Violations.Add($"tx extra of type {extra[0]}, which this netback does not take");
                    if ((extra[1] & ExtraFlagMore) == 0) break;
                }
            }
            var fragments = new List<TxSlot> { first };
            ushort flags = first.Flags;
            while ((flags & TxMoreData) != 0)
            {
                if (_txReqCons == producer) { Violations.Add("tx packet published without its last fragment"); return progress; }
                TxSlot next = ReadTxSlot(_txReqCons++);
                fragments.Add(next);
                flags = next.Flags;
            }
            short status = TxStatus;
            byte[]? packet = ReadPacket(fragments, extras, gsoSize, gsoType, ref status);
            if (packet != null) Deliver(packet, first.Flags, fragments.Count, gsoSize, gsoType);
            ushort firstId = first.Id;
            if (Hostility == NetbackHostility.TxIdNotInFlight && TransmittedPackets.Count > HostileAfterFrames) firstId = (ushort)(firstId ^ 0x80);
            if (Hostility == NetbackHostility.TxBadStatus && TransmittedPackets.Count > HostileAfterFrames) status = 7;
            if (Hostility == NetbackHostility.TxNullUnasked && TransmittedPackets.Count > HostileAfterFrames) status = RspNull; // a NULL where a data slot's answer belongs
            WriteTxResponse(firstId, status);
            for (int e = 0; e < extras; e++) WriteTxResponse(0xFFFF, RspNull); // no id in this direction (netif.h, "Extra Info")
            for (int k = 1; k < fragments.Count; k++) WriteTxResponse(fragments[k].Id, status);
            progress = true;
        }
        // RING_FINAL_CHECK_FOR_REQUESTS: ask to be told about the next request.
        SetIndex(_tx, 4, _txReqCons + 1);
        if (progress) PushResponses(_tx, _txRspProdPvt);
        return progress;
    }

    private void WriteTxResponse(ushort id, short status)
    {
        byte* response = Slot(_tx, _txRspProdPvt++, 12);
        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(response, 2), id);
        BinaryPrimitives.WriteInt16LittleEndian(new Span<byte>(response + 2, 2), status);
    }

    /// <summary>Checks a packet's slots against netif.h and what was negotiated, and grant-copies it out; null if refused.</summary>
    private byte[]? ReadPacket(List<TxSlot> fragments, int extras, int gsoSize, byte gsoType, ref short status)
    {
        int total = fragments[0].Size, rest = fragments.Skip(1).Sum(f => f.Size);
        string? problem = null;
        if (fragments.Count > 1 && !FrontendScatterGather) problem = "a multi-slot tx packet without feature-sg";
        else if (fragments.Count > SlotsMin) problem = $"a tx packet of {fragments.Count} slots, more than XEN_NETIF_NR_SLOTS_MIN";
        else if (rest >= total) problem = $"tx fragments 2..N hold {rest} bytes of a {total}-byte packet";
        else if (total < 14) problem = $"tx request of {total} bytes";
        else if (gsoSize >= 0 && !OfferGsoTcpV4) problem = "a GSO extra without feature-gso-tcpv4";
        else if (gsoSize == 0) problem = "a GSO extra of size 0";
        else if (gsoSize > 0 && gsoType != GsoTypeTcpV4) problem = $"a GSO extra of type {gsoType}";
        else if (gsoSize > 0 && (fragments[0].Flags & TxCsumBlank) == 0) problem = "a GSO packet without NETTXF_csum_blank";
        for (int k = 0; k < fragments.Count && problem == null; k++)
        {
            int size = k == 0 ? total - rest : fragments[k].Size;
            if (fragments[k].Offset + size > 4096) problem = $"tx request crosses its page: offset {fragments[k].Offset} size {size}";
        }
        if (problem != null) { Violations.Add(problem); status = -1; return null; }
        var packet = new byte[total];
        int done = 0;
        for (int k = 0; k < fragments.Count; k++)
        {
            int size = k == 0 ? total - rest : fragments[k].Size;
            byte* page = _xen.CheckGrant(0, fragments[k].Gref, write: false);
            TxGrantsSeen.Add(fragments[k].Gref);
            new ReadOnlySpan<byte>(page + fragments[k].Offset, size).CopyTo(packet.AsSpan(done));
            done += size;
        }
        return packet;
    }

    /// <summary>
    /// What netback and the bridge make of it: a csum_blank packet gets its checksum completed (netback's
    /// skb_checksum_setup finds the field from the IPv4 and TCP/UDP headers); a GSO packet is cut into segments
    /// of gso size payload bytes, each with its own IPv4 length, id and checksum, TCP sequence and checksum.
    /// </summary>
    private void Deliver(byte[] packet, ushort flags, int slots, int gsoSize, byte gsoType)
    {
        TransmittedPackets.Add(new TxPacket(packet, flags, slots, gsoSize, gsoType));
        bool blank = (flags & TxCsumBlank) != 0;
        if (gsoSize > 0)
        {
            if (!ModelChecksum.CompleteTransport((byte[])packet.Clone(), out bool wasPseudoHeaderOfWhole)) Violations.Add("a GSO packet that is not TCP/IPv4");
            else if (!wasPseudoHeaderOfWhole) PartialSumMismatches++;
            foreach (byte[] segment in Segment(packet, gsoSize)) Transmitted.Add(segment);
            return;
        }
        byte[] frame = (byte[])packet.Clone();
        if (blank)
        {
            if (!ModelChecksum.CompleteTransport(frame, out bool wasPseudoHeader)) Violations.Add("NETTXF_csum_blank on a packet that is not IPv4 TCP/UDP");
            else if (!wasPseudoHeader) PartialSumMismatches++;
        }
        Transmitted.Add(frame);
    }

    private List<byte[]> Segment(byte[] packet, int mss)
    {
        var segments = new List<byte[]>();
        int ihl = (packet[14] & 0x0F) * 4, tcpStart = 14 + ihl;
        if (packet[23] != 6 || packet.Length < tcpStart + 20) { Violations.Add("a GSO packet that is not TCP/IPv4"); return segments; }
        int headers = tcpStart + (packet[tcpStart + 12] >> 4) * 4;
        int ipLength = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(16));
        if (14 + ipLength != packet.Length) Violations.Add($"a GSO packet whose IPv4 length {ipLength} is not its size {packet.Length - 14}");
        ushort ipId = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(18));
        uint sequence = BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(tcpStart + 4));
        byte tcpFlags = packet[tcpStart + 13];
        int payload = packet.Length - headers;
        for (int done = 0, n = 0; done < payload; done += mss, n++)
        {
            int chunk = Math.Min(mss, payload - done);
            var segment = new byte[headers + chunk];
            packet.AsSpan(0, headers).CopyTo(segment);
            packet.AsSpan(headers + done, chunk).CopyTo(segment.AsSpan(headers));
            BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(16), (ushort)(segment.Length - 14));
            BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(18), (ushort)(ipId + n));
            BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(tcpStart + 4), sequence + (uint)done);
            bool last = done + chunk >= payload;
            segment[tcpStart + 13] = (byte)(last ? tcpFlags : tcpFlags & ~0x09); // FIN and PSH on the last segment only
            ModelChecksum.FillIpv4Header(segment);
            ModelChecksum.FillTransport(segment);
            segments.Add(segment);
        }
        return segments;
    }

    private bool ProcessReceive()
    {
        bool progress = false;
        while (ToDeliver.Count > 0)
        {
            RxPacket packet = ToDeliver.Peek();
            bool gso = packet.GsoSize >= 0;
            int slotsNeeded = packet.EndlessChain ? RingSize : (packet.Frame.Length + RxSlotLimit - 1) / RxSlotLimit + (RxExtraInfo || gso ? 1 : 0);
            uint producer = Index(_rx, 0);
            if (producer - _rxReqCons > RingSize) { Violations.Add("rx req_prod runs more than a ring ahead"); return progress; }
            if (producer - _rxReqCons < slotsNeeded) { SetIndex(_rx, 4, _rxReqCons + (uint)slotsNeeded); break; } // wait for buffers
            ToDeliver.Dequeue();
            // A real netback sends only what the frontend asked for (netif.h feature-gso-tcpv4, feature-no-csum-offload).
            if (!packet.Hostile && gso && !FrontendGsoTcpV4) { Violations.Add("model asked to send GSO to a frontend without feature-gso-tcpv4"); continue; }
            if (!packet.Hostile && packet.ChecksumBlank && !FrontendTakesPartialChecksums) { Violations.Add("model asked to send csum_blank to a frontend with feature-no-csum-offload=1"); continue; }
            DeliverOne(packet);
            progress = true;
        }
        if (progress) PushResponses(_rx, _rxRspProdPvt);
        return progress;
    }

    public int FramesDelivered;
    /// <summary>csum_blank packets whose checksum field did not hold the pseudo-header sum (they would leave with a bad checksum).</summary>
    public int PartialSumMismatches;

    /// <summary>
    /// netif.h "Guest receive": fragment 1, then its extras (a GSO extra for a coalesced packet), then fragments
    /// 2..N, each response in the ring slot of the request it consumed; an extra's slot uses up a request too.
    /// </summary>
    private void DeliverOne(RxPacket packet)
    {
        byte[] frame = packet.Frame;
        FramesDelivered++;
        if (packet.EndlessChain)
        {
            // Hostile: every posted page filled, every response saying more_data, no last fragment.
            for (int k = 0; k < RingSize; k++)
            {
                byte* r = Slot(_rx, _rxReqCons++, 8);
                int bytes = Math.Min(RxSlotLimit, frame.Length);
                RxGrantsSeen.Add(HypervisorModel.U32(r, 4));
                _xen.GrantCopyToGuest(0, HypervisorModel.U32(r, 4), 0, frame.AsSpan(0, bytes));
                WriteRxResponse(_rxRspProdPvt++, HypervisorModel.U16(r, 0), 0, RxFlagMoreData, (short)bytes);
            }
            return;
        }
        bool hostile = Hostility != NetbackHostility.None && FramesDelivered > HostileAfterFrames;
        bool gso = packet.GsoSize >= 0;
        int done = 0;
        bool first = true;
        int slots = 0;
        while (done < frame.Length)
        {
            byte* request = Slot(_rx, _rxReqCons++, 8);
            ushort id = HypervisorModel.U16(request, 0);
            uint gref = HypervisorModel.U32(request, 4);
            int chunk = Math.Min(RxSlotLimit, frame.Length - done);
            RxGrantsSeen.Add(gref);
            _xen.GrantCopyToGuest(0, gref, 0, frame.AsSpan(done, chunk)); // netback's gnttab_copy into the posted page
            done += chunk;
            slots++;
            bool more = done < frame.Length;
            bool extra = first && (RxExtraInfo || gso);
            ushort flags = (ushort)((packet.DataValidated ? RxFlagDataValidated : 0) | (packet.ChecksumBlank ? RxFlagCsumBlank : 0));
            if (!first) flags = 0; // netif.h: later fragments carry only more_data
            flags |= (ushort)((more ? RxFlagMoreData : 0) | (extra ? RxFlagExtraInfo : 0));
            ushort offset = 0;
            short status = (short)chunk;
            if (hostile && Hostility == NetbackHostility.RxIdNotPosted) id = 999;
            if (hostile && Hostility == NetbackHostility.RxLengthPastPage) { offset = 4000; status = 1000; }
            if (hostile && Hostility == NetbackHostility.RxDuplicateId && _lastRxId >= 0) id = (ushort)_lastRxId;
            _lastRxId = id;
            WriteRxResponse(_rxRspProdPvt++, id, offset, flags, status);
            if (extra)
            {
                // The extra uses up the next request; its response overlays that slot (netif.h "Extra Info").
                _rxReqCons++;
                slots++;
                byte* e = Slot(_rx, _rxRspProdPvt++, 8);
                new Span<byte>(e, 8).Clear();
                if (gso)
                {
                    e[0] = ExtraTypeGso;
                    BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(e + 2, 2), (ushort)packet.GsoSize);
                    e[4] = packet.GsoType;
                }
                else e[0] = ExtraTypeNone;
            }
            first = false;
        }
        if (hostile && Hostility == NetbackHostility.RxProducerAhead) _rxRspProdPvt += 300;
    }

    private int _lastRxId = -1;

    private void WriteRxResponse(uint index, ushort id, ushort offset, ushort flags, short status)
    {
        byte* response = Slot(_rx, index, 8);
        var span = new Span<byte>(response, 8);
        BinaryPrimitives.WriteUInt16LittleEndian(span, id);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], offset);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], flags);
        BinaryPrimitives.WriteInt16LittleEndian(span[6..], status);
    }

    /// <summary>RING_PUSH_RESPONSES_AND_CHECK_NOTIFY.</summary>
    private void PushResponses(byte* ring, uint producerPrivate)
    {
        uint old = Index(ring, 8);
        Thread.MemoryBarrier();
        SetIndex(ring, 8, producerPrivate);
        Thread.MemoryBarrier();
        uint responseEvent = Index(ring, 12);
        if (producerPrivate - responseEvent < producerPrivate - old)
        {
            NotificationsToFrontend++;
            _xen.NotifyGuest(_port);
        }
    }

    public bool HoldsGrant(uint reference) => Connected && (reference == _txRef || reference == _rxRef);
}
