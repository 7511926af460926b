using System;
using Cosmos.Drivers.VirtioNet;
using Cosmos.Hal.Config;
using Cosmos.Hal.Diagnostics;

namespace Cosmos.Kernel.Devices
{
    /// <summary>Per adapter: where recovery stands.</summary>
    internal struct RecoveryState
    {
        /// <summary>When the stop was first seen (0: the device is running).</summary>
        public long StoppedAtMs;
        public long NextAttemptMs;
        /// <summary>Set-ups tried since the stop (each failure waits longer).</summary>
        public int Attempts;
        /// <summary>Successful recoveries since boot.</summary>
        public int Recoveries;
        public bool GaveUp;
        /// <summary>test.nic-fault: the driver's received-frame count at which the fault is injected (0: none).</summary>
        public long InjectAtRxFrames;

        // Xen (XenReattach): detaches seen, whether the current one is logged, and what detaches cost so far.
        public int Detaches;
        public bool DetachReported;
        public long LastDetachMs, TxDroppedAtDetach, RxDroppedAtDetach;
        public int GrantsLeftMapped;
        /// <summary>The last node a connection on it failed, and how many times in a row.</summary>
        public string FailedNode;
        /// <summary>The netfront replaced last, its generation, and when to look at it again; its memory goes back once the stack holds none of its frames.</summary>
        public Cosmos.Drivers.XenNetfront.XenNetfrontDevice RetiredXen;
        public int RetiredGeneration;
        public long RetiredLookMs;
        /// <summary>Memory of replaced netfronts returned to the allocator, and replaced netfronts whose memory is kept (another came before theirs went back).</summary>
        public long MemoryReturnedBytes;
        public int RetiredKept;
    }

    /// <summary>
    /// Recovery from device faults (issue 17 item 4): when a virtio-net driver has stopped its device (a ring rule broken,
    /// or a fault injected with <c>test.nic-fault=</c>), the kernel resets the function and sets it up again with a new
    /// driver (virtio 1.2 §3.1.1, the same initialisation as at boot) behind the same <see cref="RestartableNetworkDevice"/>,
    /// so the interface keeps its address and its TCP connections (their lost segments are retransmitted). The first
    /// attempt is 100 ms after the stop, a failed attempt waits four times longer (100 ms, 400 ms, 1.6 s); after
    /// <see cref="MaxAttempts"/> failed attempts, or once <see cref="MaxRecoveries"/> recoveries are spent, the device stays
    /// stopped with one log line saying so. The bound on recoveries is also a bound on memory: a stopped driver's rings and
    /// buffers are not reclaimed (the device may still hold their addresses until its reset completes, and the stack may
    /// still hold frames in them), so each recovery costs one driver's DMA memory. <c>net.recover=off</c> leaves a
    /// stopped device stopped (the hostile-device boots, which test the detection itself).
    /// A Xen netfront whose vif was detached is not a fault: <see cref="XenReattach"/> waits for a new vif and connects it
    /// behind the same device, with the same bookkeeping (<see cref="Replaced"/>) and the same bound on recoveries.
    /// </summary>
    public static class DeviceRecovery
    {
        public const int MaxAttempts = 3, MaxRecoveries = 3;
        private const long FirstDelayMs = 100;
        private static bool s_enabled = true, s_configured;
        private static long s_faultEvery;
        private static bool s_faultRepeats;

        /// <summary>Recoveries done, over every adapter (the status page shows them).</summary>
        public static int Recoveries { get; private set; }
        /// <summary>False with net.recover=off: a stopped device (or a detached vif) stays as it is.</summary>
        internal static bool Enabled => s_enabled;

        /// <summary>Whether a stop of <paramref name="adapter"/>'s device now would be followed by a recovery attempt (recovery on, a virtio-net adapter, not given up).</summary>
        public static bool WillRecover(NetworkAdapter adapter) =>
            s_configured && s_enabled && adapter.Restartable != null && adapter.CreateDriver != null && !adapter.Recovery.GaveUp;

        /// <summary>Reads net.recover= and test.nic-fault=N[,repeat] (inject a stop after N received frames; repeat: after each recovery too).</summary>
        public static void Configure(CommandLine options)
        {
            s_configured = true;
            s_enabled = !options.Is("net.recover", "off");
            if (!options.TryGet("test.nic-fault", out ReadOnlySpan<char> fault)) return;
            int comma = fault.IndexOf(',');
            ReadOnlySpan<char> count = comma < 0 ? fault : fault.Slice(0, comma);
            if (!long.TryParse(count, out s_faultEvery) || s_faultEvery <= 0)
            {
                Log.NoticeLine("net", "test.nic-fault wants a positive number of received frames (test.nic-fault=N or N,repeat); ignored");
                s_faultEvery = 0;
                return;
            }
            s_faultRepeats = comma >= 0 && fault.Slice(comma + 1).SequenceEqual("repeat");
        }

