using Cosmos.Hal.Cpu;

namespace Cosmos.Hal.Timers
{
    /// <summary>The 8254 PIT: channel 0 as the periodic tick on IRQ 0, channel 2 as a one-shot for calibration.</summary>
    public static class Pit
    {
        public const uint BaseFrequency = 1193182; // Hz
        private const ushort Channel0 = 0x40, Channel2 = 0x42, Command = 0x43, SpeakerGate = 0x61;

        public static void StartPeriodic(uint hz)
        {
            uint divisor = BaseFrequency / hz;
            CpuNative.OutByte(Command, 0x34); // channel 0, lobyte/hibyte, mode 2 (rate generator)
            CpuNative.OutByte(Channel0, (byte)divisor);
            CpuNative.OutByte(Channel0, (byte)(divisor >> 8));
        }

        /// <summary>
        /// Busy-waits on channel 2 for <paramref name="ticks"/> PIT ticks (gate via port 0x61) and returns
        /// the TSC cycles that passed. Bounded: gives up after far more TSC cycles than any real CPU needs.
        /// </summary>
        public static ulong MeasureTscOver(ushort ticks)
        {
            byte gate = CpuNative.InByte(SpeakerGate);
            CpuNative.OutByte(SpeakerGate, (byte)((gate & 0xFD) | 0x01)); // gate on (and left on), speaker off
            CpuNative.OutByte(Command, 0xB0); // channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count)
            CpuNative.OutByte(Channel2, (byte)ticks);
            // In mode 0 the count starts when its second byte is written, the gate being high (8254 data sheet, mode 0;
            // QEMU's i8254 loads the count there too, and a gate edge in mode 0 does not restart it).
            // So the TSC is read just before that write: anything that delays this code (under TCG, translating the next
            // block, or the host descheduling the vCPU) can then only lengthen the measured run, as a late end can, and
            // the caller keeps the shortest. This used to drop and raise the gate after the load and read the TSC before
            // the edge, as if the edge restarted the count; it does not, so a delay there shortened the run: a boot under
            // load (1 December 2026) calibrated 2,192,398 kHz on a 2.44 GHz host, its clock 11 % fast and a 5 s idle
            // timeout over after 4.5 s.
            ulong start = CpuNative.ReadTimeStampCounter();
            CpuNative.OutByte(Channel2, (byte)(ticks >> 8));
            ulong now = start;
            while ((CpuNative.InByte(SpeakerGate) & 0x20) == 0)
            {
                now = CpuNative.ReadTimeStampCounter();
                if (now - start > 50_000_000_000UL) return 0;
            }
            now = CpuNative.ReadTimeStampCounter();
            return now - start;
        }
    }
}
