using Cosmos.Hal.Cpu;
using Cosmos.Hal.Memory;

namespace Cosmos.Hal.Interrupts
{
    /// <summary>
    /// The boot CPU's local APIC (Intel SDM Vol. 3A §10/§11), used as the target of MSI/MSI-X messages.
    /// The legacy PIC keeps delivering through LINT0 (virtual wire mode), so both work side by side.
    /// Its registers are at the physical base from IA32_APIC_BASE, inside the identity-mapped 4 GiB.
    /// </summary>
    public static class LocalApic
    {
        private const uint ApicBaseMsr = 0x1B;
        private const ulong ApicGlobalEnable = 1 << 11;
        private const int IdRegister = 0x20, TaskPriority = 0x80, EndOfInterruptRegister = 0xB0, SpuriousVector = 0xF0;
        public const int SpuriousInterruptVector = 0xFF;

        private static nuint s_base;
        public static bool IsEnabled { get; private set; }
        public static uint Id { get; private set; }

        public static bool Initialize()
        {
            if ((CpuNative.Cpuid(1).Edx & (1 << 9)) == 0) return false; // no APIC
            ulong msr = CpuNative.ReadMsr(ApicBaseMsr);
            ulong physical = msr & 0xFFFFF000UL;
            if (physical == 0 || physical >= PhysicalMemory.IdentityMappedLimit) return false;
            CpuNative.WriteMsr(ApicBaseMsr, msr | ApicGlobalEnable);
            s_base = (nuint)physical;
            Write(TaskPriority, 0);
            Write(SpuriousVector, 0x100 | SpuriousInterruptVector); // software enable
            Id = Read(IdRegister) >> 24;
            IsEnabled = true;
            InterruptTable.LocalApicEoi = EndOfInterrupt;
            return true;
        }

        private static uint Read(int register) => CpuNative.MmioRead32(s_base + (nuint)register);
        private static void Write(int register, uint value) => CpuNative.MmioWrite32(s_base + (nuint)register, value);

        public static void EndOfInterrupt() => Write(EndOfInterruptRegister, 0);

        private const int LvtTimer = 0x320, InitialCount = 0x380, CurrentCount = 0x390, DivideConfiguration = 0x3E0;
        private const uint LvtMasked = 1 << 16, LvtPeriodic = 1 << 17;

        /// <summary>Timer counts per second, measured against the (already calibrated) TSC clock.</summary>
        public static ulong TimerFrequency { get; private set; }

        /// <summary>
        /// A periodic local APIC timer interrupt (SDM §11.5.4): count down from 0xFFFFFFFF for 10 ms of TSC
        /// time to learn the rate (divide by 1), then reload at rate / hz.
        /// </summary>
        public static bool StartPeriodicTimer(int vector, uint hz)
        {
            if (!IsEnabled || hz == 0) return false;
            Write(DivideConfiguration, 0xB); // divide by 1
            Write(LvtTimer, LvtMasked | (uint)vector);
            Write(InitialCount, 0xFFFFFFFF);
            Timers.Clock.SpinFor(10_000);
            uint left = Read(CurrentCount);
            ulong counted = 0xFFFFFFFFUL - left;
            TimerFrequency = counted * 100;
            if (counted == 0) return false;
            Write(LvtTimer, LvtPeriodic | (uint)vector);
            Write(InitialCount, (uint)(TimerFrequency / hz));
            return true;
        }

        /// <summary>The MSI address and data that deliver <paramref name="vector"/> to this CPU (SDM §11.11: fixed, edge).</summary>
        public static void MessageFor(int vector, out ulong address, out uint data)
        {
            address = 0xFEE00000UL | (Id << 12);
            data = (uint)vector;
        }
    }

    /// <summary>Hands out IDT vectors for message-signalled interrupts (48 up to the spurious vector).</summary>
    public static unsafe class MessageVectors
    {
        public const int First = InterruptTable.IrqBase + 16;
        private static int s_next = First;

        /// <summary>A fresh vector with its handler installed; -1 when all are taken.</summary>
        public static int Allocate(delegate*<InterruptFrame*, void> handler)
        {
            if (s_next >= LocalApic.SpuriousInterruptVector) return -1;
            int vector = s_next++;
            InterruptTable.SetHandler(vector, handler);
            return vector;
        }
    }
}
