using Cosmos.Drivers.Xen.Spec;
using Cosmos.Drivers.Xen.Xenbus;
using Cosmos.Drivers.Xen.Xenstore;

namespace Cosmos.Drivers.XenNetfront
{
    /// <summary>Where the netfront is in its life (io/xenbus.h states, as this driver walks them).</summary>
    public enum XenNetfrontLifecycle
    {
        /// <summary>Not yet connected (or the handshake failed).</summary>
        Connecting,
        Connected,
        /// <summary>
        /// The backend is going away (or we are closing): the rings are no longer used, our node says Closed, and we
        /// wait, bounded, for the backend to let go of the pages before the grants are ended.
        /// </summary>
        Closing,
        /// <summary>Every grant ended (or reported as still mapped), the event channel closed: nothing of ours is shared.</summary>
        Closed,
    }

    // Following the backend to Closed (io/xenbus.h, the state machine's closing half): when the toolstack removes the
    // vif (`xl network-detach`: libxl writes the backend's online=0 and state=Closing, waits up to 10 s for Closed, then
    // removes both directories), the frontend answers the backend's Closing with Closed, as Linux's netfront does. Netback
    // sees our Closed, unmaps the two rings and goes Closed itself; only then may the grants end (grant_table.h: ending
    // access fails while Xen marks the frame GTF_reading/GTF_writing, and a page still mapped must not be reused). The
    // wait for the backend is not a loop inside Poll: each Poll looks once (at most every LookEveryMilliseconds), and the
    // teardown finishes when the backend is Closed, its node is gone, or DetachTimeoutMilliseconds have passed.
    public sealed unsafe partial class XenNetfrontDevice
    {
        /// <summary>How long the backend gets to let go of our pages after we said Closed (libxl itself allows 10 s).</summary>
        public const int DetachTimeoutMilliseconds = 10_000;
        private const int LookEveryMilliseconds = 20;

        private XenNetfrontLifecycle _lifecycle;
        private long _detachDeadline, _nextLook;
        private int[] _heldGrants;
        private int _heldCount;

        public XenNetfrontLifecycle Lifecycle => _lifecycle;
        /// <summary>The backend went to Closing or Closed, or its node vanished (the vif was detached).</summary>
        public bool BackendClosed { get; private set; }
        /// <summary>
        /// We closed the connection because the backend broke the protocol (<see cref="Error"/> says how). Once
        /// <see cref="Lifecycle"/> is Closed the same vif can be connected again by a new driver: netback, online, waits
        /// in Closed and goes back to InitWait when the frontend says Initialising.
        /// </summary>
        public bool StoppedOnFault { get; private set; }
        private bool _saidClosed;
        /// <summary>The backend state that started the detach.</summary>
        public XenbusState DetachCause { get; private set; }
        /// <summary>When the detach began and how long the teardown took (platform clock, ms).</summary>
        public long DetachStartedAt { get; private set; }
        public long DetachMilliseconds { get; private set; }
        /// <summary>How the wait for the backend ended: "backend Closed", "backend node removed" or "timed out after N ms".</summary>
        public string DetachEnd { get; private set; }
        /// <summary>Transmit frames the backend had not answered, and received frames it had put in the ring that we had not taken, at the detach: dropped.</summary>
        public int TxDroppedAtDetach { get; private set; }
        public int RxDroppedAtDetach { get; private set; }
        /// <summary>Grants ended at the close, and grants the backend still had mapped (left in place, never reused).</summary>
        public int GrantsRevoked { get; private set; }
        public int GrantsStillHeld { get; private set; }
        /// <summary>The event channel closed at the end of the teardown (0: none).</summary>
        public uint ClosedEventChannel { get; private set; }

        /// <summary>
        /// The backend's state watch fired (or it is time to look again): if the backend is closing, closed or gone,
        /// stop using the rings and follow it.
        /// </summary>
        private void WatchBackend()
        {
            bool changed = false;
            // Any event is a reason to look: the queue is shared, and a stray one costs a look, not a missed close.
            // Only events: a read is a synchronous round trip to xenstored, during which nothing else is served (under
            // the Xen lane's emulation that has taken seconds), so there is no periodic look while connected. The
            // toolstack's removal of the backend's directory fires the watch too (xenstore.txt, WATCH), so a missed
            // Closing is still seen when the node goes.
            while (_xenbus.Store.TryTakeWatchEvent(out _, out _)) changed = true;
            if (!changed) return;
            if (!TryReadBackendState(out XenbusState state, out bool gone)) return; // a failed read is no news
            if (gone) BeginDetach(XenbusState.Unknown);
            else if (state == XenbusState.Closing || state == XenbusState.Closed) BeginDetach(state);
        }

