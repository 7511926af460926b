using System.Buffers.Binary;
using Cosmos.Drivers.Xen.Hypervisor;
using Cosmos.HostTests.VirtioModel;

namespace Cosmos.HostTests.XenModel;

/// <summary>
/// A model of the hypervisor side of a Xen HVM guest, written from the public headers (xen.h, memory.h,
/// hvm/hvm_op.h, hvm/params.h, grant_table.h, event_channel.h) with its own byte offsets, so it checks the
/// driver's structure layouts instead of sharing them. Domain 1 is the guest, domain 0 runs the modelled
/// xenstored and netback. Time is virtual: <see cref="Idle"/> advances it by a millisecond and lets the
/// back ends run, which is what the driver's bounded waits call.
/// </summary>
public sealed unsafe class HypervisorModel : IHypervisor, IPlatformWait
{
    public const ushort GuestDomain = 1, BackendDomain = 0;
    public const int MaxGrantFrames = 4;
    public const ushort DomidSelf = 0x7FF0;

    // Event channel ports of the guest. Back-end ports are modelled by the callbacks they run.
    private enum PortState { Free, Unbound, Interdomain }
    private sealed class GuestPort
    {
        public PortState State;
        public ushort Remote;
        public Action? OnNotify;
    }

    public readonly GuestMemory Memory;
    private readonly Dictionary<uint, GuestPort> _ports = new();
    private uint _nextPort = 1;
    public byte* SharedInfo { get; private set; }
    public readonly byte*[] GrantFrames = new byte*[MaxGrantFrames];
    public int GrantFramesMapped { get; private set; }
    public ulong CallbackIrq { get; private set; }
    public readonly Dictionary<int, ulong> HvmParams = new();
    public long NowMilliseconds;
    public readonly List<string> Log = new();
    public readonly List<IModelPart> Parts = new();
    public long Hypercalls;

    [ThreadStatic] public static HypervisorModel? Current;

    public HypervisorModel(GuestMemory memory)
    {
        Memory = memory;
        Current = this;
    }

    public long Milliseconds => NowMilliseconds;

    public void Idle()
    {
        NowMilliseconds++;
        Pump();
    }

    /// <summary>Lets every back end run until none makes progress (bounded).</summary>
    public void Pump()
    {
        for (int round = 0; round < 1000; round++)
        {
            bool progress = false;
            foreach (var part in Parts) progress |= part.Run();
            if (!progress) return;
        }
    }

    /// <summary>The translate function the platform code takes (kernel: identity; here: simulated RAM).</summary>
    public static byte* Translate(ulong physical) => Current!.Memory.Translate(physical, 4096);

    public long Hypercall(int number, ulong arg0, ulong arg1, ulong arg2)
    {
        Hypercalls++;
        byte* arg = (byte*)arg1;
        switch (number)
        {
            case 12: return MemoryOp((int)arg0, arg);
            case 20: return GrantTableOp((int)arg0, arg, (uint)arg2);
            case 32: return EventChannelOp((int)arg0, arg);
            case 34: return HvmOp((int)arg0, arg);
            default: return -38; // -ENOSYS
        }
    }

    // ---- memory.h: XENMEM_add_to_physmap {u16 domid; u16 size; u32 space; u64 idx; u64 gpfn} ----
    private long MemoryOp(int command, byte* arg)
    {
        if (command != 7) return -38;
        ushort domid = U16(arg, 0);
        uint space = U32(arg, 4);
        ulong index = U64(arg, 8), gpfn = U64(arg, 16);
        if (domid != DomidSelf) return -1; // -EPERM: only our own physmap
        byte* page = Memory.Translate(gpfn << 12, 4096);
        if (space == 0) // XENMAPSPACE_shared_info
        {
            if (index != 0) return -22;
            new Span<byte>(page, 4096).Clear();
            SharedInfo = page;
            return 0;
        }
        if (space == 1) // XENMAPSPACE_grant_table
        {
            if (index >= MaxGrantFrames) return -22;
            new Span<byte>(page, 4096).Clear();
            GrantFrames[index] = page;
            GrantFramesMapped = Math.Max(GrantFramesMapped, (int)index + 1);
            return 0;
        }
        return -22;
    }

    // ---- hvm_op.h: xen_hvm_param {u16 domid; u32 index (at 4); u64 value (at 8)} ----
    private long HvmOp(int command, byte* arg)
    {
        if (U16(arg, 0) != DomidSelf) return -1;
        int index = (int)U32(arg, 4);
        if (command == 1) // HVMOP_get_param
        {
            if (!HvmParams.TryGetValue(index, out ulong value)) value = 0;
            *(ulong*)(arg + 8) = value;
            return 0;
        }
        if (command == 0) // HVMOP_set_param
        {
            ulong value = U64(arg, 8);
            if (index == 0) CallbackIrq = value;
            HvmParams[index] = value;
            return 0;
        }
        return -38;
    }

