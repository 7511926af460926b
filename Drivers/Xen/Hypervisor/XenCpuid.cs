using Cosmos.Drivers.Xen.Spec;

namespace Cosmos.Drivers.Xen.Hypervisor
{
    /// <summary>The four registers CPUID returns.</summary>
    public struct CpuidRegisters
    {
        public uint Eax, Ebx, Ecx, Edx;
    }

    /// <summary>What CPUID says about Xen: where its leaves start, its version, and the hypercall-page MSR.</summary>
    public struct XenCpuidInfo
    {
        public uint BaseLeaf;
        public int Major, Minor;
        public uint HypercallPages;
        public uint HypercallMsr;
        /// <summary>Leaf base+3, sub-leaf 0, ECX: the guest's TSC frequency in kHz (0 if the leaf is absent).</summary>
        public uint TscKilohertz;
    }

    /// <summary>
    /// Finds Xen through the hypervisor CPUID leaves (arch-x86/cpuid.h). Xen's leaves start at 0x40000000, or
    /// at 0x40000100 (and so on, in 0x100 steps) when Xen also offers Viridian (Hyper-V) leaves at the base,
    /// so every step is searched for the "XenVMMXenVMM" signature.
    /// </summary>
    public static unsafe class XenCpuid
    {
        public static bool TryDetect(delegate*<uint, CpuidRegisters> cpuid, out XenCpuidInfo info)
        {
            info = default;
            for (uint leaf = XenCpuidLeaves.FirstBase; leaf <= XenCpuidLeaves.LastBase; leaf += XenCpuidLeaves.Step)
            {
                CpuidRegisters r = cpuid(leaf);
                if (r.Ebx != XenCpuidLeaves.SignatureEbx || r.Ecx != XenCpuidLeaves.SignatureEcx || r.Edx != XenCpuidLeaves.SignatureEdx) continue;
                // eax is the highest leaf here; the hypercall leaf (base + 2) must exist.
                if (r.Eax < leaf + XenCpuidLeaves.Hypercalls) continue;
                CpuidRegisters version = cpuid(leaf + XenCpuidLeaves.Version);
                CpuidRegisters hypercalls = cpuid(leaf + XenCpuidLeaves.Hypercalls);
                info.BaseLeaf = leaf;
                info.Major = (int)(version.Eax >> 16);
                info.Minor = (int)(version.Eax & 0xFFFF);
                info.HypercallPages = hypercalls.Eax;
                info.HypercallMsr = hypercalls.Ebx;
                if (r.Eax >= leaf + XenCpuidLeaves.Time) info.TscKilohertz = cpuid(leaf + XenCpuidLeaves.Time).Ecx;
                return true;
            }
            return false;
        }
    }
}
