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
    /// Finds the NIC on the PCI bus and brings up its driver: virtio-net (vendor 0x1af4, device 0x1000
    /// transitional or 0x1041 modern). Command-line options choose the transport and test variations.
    /// </summary>
    public static unsafe class NetworkDevices
    {
        public const ushort VirtioVendor = 0x1AF4;
        public const ushort VirtioNetTransitional = 0x1000;
        public const ushort VirtioNetModern = 0x1041;

        public static VirtioNetDevice VirtioNet { get; private set; }
        public static XenNetfrontDevice XenNet { get; private set; }
        public static INetworkDevice Primary { get; private set; }
        private static bool s_interruptPending;

        public static void Probe(CommandLine options)
        {
            PciDevice pci = PciBus.Find(VirtioVendor, VirtioNetModern) ?? PciBus.Find(VirtioVendor, VirtioNetTransitional);
            bool preferXen = options.Is("net.device", "xen");
            if (pci == null || preferXen)
            {
                if (XenGuest.Platform != null) { ProbeXenNetfront(options); return; }
                Log.NoticeLine("net", pci == null ? "no virtio-net device on the PCI bus and no Xen platform" : "net.device=xen, but not running on Xen");
                if (pci == null) return;
            }
            IVirtioTransport transport = ChooseTransport(pci, options.Get("virtio.transport"));
            if (transport == null) return;
            pci.EnableBusMastering();

            var driverOptions = VirtioNetOptions.Default;
            driverOptions.QueueSize = (ushort)options.GetInteger("virtio.queue-size", 0);
            driverOptions.ReceiveBufferSize = (int)options.GetInteger("virtio.rx-buffer", 2048);
            driverOptions.DisabledFeatures = ParseDisabled(options.Get("virtio.disable"));
            ReadOnlySpan<char> mode = options.Get("virtio.interrupts", "msix");
            driverOptions.Interrupts = mode.SequenceEqual("poll") ? InterruptMode.Polling
                : mode.SequenceEqual("intx") ? InterruptMode.Intx : InterruptMode.Msix;

            // MSI-X only on the modern interface, and only if the function has a table and we have an APIC.
            MsixTable msix = null;
            if (driverOptions.Interrupts == InterruptMode.Msix)
            {
                msix = transport.IsModern && LocalApic.IsEnabled ? MsixTable.TryCreate(pci) : null;
                if (msix == null || msix.Size < 2 || !ProgramMessageVectors(msix, ref driverOptions))
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
            // The device is published before its line is unmasked: frames may have raised INTx since DRIVER_OK,
            // and a level-triggered line whose handler cannot find its device to read (and so clear) the ISR
            // fires again at once, for ever (a boot that never got past this point under early traffic).
            VirtioNet = device;
            Primary = device;
            if (driverOptions.Interrupts == InterruptMode.Intx && LegacyIrqRouting.Attach(pci, OnInterrupt) < 0)
            {
                Log.NoticeLine("virtio-net", "no INTx line; falling back to polling");
            }
            LogDevice(pci, device);
        }

        private static int s_receiveVector = -1, s_configVector = -1;

        /// <summary>MSI-X entry 0: configuration changes; entry 1: the receive queue. Transmit needs none.</summary>
        private static bool ProgramMessageVectors(MsixTable msix, ref VirtioNetOptions driverOptions)
        {
            if (s_configVector < 0) s_configVector = MessageVectors.Allocate(&OnConfigMessage);
            if (s_receiveVector < 0) s_receiveVector = MessageVectors.Allocate(&OnReceiveMessage);
            if (s_configVector < 0 || s_receiveVector < 0) return false;
            LocalApic.MessageFor(s_configVector, out ulong address, out uint data);
            msix.SetEntry(0, address, data);
            LocalApic.MessageFor(s_receiveVector, out address, out data);
            msix.SetEntry(1, address, data);
            msix.Enable();
            driverOptions.ConfigVector = 0;
            driverOptions.ReceiveVector = 1;
            driverOptions.TransmitVector = 0xFFFF;
            return true;
        }

        private static void OnReceiveMessage(InterruptFrame* frame)
        {
            VirtioNet?.OnQueueMessage();
            s_interruptPending = true;
        }

        private static void OnConfigMessage(InterruptFrame* frame) => VirtioNet?.OnConfigMessage();

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
                start = i + 1;
            }
            return mask;
        }

        /// <summary>INTx: true if our NIC raised it (its ISR read, which also lowers the line).</summary>
        private static bool OnInterrupt()
        {
            VirtioNetDevice device = VirtioNet;
            if (device == null || !device.HandleInterrupt()) return false;
            s_interruptPending = true;
            return true;
        }

        /// <summary>The Xen PV NIC: reads device/vif/0 from xenstore and runs the xenbus handshake with the backend.</summary>
        private static void ProbeXenNetfront(CommandLine options)
        {
            var xenOptions = XenNetfrontOptions.Default;
            xenOptions.ConnectTimeoutMilliseconds = (int)options.GetInteger("xen.connect-timeout-ms", xenOptions.ConnectTimeoutMilliseconds);
            xenOptions.ScatterGather = !options.Is("xen.sg", "off");
            var device = new XenNetfrontDevice(XenGuest.Platform, xenOptions);
            long started = Cosmos.Hal.Timers.Clock.Milliseconds;
            if (!device.Connect())
            {
                Log.BeginNotice("xen-netfront");
                Log.Write("not connected: ");
                Log.Write(device.Error);
                Log.End();
                return;
            }
            XenNet = device;
            Primary = device;
            Log.Begin("xen-netfront");
            Log.Write(device.Xenbus.NodePath);
            Log.Write(" connected to ");
            Log.Write(device.Xenbus.BackendPath);
            Log.Write(" (domain ");
            Log.Decimal(device.Xenbus.BackendDomain);
            Log.Write(") in ");
            Log.Decimal(Cosmos.Hal.Timers.Clock.Milliseconds - started);
            Log.Write(" ms, MAC ");
            Span<byte> mac = stackalloc byte[6];
            device.Mac.CopyTo(mac);
            for (int i = 0; i < 6; i++) { if (i > 0) Log.Write(':'); Log.Hex(mac[i], 2); }
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
        }

        public static int ReceiveBuffersLent => VirtioNet != null ? VirtioNet.ReceiveBuffersLent : XenNet != null ? XenNet.ReceiveBuffersLent : 0;
        public static int TransmitBuffersOutstanding => VirtioNet != null ? VirtioNet.TransmitBuffersOutstanding : XenNet != null ? XenNet.TransmitBuffersOutstanding : 0;

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

        /// <summary>Sleeps until an interrupt (the NIC's or the timer tick) unless work is already waiting.</summary>
        public static void WaitForWork()
        {
            if (XenNet != null)
            {
                CpuNative.DisableInterrupts();
                XenGuest.Platform.Events.Scan();
                bool quiet = !XenGuest.TakeEventPending() && XenNet.PrepareToWait();
                if (quiet) HaltCounted(); else CpuNative.EnableInterrupts();
                return;
            }
            var device = VirtioNet;
            if (device == null || device.Interrupts == InterruptMode.Polling) { CpuNative.Pause(); return; }
            CpuNative.DisableInterrupts();
            bool idle = !s_interruptPending && device.PrepareToWait();
            s_interruptPending = false;
            if (idle) HaltCounted(); // sti; hlt: no interrupt is lost in between
            else CpuNative.EnableInterrupts();
        }

        private static void LogDevice(PciDevice pci, VirtioNetDevice device)
        {
            Log.Begin("virtio-net");
            Log.Hex(pci.Bus, 2); Log.Write(':'); Log.Hex(pci.Device, 2); Log.Write('.'); Log.Hex(pci.Function);
            Log.Write(' '); Log.Hex(pci.VendorId, 4); Log.Write(':'); Log.Hex(pci.DeviceId, 4);
            Log.Write(" transport ");
            Log.Write(device.Transport.Name);
            Log.Write(", MAC ");
            Span<byte> mac = stackalloc byte[6];
            device.Mac.CopyTo(mac);
            for (int i = 0; i < 6; i++) { if (i > 0) Log.Write(':'); Log.Hex(mac[i], 2); }
            Log.Write(", link ");
            Log.Write(device.LinkUp ? "up" : "down");
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
            Log.Write(" bytes, interrupts ");
            if (device.Interrupts == InterruptMode.Polling) Log.Write("polling");
            else if (device.Interrupts == InterruptMode.Msix)
            {
                Log.Write("MSI-X (config vector ");
                Log.Decimal(s_configVector);
                Log.Write(", rx vector ");
                Log.Decimal(s_receiveVector);
                Log.Write(", tx none)");
            }
            else { Log.Write("INTx irq "); Log.Decimal(pci.InterruptLine); }
            Log.End();
        }
    }
}
