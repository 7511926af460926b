using Cosmos.Hal.Cpu;
using System.Runtime;

namespace Cosmos.Kernel.Hosting
{
    /// <summary>
    /// Connects Core's event loop (System.Runtime.EventLoop: the run queue and timers behind async/await) to the
    /// machine. Its wait enables interrupts and halts: the 1 kHz clock tick, or any device interrupt, wakes it, so a
    /// timer's deadline is met within a millisecond without spinning the CPU. No poll is installed here: in the bare kernel
    /// no kernel work completes a task, and a blocking wait on a task that nothing
    /// can complete reports a deadlock instead of halting for ever. An application image replaces both with the
    /// network's turn and wait (NetworkEventLoop) once the network is up.
    /// </summary>
    internal static unsafe class EventLoopPump
    {
        public static void Install()
        {
            EventLoop.InstallWait(&WaitForInterrupt);
        }

        // The deadline needs no timer of its own: the periodic tick wakes the halt at least once a millisecond.
        private static void WaitForInterrupt(long deadlineNanoseconds) => CpuNative.EnableInterruptsAndHalt();
    }
}
