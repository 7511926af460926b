using System;
using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Drivers.Virtio.Transport;
using Cosmos.Drivers.VirtioNet;
using Cosmos.Drivers.VirtioNet.Spec;
using Cosmos.Drivers.XenNetfront;
using Cosmos.Hal.Config;
using Cosmos.Hal.Cpu;
using Cosmos.Hal.Diagnostics;
using Cosmos.Hal.Interrupts;
using Cosmos.Hal.Memory;
using Cosmos.Hal.Network;
using Cosmos.Hal.Pci;

namespace Cosmos.Kernel.Devices
{
    /// <summary>
    /// Finds every NIC and brings up its driver: each virtio-net function on the PCI bus (vendor 0x1af4, device
    /// 0x1000 transitional or 0x1041 modern), in bus order, then, on Xen, each vif under device/vif. Command-line
    /// options choose the transport and test variations (they apply to every virtio-net adapter).
    /// </summary>
    public static unsafe class NetworkDevices
    {
        public const ushort VirtioVendor = 0x1AF4;
        public const ushort VirtioNetTransitional = 0x1000;
        public const ushort VirtioNetModern = 0x1041;
        /// <summary>The most a virtio-net NIC's receive buffers take when their size is left to the driver.</summary>
        public const long ReceiveBudgetCap = 4L << 20;
        /// <summary>Adapters the kernel drives at most (each gets an interface, netN).</summary>
        public const int MaxAdapters = 4;

        private static readonly NetworkAdapter[] s_adapters = new NetworkAdapter[MaxAdapters];
        private static int s_count;
        /// <summary>MSI-X vector to adapter index (each adapter has its own two: configuration, receive).</summary>
        private static readonly sbyte[] s_vectorOwner = new sbyte[256];

        public static int Count => s_count;
        public static NetworkAdapter Get(int index) => s_adapters[index];

        /// <summary>The first adapter's device (net0): the one the raw-frame self-test uses.</summary>
        public static INetworkDevice Primary => s_count > 0 ? s_adapters[0].Device : null;
        /// <summary>The first adapter's virtio-net driver, if it is one.</summary>
        public static VirtioNetDevice VirtioNet => s_count > 0 ? s_adapters[0].Virtio : null;

        /// <summary>
        /// Logs, once per adapter, that its driver stopped the device and why (the driver's own reason: a ring rule the
        /// device broke, or a set-up step it refused). The drivers stop silently, from whatever path met the fault; the
        /// loops that poll them call this, so the stop reaches the log wherever it happened. Cheap: one flag per adapter.
        /// </summary>
        public static void ReportStoppedDevices()
        {
            for (int i = 0; i < s_count; i++)
            {
                NetworkAdapter adapter = s_adapters[i];
                if (adapter.StopReported || adapter.Device.IsOperational) continue;
                adapter.StopReported = true;
                Log.BeginNotice(adapter.Device.Name);
                Log.Write("net");
                Log.Decimal(i);
                Log.Write(": device stopped: ");
                Log.Write(adapter.Device.Error ?? "no reason given");
                Log.End();
            }
        }

        /// <summary>
        /// Logs, once per stall, an adapter whose device holds transmit buffers and has completed none for
        /// <see cref="TransmitStallWatch.StallMilliseconds"/> (a device that withholds completions; the driver keeps going,
        /// and reports transmit busy once every buffer is held). When recovery is on, the kernel then stops the device, so
        /// <see cref="DeviceRecovery"/> resets it and sets it up again; with net.recover=off it only logs. Called by the service loop.
        /// </summary>
        public static void WatchTransmit(long nowMs)
        {
            for (int i = 0; i < s_count; i++)
            {
                NetworkAdapter adapter = s_adapters[i];
                if (!adapter.Device.IsOperational) continue;
                int inFlight = adapter.Device.TransmitBuffersOutstanding;
                if (!adapter.TransmitWatch.Observe(adapter.Device.Counters.TxFrames, inFlight, nowMs)) continue;
                Log.BeginNotice(adapter.Device.Name);
                Log.Write("net");
                Log.Decimal(i);
                Log.Write(": transmit stalled: ");
                Log.Decimal(inFlight);
                Log.Write(" buffers in flight, none completed for ");
                Log.Decimal(adapter.TransmitWatch.QuietFor(nowMs));
                Log.Write(" ms");
                Log.End();
                // The driver cannot call this a broken rule, but the kernel can treat it as a device fault when it can
                // recover from one (as a network watchdog's transmit timeout resets the device): reset, set up again.
                if (DeviceRecovery.WillRecover(adapter)) adapter.Virtio.Stop("transmit stalled: the device completed no transmit buffer for 2 s");
            }
        }

