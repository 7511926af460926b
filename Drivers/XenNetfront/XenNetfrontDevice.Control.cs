using System;
using Cosmos.Drivers.Xen.Rings;
using Cosmos.Drivers.Xen.Spec;
using Cosmos.Drivers.Xen.Xenbus;
using Cosmos.Drivers.Xen.Xenstore;
using Cosmos.Drivers.XenNetfront.Spec;
using Cosmos.Hal.Network;

namespace Cosmos.Drivers.XenNetfront
{
    // The control plane: the xenbus handshake of io/netif.h ("Feature and Parameter Negotiation") and
    // docs/misc/xenstore-paths.pandoc. Frontend: Initialising -> (backend InitWait) -> keys written in one
    // transaction -> Connected -> (backend Connected). Every wait is bounded and says what it waited for.
    public sealed unsafe partial class XenNetfrontDevice
    {
        public bool BackendScatterGather { get; private set; }
        public bool BackendMultiQueue { get; private set; }
        public bool UsingScatterGather { get; private set; }
        /// <summary>Netback offers feature-gso-tcpv4 (it segments what we send).</summary>
        public bool BackendSegmentation { get; private set; }
        /// <summary>We send partial checksums (NETTXF_csum_blank).</summary>
        public bool UsingTransmitChecksum { get; private set; }
        /// <summary>We told netback it may send partial checksums (feature-no-csum-offload=0).</summary>
        public bool UsingReceiveChecksum { get; private set; }
        /// <summary>We send TCP/IPv4 packets of up to 64 KiB with a GSO extra for netback to segment.</summary>
        public bool UsingTransmitSegmentation { get; private set; }
        /// <summary>We told netback it may send coalesced TCP/IPv4 packets (feature-gso-tcpv4=1).</summary>
        public bool UsingReceiveSegmentation { get; private set; }
        private string _backendStateWatch;

        /// <summary>
        /// Runs the whole handshake. On failure <see cref="Error"/> says which step failed and our node is set
        /// to Closed, so the backend does not wait for us.
        /// </summary>
        public bool Connect()
        {
            if (!_xenbus.Open()) return Fail(_xenbus.Error);
            if (!ReadMac()) return false;
            _xenbus.SwitchState(XenbusState.Initialising);

            int wanted = XenbusFrontend.StateBit(XenbusState.InitWait) | XenbusFrontend.StateBit(XenbusState.Connected);
            _xenbus.WaitForBackend(wanted, _options.ConnectTimeoutMilliseconds, out bool ready);
            if (!ready) return FailAndClose(string.Concat("backend never reached InitWait: ", _xenbus.Error));

            // Backend features (netif.h): rx-copy is the only receive mode we implement.
            if (!_xenbus.BackendOffers("feature-rx-copy")) return FailAndClose("backend does not offer feature-rx-copy");
            BackendScatterGather = _xenbus.BackendOffers("feature-sg");
            BackendMultiQueue = _xenbus.ReadBackendNumber("multi-queue-max-queues", 0) > 0;
            UsingScatterGather = BackendScatterGather && _options.ScatterGather;
            ChooseOffloads();

            if (!SetUpRings()) return FailAndClose(Error);
            if (!SetUpTransmitBuffers()) return FailAndClose("no memory or grants for transmit buffers");
            if (!SetUpReceiveBuffers()) return FailAndClose("no memory or grants for receive buffers");
            int result = Events.AllocateUnbound(_xenbus.BackendDomain, out _port);
            if (result != 0) return FailAndClose(string.Concat("EVTCHNOP_alloc_unbound failed: ", Xen.Hypervisor.Hypercalls.ErrorName(result)));

            result = _xenbus.InTransaction(WriteFrontendKeys);
            if (result != 0) return FailAndClose(string.Concat("writing the frontend keys failed: ", _xenbus.Store.LastError ?? "error"));
            _xenbus.SwitchState(XenbusState.Connected);

            _xenbus.WaitForBackend(XenbusFrontend.StateBit(XenbusState.Connected), _options.ConnectTimeoutMilliseconds, out bool connected);
            if (!connected) return FailAndClose(string.Concat("backend never reached Connected: ", _xenbus.Error));

            _backendStateWatch = _xenbus.BackendKey("state");
            _xenbus.Store.Watch(_backendStateWatch, "netfront-backend");
            _operational = true;
            _lifecycle = XenNetfrontLifecycle.Connected;
            if (_rx.PushRequests()) Notify();
            return true;
        }

