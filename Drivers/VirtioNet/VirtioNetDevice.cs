using System;
using Cosmos.Drivers.Virtio.Queues;
using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Drivers.Virtio.Transport;
using Cosmos.Drivers.VirtioNet.Spec;
using Cosmos.Hal.Memory;
using Cosmos.Hal.Network;

namespace Cosmos.Drivers.VirtioNet
{
    /// <summary>
    /// virtio-net (virtio 1.2 §5.1) over any virtio transport: one receive and one transmit queue, buffers in
    /// DMA memory that the driver owns for its whole life (no allocation per packet). The device is trusted
    /// for nothing: every index, id and length it returns is checked by the queue, and on a violation the
    /// driver resets the device and stops (<see cref="IsOperational"/> false, <see cref="Error"/> says why).
    /// </summary>
    public sealed unsafe partial class VirtioNetDevice : INetworkDevice
    {
        public const int MaxFrame = 1514;
        private const int TxBufferSize = 2048;

        private readonly IVirtioTransport _transport;
        private readonly IDmaAllocator _dma;
        private readonly VirtioNetOptions _options;
        private IVirtqueue _rx, _tx;
        private NetworkDeviceCounters _counters;
        private MacAddress _mac;
        private bool _linkUp;
        private bool _operational;
        private int _headerSize;

        public ulong DeviceFeatures { get; private set; }
        public ulong NegotiatedFeatures { get; private set; }
        public string Error { get; private set; }
        public IVirtioTransport Transport => _transport;
        public IVirtqueue ReceiveQueue => _rx;
        public IVirtqueue TransmitQueue => _tx;
        public int HeaderSize => _headerSize;
        public InterruptMode Interrupts => _options.Interrupts;
        public bool NeedsPolling => _options.Interrupts == InterruptMode.Polling;

        public string Name => "virtio-net";
        public MacAddress Mac => _mac;
        public bool LinkUp => _linkUp;
        public int Mtu => 1500;
        public bool IsOperational => _operational;
        public bool CanOffloadTransmitChecksum => Has(NetFeatures.Checksum);
        public ref readonly NetworkDeviceCounters Counters => ref _counters;

        public VirtioNetDevice(IVirtioTransport transport, IDmaAllocator dma, VirtioNetOptions options)
        {
            _transport = transport;
            _dma = dma;
            _options = options;
            if (_options.ReceiveBufferSize != 0 && _options.ReceiveBufferSize < VirtioNetHeader.Size + 64) _options.ReceiveBufferSize = 2048;
        }

        public bool Has(int feature) => VirtioFeatures.Has(NegotiatedFeatures, feature);

        /// <summary>The features this driver can use (§5.1.3); anything else offered is declined.</summary>
        public static ulong SupportedFeatures =>
            VirtioFeatures.Bit(NetFeatures.Checksum) | VirtioFeatures.Bit(NetFeatures.GuestChecksum) |
            VirtioFeatures.Bit(NetFeatures.Mac) | VirtioFeatures.Bit(NetFeatures.Status) |
            VirtioFeatures.Bit(NetFeatures.MergeableRxBuffers) |
            VirtioFeatures.Bit(VirtioFeatures.IndirectDescriptors) | VirtioFeatures.Bit(VirtioFeatures.EventIndex) |
            VirtioFeatures.Bit(VirtioFeatures.AnyLayout) | VirtioFeatures.Bit(VirtioFeatures.Version1) |
            VirtioFeatures.Bit(VirtioFeatures.RingPacked) |
            VirtioFeatures.Bit(NetFeatures.GuestTso4) | VirtioFeatures.Bit(NetFeatures.GuestTso6) | VirtioFeatures.Bit(NetFeatures.GuestEcn) |
            VirtioFeatures.Bit(NetFeatures.ControlQueue) | VirtioFeatures.Bit(NetFeatures.ControlGuestOffloads) |
            VirtioFeatures.Bit(NetFeatures.HostTso4);

        /// <summary>
        /// Drops features whose prerequisites are missing (§5.1.3.1): GUEST_TSO4/6 need GUEST_CSUM, and here also
        /// mergeable buffers (without them every receive buffer would have to hold 65,562 bytes, §5.1.6.3.1);
        /// GUEST_ECN needs a GUEST_TSO; CTRL_GUEST_OFFLOADS needs the control queue; HOST_TSO4/6 need CSUM.
        /// </summary>
        public static ulong WithDependencies(ulong features)
        {
            static ulong Bit(int b) => VirtioFeatures.Bit(b);
            bool has(int b) => (features & Bit(b)) != 0;
            if (!has(NetFeatures.GuestChecksum) || !has(NetFeatures.MergeableRxBuffers))
                features &= ~(Bit(NetFeatures.GuestTso4) | Bit(NetFeatures.GuestTso6));
            if (!has(NetFeatures.GuestTso4) && !has(NetFeatures.GuestTso6)) features &= ~Bit(NetFeatures.GuestEcn);
            if (!has(NetFeatures.ControlQueue)) features &= ~Bit(NetFeatures.ControlGuestOffloads);
            if (!has(NetFeatures.Checksum)) features &= ~(Bit(NetFeatures.HostTso4) | Bit(NetFeatures.HostTso6)); // TSO needs CSUM
            return features;
        }

