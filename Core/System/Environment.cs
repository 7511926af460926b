namespace System
{
    /// <summary>
    /// The parts of .NET's Environment that mean something in a kernel. Time comes from a source the HAL installs
    /// (its clock), since Core knows no hardware.
    /// </summary>
    public static unsafe class Environment
    {
        private static delegate*<long> s_millisecondsSinceBoot;

        public static void FailFast(string message) => Runtime.Panic.Fail(message);

        /// <summary>One managed thread: the C# compiler's iterators compare this to know who made them.</summary>
        public static int CurrentManagedThreadId => 1;

        public static string NewLine => "\n";

        public static int ProcessorCount => 1;

        /// <summary>Milliseconds since boot (0 until the HAL installs its clock).</summary>
        public static long TickCount64 => s_millisecondsSinceBoot == null ? 0 : s_millisecondsSinceBoot();

        public static int TickCount => (int)TickCount64;

        /// <summary>Called once by the HAL when its clock runs.</summary>
        public static void InstallMillisecondClock(delegate*<long> millisecondsSinceBoot) => s_millisecondsSinceBoot = millisecondsSinceBoot;
    }
}