    // ---- grant_table.h: gnttab_query_size {u16 dom; u32 nr_frames (4); u32 max_nr_frames (8); i16 status (12)} ----
    private long GrantTableOp(int command, byte* arg, uint count)
    {
        if (command != 6 || count != 1) return -38;
        if (U16(arg, 0) != DomidSelf) { *(short*)(arg + 12) = -1; return 0; }
        *(uint*)(arg + 4) = (uint)Math.Max(1, GrantFramesMapped);
        *(uint*)(arg + 8) = MaxGrantFrames;
        *(short*)(arg + 12) = 0;
        return 0;
    }

    // ---- event_channel.h ----
    private long EventChannelOp(int command, byte* arg)
    {
        switch (command)
        {
            case 6: // EVTCHNOP_alloc_unbound {u16 dom; u16 remote_dom; u32 port (out)}
            {
                if (U16(arg, 0) != DomidSelf) return -1;
                uint port = _nextPort++;
                _ports[port] = new GuestPort { State = PortState.Unbound, Remote = U16(arg, 2) };
                *(uint*)(arg + 4) = port;
                return 0;
            }
            case 0: // EVTCHNOP_bind_interdomain {u16 remote_dom; u32 remote_port at 4; u32 local_port at 8 (out)}
            {
                ushort remote = U16(arg, 0);
                uint remotePort = U32(arg, 4);
                if (!_backendOffers.TryGetValue((remote, remotePort), out var onNotify)) return -22; // nothing unbound there for us
                _backendOffers.Remove((remote, remotePort));
                uint port = _nextPort++;
                _ports[port] = new GuestPort { State = PortState.Interdomain, Remote = remote, OnNotify = onNotify };
                *(uint*)(arg + 8) = port;
                return 0;
            }
            case 4: // EVTCHNOP_send {u32 port}
            {
                uint port = U32(arg, 0);
                if (!_ports.TryGetValue(port, out var p) || p.State == PortState.Free) return -22;
                if (p.State == PortState.Interdomain) p.OnNotify?.Invoke();
                return 0; // sending on an unbound port is accepted and goes nowhere
            }
            case 9: // EVTCHNOP_unmask {u32 port}: re-raise a pending event
            {
                uint port = U32(arg, 0);
                if (!_ports.ContainsKey(port)) return -22;
                if (IsPending(port) && !IsMasked(port)) RaiseUpcall(port);
                return 0;
            }
            case 3: // EVTCHNOP_close
            {
                uint port = U32(arg, 0);
                if (!_ports.Remove(port)) return -22;
                return 0;
            }
            default: return -38;
        }
    }

    /// <summary>The toolstack's side: a port already bound to a domain-0 service (xenstore's).</summary>
    public uint CreateBoundPort(Action onNotify)
    {
        uint port = _nextPort++;
        _ports[port] = new GuestPort { State = PortState.Interdomain, Remote = BackendDomain, OnNotify = onNotify };
        return port;
    }

    private readonly Dictionary<(ushort, uint), Action> _backendOffers = new();

    /// <summary>A back end's EVTCHNOP_alloc_unbound for the guest: the guest may bind to (domain, port).</summary>
    public void OfferPortToGuest(ushort backend, uint backendPort, Action onNotify) => _backendOffers[(backend, backendPort)] = onNotify;

    /// <summary>EVTCHNOP_bind_interdomain from the back end: the guest's port must be unbound and offered to it.</summary>
    public bool BindInterdomain(ushort backend, uint guestPort, Action onNotify)
    {
        if (!_ports.TryGetValue(guestPort, out var p) || p.State != PortState.Unbound || p.Remote != backend) return false;
        p.State = PortState.Interdomain;
        p.OnNotify = onNotify;
        return true;
    }

    public bool IsBound(uint guestPort) => _ports.TryGetValue(guestPort, out var p) && p.State == PortState.Interdomain;

    public long EventsSentToGuest;

    /// <summary>evtchn_set_pending (xen/common/event_2l.c): pending bit, then selector and upcall unless masked.</summary>
    public void NotifyGuest(uint port)
    {
        if (SharedInfo == null) return;
        EventsSentToGuest++;
        ulong* pending = (ulong*)(SharedInfo + 2048);
        if ((Interlocked.Or(ref pending[port / 64], 1UL << (int)(port % 64)) & (1UL << (int)(port % 64))) != 0) return;
        if (!IsMasked(port)) RaiseUpcall(port);
    }