        /// <summary>Frames larger than the MTU arrive (coalesced TCP segments) when a GUEST_TSO is in force.</summary>
        public bool ReceivesLargeFrames => Has(NetFeatures.GuestTso4) || Has(NetFeatures.GuestTso6);

        /// <summary>
        /// Device initialisation (§3.1.1): reset, ACKNOWLEDGE, DRIVER, feature negotiation, FEATURES_OK (and
        /// its re-read), queue set-up, receive buffers, DRIVER_OK. On any refusal the status gets FAILED and
        /// <see cref="Error"/> says which step failed.
        /// </summary>
        public bool Initialize()
        {
            if (!_transport.Reset()) return Fail("the device did not complete its reset");
            _transport.WriteStatus(DeviceStatus.Acknowledge);
            _transport.WriteStatus(DeviceStatus.Acknowledge | DeviceStatus.Driver);

            DeviceFeatures = _transport.ReadDeviceFeatures();
            ulong wanted = SupportedFeatures & ~_options.DisabledFeatures;
            if (!_transport.IsModern) wanted &= 0xFFFFFFFFUL; // the legacy interface has 32 feature bits
            NegotiatedFeatures = WithDependencies(DeviceFeatures & wanted);
            if (_transport.IsModern && !Has(VirtioFeatures.Version1))
                return Fail("modern interface without VIRTIO_F_VERSION_1");
            _transport.WriteDriverFeatures(NegotiatedFeatures);
            if (_transport.IsModern)
            {
                // §3.1.1 step 5-6: set FEATURES_OK, then re-read: the device may refuse the subset.
                _transport.WriteStatus(DeviceStatus.Acknowledge | DeviceStatus.Driver | DeviceStatus.FeaturesOk);
                if ((_transport.ReadStatus() & DeviceStatus.FeaturesOk) == 0)
                    return Fail("the device refused the negotiated features (FEATURES_OK not kept)");
            }

            // §5.1.6: the header has num_buffers with VERSION_1 or MRG_RXBUF, else it is the 10-byte legacy one.
            _headerSize = Has(VirtioFeatures.Version1) || Has(NetFeatures.MergeableRxBuffers) ? VirtioNetHeader.Size : VirtioNetHeader.LegacySize;
            ReadConfiguration();

            bool eventIndex = Has(VirtioFeatures.EventIndex), indirect = Has(VirtioFeatures.IndirectDescriptors);
            bool msix = _options.Interrupts == InterruptMode.Msix;
            ushort none = Virtio.Spec.CommonConfig.NoVector;
            if (msix && !_transport.SetConfigVector(_options.ConfigVector))
                return Fail("the device refused the MSI-X configuration vector");
            _rx = CreateQueue(NetQueues.Receive, eventIndex, indirect, msix ? _options.ReceiveVector : none, out string error);
            if (_rx == null) return Fail(string.Concat("receive queue: ", error));
            _tx = CreateQueue(NetQueues.Transmit, eventIndex, indirect, msix ? _options.TransmitVector : none, out error);
            if (_tx == null) return Fail(string.Concat("transmit queue: ", error));

            if (!SetUpControlQueue(eventIndex)) return Fail("control queue: could not be set up");
            if (!SetUpReceiveBuffers()) return Fail("no DMA memory for receive buffers");
            if (!SetUpTransmitBuffers()) return Fail("no DMA memory for transmit buffers");

            // Transmit completions are reclaimed when buffers are needed: no interrupts for them.
            _tx.DisableInterrupts();
            if (_options.Interrupts == InterruptMode.Polling) _rx.DisableInterrupts();

            _transport.WriteStatus((byte)(DeviceStatus.Acknowledge | DeviceStatus.Driver | DeviceStatus.DriverOk |
                                          (_transport.IsModern ? DeviceStatus.FeaturesOk : 0)));
            if ((_transport.ReadStatus() & DeviceStatus.DeviceNeedsReset) != 0) return Fail("the device needs a reset right after DRIVER_OK");
            _operational = true;
            _rx.Kick();
            GuestOffloads = NegotiatedFeatures & NetControl.GuestOffloadBits;
            // Receive offloads the command line turned off at run time (virtio.guest-offloads-off): the device
            // keeps the features, the control queue tells it not to use them (its tap then segments for us).
            if (Has(NetFeatures.ControlGuestOffloads) && (GuestOffloads & _options.GuestOffloadsOff) != 0)
                SetGuestOffloads(GuestOffloads & ~_options.GuestOffloadsOff);
            return true;
        }

