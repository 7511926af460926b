using System;
using Cosmos.Hal.Config;
using Cosmos.Hal.Console;

namespace Cosmos.Kernel.SelfTests
{
    /// <summary>
    /// In-kernel tests, reported over the serial port in the runner's line protocol (docs in README):
    /// <code>
    /// TEST START name
    /// TEST PASS name
    /// TEST FAIL name: reason
    /// TEST SUMMARY passed=N failed=M
    /// </code>
    /// <c>test=all</c> runs everything; <c>test=a,b</c> runs the named tests.
    /// </summary>
    public static class SelfTestRunner
    {
        private static int s_passed, s_failed;
        private static string s_failure;
        private static CommandLine s_options;

        public static CommandLine Options => s_options;

        public static bool RunAll(CommandLine options)
        {
            s_options = options;
            RuntimeTests.Register();
            ExceptionTests.Register();
            MemoryTests.Register();
            CollectorTests.Register();
            EventLoopTests.Register();
            HardwareTests.Register();
            NicExchangeTest.Register();
            ConformanceRunner.Register();
            ExceptionBench.Register();
            CollectorBenchmark.Register();
            SerialConsole.Write("TEST SUMMARY passed=");
            SerialConsole.WriteDecimal(s_passed);
            SerialConsole.Write(" failed=");
            SerialConsole.WriteDecimal(s_failed);
            SerialConsole.WriteLine();
            return s_failed == 0;
        }

        private static bool Selected(string name, bool explicitOnly = false)
        {
            var selection = s_options.Get("test");
            if (selection.Length == 0 || selection.SequenceEqual("all")) return !explicitOnly;
            int start = 0;
            for (int i = 0; i <= selection.Length; i++)
            {
                if (i < selection.Length && selection[i] != ',') continue;
                if (selection.Slice(start, i - start).SequenceEqual(name)) return true;
                start = i + 1;
            }
            return false;
        }

        /// <summary>A test that needs something outside the machine (a peer): runs only when named in test=.</summary>
        public static void RunExplicit(string name, Action test)
        {
            if (Selected(name, explicitOnly: true)) RunSelected(name, test);
        }

        public static void Run(string name, Action test)
        {
            if (Selected(name)) RunSelected(name, test);
        }

        private static void RunSelected(string name, Action test)
        {
            s_failure = null;
            SerialConsole.Write("TEST START ");
            SerialConsole.WriteLine(name);
            test();
            if (s_failure == null)
            {
                s_passed++;
                SerialConsole.Write("TEST PASS ");
                SerialConsole.WriteLine(name);
            }
            else
            {
                s_failed++;
                SerialConsole.Write("TEST FAIL ");
                SerialConsole.Write(name);
                SerialConsole.Write(": ");
                SerialConsole.WriteLine(s_failure);
            }
        }

        /// <summary>Records the first failed expectation of the running test.</summary>
        public static void Expect(bool condition, string what)
        {
            if (!condition && s_failure == null) s_failure = what;
        }

        public static void ExpectEqual(long expected, long actual, string what)
        {
            if (expected == actual || s_failure != null) return;
            s_failure = string.Concat(what, ": expected ", expected.ToString(), string.Concat(", got ", actual.ToString()));
        }

        public static void ExpectEqual(string expected, string actual, string what)
        {
            if (expected == actual || s_failure != null) return;
            s_failure = string.Concat(what, ": expected \"", expected, string.Concat("\", got \"", actual ?? "(null)", "\""));
        }
    }
}