        public static void Probe(CommandLine options)
        {
            bool preferXen = options.Is("net.device", "xen") && XenGuest.Platform != null;
            int virtioFunctions = 0;
            for (int i = 0; i < PciBus.Count && !preferXen; i++)
            {
                PciDevice pci = PciBus.Get(i);
                if (pci.VendorId != VirtioVendor || (pci.DeviceId != VirtioNetModern && pci.DeviceId != VirtioNetTransitional)) continue;
                virtioFunctions++;
                if (s_count == MaxAdapters) { Log.NoticeLine("virtio-net", "more NICs than the kernel drives; the rest are left alone"); break; }
                ProbeVirtio(pci, options);
            }
            if (XenGuest.Platform != null && (s_count == 0 || preferXen)) ProbeXenNetfronts(options);
            if (s_count > 0) return;
            if (options.Is("net.device", "xen") && XenGuest.Platform == null) Log.NoticeLine("net", "net.device=xen, but not running on Xen");
            else if (virtioFunctions == 0 && XenGuest.Platform == null) Log.NoticeLine("net", "no virtio-net device on the PCI bus and no Xen platform");
            else Log.NoticeLine("net", "no NIC could be brought up");
        }

        private static void ProbeVirtio(PciDevice pci, CommandLine options)
        {
            IVirtioTransport transport = ChooseTransport(pci, options.Get("virtio.transport"));
            if (transport == null) return;
            pci.EnableBusMastering();
            int index = s_count;

            var driverOptions = VirtioNetOptions.Default;
            driverOptions.QueueSize = (ushort)options.GetInteger("virtio.queue-size", 0);
            // 0: the driver sizes its receive buffers from a budget of a 32nd of memory, at most 4 MiB a NIC (16 KiB
            // buffers on a 256-entry ring with 256 MiB of memory, 8 KiB with 128 MiB, 2 KiB at 16 MiB and below).
            driverOptions.ReceiveBufferSize = (int)options.GetInteger("virtio.rx-buffer", 0);
            driverOptions.ReceiveMemoryBudget = (long)Math.Min(ReceiveBudgetCap, PhysicalMemory.TotalUsableBytes / 32);
            driverOptions.DisabledFeatures = ParseDisabled(options.Get("virtio.disable"));
            // virtio.guest-offloads-off=guest-tso4,...: negotiated, then turned off through the control queue.
            driverOptions.GuestOffloadsOff = ParseDisabled(options.Get("virtio.guest-offloads-off")) & NetControl.GuestOffloadBits;
            ReadOnlySpan<char> mode = options.Get("virtio.interrupts", "msix");
            driverOptions.Interrupts = mode.SequenceEqual("poll") ? InterruptMode.Polling
                : mode.SequenceEqual("intx") ? InterruptMode.Intx : InterruptMode.Msix;

            // MSI-X only on the modern interface, and only if the function has a table and we have an APIC.
            MsixTable msix = null;
            int configVector = -1, receiveVector = -1;
            if (driverOptions.Interrupts == InterruptMode.Msix)
            {
                msix = transport.IsModern && LocalApic.IsEnabled ? MsixTable.TryCreate(pci) : null;
                if (msix == null || msix.Size < 2 || !ProgramMessageVectors(msix, index, ref driverOptions, out configVector, out receiveVector))
                {
                    Log.NoticeLine("virtio-net", transport.IsModern ? "MSI-X unavailable; using INTx" : "legacy interface: using INTx (MSI-X only on the modern interface)");
                    msix = null;
                    driverOptions.Interrupts = InterruptMode.Intx;
                }
            }

            var device = new VirtioNetDevice(transport, PhysicalMemory.Dma, driverOptions);
            bool ok = device.Initialize();
            if (!ok && msix != null)
            {
                // The device would not take the MSI-X vectors: start again on INTx (§4.1.5.1.2.1 lets it refuse).
                Log.BeginNotice("virtio-net");
                Log.Write("MSI-X set-up refused (");
                Log.Write(device.Error);
                Log.Write("); falling back to INTx");
                Log.End();
                msix.Disable();
                msix = null;
                driverOptions.Interrupts = InterruptMode.Intx;
                device = new VirtioNetDevice(transport, PhysicalMemory.Dma, driverOptions);
                ok = device.Initialize();
            }
            if (!ok)
            {
                Log.BeginNotice("virtio-net");
                Log.Write("initialisation failed: ");
                Log.Write(device.Error);
                Log.Write(" (status set to FAILED)");
                Log.End();
                return;
            }
            // The adapter is published before its line is unmasked: frames may have raised INTx since DRIVER_OK,
            // and a level-triggered line whose handler cannot find its device to read (and so clear) the ISR
            // fires again at once, for ever (a boot that never got past this point under early traffic).
            var adapter = new NetworkAdapter(index, device, pci);
            if (msix != null) { adapter.ConfigVector = configVector; adapter.ReceiveVector = receiveVector; }
            // Recovery (DeviceRecovery) sets the same function up again with the options that worked here.
            VirtioNetOptions restartOptions = driverOptions;
            adapter.CreateDriver = () =>
            {
                var restarted = new VirtioNetDevice(transport, PhysicalMemory.Dma, restartOptions);
                restarted.Initialize();
                return restarted;
            };
            s_adapters[index] = adapter;
            s_count++;
            if (driverOptions.Interrupts == InterruptMode.Intx)
            {
                adapter.IntxLine = LegacyIrqRouting.Attach(pci, adapter.OnIntx);
                if (adapter.IntxLine < 0) Log.NoticeLine("virtio-net", "no INTx line; served on the timer tick");
            }
            LogDevice(adapter);
            if (device.ControlCommands > 0) LogGuestOffloads(device);
        }

