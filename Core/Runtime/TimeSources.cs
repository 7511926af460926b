namespace System.Runtime
{
    /// <summary>
    /// Where Environment.TickCount64, Stopwatch and DateTime.UtcNow get time: a monotonic nanosecond counter and the
    /// wall-clock time at boot, both installed by the HAL (TSC-based clock, CMOS real-time clock). Until then time
    /// stands still at zero and DateTime.UtcNow is DateTime.MinValue.
    /// </summary>
    public static unsafe class TimeSources
    {
        private static delegate*<long> s_nanosecondsSinceBoot;
        private static long s_utcTicksAtBoot;

        public static void InstallMonotonic(delegate*<long> nanosecondsSinceBoot) => s_nanosecondsSinceBoot = nanosecondsSinceBoot;

        /// <summary>The wall clock read now (in 100 ns DateTime ticks, UTC); stored relative to boot so it advances with the monotonic clock.</summary>
        public static void InstallWallClock(long utcTicksNow) => s_utcTicksAtBoot = utcTicksNow - NanosecondsSinceBoot / 100;

        public static long NanosecondsSinceBoot => s_nanosecondsSinceBoot == null ? 0 : s_nanosecondsSinceBoot();

        public static bool HasWallClock => s_utcTicksAtBoot != 0;

        public static long UtcTicksNow => s_utcTicksAtBoot + NanosecondsSinceBoot / 100;
    }
}
