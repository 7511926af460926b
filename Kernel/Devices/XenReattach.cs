using System;
using Cosmos.Drivers.Xen.Spec;
using Cosmos.Drivers.Xen.Xenstore;
using Cosmos.Drivers.XenNetfront;
using Cosmos.Hal.Diagnostics;

namespace Cosmos.Kernel.Devices
{
    /// <summary>
    /// A Xen vif that goes away and a new one that comes (issue 17 item 4; <c>xl network-detach</c>, then
    /// <c>xl network-attach</c>). The netfront follows its backend to Closed by itself (XenNetfrontDevice.Detach.cs); once
    /// its teardown is over this logs what it cost, then looks every <see cref="LookEveryMs"/> for a vif the toolstack wrote
    /// under <c>device/vif</c> whose backend waits in InitWait (libxl reuses the lowest free id: its next id is one past
    /// the last it still lists, so after the only vif is removed the new one is <c>device/vif/0</c> again), and connects a
    /// new netfront there behind the same <see cref="RestartableNetworkDevice"/>: the interface keeps its address, frames
    /// the old driver lent are dropped by generation tag when they come back, and its memory is not reused (the bound
    /// on recoveries, <see cref="DeviceRecovery.MaxRecoveries"/>, bounds that memory too). The look is a few xenstore reads;
    /// the connection's own waits are bounded (xen.connect-timeout-ms). A connection that fails is tried again
    /// <see cref="RetryAfterFailureMs"/> later, at most <see cref="DeviceRecovery.MaxAttempts"/> times on the same node.
    /// A backend that broke the protocol is recovered the same way: the netfront closed the connection itself
    /// (<see cref="XenNetfrontDevice.StoppedOnFault"/>), netback waits in Closed while the vif is online, and the same node
    /// is connected again (netback goes back to InitWait when the new frontend says Initialising); counted as a recovery.
    /// </summary>
    internal static class XenReattach
    {
        public const long LookEveryMs = 250, RetryAfterFailureMs = 2000;

        public static void Poll(NetworkAdapter adapter, ref RecoveryState state, long nowMs)
        {
            if (state.RetiredXen != null && nowMs >= state.RetiredLookMs) ReturnRetiredMemory(adapter, ref state, nowMs);
            XenNetfrontDevice driver = adapter.Xen;
            if (driver == null || driver.IsOperational) return;
            if (!driver.BackendClosed && !driver.StoppedOnFault) return;
            if (driver.Lifecycle != XenNetfrontLifecycle.Closed) return;                 // its teardown, bounded, goes on
            bool fault = driver.StoppedOnFault;
            if (!state.DetachReported)
            {
                state.DetachReported = true;
                if (!fault) state.Detaches++;
                state.LastDetachMs = driver.DetachMilliseconds;
                state.TxDroppedAtDetach += driver.TxDroppedAtDetach;
                state.RxDroppedAtDetach += driver.RxDroppedAtDetach;
                state.GrantsLeftMapped += driver.GrantsStillHeld;
                state.StoppedAtMs = nowMs - driver.DetachMilliseconds;
                state.NextAttemptMs = nowMs;
                state.Attempts = 0;
                if (fault) LogFaultClose(adapter, driver);
                else LogDetach(adapter, driver);
            }
            if (state.GaveUp || !DeviceRecovery.Enabled || nowMs < state.NextAttemptMs) return;
            state.NextAttemptMs = nowMs + LookEveryMs;
            if (driver.GrantsStillHeld > 0) driver.RetryHeldGrants();

            string node = FindReadyVif(adapter, nowMs);
            if (node == null) return;
            if (state.Recoveries >= DeviceRecovery.MaxRecoveries) { GiveUp(adapter, ref state, "its recoveries are spent"); return; }

            long started = nowMs;
            XenNetfrontDevice fresh = adapter.ConnectXen(node);
            long took = Cosmos.Hal.Timers.Clock.Milliseconds - started;
            if (!fresh.IsOperational)
            {
                state.Attempts = node == state.FailedNode ? state.Attempts + 1 : 1;
                state.FailedNode = node;
                Log.BeginNotice("xen-netfront");
                WriteName(adapter);
                Log.Write(": new vif ");
                Log.Write(node);
                Log.Write(" not connected (attempt ");
                Log.Decimal(state.Attempts);
                Log.Write("): ");
                Log.Write(fresh.Error ?? "no reason given");
                Log.End();
                if (state.Attempts >= DeviceRecovery.MaxAttempts) { GiveUp(adapter, ref state, "connecting failed every time"); return; }
                state.NextAttemptMs = Cosmos.Hal.Timers.Clock.Milliseconds + RetryAfterFailureMs;
                return;
            }
            long detachedFor = Cosmos.Hal.Timers.Clock.Milliseconds - state.StoppedAtMs;
            bool sameMac = SameMac(driver, fresh);
            if (state.RetiredXen != null) state.RetiredKept++;   // (its memory stays: one slot, and the bound on recoveries)
            state.RetiredXen = driver;
            state.RetiredGeneration = adapter.Restartable.Generation;
            state.RetiredLookMs = nowMs + LookEveryMs;
            DeviceRecovery.Replaced(adapter, ref state, fresh);
            state.DetachReported = false;
            state.StoppedAtMs = 0;
            state.FailedNode = null;
            adapter.AnnouncePending = true;

            if (fault) { LogRecovered(adapter, fresh, took, detachedFor, state.Recoveries); return; }
            Log.BeginNotice("xen-netfront");
            WriteName(adapter);
            Log.Write(": vif reattached: ");
            Log.Write(fresh.Xenbus.NodePath);
            Log.Write(" connected to ");
            Log.Write(fresh.Xenbus.BackendPath);
            Log.Write(" in ");
            Log.Decimal(took);
            Log.Write(" ms, ");
            Log.Decimal(detachedFor);
            Log.Write(" ms after the detach (recovery ");
            Log.Decimal(state.Recoveries);
            Log.Write(" of at most ");
            Log.Decimal(DeviceRecovery.MaxRecoveries);
            Log.Write("), event channel ");
            Log.Decimal(fresh.EventChannel);
            Log.Write(sameMac ? ", same MAC" : ", a different MAC (the interface takes it)");
            Log.End();
        }