    private void RaiseUpcall(uint port)
    {
        Interlocked.Or(ref *(ulong*)(SharedInfo + 8), 1UL << (int)(port / 64)); // vcpu_info[0].evtchn_pending_sel
        SharedInfo[0] = 1;                                                      // evtchn_upcall_pending
    }

    public bool IsPending(uint port) => (((ulong*)(SharedInfo + 2048))[port / 64] & (1UL << (int)(port % 64))) != 0;
    public bool IsMasked(uint port) => (((ulong*)(SharedInfo + 2048 + 512))[port / 64] & (1UL << (int)(port % 64))) != 0;

    // ---- grant_table.h, grant_entry_v1 {u16 flags; u16 domid; u32 frame} ----
    public const ushort GtfPermitAccess = 1, GtfReadonly = 4, GtfReading = 8, GtfWriting = 16;

    public byte* GrantEntry(uint reference)
    {
        int frame = (int)(reference / 512);
        if (frame >= MaxGrantFrames || GrantFrames[frame] == null) throw new GrantFault($"grant reference {reference} is outside the mapped grant frames");
        return GrantFrames[frame] + (reference % 512) * 8;
    }

    /// <summary>
    /// Xen's access check for a grant copy or map by <paramref name="domain"/>: the entry must permit access,
    /// name that domain, and not be read-only when writing. Returns the guest page.
    /// </summary>
    public byte* CheckGrant(ushort domain, uint reference, bool write)
    {
        byte* entry = GrantEntry(reference);
        ushort flags = U16(entry, 0);
        if ((flags & 3) != GtfPermitAccess) throw new GrantFault($"grant {reference} is not an access grant (flags 0x{flags:x})");
        if (U16(entry, 2) != domain) throw new GrantFault($"grant {reference} is for domain {U16(entry, 2)}, not {domain}");
        if (write && (flags & GtfReadonly) != 0) throw new GrantFault($"grant {reference} is read-only");
        return Memory.Translate((ulong)U32(entry, 4) << 12, 4096);
    }

    /// <summary>One GNTTABOP_copy into a guest page, as Xen carried it out.</summary>
    public readonly record struct GrantCopy(ushort Domain, uint Reference, ulong Frame, int Offset, int Length);

    /// <summary>Every grant copy into the guest, in order.</summary>
    public readonly List<GrantCopy> GrantCopies = new();

    /// <summary>
    /// GNTTABOP_copy with a guest page as destination (grant_table.h, gnttab_copy): Xen checks the grant as for
    /// any access (it must permit access, name <paramref name="domain"/> and not be read-only) and refuses a copy
    /// that would leave the page (GNTST_bad_copy_arg). The bytes go in through GuestMemory.DeviceWrite, so the
    /// memory audit knows exactly what the back end put where; nothing else a back end does writes guest data.
    /// </summary>
    public void GrantCopyToGuest(ushort domain, uint reference, int offset, ReadOnlySpan<byte> data)
    {
        CheckGrant(domain, reference, write: true);
        if (offset < 0 || offset + data.Length > 4096)
            throw new GrantFault($"grant copy of {data.Length} bytes at offset {offset} would leave the page of grant {reference}");
        ulong frame = U32(GrantEntry(reference), 4);
        GrantCopies.Add(new GrantCopy(domain, reference, frame, offset, data.Length));
        Memory.DeviceWrite((frame << 12) + (ulong)offset, data);
    }

    /// <summary>A grant map: GTF_reading (and GTF_writing) stay set in the entry until unmapped.</summary>
    public byte* MapGrant(ushort domain, uint reference, bool write)
    {
        byte* page = CheckGrant(domain, reference, write);
        ushort* flags = (ushort*)GrantEntry(reference);
        UpdateFlags(flags, f => (ushort)(f | GtfReading | (write ? GtfWriting : 0)));
        return page;
    }

    public void UnmapGrant(uint reference)
    {
        ushort* flags = (ushort*)GrantEntry(reference);
        UpdateFlags(flags, f => (ushort)(f & ~(GtfReading | GtfWriting)));
    }

    private static void UpdateFlags(ushort* flags, Func<ushort, ushort> change)
    {
        while (true)
        {
            ushort old = Volatile.Read(ref *flags);
            if (Interlocked.CompareExchange(ref *flags, change(old), old) == old) return;
        }
    }

    public static ushort U16(byte* p, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(p + offset, 2));
    public static uint U32(byte* p, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(p + offset, 4));
    public static ulong U64(byte* p, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(p + offset, 8));
}

/// <summary>A back-end service in the model (xenstored, netback); Run does pending work and says if it did any.</summary>
public interface IModelPart
{
    bool Run();
}

/// <summary>A back end tried to use a grant the guest never gave it (the model's version of Xen refusing).</summary>
public sealed class GrantFault(string message) : Exception(message);