        /// <summary>What GUEST_OFFLOADS_SET left in force, or why the device refused it.</summary>
        private static void LogGuestOffloads(VirtioNetDevice device)
        {
            if (device.ControlFailures > 0)
            {
                Log.BeginNotice("virtio-net");
                Log.Write("control queue: GUEST_OFFLOADS_SET failed: ");
                Log.Write(device.ControlError);
                Log.End();
                return;
            }
            Log.Begin("virtio-net");
            Log.Write("control queue: guest offloads now");
            for (int bit = 0; bit < 64; bit++)
                if ((device.GuestOffloads & (1UL << bit)) != 0) { Log.Write(' '); Log.Write(NetFeatures.Name(bit)); }
            Log.Write(" (GUEST_OFFLOADS_SET acknowledged)");
            Log.End();
        }

        /// <summary>MSI-X entry 0: configuration changes; entry 1: the receive queue. Transmit needs none.</summary>
        private static bool ProgramMessageVectors(MsixTable msix, int index, ref VirtioNetOptions driverOptions, out int configVector, out int receiveVector)
        {
            configVector = MessageVectors.Allocate(&OnConfigMessage);
            receiveVector = configVector < 0 ? -1 : MessageVectors.Allocate(&OnReceiveMessage);
            if (configVector < 0 || receiveVector < 0) return false;
            s_vectorOwner[configVector] = (sbyte)index;
            s_vectorOwner[receiveVector] = (sbyte)index;
            LocalApic.MessageFor(configVector, out ulong address, out uint data);
            msix.SetEntry(0, address, data);
            LocalApic.MessageFor(receiveVector, out address, out data);
            msix.SetEntry(1, address, data);
            msix.Enable();
            driverOptions.ConfigVector = 0;
            driverOptions.ReceiveVector = 1;
            driverOptions.TransmitVector = 0xFFFF;
            return true;
        }

        private static NetworkAdapter OwnerOf(InterruptFrame* frame)
        {
            int index = s_vectorOwner[frame->Vector & 0xFF];
            return index < s_count ? s_adapters[index] : null;
        }