        /// <summary>
        /// The backend's state; <paramref name="gone"/> when its node does not exist (ENOENT). False when the read failed
        /// otherwise (a timeout, an error reply) or the value is not a state: that says nothing about the backend.
        /// </summary>
        private bool TryReadBackendState(out XenbusState state, out bool gone)
        {
            string text = _xenbus.Store.Read(_xenbus.BackendKey("state"), out int error);
            gone = text == null && error == -XenErrno.ENOENT;
            state = XenbusState.Unknown;
            if (gone) return true;
            if (text == null || !XenText.TryParseUInt(text, out uint value) || value > (uint)XenbusState.Reconfigured) return false;
            state = (XenbusState)value;
            return true;
        }

        /// <summary>
        /// The backend is leaving (xenbus.h: a backend in Closing waits for the frontend to close). The rings are
        /// dropped at once, what was in them is counted, our node goes Closing then Closed (only while it still exists:
        /// a write would re-create a node the toolstack removed), and the teardown goes on in later polls.
        /// </summary>
        private void BeginDetach(XenbusState backendState)
        {
            BackendClosed = true;
            Error = backendState == XenbusState.Unknown ? "backend node removed" : string.Concat("backend went to ", XenbusFrontend.StateName(backendState));
            StopUsingRings(backendState);
            RxDroppedAtDetach = _rx != null && !_rx.IsBroken ? _rx.UnconsumedResponses() : 0;
            _counters.RxDropped += RxDroppedAtDetach;

            if (_xenbus.Store.Read(_xenbus.Key("state")) != null)
            {
                _xenbus.SwitchState(XenbusState.Closing);
                _xenbus.SwitchState(XenbusState.Closed);
            }
            _saidClosed = true;
            _lifecycle = XenNetfrontLifecycle.Closing;
            _detachDeadline = DetachStartedAt + DetachTimeoutMilliseconds;
            _nextLook = 0;
            ContinueDetach();
        }

        /// <summary>
        /// Our side of a close after a protocol violation (xenbus.h, the closing half started by the frontend): the rings
        /// are dropped, our node says Closing, and later polls wait, bounded as a detach is, for the backend. Linux's
        /// netback answers the frontend's Closing by unmapping both rings and going to Closing itself; we then say Closed,
        /// and it goes to Closed and stays there while the vif is online, ready to connect again
        /// (drivers/net/xen-netback/xenbus.c, frontend_changed and set_backend_state).
        /// </summary>
        private void BeginFaultClose()
        {
            StoppedOnFault = true;
            StopUsingRings(XenbusState.Connected);
            RxDroppedAtDetach = 0; // (the receive ring's answers are not to be trusted, nor counted)
            _xenbus.SwitchState(XenbusState.Closing);
            _saidClosed = false;
            _lifecycle = XenNetfrontLifecycle.Closing;
            _detachDeadline = DetachStartedAt + DetachTimeoutMilliseconds;
            _nextLook = 0;
        }

        /// <summary>
        /// The first step of either teardown: the driver stops using its rings and its event channel, and counts the
        /// transmissions that will never complete (what was in flight, small buffers and large ones).
        /// </summary>
        private void StopUsingRings(XenbusState cause)
        {
            _operational = false;
            DetachCause = cause;
            DetachStartedAt = _platform.Wait.Milliseconds;
            if (_port != 0) Events.Mask(_port);
            int txInFlight = 0;
            if (_txState != null) for (int i = 0; i < _txCount; i++) if (_txState[i] == TxInFlight) txInFlight++;
            TxDroppedAtDetach = txInFlight + LargeBuffersInFlight;
        }

        /// <summary>One look at the backend; ends the teardown when it has let go, vanished, or run out of time.</summary>
        private void ContinueDetach()
        {
            long now = _platform.Wait.Milliseconds;
            bool events = false;
            while (_xenbus.Store.TryTakeWatchEvent(out _, out _)) events = true;
            if (!events && now < _nextLook) return;
            _nextLook = now + LookEveryMilliseconds;
            bool known = TryReadBackendState(out XenbusState state, out bool gone);
            // A close we began: the backend's Closing (or Closed) says it has disconnected; then our Closed.
            if (!_saidClosed && !gone && known && (state == XenbusState.Closing || state == XenbusState.Closed))
            {
                _xenbus.SwitchState(XenbusState.Closed);
                _saidClosed = true;
            }
            if (gone) FinishDetach("backend node removed");
            else if (known && state == XenbusState.Closed) FinishDetach("backend Closed");
            else if (now >= _detachDeadline)
            {
                if (!_saidClosed) { _xenbus.SwitchState(XenbusState.Closed); _saidClosed = true; }
                FinishDetach(string.Concat("timed out after ", ((long)DetachTimeoutMilliseconds).ToString(), " ms with the backend in ", XenbusFrontend.StateName(state)));
            }
        }

        /// <summary>Ends every grant it can, keeps (and reports) those still mapped, closes the event channel.</summary>
        private void FinishDetach(string how)
        {
            if (_backendStateWatch != null) { _xenbus.Store.Unwatch(_backendStateWatch, "netfront-backend"); _backendStateWatch = null; }
            RevokeAllGrants();
            if (_port != 0)
            {
                Events.Close(_port);
                ClosedEventChannel = _port;
                _port = 0;
            }
            DetachEnd = how;
            DetachMilliseconds = _platform.Wait.Milliseconds - DetachStartedAt;
            _lifecycle = XenNetfrontLifecycle.Closed;
        }

