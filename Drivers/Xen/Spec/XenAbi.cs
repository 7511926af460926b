using System.Runtime.InteropServices;

namespace Cosmos.Drivers.Xen.Spec
{
    // The guest ABI of Xen 4.17 as its public headers define it (xen/include/public/). Every number and
    // layout here is cited to the header it comes from; the host tests' hypervisor model uses the same
    // definitions, so a disagreement with the headers shows up against real Xen, not only in review.

    /// <summary>Hypercall numbers (xen.h, __HYPERVISOR_*). The hypercall page has one 32-byte stub per number.</summary>
    public static class HypercallNumber
    {
        public const int MemoryOp = 12;
        public const int XenVersion = 17;
        public const int GrantTableOp = 20;
        public const int SchedOp = 29;
        public const int EventChannelOp = 32;
        public const int HvmOp = 34;
        public const int StubSize = 32;
    }

    /// <summary>Error numbers hypercalls return negated (xen/include/public/errno.h).</summary>
    public static class XenErrno
    {
        public const int EPERM = 1, ENOENT = 2, EIO = 5, E2BIG = 7, EAGAIN = 11, ENOMEM = 12, EACCES = 13,
            EFAULT = 14, EBUSY = 16, EEXIST = 17, EINVAL = 22, ENOSPC = 28, EROFS = 30, ENOSYS = 38, ENOTEMPTY = 39, EISCONN = 106;
    }

    /// <summary>Domain ids (xen.h).</summary>
    public static class DomainId
    {
        public const ushort Self = 0x7FF0; // DOMID_SELF
    }

    /// <summary>CPUID leaves (arch-x86/cpuid.h): base 0x40000000, repeated every 0x100 up to 0x40010000.</summary>
    public static class XenCpuidLeaves
    {
        public const uint FirstBase = 0x4000_0000;
        public const uint LastBase = 0x4001_0000;
        public const uint Step = 0x100;
        // "XenVMMXenVMM" in ebx, ecx, edx.
        public const uint SignatureEbx = 0x566E_6558, SignatureEcx = 0x65584D4D, SignatureEdx = 0x4D4D566E;
        public const uint Version = 1;     // eax: major << 16 | minor
        public const uint Hypercalls = 2;  // eax: number of hypercall pages, ebx: MSR base
        public const uint Time = 3;        // sub-leaf 0, ecx: guest TSC frequency in kHz
    }

    /// <summary>XENMEM_* (memory.h).</summary>
    public static class MemoryOp
    {
        public const int AddToPhysmap = 7;
        public const uint SpaceSharedInfo = 0;  // XENMAPSPACE_shared_info
        public const uint SpaceGrantTable = 1;  // XENMAPSPACE_grant_table
    }

    /// <summary>struct xen_add_to_physmap (memory.h): domid, size, space, idx, gpfn.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 24)]
    public struct AddToPhysmap
    {
        public ushort DomainId;
        public ushort Size;
        public uint Space;
        public ulong Index;
        public ulong GuestFrame;
    }

    /// <summary>HVMOP_* and HVM_PARAM_* (hvm/hvm_op.h, hvm/params.h).</summary>
    public static class HvmOp
    {
        public const int SetParam = 0;
        public const int GetParam = 1;
        public const int ParamCallbackIrq = 0;
        public const int ParamStorePfn = 1;
        public const int ParamStoreEventChannel = 2;
        /// <summary>HVM_PARAM_CALLBACK_IRQ: bits 63:56 are the type; type 2 delivers events as this vector.</summary>
        public const ulong CallbackTypeVector = 2UL << 56;
    }

    /// <summary>struct xen_hvm_param (hvm/hvm_op.h).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 16)]
    public struct HvmParam
    {
        public ushort DomainId;
        public ushort Padding;
        public uint Index;
        public ulong Value;
    }

    /// <summary>EVTCHNOP_* (event_channel.h).</summary>
    public static class EventChannelOp
    {
        public const int BindInterdomain = 0;
        public const int Close = 3;
        public const int Send = 4;
        public const int AllocUnbound = 6;
        public const int Unmask = 9;
    }

    /// <summary>struct evtchn_alloc_unbound: dom, remote_dom in; port out.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 8)]
    public struct EventChannelAllocUnbound
    {
        public ushort Domain;
        public ushort RemoteDomain;
        public uint Port;
    }

    /// <summary>struct evtchn_bind_interdomain: remote_dom, remote_port in; local_port out.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 12)]
    public struct EventChannelBindInterdomain
    {
        public ushort RemoteDomain;
        public ushort Padding;
        public uint RemotePort;
        public uint LocalPort;
    }

    /// <summary>struct evtchn_send / evtchn_close / evtchn_unmask: one port.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 4)]
    public struct EventChannelPort
    {
        public uint Port;
    }

    /// <summary>
    /// struct shared_info for x86-64 (xen.h, arch-x86/xen.h): 32 vcpu_info of 64 bytes, then the 2-level
    /// event channel bitmaps, 64 words each of pending and mask.
    /// </summary>
    public static class SharedInfoLayout
    {
        public const int VcpuInfoSize = 64;
        public const int UpcallPending = 0;   // vcpu_info.evtchn_upcall_pending (u8)
        public const int UpcallMask = 1;      // vcpu_info.evtchn_upcall_mask (u8)
        public const int PendingSelector = 8; // vcpu_info.evtchn_pending_sel (xen_ulong_t)
        public const int EventPending = 32 * VcpuInfoSize;       // evtchn_pending[64]
        public const int EventMask = EventPending + 64 * 8;      // evtchn_mask[64]
        public const int Ports = 64 * 64;                        // 2-level ABI: 4096 ports on x86-64
    }

    /// <summary>GNTTABOP_* and grant_entry_v1 flags (grant_table.h).</summary>
    public static class GrantTableOp
    {
        public const int QuerySize = 6;
        public const int SetVersion = 8;
        public const ushort PermitAccess = 1;  // GTF_permit_access
        public const ushort ReadOnly = 1 << 2; // GTF_readonly
        public const ushort Reading = 1 << 3;  // GTF_reading: the remote domain has it mapped/copying for reading
        public const ushort Writing = 1 << 4;  // GTF_writing
        /// <summary>GNTTAB_NR_RESERVED_ENTRIES: 0 is the console's, 1 xenstore's; the toolstack may use them.</summary>
        public const int ReservedEntries = 8;
        public const int EntrySize = 8;
    }

    /// <summary>struct grant_entry_v1: flags, domid, frame.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 8)]
    public struct GrantEntryV1
    {
        public ushort Flags;
        public ushort DomainId;
        public uint Frame;
    }

    /// <summary>struct gnttab_query_size: dom in; nr_frames, max_nr_frames, status out.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 16)]
    public struct GrantQuerySize
    {
        public ushort Domain;
        public ushort Padding;
        public uint Frames;
        public uint MaxFrames;
        public short Status;
        public short Padding2;
    }

    /// <summary>The x86 page size every ring, grant and frame number is counted in.</summary>
    public static class XenPage
    {
        public const int Size = 4096;
        public const int Shift = 12;
    }
}
