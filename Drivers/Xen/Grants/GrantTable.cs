using Cosmos.Drivers.Xen.Hypervisor;
using Cosmos.Drivers.Xen.Spec;
using Cosmos.Hal.Memory;

namespace Cosmos.Drivers.Xen.Grants
{
    /// <summary>
    /// Grant table version 1 (grant_table.h): an array of 8-byte grant_entry_v1 in frames Xen owns, mapped into
    /// our physical address space with XENMEM_add_to_physmap (XENMAPSPACE_grant_table). A grant lets one
    /// remote domain read (or read and write) one of our frames. Entries are written frame and domain first,
    /// flags last, behind a write barrier, so the remote side never sees a half-made grant; revoking is a
    /// compare-and-swap of the flags that fails while Xen marks the frame in use (GTF_reading / GTF_writing).
    /// </summary>
    public sealed unsafe class GrantTable
    {
        public const int EntriesPerFrame = XenPage.Size / GrantTableOp.EntrySize;

        private readonly Hypercalls _hypercalls;
        private DmaRegion _frames;
        private GrantEntryV1* _entries;
        private int _count;
        private int[] _free;
        private int _freeCount;
        private bool[] _inUse;

        public string Error { get; private set; }
        public int Capacity => _count;
        public int Available => _freeCount;
        public int FrameCount => _count / EntriesPerFrame;
        public long RevokeRefusals { get; private set; }

        public GrantTable(Hypercalls hypercalls) => _hypercalls = hypercalls;

        /// <summary>
        /// Asks Xen how many frames we may have (GNTTABOP_query_size), then maps up to <paramref name="wantedFrames"/>
        /// of them over pages taken from <paramref name="memory"/> (those pages' RAM is given up to Xen's frames).
        /// </summary>
        public bool Initialize(IDmaAllocator memory, int wantedFrames)
        {
            GrantQuerySize query = default;
            query.Domain = DomainId.Self;
            int result = _hypercalls.GrantTableOp(GrantTableOp.QuerySize, &query, 1);
            if (result != 0 || query.Status != 0) return Fail("GNTTABOP_query_size failed");
            int frames = wantedFrames;
            if (query.MaxFrames != 0 && frames > (int)query.MaxFrames) frames = (int)query.MaxFrames;
            if (frames < 1) return Fail("the grant table has no frames");

            _frames = memory.Allocate((ulong)frames * XenPage.Size, XenPage.Size);
            if (!_frames.IsValid) return Fail("no memory to map grant frames over");
            for (int i = 0; i < frames; i++)
            {
                ulong guestFrame = (_frames.Physical >> XenPage.Shift) + (ulong)i;
                result = _hypercalls.AddToPhysmap(MemoryOp.SpaceGrantTable, (ulong)i, guestFrame);
                if (result != 0)
                {
                    if (i == 0) return Fail("XENMEM_add_to_physmap of grant frame 0 failed");
                    frames = i; // keep the frames we got
                    break;
                }
            }
            _entries = (GrantEntryV1*)_frames.Virtual;
            _count = frames * EntriesPerFrame;
            _free = new int[_count];
            _inUse = new bool[_count];
            // The first entries are reserved for the toolstack (console, xenstore); never hand them out.
            _freeCount = 0;
            for (int r = _count - 1; r >= GrantTableOp.ReservedEntries; r--) _free[_freeCount++] = r;
            return true;
        }

        /// <summary>
        /// Grants <paramref name="domain"/> access to guest frame <paramref name="frame"/>; returns the grant
        /// reference, or -1 when every entry is in use.
        /// </summary>
        public int Grant(ushort domain, ulong frame, bool readOnly)
        {
            if (_freeCount == 0 || frame > uint.MaxValue) return -1;
            int reference = _free[--_freeCount];
            _inUse[reference] = true;
            GrantEntryV1* entry = _entries + reference;
            entry->DomainId = domain;
            entry->Frame = (uint)frame;
            DmaBarriers.Write(); // domain and frame before the flags that make the entry valid
            Atomic.Write16(&entry->Flags, (ushort)(GrantTableOp.PermitAccess | (readOnly ? GrantTableOp.ReadOnly : 0)));
            return reference;
        }

        /// <summary>
        /// Revokes a grant. False while the remote domain is still reading or writing the frame (the grant
        /// stays, the caller retries later): the frame must not be reused until this returns true.
        /// </summary>
        public bool Revoke(int reference)
        {
            if ((uint)reference >= (uint)_count || !_inUse[reference]) return false;
            GrantEntryV1* entry = _entries + reference;
            ushort flags = Atomic.Read16(&entry->Flags);
            while (true)
            {
                if ((flags & (GrantTableOp.Reading | GrantTableOp.Writing)) != 0) { RevokeRefusals++; return false; }
                ushort seen = Atomic.CompareExchange16(&entry->Flags, flags, 0);
                if (seen == flags) break;
                flags = seen; // Xen changed the flags between our read and the swap: look again
            }
            _inUse[reference] = false;
            _free[_freeCount++] = reference;
            return true;
        }

        public bool IsGranted(int reference) => (uint)reference < (uint)_count && _inUse[reference];

        private bool Fail(string reason)
        {
            Error = reason;
            return false;
        }
    }
}
