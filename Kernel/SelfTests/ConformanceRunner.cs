using System;
using Cosmos.Conformance;
using Cosmos.Hal.Console;
using static Cosmos.Kernel.SelfTests.SelfTestRunner;

namespace Cosmos.Kernel.SelfTests
{
    /// <summary>
    /// test=conformance: runs the conformance suite (Tests/Conformance) and prints each transcript line as
    /// <c>CONF &lt;case&gt;: &lt;line&gt;</c>, then <c>CONF-END &lt;count&gt;</c>; the runner compares them with the
    /// same cases run on .NET. <c>test.conformance=PREFIX</c> runs only the cases whose name starts with it;
    /// <c>test.conformance.exclude=PREFIX</c> leaves out those that do (the runner's host side is told the same).
    /// </summary>
    internal static class ConformanceRunner
    {
        public static void Register()
        {
            RunExplicit("conformance", Run);
        }

        private static void Run()
        {
            string prefix = null;
            if (Options.TryGet("test.conformance", out ReadOnlySpan<char> p) && p.Length > 0) prefix = new string(p);
            string exclude = null;
            if (Options.TryGet("test.conformance.exclude", out ReadOnlySpan<char> x) && x.Length > 0) exclude = new string(x);
            int count = ConformanceSuite.Run(ConformanceSuite.All(), Emit, prefix, exclude);
            SerialConsole.Write("CONF-END ");
            SerialConsole.WriteDecimal(count);
            SerialConsole.WriteLine();
            Expect(count > 0, "no conformance case ran");
        }

        private static void Emit(string caseName, string line)
        {
            SerialConsole.Write("CONF ");
            SerialConsole.Write(caseName);
            SerialConsole.Write(": ");
            SerialConsole.WriteUtf8(line); // cases print non-ASCII text, which the runner reads as UTF-8
            SerialConsole.WriteLine();
        }
    }
}
