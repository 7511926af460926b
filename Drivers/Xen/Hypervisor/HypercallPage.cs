using System.Runtime;
using System.Runtime.CompilerServices;
using Cosmos.Hal.Cpu;
using Cosmos.Hal.Memory;

namespace Cosmos.Drivers.Xen.Hypervisor
{
    /// <summary>
    /// The kernel's way into Xen: finds Xen through CPUID, asks it to write its hypercall stubs into a page of
    /// ours (by writing the page's physical address to the MSR that CPUID leaf base+2 names), then calls stub
    /// N at page + N * 32 (xen.h; the stubs use vmcall or vmmcall as the CPU needs). Kernel only: the host
    /// tests put a model of Xen behind <see cref="IHypervisor"/> instead.
    /// </summary>
    public sealed unsafe class HypercallPage : IHypervisor
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "xen_hypercall")]
        private static extern long Call(byte* page, long number, ulong arg0, ulong arg1, ulong arg2);

        private readonly byte* _page;
        public XenCpuidInfo Info { get; }
        public long Calls { get; private set; }

        private HypercallPage(byte* page, XenCpuidInfo info)
        {
            _page = page;
            Info = info;
        }

        private static CpuidRegisters ReadCpuid(uint leaf)
        {
            CpuNative.CpuidResult r = CpuNative.Cpuid(leaf);
            CpuidRegisters registers;
            registers.Eax = r.Eax; registers.Ebx = r.Ebx; registers.Ecx = r.Ecx; registers.Edx = r.Edx;
            return registers;
        }

        /// <summary>True if CPUID shows Xen's leaves (at 0x40000000 or a 0x100 step above it).</summary>
        public static bool Detect(out XenCpuidInfo info) => XenCpuid.TryDetect(&ReadCpuid, out info);

        /// <summary>Installs the hypercall page; null if Xen is absent or gives no hypercall page.</summary>
        public static HypercallPage Install(IDmaAllocator memory, out string error)
        {
            error = null;
            if (!Detect(out XenCpuidInfo info)) { error = "no Xen CPUID signature"; return null; }
            if (info.HypercallPages < 1) { error = "Xen offers no hypercall page"; return null; }
            DmaRegion page = memory.Allocate(4096, 4096);
            if (!page.IsValid) { error = "no memory for the hypercall page"; return null; }
            // Writing the MSR makes Xen fill the page (arch-x86/cpuid.h: "the hypercall page MSR").
            CpuNative.WriteMsr(info.HypercallMsr, page.Physical);
            if (page.Virtual[0] == 0) { error = "Xen did not fill the hypercall page"; return null; }
            return new HypercallPage(page.Virtual, info);
        }

        public long Hypercall(int number, ulong arg0, ulong arg1, ulong arg2)
        {
            Calls++;
            return Call(_page, number, arg0, arg1, arg2);
        }
    }
}
