using System;
using Cosmos.Drivers.Xen.Hypervisor;
using Cosmos.Drivers.Xen.Spec;
using Cosmos.Drivers.Xen.Xenstore;

namespace Cosmos.Drivers.Xen.Xenbus
{
    /// <summary>
    /// The frontend half of a xenbus device (io/xenbus.h, docs/misc/xenstore-paths.pandoc): our node
    /// (<c>device/&lt;class&gt;/&lt;n&gt;</c>, relative to our domain's home), the backend's path and domain
    /// read from it, our state written to <c>&lt;node&gt;/state</c>, and bounded waits on the backend's
    /// <c>state</c> through a xenstore watch. Device-specific keys are the front end's business.
    /// </summary>
    public sealed class XenbusFrontend
    {
        private readonly XenstoreClient _store;
        private readonly IPlatformWait _wait;
        private readonly string _watchToken;

        public string NodePath { get; }
        public string BackendPath { get; private set; }
        public ushort BackendDomain { get; private set; }
        public XenbusState State { get; private set; } = XenbusState.Unknown;
        public XenbusState LastBackendState { get; private set; } = XenbusState.Unknown;
        public string Error { get; private set; }
        public XenstoreClient Store => _store;

        public XenbusFrontend(XenstoreClient store, IPlatformWait wait, string nodePath)
        {
            _store = store;
            _wait = wait;
            NodePath = nodePath;
            _watchToken = string.Concat("fe:", nodePath);
        }

        /// <summary>Reads <c>backend</c> and <c>backend-id</c> from our node; false (with <see cref="Error"/>) if absent.</summary>
        public bool Open()
        {
            string backend = _store.Read(Key("backend"), out int error);
            if (backend == null || backend.Length == 0)
                return Fail(string.Concat("no backend path at ", Key("backend"), ": ", _store.LastError ?? "empty"));
            string id = _store.Read(Key("backend-id"));
            if (id == null || !XenText.TryParseUInt(id, out uint domain) || domain >= DomainId.Self)
                return Fail(string.Concat("no valid backend-id at ", Key("backend-id")));
            BackendPath = backend;
            BackendDomain = (ushort)domain;
            return true;
        }

        public string Key(string name) => string.Concat(NodePath, "/", name);
        public string BackendKey(string name) => string.Concat(BackendPath, "/", name);

        public string ReadBackend(string name) => _store.Read(BackendKey(name));

        /// <summary>A backend feature flag: "1" means offered; absent or anything else means not.</summary>
        public bool BackendOffers(string feature)
        {
            string value = ReadBackend(feature);
            return value != null && value == "1";
        }

        public uint ReadBackendNumber(string name, uint fallback)
        {
            string value = ReadBackend(name);
            return value != null && XenText.TryParseUInt(value, out uint n) ? n : fallback;
        }

        public int SwitchState(XenbusState state, uint transaction = 0)
        {
            int result = _store.Write(Key("state"), XenText.FromUInt((uint)state), transaction);
            if (result == 0) State = state;
            return result;
        }

        public XenbusState ReadBackendState()
        {
            string text = ReadBackend("state");
            LastBackendState = text != null && XenText.TryParseUInt(text, out uint value) && value <= (uint)XenbusState.Reconfigured
                ? (XenbusState)value : XenbusState.Unknown;
            return LastBackendState;
        }

        /// <summary>
        /// Waits until the backend's state is one of <paramref name="wanted"/> (a bit per state), or Closing /
        /// Closed, or the time runs out. Returns the state seen last; <paramref name="reached"/> says whether
        /// it is a wanted one. A watch on the backend's state wakes us; the state is also re-read on every idle
        /// turn, so a lost watch event costs time, not correctness.
        /// </summary>
        public XenbusState WaitForBackend(int wanted, int timeoutMilliseconds, out bool reached)
        {
            string statePath = BackendKey("state");
            bool watching = _store.Watch(statePath, _watchToken) == 0;
            long deadline = _wait.Milliseconds + timeoutMilliseconds;
            XenbusState state;
            reached = false;
            while (true)
            {
                state = ReadBackendState();
                if ((wanted & (1 << (int)state)) != 0) { reached = true; break; }
                if (state == XenbusState.Closing || state == XenbusState.Closed) break;
                if (_wait.Milliseconds > deadline) break;
                while (_store.TryTakeWatchEvent(out _, out _)) { } // any event: read the state again
                _wait.Idle();
            }
            if (watching) _store.Unwatch(statePath, _watchToken);
            if (!reached)
                Error = string.Concat(string.Concat("backend ", BackendPath, " stayed in state "), StateName(state),
                    string.Concat(" (waited ", ((long)timeoutMilliseconds).ToString(), " ms)"));
            return state;
        }

        public static int StateBit(XenbusState state) => 1 << (int)state;

        /// <summary>
        /// Runs <paramref name="body"/> inside a xenstore transaction and commits it, starting again while the
        /// commit answers EAGAIN (another writer changed the store meanwhile), at most <paramref name="attempts"/> times.
        /// </summary>
        public int InTransaction(Func<uint, int> body, int attempts = 10)
        {
            int result = -XenErrno.EAGAIN;
            for (int attempt = 0; attempt < attempts; attempt++)
            {
                result = _store.TransactionStart(out uint transaction);
                if (result != 0) return result;
                result = body(transaction);
                if (result != 0)
                {
                    _store.TransactionEnd(transaction, commit: false);
                    return result;
                }
                result = _store.TransactionEnd(transaction, commit: true);
                if (result != -XenErrno.EAGAIN) return result;
                TransactionRetries++;
            }
            return result;
        }

        public long TransactionRetries { get; private set; }

        public static string StateName(XenbusState state)
        {
            switch (state)
            {
                case XenbusState.Initialising: return "Initialising(1)";
                case XenbusState.InitWait: return "InitWait(2)";
                case XenbusState.Initialised: return "Initialised(3)";
                case XenbusState.Connected: return "Connected(4)";
                case XenbusState.Closing: return "Closing(5)";
                case XenbusState.Closed: return "Closed(6)";
                case XenbusState.Reconfiguring: return "Reconfiguring(7)";
                case XenbusState.Reconfigured: return "Reconfigured(8)";
                default: return "Unknown(0)";
            }
        }

        private bool Fail(string reason)
        {
            Error = reason;
            return false;
        }
    }
}
