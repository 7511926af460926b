using System;
using Cosmos.Hal.Console;

namespace Cosmos.Hal.Diagnostics
{
    /// <summary>
    /// Kernel log: one line per event, prefixed with uptime and a subsystem tag, e.g.
    /// <c>[    0.012345] pci: 00:03.0 1af4:1000 ...</c>. Built from pieces so nothing allocates.
    /// </summary>
    public static class Log
    {
        public static void Begin(string subsystem)
        {
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
            SerialConsole.WriteLine(message);
        }

        public static void Write(string s) => SerialConsole.Write(s);
        public static void Write(ReadOnlySpan<char> s) => SerialConsole.Write(s);
        public static void Write(char c) => SerialConsole.Write(c);
        public static void Decimal(long v) => SerialConsole.WriteDecimal(v);
        public static void Hex(ulong v, int digits = 1) => SerialConsole.WriteHex(v, digits);
        public static void End() => SerialConsole.WriteLine();

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
