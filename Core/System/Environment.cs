namespace System
{
    /// <summary>
    /// The parts of .NET's Environment that mean something in a kernel. Time comes from the clock the HAL installs
    /// in <see cref="Runtime.TimeSources"/>, since Core knows no hardware.
    /// </summary>
    public static class Environment
    {

        public static void FailFast(string message) => Runtime.Panic.Fail(message);

        /// <summary>One managed thread: the C# compiler's iterators compare this to know who made them.</summary>
        public static int CurrentManagedThreadId => 1;

        public static string NewLine => "\n";

        public static int ProcessorCount => 1;

        /// <summary>Milliseconds since boot (0 until the HAL installs its clock).</summary>
        public static long TickCount64 => Runtime.TimeSources.NanosecondsSinceBoot / 1_000_000;

        public static int TickCount => (int)TickCount64;

        /// <summary>The application's name and its arguments from the kernel command line (empty in the bare kernel).</summary>
        public static string[] GetCommandLineArgs() => Internal.Runtime.CompilerHelpers.StartupCodeHelpers.GetCommandLineArgs();
    }
}
