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
            CpuNative.OutByte(SpeakerGate, (byte)((gate & 0xFD) | 0x01)); // gate on, speaker off
            CpuNative.OutByte(Command, 0xB0); // channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count)
            CpuNative.OutByte(Channel2, (byte)ticks);
            CpuNative.OutByte(Channel2, (byte)(ticks >> 8));
            // Restart the count: drop and raise the gate. The TSC is read just before the rising edge, so anything
            // that delays this code (under TCG, translating the next block after the port write took tens of
            // microseconds on a first run) can only lengthen the measured run, as a late end can: every error makes
            // the count longer, and the caller keeps the shortest. Read after the edge, a delayed read shortened the
            // run, and the shortest was the most disturbed (kernels calibrated 0.1-3 % slow, their clocks that much fast).
            gate = CpuNative.InByte(SpeakerGate);
            CpuNative.OutByte(SpeakerGate, (byte)(gate & 0xFE));
            ulong start = CpuNative.ReadTimeStampCounter();
            CpuNative.OutByte(SpeakerGate, (byte)(gate | 0x01));
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
