using System;
using Cosmos.Drivers.Xen.Hypervisor;
using Cosmos.Drivers.Xen.Platform;
using Cosmos.Hal.Config;
using Cosmos.Hal.Cpu;
using Cosmos.Hal.Diagnostics;
using Cosmos.Hal.Interrupts;
using Cosmos.Hal.Io;
using Cosmos.Hal.Memory;
using Cosmos.Hal.Pci;
using Cosmos.Hal.Timers;

namespace Cosmos.Kernel.Devices
{
    /// <summary>
    /// Brings up the Xen platform when the kernel runs as a Xen HVM guest: CPUID detection, the hypercall
    /// page, the platform PCI device's unplug of emulated NICs, shared_info, grant table, xenstore, and event
    /// delivery through the callback vector (or polling on the tick with <c>xen.events=poll</c>).
    /// </summary>
    public static unsafe class XenGuest
    {
        public const ushort PlatformVendor = 0x5853, PlatformDevice = 0x0001;

        public static XenPlatform Platform { get; private set; }
        public static HypercallPage Hypervisor { get; private set; }
        public static int CallbackVector { get; private set; } = -1;
        public static long Callbacks;
        private static bool s_eventPending;

        public static bool Start(CommandLine options)
        {
            if (!HypercallPage.Detect(out XenCpuidInfo info)) return false;
            Log.Begin("xen");
            Log.Write("Xen ");
            Log.Decimal(info.Major); Log.Write('.'); Log.Decimal(info.Minor);
            Log.Write(" found at CPUID 0x");
            Log.Hex(info.BaseLeaf, 8);
            Log.Write(", hypercall page MSR 0x");
            Log.Hex(info.HypercallMsr, 8);
            Log.End();
            if (options.Is("xen", "off")) { Log.Line("xen", "xen=off: not using Xen's PV devices"); return false; }

            Hypervisor = HypercallPage.Install(PhysicalMemory.Dma, out string error);
            if (Hypervisor == null) { Log.NoticeLine("xen", string.Concat("hypercall page not installed: ", error)); return false; }

            UnplugEmulatedNics();

            var platform = new XenPlatform(Hypervisor, PhysicalMemory.Dma, new KernelWait());
            if (!platform.Initialize(4, &Translate))
            {
                Log.NoticeLine("xen", string.Concat("platform set-up failed: ", platform.Error));
                return false;
            }
            Platform = platform;

            if (!options.Is("xen.events", "poll") && LocalApic.IsEnabled)
            {
                int vector = MessageVectors.Allocate(&OnCallback);
                int result = vector < 0 ? -1 : platform.UseCallbackVector(vector);
                if (result == 0) CallbackVector = vector;
                else Log.NoticeLine("xen", string.Concat("callback vector refused (", Hypercalls.ErrorName(result), "); events are polled on the tick"));
            }

            Log.Begin("xen");
            Log.Write("shared_info mapped, grant table ");
            Log.Decimal(platform.Grants.FrameCount);
            Log.Write(" frames (");
            Log.Decimal(platform.Grants.Capacity);
            Log.Write(" entries), xenstore frame 0x");
            Log.Hex(platform.StoreFrame, 5);
            Log.Write(" port ");
            Log.Decimal(platform.StorePort);
            Log.Write(", events ");
            if (CallbackVector >= 0) { Log.Write("by callback vector "); Log.Decimal(CallbackVector); }
            else Log.Write("polled");
            Log.End();

            string domain = platform.Store.Read("domid");
            string name = platform.Store.Read("name");
            Log.Begin("xen");
            Log.Write("xenstore: domid ");
            Log.Write(domain ?? "?");
            Log.Write(", name ");
            Log.Write(name ?? "?");
            if (domain == null) { Log.Write(" (read failed: "); Log.Write(platform.Store.LastError ?? "?"); Log.Write(')'); }
            Log.End();
            return true;
        }

        /// <summary>docs/misc/hvm-emulated-unplug.pandoc, through the platform PCI device's fixed ports.</summary>
        private static void UnplugEmulatedNics()
        {
            PciDevice device = PciBus.Find(PlatformVendor, PlatformDevice);
            if (device == null)
            {
                Log.NoticeLine("xen", "no Xen platform PCI device (5853:0001): emulated NICs, if any, stay");
                return;
            }
            var ports = new PortRegisters(EmulatedDeviceUnplug.BasePort, EmulatedDeviceUnplug.PortCount);
            var outcome = EmulatedDeviceUnplug.UnplugNetworkCards(ports, out int version);
            Log.Begin("xen");
            Log.Write("platform device 5853:0001: ");
            if (outcome == EmulatedDeviceUnplug.Outcome.Unplugged) { Log.Write("emulated NICs unplugged (protocol version "); Log.Decimal(version); Log.Write(')'); }
            else if (outcome == EmulatedDeviceUnplug.Outcome.Blacklisted) Log.Write("the device model blacklisted our product number; emulated NICs stay");
            else Log.Write("no unplug protocol (magic missing); emulated NICs stay");
            Log.End();
        }

        /// <summary>The kernel maps the first 4 GiB one to one.</summary>
        private static byte* Translate(ulong physical) => physical < (4UL << 30) ? (byte*)physical : null;

        /// <summary>
        /// The callback vector: Xen injects it while vcpu 0's evtchn_upcall_pending is set, so it is cleared
        /// here; the bitmaps are scanned in the idle loop.
        /// </summary>
        private static void OnCallback(InterruptFrame* frame)
        {
            Callbacks++;
            Platform?.SharedInfo.ClearUpcallPending();
            s_eventPending = true;
        }

        public static bool TakeEventPending()
        {
            bool pending = s_eventPending;
            s_eventPending = false;
            return pending;
        }

        /// <summary>Bounded waits of the control plane: the TSC clock, and a halt until the next interrupt (1 ms tick at most).</summary>
        private sealed class KernelWait : IPlatformWait
        {
            public long Milliseconds => Clock.Milliseconds;
            public void Idle()
            {
                Platform?.Events.Scan();
                CpuNative.EnableInterruptsAndHalt();
            }
        }
    }
}
