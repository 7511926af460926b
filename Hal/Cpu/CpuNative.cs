using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cosmos.Hal.Cpu
{
    /// <summary>
    /// Machine instructions, one tiny routine each in Kernel/Boot/cpu.asm. [RuntimeImport] compiles
    /// to a direct call; a call per device access also keeps the compiler from caching or merging them.
    /// </summary>
    public static unsafe class CpuNative
    {
        private const MethodImplOptions Import = MethodImplOptions.InternalCall;

        [MethodImpl(Import), RuntimeImport("*", "cpu_outb")] public static extern void OutByte(ushort port, byte value);
        [MethodImpl(Import), RuntimeImport("*", "cpu_inb")] public static extern byte InByte(ushort port);
        /// <summary><c>rep outsb</c>: <paramref name="count"/> bytes to one port in one instruction.</summary>
        [MethodImpl(Import), RuntimeImport("*", "cpu_outsb")] public static extern void OutBytes(ushort port, byte* bytes, ulong count);
        [MethodImpl(Import), RuntimeImport("*", "cpu_outw")] public static extern void OutWord(ushort port, ushort value);
        [MethodImpl(Import), RuntimeImport("*", "cpu_inw")] public static extern ushort InWord(ushort port);
        [MethodImpl(Import), RuntimeImport("*", "cpu_outd")] public static extern void OutDword(ushort port, uint value);
        [MethodImpl(Import), RuntimeImport("*", "cpu_ind")] public static extern uint InDword(ushort port);

        [MethodImpl(Import), RuntimeImport("*", "mmio_read8")] public static extern byte MmioRead8(nuint address);
        [MethodImpl(Import), RuntimeImport("*", "mmio_read16")] public static extern ushort MmioRead16(nuint address);
        [MethodImpl(Import), RuntimeImport("*", "mmio_read32")] public static extern uint MmioRead32(nuint address);
        [MethodImpl(Import), RuntimeImport("*", "mmio_read64")] public static extern ulong MmioRead64(nuint address);
        [MethodImpl(Import), RuntimeImport("*", "mmio_write8")] public static extern void MmioWrite8(nuint address, byte value);
        [MethodImpl(Import), RuntimeImport("*", "mmio_write16")] public static extern void MmioWrite16(nuint address, ushort value);
        [MethodImpl(Import), RuntimeImport("*", "mmio_write32")] public static extern void MmioWrite32(nuint address, uint value);
        [MethodImpl(Import), RuntimeImport("*", "mmio_write64")] public static extern void MmioWrite64(nuint address, ulong value);

        [MethodImpl(Import), RuntimeImport("*", "cpu_rdtsc")] public static extern ulong ReadTimeStampCounter();
        /// <summary>The TSC the boot stub read at the kernel's first instruction.</summary>
        [MethodImpl(Import), RuntimeImport("*", "cpu_boot_tsc")] public static extern ulong BootTimeStampCounter();
        [MethodImpl(Import), RuntimeImport("*", "cpu_rdrand64")] private static extern int RdRandRaw(ulong* value);
        [MethodImpl(Import), RuntimeImport("*", "cpu_rdmsr")] public static extern ulong ReadMsr(uint msr);
        [MethodImpl(Import), RuntimeImport("*", "cpu_wrmsr")] public static extern void WriteMsr(uint msr, ulong value);
        [MethodImpl(Import), RuntimeImport("*", "cpu_cpuid")] private static extern void CpuidRaw(uint leaf, uint subleaf, uint* result);
        [MethodImpl(Import), RuntimeImport("*", "cpu_read_cr0")] public static extern ulong ReadCr0();
        [MethodImpl(Import), RuntimeImport("*", "cpu_read_cr2")] public static extern ulong ReadCr2();
        [MethodImpl(Import), RuntimeImport("*", "cpu_read_cr3")] public static extern ulong ReadCr3();
        [MethodImpl(Import), RuntimeImport("*", "cpu_read_cr4")] public static extern ulong ReadCr4();
        [MethodImpl(Import), RuntimeImport("*", "cpu_read_rflags")] public static extern ulong ReadFlags();
        [MethodImpl(Import), RuntimeImport("*", "cpu_halt_forever")] public static extern void HaltForever();
        [MethodImpl(Import), RuntimeImport("*", "cpu_hlt")] public static extern void Halt();
        [MethodImpl(Import), RuntimeImport("*", "cpu_sti_hlt")] public static extern void EnableInterruptsAndHalt();
        [MethodImpl(Import), RuntimeImport("*", "cpu_sti")] public static extern void EnableInterrupts();
        [MethodImpl(Import), RuntimeImport("*", "cpu_cli")] public static extern void DisableInterrupts();
        [MethodImpl(Import), RuntimeImport("*", "cpu_pause")] public static extern void Pause();
        [MethodImpl(Import), RuntimeImport("*", "cpu_mfence")] public static extern void MemoryBarrier();
        [MethodImpl(Import), RuntimeImport("*", "cpu_compiler_barrier")] public static extern void CompilerBarrier();
        [MethodImpl(Import), RuntimeImport("*", "cpu_lfence")] public static extern void ReadBarrier();
        [MethodImpl(Import), RuntimeImport("*", "cpu_sfence")] public static extern void WriteBarrier();
        [MethodImpl(Import), RuntimeImport("*", "cpu_install_tss")] public static extern void InstallTss();
        [MethodImpl(Import), RuntimeImport("*", "cpu_install_idt")] public static extern void InstallIdt();
        [MethodImpl(Import), RuntimeImport("*", "kernel_image_start")] public static extern nuint KernelImageStart();
        [MethodImpl(Import), RuntimeImport("*", "cpu_map_null_page")] public static extern void MapNullPage(int present);
        [MethodImpl(Import), RuntimeImport("*", "kernel_image_end")] public static extern nuint KernelImageEnd();

        // Deliberate faults, for the tests that prove panics are readable.
        [MethodImpl(Import), RuntimeImport("*", "cpu_fault_ud")] public static extern void FaultInvalidOpcode();
        [MethodImpl(Import), RuntimeImport("*", "cpu_fault_gp")] public static extern void FaultGeneralProtection();
        [MethodImpl(Import), RuntimeImport("*", "cpu_fault_divide")] public static extern void FaultDivide();
        [MethodImpl(Import), RuntimeImport("*", "cpu_fault_double")] public static extern void FaultDouble();
        [MethodImpl(Import), RuntimeImport("*", "cpu_soft_irq")] public static extern void RaiseSoftwareIrq(int irq);

        /// <summary>CPUID.01H:ECX bit 30: the CPU has RDRAND.</summary>
        public static bool HasRdRand => (Cpuid(1).Ecx & (1u << 30)) != 0;

        /// <summary>A 64-bit word from RDRAND; false when the CPU has none or it kept failing.</summary>
        public static bool TryReadRandom(out ulong value)
        {
            ulong v = 0;
            bool ok = HasRdRand && RdRandRaw(&v) != 0;
            value = v;
            return ok;
        }

        public struct CpuidResult { public uint Eax, Ebx, Ecx, Edx; }

        public static CpuidResult Cpuid(uint leaf, uint subleaf = 0)
        {
            CpuidResult r;
            CpuidRaw(leaf, subleaf, (uint*)&r);
            return r;
        }
    }
}