        /// <summary>One turn: injects a requested fault, and restarts stopped devices whose time has come.</summary>
        public static void Poll(long nowMs)
        {
            if (!s_configured) return;
            for (int i = 0; i < NetworkDevices.Count; i++)
            {
                NetworkAdapter adapter = NetworkDevices.Get(i);
                ref RecoveryState state = ref adapter.Recovery;
                if (adapter.ConnectXen != null) { XenReattach.Poll(adapter, ref state, nowMs); continue; }
                if (adapter.CreateDriver == null) continue;
                VirtioNetDevice driver = adapter.Virtio;
                if (driver.IsOperational)
                {
                    InjectFault(adapter, driver, ref state);
                    continue;
                }
                if (!s_enabled || state.GaveUp) continue;
                if (state.StoppedAtMs == 0)
                {
                    state.StoppedAtMs = nowMs;
                    state.Attempts = 0;
                    state.NextAttemptMs = nowMs + FirstDelayMs;
                    if (state.Recoveries >= MaxRecoveries) { GiveUp(adapter, ref state, "its recoveries are spent"); continue; }
                }
                if (nowMs < state.NextAttemptMs) continue;
                Restart(adapter, ref state, nowMs);
            }
        }

        private static void InjectFault(NetworkAdapter adapter, VirtioNetDevice driver, ref RecoveryState state)
        {
            if (s_faultEvery == 0) return;
            if (state.InjectAtRxFrames == 0)
            {
                if (state.Recoveries > 0 && !s_faultRepeats) return;
                state.InjectAtRxFrames = driver.Counters.RxFrames + s_faultEvery;
            }
            if (driver.Counters.RxFrames < state.InjectAtRxFrames) return;
            state.InjectAtRxFrames = 0;
            driver.Stop(string.Concat("fault injected by test.nic-fault after ", s_faultEvery.ToString(), " received frames"));
        }

        private static void Restart(NetworkAdapter adapter, ref RecoveryState state, long nowMs)
        {
            state.Attempts++;
            VirtioNetDevice fresh = adapter.CreateDriver();
            if (!fresh.IsOperational)
            {
                Log.BeginNotice("virtio-net");
                WriteName(adapter);
                Log.Write(": recovery attempt ");
                Log.Decimal(state.Attempts);
                Log.Write(" failed: ");
                Log.Write(fresh.Error ?? "no reason given");
                Log.End();
                if (state.Attempts >= MaxAttempts) { GiveUp(adapter, ref state, "set-up failed every time"); return; }
                long delay = FirstDelayMs;
                for (int a = 0; a < state.Attempts; a++) delay *= 4;
                state.NextAttemptMs = nowMs + delay;
                return;
            }
            Replaced(adapter, ref state, fresh);
            Log.BeginNotice("virtio-net");
            WriteName(adapter);
            Log.Write(": device recovered: reset and set up again ");
            Log.Decimal(nowMs - state.StoppedAtMs);
            Log.Write(" ms after it stopped (recovery ");
            Log.Decimal(state.Recoveries);
            Log.Write(" of at most ");
            Log.Decimal(MaxRecoveries);
            Log.Write(')');
            Log.End();
            state.StoppedAtMs = 0;
        }

        /// <summary>A new, working driver takes the stopped one's place behind the adapter's device; counted as a recovery.</summary>
        internal static void Replaced(NetworkAdapter adapter, ref RecoveryState state, Cosmos.Hal.Network.INetworkDevice fresh)
        {
            fresh.DeferNotifications = adapter.Restartable.Driver.DeferNotifications;
            adapter.Restartable.Replace(fresh);
            adapter.StopReported = false;
            adapter.TransmitWatch = default;
            state.Recoveries++;
            Recoveries++;
        }

        private static void GiveUp(NetworkAdapter adapter, ref RecoveryState state, string why)
        {
            state.GaveUp = true;
            Log.BeginNotice("virtio-net");
            WriteName(adapter);
            Log.Write(": device stopped for good after ");
            Log.Decimal(state.Recoveries);
            Log.Write(state.Recoveries == 1 ? " recovery: " : " recoveries: ");
            Log.Write(why);
            Log.Write("; the interface no longer sends or receives");
            Log.End();
        }

        private static void WriteName(NetworkAdapter adapter)
        {
            Log.Write("net");
            Log.Decimal(adapter.Index);
        }
    }
}
