using System;
using System.Collections.Generic;
using System.Net.Sockets;
using Cosmos.Net.Interface;
using Cosmos.Net.Routing;
using Cosmos.Net.Wire;

namespace Cosmos.Sockets
{
    /// <summary>
    /// Where the sockets meet the kernel. The kernel installs its interfaces' route table and its clock once the network
    /// is up (<see cref="Install"/>), and calls <see cref="Poll"/> once per turn of its event loop, after the stack has
    /// taken in what the NICs received: each socket with an operation waiting (accept, connect, receive, send, a DNS
    /// answer) moves it on as far as the stack now allows, and completes its task when done. The task's continuations
    /// are queued to the event loop, never run here, so no program code runs inside the stack's turn.
    /// </summary>
    public static class SocketHost
    {
        private static RouteTable s_routes;
        private static Func<long> s_nowMs;
        // Made at the first wait, not by a static constructor: the bare kernel's idle report asks IsInstalled, and an
        // allocation there would make its next idle report collect (net-no-allocation-16M counts collections).
        private static List<IWaitingOperation> s_waiting;

        /// <summary>The interfaces (routed by destination) and the stack's clock in milliseconds.</summary>
        public static void Install(RouteTable routes, Func<long> nowMs)
        {
            s_routes = routes ?? throw new ArgumentNullException(nameof(routes));
            s_nowMs = nowMs ?? throw new ArgumentNullException(nameof(nowMs));
        }

        public static bool IsInstalled => s_routes != null && s_routes.Count > 0;

        /// <summary>Operations waiting for the network (0 when every socket is idle).</summary>
        public static int WaitingOperations => s_waiting == null ? 0 : s_waiting.Count;

        internal static RouteTable Routes =>
            IsInstalled ? s_routes : throw new SocketException((int)SocketError.NetworkDown);

        internal static long NowMs => s_nowMs == null ? 0 : s_nowMs();

        /// <summary>The interface a packet to <paramref name="destination"/> leaves by, or a SocketException (NetworkUnreachable).</summary>
        internal static NetworkInterface Route(Ipv4Address destination) =>
            Routes.Lookup(destination) ?? throw new SocketException((int)SocketError.NetworkUnreachable);

        // Each waiting operation knows its index in s_waiting, so joining and leaving cost the same with 3 sockets or
        // 300: a search of the list (Contains, then Remove's IndexOf, each with a virtual Equals per element) was 4 % of
        // a key-value server's guest time at 30 connections under TCG.
        internal static void Wait(IWaitingOperation operation)
        {
            s_waiting ??= new List<IWaitingOperation>();
            if (operation.WaitIndex >= 0) return;
            operation.WaitIndex = s_waiting.Count;
            s_waiting.Add(operation);
        }

        /// <summary>Takes an operation out of the waiting list: the last one moves into its place (order is not kept).</summary>
        internal static void StopWaiting(IWaitingOperation operation)
        {
            int index = operation.WaitIndex;
            if (s_waiting == null || index < 0) return;
            int last = s_waiting.Count - 1;
            IWaitingOperation moved = s_waiting[last];
            s_waiting[index] = moved;
            moved.WaitIndex = index;
            s_waiting.RemoveAt(last);
            operation.WaitIndex = -1;
        }

        /// <summary>One turn: every waiting operation tries to progress; true if any did.</summary>
        public static bool Poll()
        {
            bool progressed = false;
            if (s_waiting == null) return false;
            // Backwards: an operation that leaves is replaced by the last one, which has had its turn. One that completes
            // may end others (at most giving one of them a second try in this turn).
            for (int i = s_waiting.Count - 1; i >= 0; i--)
            {
                if (i >= s_waiting.Count) continue;
                IWaitingOperation operation = s_waiting[i];
                if (operation.TryProgress()) progressed = true;
                if (operation.IsDone) StopWaiting(operation);
            }
            return progressed;
        }
    }

    /// <summary>An operation waiting on the network: tried once per turn of the event loop until it is done.</summary>
    internal interface IWaitingOperation
    {
        /// <summary>Moves the operation on as far as it can now; true if anything changed.</summary>
        bool TryProgress();

        bool IsDone { get; }

        /// <summary>Where the operation is in <see cref="SocketHost"/>'s waiting list, or -1 when it is not waiting.</summary>
        int WaitIndex { get; set; }
    }
}
