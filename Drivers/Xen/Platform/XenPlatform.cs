using Cosmos.Drivers.Xen.Events;
using Cosmos.Drivers.Xen.Grants;
using Cosmos.Drivers.Xen.Hypervisor;
using Cosmos.Drivers.Xen.Spec;
using Cosmos.Drivers.Xen.Xenstore;
using Cosmos.Hal.Memory;

namespace Cosmos.Drivers.Xen.Platform
{
    /// <summary>
    /// Everything a PV front end needs from Xen, brought up in order once the hypercall page works:
    /// shared_info mapped (XENMEM_add_to_physmap, XENMAPSPACE_shared_info), event channels over it, the grant
    /// table, and the xenstore ring found through HVM_PARAM_STORE_PFN / HVM_PARAM_STORE_EVTCHN. Each step that
    /// fails leaves <see cref="Error"/> naming it.
    /// </summary>
    public sealed unsafe class XenPlatform
    {
        public Hypercalls Hypercalls { get; }
        public IPlatformWait Wait { get; }
        public IDmaAllocator Memory { get; }
        public SharedInfo SharedInfo { get; private set; }
        public EventChannels Events { get; private set; }
        public GrantTable Grants { get; private set; }
        public XenstoreClient Store { get; private set; }
        public ulong StoreFrame { get; private set; }
        public uint StorePort { get; private set; }
        public string Error { get; private set; }

        public XenPlatform(IHypervisor hypervisor, IDmaAllocator memory, IPlatformWait wait)
        {
            Hypercalls = new Hypercalls(hypervisor);
            Memory = memory;
            Wait = wait;
        }

        /// <summary>
        /// <paramref name="translate"/> turns the xenstore ring's guest frame into a pointer we can use (the
        /// kernel maps physical memory one to one; the host model translates into its simulated RAM).
        /// </summary>
        public bool Initialize(int grantFrames, delegate*<ulong, byte*> translate)
        {
            DmaRegion shared = Memory.Allocate(XenPage.Size, XenPage.Size);
            if (!shared.IsValid) return Fail("no page for shared_info");
            int result = Hypercalls.AddToPhysmap(MemoryOp.SpaceSharedInfo, 0, shared.Physical >> XenPage.Shift);
            if (result != 0) return Fail(string.Concat("mapping shared_info failed: ", Hypercalls.ErrorName(result)));
            SharedInfo = new SharedInfo(shared.Virtual);
            Events = new EventChannels(Hypercalls, SharedInfo);

            Grants = new GrantTable(Hypercalls);
            if (!Grants.Initialize(Memory, grantFrames)) return Fail(string.Concat("grant table: ", Grants.Error));

            result = Hypercalls.GetHvmParam(HvmOp.ParamStorePfn, out ulong storeFrame);
            if (result != 0 || storeFrame == 0) return Fail("HVM_PARAM_STORE_PFN is not set: no xenstore");
            result = Hypercalls.GetHvmParam(HvmOp.ParamStoreEventChannel, out ulong storePort);
            if (result != 0 || storePort == 0 || storePort >= SharedInfoLayout.Ports) return Fail("HVM_PARAM_STORE_EVTCHN is not a usable port");
            StoreFrame = storeFrame;
            StorePort = (uint)storePort;
            byte* ring = translate(storeFrame << XenPage.Shift);
            if (ring == null) return Fail("the xenstore frame is outside memory we can address");
            Events.Adopt(StorePort);
            Store = new XenstoreClient(ring, StorePort, Events, Wait);
            return true;
        }

        /// <summary>
        /// Asks Xen to deliver events as <paramref name="vector"/> (HVM_PARAM_CALLBACK_IRQ, type 2). Without it
        /// the idle loop's tick still polls the bitmaps.
        /// </summary>
        public int UseCallbackVector(int vector) =>
            Hypercalls.SetHvmParam(HvmOp.ParamCallbackIrq, HvmOp.CallbackTypeVector | (uint)vector);

        private bool Fail(string reason)
        {
            Error = reason;
            return false;
        }
    }
}
