using System.Runtime;
using Cosmos.Kernel.Devices;
using Cosmos.Kernel.Networking;
using Cosmos.Sockets;

namespace Cosmos.Kernel.Hosting
{
    /// <summary>
    /// Makes the network the event loop's work, for an application: each turn of System.Runtime.EventLoop polls the
    /// NICs and the stack (NetworkHost.Poll: frames in, protocol timers, frames out, the idle report), then lets
    /// every socket operation that waits move on (SocketHost.Poll), whose completions queue the program's
    /// continuations for the loop's next turn. When nothing is ready the loop waits the way the kernel's own service
    /// loop does (NetworkDevices.WaitForWork: re-enable the NICs' interrupts and halt until one, or the clock tick,
    /// arrives).
    /// </summary>
    internal static unsafe class NetworkEventLoop
    {
        // The loop's poll is a function pointer, so the host it turns is kept here (set once, by Install).
        private static NetworkHost s_network;

        public static void Install(NetworkHost network)
        {
            s_network = network;
            SocketHost.Install(network.Routes, MillisecondsNow);
            EventLoop.InstallPoll(&Turn);
            EventLoop.InstallWait(&WaitForWork);
        }

        private static long MillisecondsNow() => Cosmos.Hal.Timers.Clock.Milliseconds;

        private static bool Turn()
        {
            bool busy = s_network.Poll();
            if (SocketHost.Poll()) busy = true;
            return busy;
        }

        // The deadline needs no timer of its own: the periodic tick ends the halt at least once a millisecond.
        private static void WaitForWork(long deadlineNanoseconds) => NetworkDevices.WaitForWork();
    }
}