        /// <summary>
        /// The offloads (netif.h, "feature-no-csum-offload", "feature-gso-tcpv4"): what the options allow, netback
        /// offers, and the other offloads each one stands on. A backend's feature-no-csum-offload that is missing
        /// means checksum offload is on. Segmentation in either direction needs scatter-gather (a 64 KiB packet
        /// spans many slots) and partial checksums (a segmented packet's checksum is partial by nature); Linux
        /// netback masks TSO on the vif for the same reasons.
        /// </summary>
        private void ChooseOffloads()
        {
            XenNetfrontOffloads allowed = _options.Offloads;
            BackendSegmentation = _xenbus.BackendOffers("feature-gso-tcpv4");
            UsingTransmitChecksum = (allowed & XenNetfrontOffloads.TransmitChecksum) != 0 && _xenbus.ReadBackendNumber("feature-no-csum-offload", 0) == 0;
            UsingReceiveChecksum = (allowed & XenNetfrontOffloads.ReceiveChecksum) != 0;
            UsingTransmitSegmentation = (allowed & XenNetfrontOffloads.TransmitSegmentation) != 0 && BackendSegmentation
                && UsingTransmitChecksum && UsingScatterGather;
            UsingReceiveSegmentation = (allowed & XenNetfrontOffloads.ReceiveSegmentation) != 0 && UsingReceiveChecksum && UsingScatterGather;
        }

        /// <summary>The keys netback reads when we switch to Connected (netif.h; single queue, one event channel).</summary>
        private int WriteFrontendKeys(uint transaction)
        {
            int result = Write("tx-ring-ref", XenText.FromUInt((uint)_txRingRef), transaction);
            if (result == 0) result = Write("rx-ring-ref", XenText.FromUInt((uint)_rxRingRef), transaction);
            if (result == 0) result = Write("event-channel", XenText.FromUInt(_port), transaction);
            if (result == 0) result = Write("request-rx-copy", "1", transaction);
            // We add receive requests and notify when we do: netback requires this (netif.h, feature-rx-notify).
            if (result == 0) result = Write("feature-rx-notify", "1", transaction);
            // 0: netback may hand us partial checksums (NETRXF_csum_blank); 1: it completes them first.
            if (result == 0) result = Write("feature-no-csum-offload", UsingReceiveChecksum ? "0" : "1", transaction);
            if (result == 0 && UsingScatterGather) result = Write("feature-sg", "1", transaction);
            // 1: netback may hand us coalesced TCP/IPv4 packets up to 64 KiB (multi-slot, with a GSO extra).
            if (result == 0) result = Write("feature-gso-tcpv4", UsingReceiveSegmentation ? "1" : "0", transaction);
            if (result == 0 && BackendMultiQueue) result = Write("multi-queue-num-queues", "1", transaction);
            return result;
        }

        private int Write(string key, string value, uint transaction) => _xenbus.Store.Write(_xenbus.Key(key), value, transaction);

        private bool ReadMac()
        {
            string text = _xenbus.Store.Read(_xenbus.Key("mac"));
            Span<byte> mac = stackalloc byte[6];
            if (text == null || !XenText.TryParseMac(text, mac)) return Fail(string.Concat("no valid MAC at ", _xenbus.Key("mac")));
            _mac = new MacAddress(mac);
            return true;
        }

        private bool SetUpRings()
        {
            _txRingPage = _platform.Memory.Allocate(XenPage.Size, XenPage.Size);
            _rxRingPage = _platform.Memory.Allocate(XenPage.Size, XenPage.Size);
            if (!_txRingPage.IsValid || !_rxRingPage.IsValid) return Fail("no memory for the rings");
            _tx = new FrontRing(_txRingPage.Virtual, sizeof(NetifTxRequest));
            _rx = new FrontRing(_rxRingPage.Virtual, sizeof(NetifRxResponse));
            _txRingRef = Grants.Grant(_xenbus.BackendDomain, _txRingPage.Physical >> XenPage.Shift, readOnly: false);
            _rxRingRef = Grants.Grant(_xenbus.BackendDomain, _rxRingPage.Physical >> XenPage.Shift, readOnly: false);
            if (_txRingRef < 0 || _rxRingRef < 0) return Fail("no grant references for the rings");
            return true;
        }

        private bool Fail(string reason)
        {
            Error = reason;
            return false;
        }

        private bool FailAndClose(string reason)
        {
            Error = reason;
            _xenbus.SwitchState(XenbusState.Closed);
            return false;
        }
    }
}