        /// <summary>
        /// A vif node under device/vif that no other adapter drives and whose backend is ready for us; null when there is
        /// none yet. Ready: netback probed it and waits in InitWait, and the toolstack's hotplug script has put the vif on
        /// its bridge (`hotplug-status` = connected, which Linux's netback itself waits for before it goes Connected: under
        /// the Xen lane's load the script took over 30 s, longer than the handshake's wait). A backend that has sat in
        /// InitWait for <see cref="NoHotplugStatusMs"/> without that key (a backend without a hotplug script) is tried too.
        /// Also ready: a backend Closed with online=1 after a connection of ours failed; netback goes back to InitWait
        /// when the frontend says Initialising again, which the handshake does first.
        /// </summary>
        private static string FindReadyVif(NetworkAdapter adapter, long nowMs)
        {
            var store = XenGuest.Platform.Store;
            string[] ids = store.Directory("device/vif");
            if (ids == null) return null;
            for (int i = 0; i < ids.Length; i++)
            {
                string node = string.Concat("device/vif/", ids[i]);
                if (DrivenByAnother(adapter, node)) continue;
                string backend = store.Read(string.Concat(node, "/backend"));
                if (backend == null || backend.Length == 0) continue;
                string text = store.Read(string.Concat(backend, "/state"));
                bool initWait = text != null && text == XenText.FromUInt((uint)XenbusState.InitWait);
                bool closed = text != null && text == XenText.FromUInt((uint)XenbusState.Closed);
                if (!initWait && !closed) continue;
                if (closed && store.Read(string.Concat(backend, "/online")) != "1") continue;
                string hotplug = store.Read(string.Concat(backend, "/hotplug-status"));
                if (hotplug != null && hotplug == "connected") return node;
                // An empty value is the toolstack's placeholder while its script has not yet run (the HVM lane met it a
                // few seconds before "connected"): not yet, like no key at all.
                if (hotplug != null && hotplug.Length > 0)
                {
                    // "error", or another word: the toolstack failed to plug it (its script's message is in the backend's
                    // hotplug-error); said once per node, and the node is looked at again in case it is plugged anew.
                    if (s_reportedNode != node)
                    {
                        s_reportedNode = node;
                        Log.BeginNotice("xen-netfront");
                        WriteName(adapter);
                        Log.Write(": new vif ");
                        Log.Write(node);
                        Log.Write(" not connected: the toolstack's hotplug-status is '");
                        Log.Write(hotplug);
                        Log.Write("': ");
                        Log.Write(store.Read(string.Concat(backend, "/hotplug-error")) ?? "no hotplug-error");
                        Log.End();
                    }
                    continue;
                }
                if (s_waitingNode != node) { s_waitingNode = node; s_waitingSinceMs = nowMs; continue; }
                if (nowMs - s_waitingSinceMs >= NoHotplugStatusMs) return node;
            }
            return null;
        }

        public const long NoHotplugStatusMs = 60_000;
        private static string s_waitingNode, s_reportedNode;
        private static long s_waitingSinceMs;

        private static bool DrivenByAnother(NetworkAdapter adapter, string node)
        {
            for (int i = 0; i < NetworkDevices.Count; i++)
            {
                NetworkAdapter other = NetworkDevices.Get(i);
                if (other == adapter) continue;
                XenNetfrontDevice xen = other.Xen;
                if (xen != null && xen.Lifecycle != XenNetfrontLifecycle.Closed && xen.Xenbus.NodePath == node) return true;
            }
            return false;
        }

        private static bool SameMac(XenNetfrontDevice a, XenNetfrontDevice b) => a.Mac.SameAs(b.Mac);

