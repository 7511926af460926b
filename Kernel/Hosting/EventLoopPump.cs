using Cosmos.Hal.Cpu;
using System.Runtime;

namespace Cosmos.Kernel.Hosting
{
    /// <summary>
    /// Connects Core's event loop (System.Runtime.EventLoop: the run queue and timers behind async/await) to the
    /// machine. Its wait enables interrupts and halts: the 1 kHz clock tick, or any device interrupt, wakes it, so a
    /// timer's deadline is met within a millisecond without spinning the CPU. No poll is installed yet: the network
    /// loop is not hooked in, so no kernel work can complete a task, and a blocking wait on a task that nothing
    /// can complete reports a deadlock instead of halting for ever. The network service will install its turn
    /// (poll the NICs, run the protocol timers) as the poll.
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
