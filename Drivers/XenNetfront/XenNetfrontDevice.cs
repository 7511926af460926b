using Cosmos.Drivers.Xen.Events;
using Cosmos.Drivers.Xen.Grants;
using Cosmos.Drivers.Xen.Platform;
using Cosmos.Drivers.Xen.Rings;
using Cosmos.Drivers.Xen.Xenbus;
using Cosmos.Drivers.XenNetfront.Spec;
using Cosmos.Hal.Memory;
using Cosmos.Hal.Network;

namespace Cosmos.Drivers.XenNetfront
{
    /// <summary>
    /// The Xen PV NIC front end (io/netif.h). The control plane (XenNetfrontDevice.Control.cs) does the
    /// xenbus handshake through xenstore; the data plane (Transmit.cs, Receive.cs) moves packets through two
    /// shared rings, with every buffer page granted to the backend once for the device's whole life. The
    /// backend is trusted for nothing: response ids, statuses, offsets and ring indices are checked before
    /// they are used, and a violation stops the device (<see cref="IsOperational"/> false, <see cref="Error"/>
    /// says why) without touching memory the driver does not own.
    /// </summary>
    public sealed unsafe partial class XenNetfrontDevice : INetworkDevice
    {
        public const int MaxFrame = 1514;

        private readonly XenPlatform _platform;
        private readonly XenNetfrontOptions _options;
        private readonly XenbusFrontend _xenbus;
        private NetworkDeviceCounters _counters;
        private MacAddress _mac;
        private bool _operational;
        private uint _port;
        private FrontRing _tx, _rx;
        private DmaRegion _txRingPage, _rxRingPage;
        private int _txRingRef = -1, _rxRingRef = -1;

        public string Name => "xen-netfront";
        public MacAddress Mac => _mac;
        public bool LinkUp => _operational;
        public int Mtu => 1500;
        public bool IsOperational => _operational;
        /// <summary>Netback completes partial TCP/UDP checksums we send (NETTXF_csum_blank; see ChooseOffloads).</summary>
        public bool CanOffloadTransmitChecksum => UsingTransmitChecksum;
        public ref readonly NetworkDeviceCounters Counters => ref _counters;
        public string Error { get; private set; }
        public XenbusFrontend Xenbus => _xenbus;
        public uint EventChannel => _port;
        public FrontRing TransmitRing => _tx;
        public FrontRing ReceiveRing => _rx;
        public bool DeferNotifications { get; set; }
        /// <summary>The event channel always notifies; the netfront is never polled.</summary>
        public bool NeedsPolling => false;

        private GrantTable Grants => _platform.Grants;
        private EventChannels Events => _platform.Events;

        public XenNetfrontDevice(XenPlatform platform, XenNetfrontOptions options)
        {
            _platform = platform;
            _options = options;
            if (_options.NodePath == null) _options.NodePath = XenNetfrontOptions.Default.NodePath;
            if (_options.ConnectTimeoutMilliseconds <= 0) _options.ConnectTimeoutMilliseconds = XenNetfrontOptions.Default.ConnectTimeoutMilliseconds;
            _xenbus = new XenbusFrontend(platform.Store, platform.Wait, _options.NodePath);
        }

        public void Poll()
        {
            if (_lifecycle == XenNetfrontLifecycle.Closing) { ContinueDetach(); return; }
            if (!_operational) return;
            if (Events.TakeFired(_port)) _counters.Interrupts++;
            ReclaimTransmitted();
            FlushReceiveRefills();
            if (_operational) WatchBackend();
            if (_tx.IsBroken) StopOnBackendError(string.Concat("transmit ring: ", _tx.Error));
            else if (_rx.IsBroken) StopOnBackendError(string.Concat("receive ring: ", _rx.Error));
        }

        /// <summary>True when there is nothing to do, after asking the backend for an event at the next response.</summary>
        public bool PrepareToWait()
        {
            if (!_operational) return true; // (closing: the xenstore watch or the tick wakes the loop)
            return !_rx.FinalCheckForResponses() && !_tx.FinalCheckForResponses();
        }

        private void Notify()
        {
            Events.Notify(_port);
            _counters.Notifications++;
        }

        /// <summary>
        /// The backend broke the protocol: stop using the rings at once (nothing more is read from them or
        /// given to them), keep the reason, and close the connection so that it can be made again
        /// (XenNetfrontDevice.Detach.cs, <see cref="BeginFaultClose"/>). Our grants stay in place until the backend has
        /// let go of them, so it cannot be handed a page that we reuse.
        /// </summary>
        private void StopOnBackendError(string reason)
        {
            if (!_operational) return;
            _counters.DeviceErrors++;
            Error = reason;
            BeginFaultClose();
        }
    }
}