        private IVirtqueue CreateQueue(ushort index, bool eventIndex, bool indirect, ushort vector, out string error)
        {
            if (Has(VirtioFeatures.RingPacked))
                return PackedVirtqueue.Create(_transport, _dma, index, _options.QueueSize, eventIndex, indirect, vector, out error);
            return SplitVirtqueue.Create(_transport, _dma, index, _options.QueueSize, eventIndex, indirect, vector, out error);
        }

        /// <summary>Reads MAC and link status; the read repeats while config_generation changes (§2.5.1, §4.1.4.3.1).</summary>
        private void ReadConfiguration()
        {
            Span<byte> mac = stackalloc byte[6];
            ushort status = NetConfig.LinkUp;
            for (int attempt = 0; attempt < 100; attempt++)
            {
                byte before = _transport.ConfigGeneration();
                for (int i = 0; i < 6; i++) mac[i] = Has(NetFeatures.Mac) ? _transport.ReadConfig8(NetConfig.Mac + i) : (byte)0;
                if (Has(NetFeatures.Status)) status = _transport.ReadConfig16(NetConfig.Status);
                if (_transport.ConfigGeneration() == before) break;
            }
            if (!Has(NetFeatures.Mac))
            {
                // No MAC from the device: a locally administered one (§5.1.5 lets the driver choose).
                mac[0] = 0x02; mac[1] = 0x00; mac[2] = 0x00; mac[3] = 0x00; mac[4] = 0x00; mac[5] = 0x01;
            }
            _mac = new MacAddress(mac);
            _linkUp = (status & NetConfig.LinkUp) != 0;
        }

        /// <summary>Re-reads the link status (after a configuration-change interrupt).</summary>
        public void RefreshConfiguration() => ReadConfiguration();

        private bool Fail(string reason)
        {
            Error = reason;
            _operational = false;
            _transport.WriteStatus((byte)(_transport.ReadStatus() | DeviceStatus.Failed));
            return false;
        }

        /// <summary>
        /// Called when a queue reports a protocol violation: reset the device so it stops all DMA into our
        /// buffers, mark it FAILED, and keep the reason.
        /// </summary>
        private void StopOnDeviceError(IVirtqueue queue)
        {
            if (!_operational) return;
            _operational = false;
            _counters.DeviceErrors++;
            Error = string.Concat(queue == _rx ? "receive queue: " : queue == _tx ? "transmit queue: " : "control queue: ", queue.Error);
            _transport.Reset();
            _transport.WriteStatus(DeviceStatus.Failed);
        }

        /// <summary>
        /// Stops using the device from outside the driver (the kernel's fault injection, test.nic-fault=): the same reset,
        /// FAILED status and <see cref="Error"/> as when the device breaks a ring rule.
        /// </summary>
        public void Stop(string reason)
        {
            if (!_operational) return;
            _operational = false;
            _counters.DeviceErrors++;
            Error = reason;
            _transport.Reset();
            _transport.WriteStatus(DeviceStatus.Failed);
        }

        /// <summary>INTx: reads (and so clears) the ISR; returns true if this device raised the interrupt.</summary>
        public bool HandleInterrupt()
        {
            byte isr = _transport.ReadIsr();
            if (isr == 0) return false; // shared line: someone else's interrupt
            _counters.Interrupts++;
            // §4.1.4.5: bit 1 is a configuration change, bit 0 a queue interrupt; both may be set.
            if ((isr & IsrStatus.Configuration) != 0) OnConfigurationChange();
            else CountIfEmpty();
            return true;
        }

        /// <summary>MSI-X: the receive queue's message arrived (no ISR to read, §4.1.5.1.2).</summary>
        public void OnQueueMessage()
        {
            _counters.Interrupts++;
            CountIfEmpty();
        }

        /// <summary>MSI-X: the configuration-change message arrived.</summary>
        public void OnConfigMessage()
        {
            _counters.Interrupts++;
            OnConfigurationChange();
        }

        public void Poll()
        {
            if (!_operational) return;
            if (_rx.IsBroken) { StopOnDeviceError(_rx); return; }
            if (_tx.IsBroken) { StopOnDeviceError(_tx); return; }
            ReclaimTransmitted();
            FlushReceiveRefillsIfDue();
        }

        /// <summary>Re-enables receive interrupts before the caller sleeps; false if work arrived meanwhile.</summary>
        public bool PrepareToWait()
        {
            if (!_operational || _options.Interrupts == InterruptMode.Polling) return true;
            return !_rx.EnableInterrupts();
        }
    }
}