        /// <summary>The detach line the Xen lane looks for.</summary>
        private static void LogDetach(NetworkAdapter adapter, XenNetfrontDevice driver)
        {
            Log.BeginNotice("xen-netfront");
            WriteName(adapter);
            Log.Write(": vif detached: backend ");
            Log.Write(driver.Xenbus.BackendPath);
            if (driver.DetachCause == XenbusState.Unknown) Log.Write(" was removed");
            else { Log.Write(" went to "); Log.Write(Cosmos.Drivers.Xen.Xenbus.XenbusFrontend.StateName(driver.DetachCause)); }
            Log.Write("; ");
            Log.Write(driver.Xenbus.NodePath);
            Log.Write(" followed to Closed, ");
            WriteTeardown(driver);
            Log.Write("; interface down");
            Log.Write(DeviceRecovery.Enabled ? ", waiting for a new vif" : " (net.recover=off: no new vif is connected)");
            Log.End();
        }

        /// <summary>
        /// The replaced netfront's memory (about 2 MiB: rings, receive, reassembly and transmit pages) goes back to the
        /// allocator once the backend can reach none of it (every grant ended: held ones are tried again here) and the
        /// stack holds none of its frames or buffers (the device's count for that driver's generation is 0).
        /// </summary>
        private static void ReturnRetiredMemory(NetworkAdapter adapter, ref RecoveryState state, long nowMs)
        {
            XenNetfrontDevice retired = state.RetiredXen;
            state.RetiredLookMs = nowMs + LookEveryMs;
            if (retired.GrantsStillHeld > 0) retired.RetryHeldGrants();
            if (adapter.Restartable.OutstandingOf(state.RetiredGeneration) != 0 || !retired.TryReleaseMemory()) return;
            state.MemoryReturnedBytes += retired.MemoryReleasedBytes;
            state.RetiredXen = null;
            Log.BeginNotice("xen-netfront");
            WriteName(adapter);
            Log.Write(": the replaced netfront's memory went back: ");
            Log.Decimal(retired.MemoryReleasedBytes >> 10);
            Log.Write(" KiB");
            Log.End();
        }

        /// <summary>The close that follows a protocol violation, once its teardown is over (the stop itself was logged when it happened).</summary>
        private static void LogFaultClose(NetworkAdapter adapter, XenNetfrontDevice driver)
        {
            Log.BeginNotice("xen-netfront");
            WriteName(adapter);
            Log.Write(": closed after the backend's violation (");
            Log.Write(driver.Error ?? "no reason given");
            Log.Write("): ");
            Log.Write(driver.Xenbus.NodePath);
            Log.Write(" Closed, ");
            WriteTeardown(driver);
            Log.Write(DeviceRecovery.Enabled ? "; connecting to the vif again" : " (net.recover=off: it stays closed)");
            Log.End();
        }

        private static void LogRecovered(NetworkAdapter adapter, XenNetfrontDevice fresh, long took, long stoppedFor, int recoveries)
        {
            Log.BeginNotice("xen-netfront");
            WriteName(adapter);
            Log.Write(": device recovered: ");
            Log.Write(fresh.Xenbus.NodePath);
            Log.Write(" connected again to ");
            Log.Write(fresh.Xenbus.BackendPath);
            Log.Write(" in ");
            Log.Decimal(took);
            Log.Write(" ms, ");
            Log.Decimal(stoppedFor);
            Log.Write(" ms after it stopped (recovery ");
            Log.Decimal(recoveries);
            Log.Write(" of at most ");
            Log.Decimal(DeviceRecovery.MaxRecoveries);
            Log.Write(')');
            Log.End();
        }

        /// <summary>What a finished teardown cost, for the detach and fault-close lines (the Xen lane reads the detach line's).</summary>
        private static void WriteTeardown(XenNetfrontDevice driver)
        {
            Log.Write("teardown ");
            Log.Decimal(driver.DetachMilliseconds);
            Log.Write(" ms (");
            Log.Write(driver.DetachEnd);
            Log.Write("); dropped in flight: ");
            Log.Decimal(driver.TxDroppedAtDetach);
            Log.Write(" tx, ");
            Log.Decimal(driver.RxDroppedAtDetach);
            Log.Write(" rx; grants ended ");
            Log.Decimal(driver.GrantsRevoked);
            Log.Write(", still mapped by the backend ");
            Log.Decimal(driver.GrantsStillHeld);
            if (driver.GrantsStillHeld > 0) Log.Write(" (left granted, never reused)");
            Log.Write("; event channel ");
            Log.Decimal(driver.ClosedEventChannel);
            Log.Write(" closed");
        }

        private static void GiveUp(NetworkAdapter adapter, ref RecoveryState state, string why)
        {
            state.GaveUp = true;
            Log.BeginNotice("xen-netfront");
            WriteName(adapter);
            Log.Write(": no new vif is connected any more after ");
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
