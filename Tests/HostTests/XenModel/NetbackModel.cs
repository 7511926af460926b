using System.Buffers.Binary;

namespace Cosmos.HostTests.XenModel;

public enum NetbackHostility { None, RxIdNotPosted, RxLengthPastPage, RxProducerAhead, RxDuplicateId, TxIdNotInFlight, TxBadStatus }

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
    public readonly List<byte[]> Transmitted = new();
    public readonly Queue<byte[]> ToDeliver = new();
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
        _store.Set($"{Backend}/state", StayInitialising ? "1" : "2");
        return this;
    }

    public void SetState(int state) => _store.Set($"{Backend}/state", state.ToString());
    public string? FrontendKey(string key) => _store.Get($"{Frontend}/{key}");

    public bool Run()
    {
        bool progress = false;
        string? frontendState = FrontendKey("state");
        if (!Connected && !NeverConnect && frontendState == "4" && _store.Get($"{Backend}/state") == "2") progress |= Connect();
        if (Connected && (frontendState == "5" || frontendState == "6")) { Disconnect(); return true; }
        if (!Connected || Paused) return progress;
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

    private void Disconnect()
    {
        Connected = false;
        _xen.UnmapGrant(_txRef);
        _xen.UnmapGrant(_rxRef);
        SetState(6);
    }

    /// <summary>Closes from the backend side, as when dom0 removes the vif.</summary>
    public void CloseFromBackend()
    {
        SetState(5);
        Paused = true;
    }

    private uint Index(byte* ring, int offset) => Volatile.Read(ref *(uint*)(ring + offset));
    private void SetIndex(byte* ring, int offset, uint value) => Volatile.Write(ref *(uint*)(ring + offset), value);
    private static byte* Slot(byte* ring, uint index, int size) => ring + 64 + (index & (RingSize - 1)) * size;

    private bool ProcessTransmit()
    {
        uint producer = Index(_tx, 0);
        if (producer - _txReqCons > RingSize) { Violations.Add("tx req_prod runs more than a ring ahead"); return false; }
        bool progress = false;
        while (_txReqCons != producer)
        {
            // Copy the request out first (netback's RING_COPY_REQUEST): the frontend may change the slot.
            byte* slot = Slot(_tx, _txReqCons++, 12);
            uint gref = HypervisorModel.U32(slot, 0);
            ushort offset = HypervisorModel.U16(slot, 4), flags = HypervisorModel.U16(slot, 6), id = HypervisorModel.U16(slot, 8), size = HypervisorModel.U16(slot, 10);
            short status = TxStatus;
            if ((flags & 4) != 0 || (flags & 8) != 0) Violations.Add("netfront sent a multi-slot or extra-info request it did not negotiate");
            if (offset + size > 4096) { Violations.Add($"tx request crosses its page: offset {offset} size {size}"); status = -1; }
            else if (size < 14) { Violations.Add($"tx request of {size} bytes"); status = -1; }
            else
            {
                byte* page = _xen.CheckGrant(0, gref, write: false);
                TxGrantsSeen.Add(gref);
                Transmitted.Add(new ReadOnlySpan<byte>(page + offset, size).ToArray());
            }
            if (Hostility == NetbackHostility.TxIdNotInFlight && Transmitted.Count > HostileAfterFrames) id = (ushort)(id ^ 0x80);
            if (Hostility == NetbackHostility.TxBadStatus && Transmitted.Count > HostileAfterFrames) status = 7;
            byte* response = Slot(_tx, _txRspProdPvt++, 12);
            BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(response, 2), id);
            BinaryPrimitives.WriteInt16LittleEndian(new Span<byte>(response + 2, 2), status);
            progress = true;
        }
        // RING_FINAL_CHECK_FOR_REQUESTS: ask to be told about the next request.
        SetIndex(_tx, 4, _txReqCons + 1);
        if (progress) PushResponses(_tx, _txRspProdPvt);
        return progress;
    }

    private bool ProcessReceive()
    {
        bool progress = false;
        while (ToDeliver.Count > 0)
        {
            byte[] frame = ToDeliver.Peek();
            int slotsNeeded = (frame.Length + RxSlotLimit - 1) / RxSlotLimit + (RxExtraInfo ? 1 : 0);
            uint producer = Index(_rx, 0);
            if (producer - _rxReqCons > RingSize) { Violations.Add("rx req_prod runs more than a ring ahead"); return progress; }
            if (producer - _rxReqCons < slotsNeeded) { SetIndex(_rx, 4, _rxReqCons + (uint)slotsNeeded); break; } // wait for buffers
            ToDeliver.Dequeue();
            DeliverOne(frame);
            progress = true;
        }
        if (progress) PushResponses(_rx, _rxRspProdPvt);
        return progress;
    }

    public int FramesDelivered;

    private void DeliverOne(byte[] frame)
    {
        FramesDelivered++;
        bool hostile = Hostility != NetbackHostility.None && FramesDelivered > HostileAfterFrames;
        int done = 0;
        bool first = true;
        while (done < frame.Length)
        {
            byte* request = Slot(_rx, _rxReqCons++, 8);
            ushort id = HypervisorModel.U16(request, 0);
            uint gref = HypervisorModel.U32(request, 4);
            int chunk = Math.Min(RxSlotLimit, frame.Length - done);
            RxGrantsSeen.Add(gref);
            _xen.GrantCopyToGuest(0, gref, 0, frame.AsSpan(done, chunk)); // netback's gnttab_copy into the posted page
            done += chunk;
            ushort flags = (ushort)(1 | (done < frame.Length ? 4 : 0) | (first && RxExtraInfo ? 8 : 0)); // data_validated, more_data, extra_info
            ushort offset = 0;
            short status = (short)chunk;
            if (hostile && Hostility == NetbackHostility.RxIdNotPosted) id = 999;
            if (hostile && Hostility == NetbackHostility.RxLengthPastPage) { offset = 4000; status = 1000; }
            if (hostile && Hostility == NetbackHostility.RxDuplicateId && _lastRxId >= 0) id = (ushort)_lastRxId;
            _lastRxId = id;
            WriteRxResponse(_rxRspProdPvt++, id, offset, flags, status);
            if (first && RxExtraInfo)
            {
                // One extra-info slot (netif_extra_info: type 1 = GSO, no "more" flag), using up the next request.
                byte* extraRequest = Slot(_rx, _rxReqCons++, 8);
                _ = extraRequest;
                byte* extra = Slot(_rx, _rxRspProdPvt++, 8);
                new Span<byte>(extra, 8).Clear();
                extra[0] = 1;
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
