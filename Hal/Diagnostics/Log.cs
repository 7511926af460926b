using System;
using Cosmos.Hal.Console;

namespace Cosmos.Hal.Diagnostics
{
    /// <summary>
    /// Kernel log: one line per event, prefixed with uptime and a subsystem tag, e.g.
    /// <c>[    0.012345] pci: 00:03.0 1af4:1000 ...</c>. Built from pieces so nothing allocates.
    /// Lines begun with <see cref="Begin"/> are information; lines begun with <see cref="BeginNotice"/> are
    /// problems, or the one line a user waits for, and are printed even when <see cref="Quiet"/>.
    /// </summary>
    public static class Log
    {
        /// <summary>
        /// Set by the <c>quiet</c> boot option (as Linux's): information lines are dropped. Under emulation every
        /// character written to the 16550 is a trapped port write and a host write; QEMU TCG takes about 10 us per
        /// character here, so the ~2 KB boot log costs some 20 ms before the kernel serves.
        /// </summary>
        public static bool Quiet { get; set; }

        private static bool s_muted;

        public static void Begin(string subsystem) => Start(subsystem, Quiet);

        /// <summary>Begins a line that is printed even with <c>quiet</c>: a problem, or the kernel's ready line.</summary>
        public static void BeginNotice(string subsystem) => Start(subsystem, false);

        private static void Start(string subsystem, bool muted)
        {
            s_muted = muted;
            if (muted) return;
            long us = Timers.Clock.IsCalibrated ? Timers.Clock.Microseconds : 0;
            SerialConsole.Write('[');
            WritePadded(us / 1_000_000, 5);
            SerialConsole.Write('.');
            WriteZeroPadded(us % 1_000_000, 6);
            SerialConsole.Write("] ");
            SerialConsole.Write(subsystem);
            SerialConsole.Write(": ");
        }

        public static void Line(string subsystem, string message)
        {
            Begin(subsystem);
            if (!s_muted) SerialConsole.WriteLine(message);
        }

        /// <summary>A whole line printed even with <c>quiet</c>.</summary>
        public static void NoticeLine(string subsystem, string message)
        {
            BeginNotice(subsystem);
            SerialConsole.WriteLine(message);
        }

        public static void Write(string s) { if (!s_muted) SerialConsole.Write(s); }
        public static void Write(ReadOnlySpan<char> s) { if (!s_muted) SerialConsole.Write(s); }
        public static void Write(char c) { if (!s_muted) SerialConsole.Write(c); }
        public static void Decimal(long v) { if (!s_muted) SerialConsole.WriteDecimal(v); }
        public static void Hex(ulong v, int digits = 1) { if (!s_muted) SerialConsole.WriteHex(v, digits); }

        public static void End()
        {
            if (!s_muted) SerialConsole.WriteLine();
            s_muted = false;
        }

        private static void WritePadded(long v, int width)
        {
            int digits = 1;
            for (long t = v / 10; t != 0; t /= 10) digits++;
            for (int i = digits; i < width; i++) SerialConsole.Write(' ');
            SerialConsole.WriteDecimal(v);
        }

        private static void WriteZeroPadded(long v, int width)
        {
            int digits = 1;
            for (long t = v / 10; t != 0; t /= 10) digits++;
            for (int i = digits; i < width; i++) SerialConsole.Write('0');
            SerialConsole.WriteDecimal(v);
        }
    }
}
