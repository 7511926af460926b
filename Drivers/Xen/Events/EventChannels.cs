using Cosmos.Drivers.Xen.Hypervisor;
using Cosmos.Drivers.Xen.Spec;

namespace Cosmos.Drivers.Xen.Events
{
    /// <summary>
    /// Event channels with the 2-level ABI (event_channel.h, xen.h): allocate an unbound port for a remote
    /// domain, send on it, mask and unmask. Delivery is by polling the shared_info bitmaps: <see cref="Scan"/>
    /// (called from the idle loop, after the callback vector fired or on every tick when there is none) moves
    /// pending bits into per-port "fired" flags that drivers take with <see cref="TakeFired"/>.
    /// </summary>
    public sealed unsafe class EventChannels
    {
        private readonly Hypercalls _hypercalls;
        private readonly SharedInfo _shared;
        private readonly bool[] _fired = new bool[SharedInfoLayout.Ports];
        private readonly bool[] _owned = new bool[SharedInfoLayout.Ports];

        public long Delivered { get; private set; }
        public long Sent { get; private set; }
        /// <summary>Pending bits on ports nobody here allocated (counted and cleared, never followed).</summary>
        public long Stray { get; private set; }

        public EventChannels(Hypercalls hypercalls, SharedInfo shared)
        {
            _hypercalls = hypercalls;
            _shared = shared;
        }

        public SharedInfo Shared => _shared;

        /// <summary>EVTCHNOP_alloc_unbound: a port the remote domain can bind to. Returns 0 or a negated errno.</summary>
        public int AllocateUnbound(ushort remoteDomain, out uint port)
        {
            EventChannelAllocUnbound request = default;
            request.Domain = DomainId.Self;
            request.RemoteDomain = remoteDomain;
            int result = _hypercalls.EventChannelOp(EventChannelOp.AllocUnbound, &request);
            port = request.Port;
            if (result == 0)
            {
                if (port == 0 || port >= SharedInfoLayout.Ports) return -XenErrno.EINVAL; // not a port the 2-level ABI can deliver
                Adopt(port);
            }
            return result;
        }

        /// <summary>
        /// EVTCHNOP_bind_interdomain: connect to a port another domain allocated for us (the other direction of
        /// alloc_unbound; a front end whose backend offers the port would use it). Returns 0 or a negated errno.
        /// </summary>
        public int BindInterdomain(ushort remoteDomain, uint remotePort, out uint localPort)
        {
            EventChannelBindInterdomain request = default;
            request.RemoteDomain = remoteDomain;
            request.RemotePort = remotePort;
            int result = _hypercalls.EventChannelOp(EventChannelOp.BindInterdomain, &request);
            localPort = request.LocalPort;
            if (result == 0 && !Adopt(localPort)) return -XenErrno.EINVAL;
            return result;
        }

        /// <summary>Takes responsibility for a port someone else set up (xenstore's, from HVM_PARAM_STORE_EVTCHN).</summary>
        public bool Adopt(uint port)
        {
            if (port == 0 || port >= SharedInfoLayout.Ports) return false;
            _owned[port] = true;
            _fired[port] = false;
            Unmask(port);
            return true;
        }

        /// <summary>EVTCHNOP_send: notify the other end.</summary>
        public int Notify(uint port)
        {
            EventChannelPort request = default;
            request.Port = port;
            Sent++;
            return _hypercalls.EventChannelOp(EventChannelOp.Send, &request);
        }

        public int Close(uint port)
        {
            if (port >= SharedInfoLayout.Ports) return -XenErrno.EINVAL;
            _shared.Mask(port);
            _owned[port] = false;
            _fired[port] = false;
            EventChannelPort request = default;
            request.Port = port;
            return _hypercalls.EventChannelOp(EventChannelOp.Close, &request);
        }

        public void Mask(uint port) => _shared.Mask(port);

        /// <summary>
        /// Clears the mask bit; EVTCHNOP_unmask asks Xen to re-deliver an event that arrived while masked
        /// (event_channel.h: "unmask ... and re-raise if pending").
        /// </summary>
        public void Unmask(uint port)
        {
            _shared.ClearMask(port);
            if (_shared.IsPending(port))
            {
                EventChannelPort request = default;
                request.Port = port;
                _hypercalls.EventChannelOp(EventChannelOp.Unmask, &request);
            }
        }

        /// <summary>
        /// The upcall protocol (xen.h, "event channel upcall"): clear evtchn_upcall_pending, take the selector,
        /// and for each selected word the pending-and-unmasked bits, clearing each before acting on it. Returns
        /// how many events were taken.
        /// </summary>
        public int Scan()
        {
            _shared.ClearUpcallPending();
            // The selector names the words with news; an event pending while masked is re-raised by
            // EVTCHNOP_unmask (see Unmask), which sets the selector again, so nothing hides outside it.
            // The idle loop calls this on every turn, so an empty selector must cost one exchange, not 64 reads.
            ulong selector = _shared.TakePendingSelector();
            int taken = 0;
            for (int word = 0; selector != 0 && word < 64; word++)
            {
                if ((selector & (1UL << word)) == 0) continue;
                ulong bits = _shared.PendingWord(word) & ~_shared.MaskWord(word);
                while (bits != 0)
                {
                    int bit = LowestSetBit(bits);
                    bits &= bits - 1;
                    uint port = (uint)(word * 64 + bit);
                    if (!_shared.TestAndClearPending(port)) continue;
                    if (!_owned[port]) { Stray++; continue; }
                    _fired[port] = true;
                    Delivered++;
                    taken++;
                }
            }
            return taken;
        }

        /// <summary>True (once) if the port fired since the last call.</summary>
        public bool TakeFired(uint port)
        {
            if (port >= SharedInfoLayout.Ports || !_fired[port]) return false;
            _fired[port] = false;
            return true;
        }

        private static int LowestSetBit(ulong value)
        {
            int n = 0;
            while ((value & 1) == 0) { value >>= 1; n++; }
            return n;
        }
    }
}
