#nullable disable
using System;
using System.Runtime.CompilerServices;

namespace Cosmos.Conformance.Bench
{
    /// <summary>
    /// The exception benchmark, one source for both sides (the kernel's test=eh.bench and cosmos-runner's
    /// bench --exceptions on .NET): TSC cycles per throw-and-catch with the thrower 1 and 10 frames below the
    /// catch, and, for the cost of the non-throwing path, cycles per call of the same 10-frame chain through a
    /// method with a try/catch and through one without. The exception object is made once: the kernel has no
    /// GC, and allocation is not what is measured.
    /// </summary>
    public static class ThrowCatchBench
    {
        public struct Result
        {
            public string Name;
            public int Iterations;
            public ulong CyclesPerOperation;
        }

        private static readonly InvalidOperationException s_exception = new InvalidOperationException("bench");
        private static int s_sink;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Level(int remaining, bool doThrow)
        {
            if (remaining == 0)
            {
                if (doThrow) throw s_exception;
                return 1;
            }
            int below = Level(remaining - 1, doThrow);
            return below + 1; // keeps every frame (no tail call)
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int ThrowAndCatch(int frames)
        {
            try { return Level(frames - 1, true); }
            catch (InvalidOperationException) { return -1; }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int CallWithTry(int frames)
        {
            try { return Level(frames - 1, false); }
            catch (InvalidOperationException) { return -1; }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int CallWithoutTry(int frames) => Level(frames - 1, false) + 0;

        /// <summary>Runs every measurement: the best of five rounds each (the least disturbed by the machine).</summary>
        public static Result[] Run(Func<ulong> readTsc, int throwIterations, int callIterations)
        {
            return new[]
            {
                Measure("throw-catch-1-frame", readTsc, throwIterations, 1, 0),
                Measure("throw-catch-10-frames", readTsc, throwIterations, 10, 0),
                Measure("call-10-frames-with-try", readTsc, callIterations, 10, 1),
                Measure("call-10-frames-without-try", readTsc, callIterations, 10, 2),
            };
        }

        private static Result Measure(string name, Func<ulong> readTsc, int iterations, int frames, int kind)
        {
            ulong best = ulong.MaxValue;
            for (int round = 0; round < 6; round++)
            {
                ulong start = readTsc();
                for (int i = 0; i < iterations; i++)
                {
                    s_sink += kind == 0 ? ThrowAndCatch(frames) : kind == 1 ? CallWithTry(frames) : CallWithoutTry(frames);
                }
                ulong cycles = readTsc() - start;
                if (round > 0 && cycles < best) best = cycles; // round 0 warms up
            }
            return new Result { Name = name, Iterations = iterations, CyclesPerOperation = best / (ulong)iterations };
        }
    }
}