        private static void OnReceiveMessage(InterruptFrame* frame)
        {
            NetworkAdapter adapter = OwnerOf(frame);
            if (adapter == null) return;
            adapter.Virtio?.OnQueueMessage();
            adapter.InterruptPending = true;
        }

        private static void OnConfigMessage(InterruptFrame* frame) => OwnerOf(frame)?.Virtio?.OnConfigMessage();

        private static IVirtioTransport ChooseTransport(PciDevice pci, ReadOnlySpan<char> choice)
        {
            bool forceLegacy = choice.SequenceEqual("legacy"), forceModern = choice.SequenceEqual("modern");
            IVirtioTransport transport = null;
            if (!forceLegacy) transport = ModernPciTransport.TryCreate(pci);
            if (transport == null && !forceModern) transport = LegacyPciTransport.TryCreate(pci);
            if (transport == null)
            {
                Log.BeginNotice("virtio-net");
                Log.Write(forceModern ? "modern interface requested but unusable: " : "no usable interface: ");
                Log.Write(ModernPciTransport.LastError ?? "no legacy I/O BAR0");
                Log.End();
            }
            return transport;
        }

        /// <summary>virtio.disable=csum,guest-csum,mrg-rxbuf,event-idx,indirect-desc,ring-packed</summary>
        private static ulong ParseDisabled(ReadOnlySpan<char> list)
        {
            ulong mask = 0;
            int start = 0;
            for (int i = 0; i <= list.Length; i++)
            {
                if (i < list.Length && list[i] != ',') continue;
                ReadOnlySpan<char> name = list.Slice(start, i - start);
                if (name.SequenceEqual("csum")) mask |= VirtioFeatures.Bit(NetFeatures.Checksum);
                else if (name.SequenceEqual("guest-csum")) mask |= VirtioFeatures.Bit(NetFeatures.GuestChecksum);
                else if (name.SequenceEqual("mrg-rxbuf")) mask |= VirtioFeatures.Bit(NetFeatures.MergeableRxBuffers);
                else if (name.SequenceEqual("event-idx")) mask |= VirtioFeatures.Bit(VirtioFeatures.EventIndex);
                else if (name.SequenceEqual("indirect-desc")) mask |= VirtioFeatures.Bit(VirtioFeatures.IndirectDescriptors);
                else if (name.SequenceEqual("ring-packed")) mask |= VirtioFeatures.Bit(VirtioFeatures.RingPacked);
                else if (name.SequenceEqual("guest-tso4")) mask |= VirtioFeatures.Bit(NetFeatures.GuestTso4);
                else if (name.SequenceEqual("guest-tso6")) mask |= VirtioFeatures.Bit(NetFeatures.GuestTso6);
                else if (name.SequenceEqual("guest-ecn")) mask |= VirtioFeatures.Bit(NetFeatures.GuestEcn);
                else if (name.SequenceEqual("ctrl-vq")) mask |= VirtioFeatures.Bit(NetFeatures.ControlQueue);
                else if (name.SequenceEqual("ctrl-guest-offloads")) mask |= VirtioFeatures.Bit(NetFeatures.ControlGuestOffloads);
                else if (name.SequenceEqual("host-tso4")) mask |= VirtioFeatures.Bit(NetFeatures.HostTso4);
                start = i + 1;
            }
            return mask;
        }

        /// <summary>
        /// The Xen PV NICs: every vif under device/ in xenstore (device/vif/0, /1, ...), each through the xenbus
        /// handshake with its backend.
        /// </summary>
        private static void ProbeXenNetfronts(CommandLine options)
        {
            string[] vifs = XenGuest.Platform.Store.Directory("device/vif");
            if (vifs == null || vifs.Length == 0) vifs = new[] { "0" };
            for (int v = 0; v < vifs.Length && s_count < MaxAdapters; v++) ProbeXenNetfront(options, string.Concat("device/vif/", vifs[v]));
        }

        /// <summary>The netfront options read at boot, kept for the netfronts of vifs attached later (<see cref="XenReattach"/>).</summary>
        private static XenNetfrontOptions s_xenOptions;

