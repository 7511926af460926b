using System;
using Cosmos.Conformance.Bench;
using Cosmos.Hal.Console;
using Cosmos.Hal.Cpu;
using Cosmos.Hal.Timers;

namespace Cosmos.Kernel.SelfTests
{
    /// <summary>
    /// test=eh.bench: the exception benchmark (Tests/Conformance/Bench), one line per measurement:
    /// <c>EH-BENCH name=... iterations=N cycles=C ns=T tsc-khz=K</c>. cosmos-runner bench --exceptions boots
    /// it and sets the same code run on .NET beside it.
    /// </summary>
    internal static class ExceptionBench
    {
        public static void Register() => SelfTestRunner.RunExplicit("eh.bench", Run);

        private static ulong ReadTsc() => CpuNative.ReadTimeStampCounter();

        private static void Run()
        {
            ThrowCatchBench.Result[] results = ThrowCatchBench.Run(ReadTsc, 2000, 20000);
            ulong khz = Clock.TscFrequency / 1000;
            foreach (ThrowCatchBench.Result r in results)
            {
                SerialConsole.Write("EH-BENCH name=");
                SerialConsole.Write(r.Name);
                SerialConsole.Write(" iterations=");
                SerialConsole.WriteDecimal(r.Iterations);
                SerialConsole.Write(" cycles=");
                SerialConsole.WriteDecimal((long)r.CyclesPerOperation);
                SerialConsole.Write(" ns=");
                SerialConsole.WriteDecimal(khz == 0 ? 0 : (long)(r.CyclesPerOperation * 1000000 / khz));
                SerialConsole.Write(" tsc-khz=");
                SerialConsole.WriteDecimal((long)khz);
                SerialConsole.WriteLine();
            }
        }
    }
}
