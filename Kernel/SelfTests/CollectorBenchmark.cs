using System;
using System.Runtime;
using Cosmos.Conformance.Bench;
using Cosmos.Hal.Console;
using Cosmos.Hal.Cpu;
using Cosmos.Hal.Timers;

namespace Cosmos.Kernel.SelfTests
{
    /// <summary>
    /// test=gc.bench: the collector benchmark (Tests/Conformance/Bench/CollectorBench.cs), one line per measurement:
    /// <c>GC-BENCH name=pause count=N cycles=C ns=T collections=K tsc-khz=F</c>. cosmos-runner bench --gc boots it
    /// (with enough memory for a million live objects) and sets the same code run on .NET beside it.
    /// </summary>
    internal static class CollectorBenchmark
    {
        public static void Register() => SelfTestRunner.RunExplicit("gc.bench", Run);

        private static ulong ReadTsc() => CpuNative.ReadTimeStampCounter();
        private static long Collections() => GarbageCollector.Collections;

        private static void Run()
        {
            foreach (CollectorBench.Result r in CollectorBench.Pauses(ReadTsc, Collections, new[] { 10_000, 100_000, 1_000_000 })) Print(r);
            Print(CollectorBench.Workload(ReadTsc, Collections, 100_000, 5));
            Print(CollectorBench.Baseline(ReadTsc, 100_000, 5));
        }

        private static void Print(CollectorBench.Result r)
        {
            ulong khz = Clock.TscFrequency / 1000;
            SerialConsole.Write("GC-BENCH name=");
            SerialConsole.Write(r.Name);
            SerialConsole.Write(" count=");
            SerialConsole.WriteDecimal(r.Count);
            SerialConsole.Write(" cycles=");
            SerialConsole.WriteDecimal((long)r.Cycles);
            SerialConsole.Write(" ns=");
            SerialConsole.WriteDecimal(khz == 0 ? 0 : (long)(r.Cycles * 1000000 / khz));
            SerialConsole.Write(" collections=");
            SerialConsole.WriteDecimal(r.Collections);
            SerialConsole.Write(" tsc-khz=");
            SerialConsole.WriteDecimal((long)khz);
            SerialConsole.WriteLine();
        }
    }
}
