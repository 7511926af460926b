using Cosmos.Hal.Cpu;
using Cosmos.Hal.Interrupts;

namespace Cosmos.Hal.Timers
{
    /// <summary>
    /// Monotonic time from the TSC, calibrated at boot against the PIT; a periodic PIT tick (IRQ 0)
    /// drives timeouts and lets the idle loop sleep with hlt.
    /// </summary>
    public static unsafe class Clock
    {
        public const uint DefaultTickHz = 1000, MinTickHz = 20, MaxTickHz = 1000; // (20: the PIT's 16-bit divisor reaches 18.2 Hz)

        /// <summary>
        /// The periodic tick's rate: it wakes the idle loop for timers (the time itself is the TSC's), so it bounds how
        /// late a timer may fire (1 ms at 1 kHz). Set before the tick starts (<see cref="SetTickRate"/>).
        /// </summary>
        public static uint TickHz { get; private set; } = DefaultTickHz;

        /// <summary>Sets the tick's rate, clamped to [<see cref="MinTickHz"/>, <see cref="MaxTickHz"/>]; before <see cref="StartTick"/>.</summary>
        public static void SetTickRate(uint hz) => TickHz = hz < MinTickHz ? MinTickHz : hz > MaxTickHz ? MaxTickHz : hz;
        private static ulong s_tscAtBoot;
        private static ulong s_tscPerSecond;
        private static ulong s_ticks;

        public static bool IsCalibrated => s_tscPerSecond != 0;

        /// <summary>
        /// Uptime counts from the kernel's first instruction (the boot stub's TSC reading), so a log stamp says how
        /// long the kernel itself took; the time before it (QEMU, firmware, boot loader) is the rest of a boot.
        /// </summary>
        private static ulong TscAtKernelEntry()
        {
            ulong entry = CpuNative.BootTimeStampCounter(), now = CpuNative.ReadTimeStampCounter();
            return entry != 0 && entry <= now ? entry : now;
        }
        public static ulong TscFrequency => s_tscPerSecond;
        public static ulong Ticks => s_ticks;

        /// <summary>
        /// Measures the TSC over 2 ms of PIT time, three times, keeping the shortest run (every disturbance
        /// lengthens a run; see <see cref="Pit.MeasureTscOver"/>); false if the PIT never finished. 2,386 PIT ticks
        /// resolve the rate to 0.05 %, ample for timeouts and log stamps, and the boot spends 6 ms here (it was 30,
        /// then 10, then 4 with two runs: time to the first answered packet is a benchmark line).
        /// </summary>
        public static bool Calibrate()
        {
            s_tscAtBoot = TscAtKernelEntry();
            const ushort ticks = 2386; // 2 ms at 1.193182 MHz
            ulong best = 0;
            for (int attempt = 0; attempt < 3; attempt++)
            {
                ulong cycles = Pit.MeasureTscOver(ticks);
                if (cycles == 0) return false;
                if (best == 0 || cycles < best) best = cycles; // the shortest run had the least interference
            }
            s_tscPerSecond = best * Pit.BaseFrequency / ticks;
            return s_tscPerSecond != 0;
        }

        /// <summary>Takes the TSC frequency from the hypervisor (Xen CPUID leaf base+3) when there is no PIT to measure it.</summary>
        public static bool UseKnownFrequency(ulong tscPerSecond)
        {
            s_tscAtBoot = TscAtKernelEntry();
            s_tscPerSecond = tscPerSecond;
            return tscPerSecond != 0;
        }

        /// <summary>The tick from the local APIC timer instead of the PIT (no PIT in a Xen PVH guest).</summary>
        public static bool StartTickOnLocalApic()
        {
            int vector = MessageVectors.Allocate(&OnTick);
            return vector >= 0 && LocalApic.StartPeriodicTimer(vector, TickHz);
        }

        public static void StartTick()
        {
            InterruptTable.SetHandler(InterruptTable.IrqBase + 0, &OnTick);
            Pit.StartPeriodic(TickHz);
            Pic.Unmask(0);
        }

        private static void OnTick(InterruptFrame* frame) => s_ticks++;

        public static long Nanoseconds
        {
            get
            {
                if (s_tscPerSecond == 0) return 0;
                ulong delta = CpuNative.ReadTimeStampCounter() - s_tscAtBoot;
                // Split to avoid overflow of delta * 1e9 for uptimes beyond a few seconds.
                ulong seconds = delta / s_tscPerSecond;
                ulong rest = delta % s_tscPerSecond;
                return (long)(seconds * 1_000_000_000UL + rest * 1_000_000_000UL / s_tscPerSecond);
            }
        }

        public static long Microseconds => Nanoseconds / 1000;
        public static long Milliseconds => Nanoseconds / 1_000_000;

        /// <summary>Busy-waits (with pause) for the given time.</summary>
        public static void SpinFor(long microseconds)
        {
            long until = Microseconds + microseconds;
            while (Microseconds < until) CpuNative.Pause();
        }
    }
}