        private static void ProbeXenNetfront(CommandLine options, string node)
        {
            var xenOptions = XenNetfrontOptions.Default;
            xenOptions.ConnectTimeoutMilliseconds = (int)options.GetInteger("xen.connect-timeout-ms", xenOptions.ConnectTimeoutMilliseconds);
            xenOptions.ScatterGather = !options.Is("xen.sg", "off");
            // xen.offloads-off=tx-csum,rx-csum,tx-gso,rx-gso (or all): offloads to decline even when netback offers them.
            xenOptions.Offloads &= ~XenNetfrontOptions.ParseOffloadsOff(options.Get("xen.offloads-off"), out bool unknownOffload);
            if (unknownOffload) Log.NoticeLine("xen-netfront", "xen.offloads-off names an offload it does not know (tx-csum, rx-csum, tx-gso, rx-gso, all)");
            s_xenOptions = xenOptions;
            XenNetfrontDevice device = ConnectXenNetfront(node);
            if (!device.IsOperational) return;
            var adapter = new NetworkAdapter(s_count, device);
            adapter.ConnectXen = ConnectXenNetfront;
            s_adapters[s_count] = adapter;
            s_count++;
        }

        /// <summary>
        /// Makes a netfront on <paramref name="node"/> and runs its handshake (bounded by xen.connect-timeout-ms); logs the
        /// connection and its offloads, or why it failed. The caller looks at <see cref="XenNetfrontDevice.IsOperational"/>.
        /// </summary>
        internal static XenNetfrontDevice ConnectXenNetfront(string node)
        {
            XenNetfrontOptions xenOptions = s_xenOptions;
            xenOptions.NodePath = node;
            var device = new XenNetfrontDevice(XenGuest.Platform, xenOptions);
            long started = Cosmos.Hal.Timers.Clock.Milliseconds;
            if (!device.Connect())
            {
                Log.BeginNotice("xen-netfront");
                Log.Write(node);
                Log.Write(" not connected: ");
                Log.Write(device.Error);
                Log.End();
                return device;
            }
            Log.Begin("xen-netfront");
            Log.Write(device.Xenbus.NodePath);
            Log.Write(" connected to ");
            Log.Write(device.Xenbus.BackendPath);
            Log.Write(" (domain ");
            Log.Decimal(device.Xenbus.BackendDomain);
            Log.Write(") in ");
            Log.Decimal(Cosmos.Hal.Timers.Clock.Milliseconds - started);
            Log.Write(" ms, MAC ");
            Cosmos.Kernel.Networking.NetworkHost.WriteMac(device.Mac);
            Log.Write(", event channel ");
            Log.Decimal(device.EventChannel);
            Log.Write(", rings tx ");
            Log.Decimal(device.TransmitRing.Size);
            Log.Write(" rx ");
            Log.Decimal(device.ReceiveRing.Size);
            Log.Write(", feature-sg ");
            Log.Write(device.UsingScatterGather ? "on" : "off");
            Log.Write(device.BackendMultiQueue ? ", multi-queue offered (using 1 queue)" : "");
            Log.End();
            // The offloads in use (netif.h keys): the Xen lane checks this line.
            Log.Begin("xen-netfront");
            Log.Write("offloads: tx-csum ");
            Log.Write(device.UsingTransmitChecksum ? "on" : "off");
            Log.Write(", rx-csum ");
            Log.Write(device.UsingReceiveChecksum ? "on" : "off");
            Log.Write(", tx-gso ");
            Log.Write(device.UsingTransmitSegmentation ? "on" : device.BackendSegmentation ? "off" : "off (not offered)");
            Log.Write(", rx-gso ");
            Log.Write(device.UsingReceiveSegmentation ? "on" : "off");
            Log.End();
            return device;
        }

        public static int ReceiveBuffersLent
        {
            get
            {
                int n = 0;
                for (int i = 0; i < s_count; i++) n += s_adapters[i].Device.ReceiveBuffersLent;
                return n;
            }
        }

        public static int TransmitBuffersOutstanding
        {
            get
            {
                int n = 0;
                for (int i = 0; i < s_count; i++) n += s_adapters[i].Device.TransmitBuffersOutstanding;
                return n;
            }
        }

        /// <summary>TSC cycles spent halted in the idle loop since boot (the benchmark's "not busy" time).</summary>
        public static ulong IdleCycles { get; private set; }
        /// <summary>Times the idle loop halted (each one a wake-up by an interrupt or the tick).</summary>
        public static long Halts { get; private set; }