        /// <summary>
        /// Orderly shutdown from our side (xenbus.h): Closing, wait (bounded) for the backend to close, Closed, then
        /// take the grants back. A grant the backend still holds is left in place (and counted) rather than reused.
        /// </summary>
        public void Close(int timeoutMilliseconds)
        {
            _operational = false;
            DetachStartedAt = _platform.Wait.Milliseconds;
            if (_backendStateWatch != null) { _xenbus.Store.Unwatch(_backendStateWatch, "netfront-backend"); _backendStateWatch = null; }
            _xenbus.SwitchState(XenbusState.Closing);
            _xenbus.WaitForBackend(XenbusFrontend.StateBit(XenbusState.Closing) | XenbusFrontend.StateBit(XenbusState.Closed), timeoutMilliseconds, out _);
            _xenbus.SwitchState(XenbusState.Closed);
            FinishDetach("closed by us");
        }

        /// <summary>
        /// Ends the grants of both rings and every buffer page. One the backend still has mapped cannot end (Revoke
        /// refuses while GTF_reading/GTF_writing is set); it stays granted, so the grant table never hands its entry out
        /// again, and its page is never reused (the driver's memory is not returned). <see cref="RetryHeldGrants"/> tries
        /// those again.
        /// </summary>
        private void RevokeAllGrants()
        {
            int total = 0;
            int[] held = new int[8];
            int heldCount = 0;
            Revoke(ref _txRingRef, ref total, ref held, ref heldCount);
            Revoke(ref _rxRingRef, ref total, ref held, ref heldCount);
            if (_rxGrant != null) for (int i = 0; i < _rxGrant.Length; i++) Revoke(ref _rxGrant[i], ref total, ref held, ref heldCount);
            if (_txPageGrant != null) for (int i = 0; i < _txPageGrant.Length; i++) Revoke(ref _txPageGrant[i], ref total, ref held, ref heldCount);
            if (_largeGrant != null) for (int i = 0; i < _largeGrant.Length; i++) Revoke(ref _largeGrant[i], ref total, ref held, ref heldCount);
            GrantsRevoked = total - heldCount;
            GrantsStillHeld = heldCount;
            _heldCount = heldCount;
            _heldGrants = heldCount == 0 ? null : held;
        }

        private void Revoke(ref int reference, ref int total, ref int[] held, ref int heldCount)
        {
            if (reference < 0) return;
            total++;
            if (!Grants.Revoke(reference))
            {
                if (heldCount == held.Length) System.Array.Resize(ref held, held.Length * 2);
                held[heldCount++] = reference;
            }
            reference = -1;
        }

        /// <summary>Bytes of rings and buffer pages returned to the allocator by <see cref="TryReleaseMemory"/> (0 until then).</summary>
        public long MemoryReleasedBytes { get; private set; }

        /// <summary>
        /// Returns the driver's memory (both ring pages, the receive, reassembly, transmit and large-transmit pages) to
        /// the allocator once nothing can reach it: the teardown is over and every grant has ended, so the backend can map
        /// none of it (grant_table.h: an ended grant cannot be mapped again). The caller must know that the stack holds no
        /// frame or buffer of this driver (<see cref="Cosmos.Hal.Network.INetworkDevice"/> lends pointers into these pages).
        /// False while a grant is still held or the teardown goes on; true once released (again: true, nothing done).
        /// </summary>
        public bool TryReleaseMemory()
        {
            if (MemoryReleasedBytes > 0) return true;
            if (_lifecycle != XenNetfrontLifecycle.Closed || GrantsStillHeld > 0) return false;
            long bytes = 0;
            FreeRegion(ref _txRingPage, ref bytes);
            FreeRegion(ref _rxRingPage, ref bytes);
            FreeRegion(ref _rxMemory, ref bytes);
            FreeRegion(ref _assembly, ref bytes);
            FreeRegion(ref _txMemory, ref bytes);
            FreeRegion(ref _largeMemory, ref bytes);
            MemoryReleasedBytes = bytes;
            return true;
        }

        private void FreeRegion(ref Cosmos.Hal.Memory.DmaRegion region, ref long bytes)
        {
            if (!region.IsValid) return;
            bytes += (long)region.Size;
            _platform.Memory.Free(region);
            region = default;
        }

        /// <summary>Tries again to end grants the backend still had mapped at the close; returns how many are still held.</summary>
        public int RetryHeldGrants()
        {
            if (_heldGrants == null) return 0;
            int still = 0;
            for (int i = 0; i < _heldCount; i++)
            {
                if (_heldGrants[i] < 0) continue;
                if (Grants.Revoke(_heldGrants[i])) { _heldGrants[i] = -1; GrantsRevoked++; }
                else still++;
            }
            GrantsStillHeld = still;
            if (still == 0) { _heldGrants = null; _heldCount = 0; }
            return still;
        }
    }
}