        private static void HaltCounted()
        {
            Halts++;
            ulong before = CpuNative.ReadTimeStampCounter();
            CpuNative.EnableInterruptsAndHalt();
            IdleCycles += CpuNative.ReadTimeStampCounter() - before;
        }

        /// <summary>
        /// Sleeps until an interrupt (an adapter's, Xen's event callback or the timer tick) unless work is already
        /// waiting somewhere; interrupts stay off from the last check to the halt, so no wake-up is lost (sti; hlt).
        /// </summary>
        public static void WaitForWork()
        {
            if (s_count == 0) { CpuNative.Pause(); return; }
            CpuNative.DisableInterrupts();
            bool quiet = true;
            if (XenGuest.Platform != null)
            {
                XenGuest.Platform.Events.Scan();
                quiet = !XenGuest.TakeEventPending();
            }
            for (int i = 0; i < s_count; i++)
            {
                NetworkAdapter adapter = s_adapters[i];
                if (adapter.Device.NeedsPolling) quiet = false;
                if (adapter.InterruptPending) { adapter.InterruptPending = false; quiet = false; }
                if (quiet && !adapter.Device.PrepareToWait()) quiet = false;
            }
            if (quiet) HaltCounted();
            else
            {
                CpuNative.EnableInterrupts();
                if (AllPoll()) CpuNative.Pause();
            }
        }

        private static bool AllPoll()
        {
            for (int i = 0; i < s_count; i++) if (!s_adapters[i].Device.NeedsPolling) return false;
            return true;
        }

        private static void LogDevice(NetworkAdapter adapter)
        {
            PciDevice pci = adapter.Pci;
            VirtioNetDevice device = adapter.Virtio;
            Log.Begin("virtio-net");
            Log.Hex(pci.Bus, 2); Log.Write(':'); Log.Hex(pci.Device, 2); Log.Write('.'); Log.Hex(pci.Function);
            Log.Write(' '); Log.Hex(pci.VendorId, 4); Log.Write(':'); Log.Hex(pci.DeviceId, 4);
            Log.Write(" transport ");
            Log.Write(device.Transport.Name);
            Log.Write(", MAC ");
            Cosmos.Kernel.Networking.NetworkHost.WriteMac(device.Mac);
            Log.Write(", link ");
            Log.Write(device.LinkUp ? "up" : "down");
            if (adapter.Index > 0) { Log.Write(", interface net"); Log.Decimal(adapter.Index); }
            Log.End();

            Log.Begin("virtio-net");
            Log.Write("features:");
            ulong features = device.NegotiatedFeatures;
            for (int bit = 0; bit < 64; bit++)
            {
                if ((features & (1UL << bit)) == 0) continue;
                Log.Write(' ');
                string name = NetFeatures.Name(bit) ?? VirtioFeatures.Name(bit);
                if (name != null) Log.Write(name); else { Log.Write("bit"); Log.Decimal(bit); }
            }
            Log.Write(" (device offered 0x");
            Log.Hex(device.DeviceFeatures, 16);
            Log.Write(')');
            Log.End();

            Log.Begin("virtio-net");
            Log.Write("queues: rx ");
            Log.Decimal(device.ReceiveQueue.Size);
            Log.Write(" tx ");
            Log.Decimal(device.TransmitQueue.Size);
            Log.Write(" (");
            Log.Write(device.ReceiveQueue.Kind);
            Log.Write("), header ");
            Log.Decimal(device.HeaderSize);
            Log.Write(" bytes, receive buffers of ");
            Log.Decimal(device.ReceiveBufferSize);
            Log.Write(" bytes, interrupts ");
            if (device.Interrupts == InterruptMode.Polling) Log.Write("polling");
            else if (device.Interrupts == InterruptMode.Msix)
            {
                Log.Write("MSI-X (config vector ");
                Log.Decimal(adapter.ConfigVector);
                Log.Write(", rx vector ");
                Log.Decimal(adapter.ReceiveVector);
                Log.Write(", tx none)");
            }
            else { Log.Write("INTx irq "); Log.Decimal(pci.InterruptLine); }
            Log.End();
        }
    }
}
