using System;
using System.Runtime;
using System.Runtime.InteropServices;
using Cosmos.Hal.Boot;
using Cosmos.Hal.Config;
using Cosmos.Hal.Console;
using Cosmos.Hal.Cpu;
using Cosmos.Hal.Diagnostics;
using Cosmos.Hal.Interrupts;
using Cosmos.Hal.Memory;
using Cosmos.Hal.Pci;
using Cosmos.Hal.Platform;
using Cosmos.Hal.Timers;
using Cosmos.Kernel.SelfTests;

namespace Cosmos.Kernel
{
    /// <summary>
    /// The boot sequence, from the assembly stub's call to the idle loop. Each step logs one line so a
    /// boot log reads as the story of the boot; each failure says what is missing and stops the run.
    /// </summary>
    public static unsafe class Program
    {
        public static CommandLine Options { get; private set; }
        public static string OptionsSource { get; private set; }
        /// <summary>The TSC rate came from Xen's CPUID leaf rather than a PIT measurement (a Xen HVM guest).</summary>
        private static bool s_tscFromXen;

        [UnmanagedCallersOnly(EntryPoint = "kmain")]
        private static void KernelMain(uint magic, nuint bootInfo)
        {
            SerialConsole.Initialize();
            Panic.Exit = &Machine.Exit;
            SerialConsole.WriteLine("\nCosmos-net kernel: C# compiled ahead of time by ilc, booted by multiboot2");

            // Interrupt descriptors first, so even a fault in the next steps prints a panic.
            InterruptTable.Install();
            GarbageCollector.SetInterruptProbe(&InterruptTable.IsHandlerRunning);

            if (!Internal.Runtime.CompilerHelpers.StartupCodeHelpers.InitializeModules())
                Panic.Fail("the compiled image's runtime data is not in a format this runtime understands");

            Multiboot2Info info;
            ReadOnlySpan<byte> bootCommandLine;
            CommandLine pvhCommandLine = null;
            bool pvh = magic == PvhStartInfo.Magic && *(uint*)bootInfo == PvhStartInfo.Magic;
            // A Xen PVH guest has no UART, PIC or PIT: log through Xen's debug port, time from Xen's CPUID.
            Cosmos.Drivers.Xen.Hypervisor.XenCpuidInfo xenInfo = default;
            bool onXen = Cosmos.Drivers.Xen.Hypervisor.HypercallPage.Detect(out xenInfo);
            bool hasUart = HasUart();
            bool xenPvh = pvh && onXen && !hasUart;
            // Any Xen guest without a UART (PVH always; HVM when its configuration gives no serial port) logs through
            // Xen's debug port, whole lines at a time: Xen handles the port itself, where an HVM guest's UART is QEMU in
            // dom0, two exits and a round trip to dom0 per character (polling the line status, then the write), and
            // without a UART the bounded polling would cost 100,000 reads per character.
            if (onXen && !hasUart)
            {
                SerialConsole.UseDebugPort();
                SerialConsole.WriteLine(pvh ? "\nCosmos-net kernel: booted as a Xen PVH guest; console on port 0xE9"
                    : "\nCosmos-net kernel: booted as a Xen HVM guest without a serial port; console on port 0xE9");
            }
            if (pvh)
            {
                // Booted directly (qemu -kernel, or Xen PVH): no GRUB, hvm_start_info in EBX. The loader may have
                // put its tables in page 0, which the kernel leaves unmapped: map it while they are copied.
                CpuNative.MapNullPage(1);
                info = PvhStartInfo.Parse((byte*)bootInfo, out bootCommandLine);
                pvhCommandLine = CommandLine.FromAscii(bootCommandLine);
                bootCommandLine = default;
                CpuNative.MapNullPage(0);
            }
            else
            {
                if (magic != Multiboot2Info.BootloaderMagic)
                    Panic.Fail("not started by a multiboot2 or PVH loader (bad magic in EAX); boot the ISO through GRUB or the ELF with qemu -kernel");
                info = Multiboot2Info.Parse(new ReadOnlySpan<byte>((void*)bootInfo, (int)*(uint*)bootInfo));
                bootCommandLine = info.CommandLineOffset < 0 ? default : new ReadOnlySpan<byte>((byte*)bootInfo + info.CommandLineOffset, info.CommandLineLength);
            }
            if (info.Malformed)
            {
                Log.BeginNotice("boot");
                Log.Write("warning: boot information is malformed at offset ");
                Log.Decimal(info.MalformedOffset);
                Log.Write(" (tag type ");
                Log.Decimal(info.MalformedTagType);
                Log.Write(", size ");
                Log.Decimal(info.MalformedTagSize);
                Log.Write(", total ");
                Log.Decimal(info.TotalSize);
                Log.Write("); using what parsed");
                Log.End();
            }
            if (!PhysicalMemory.Initialize(info, bootInfo))
                Panic.Fail("no usable RAM in the boot memory map");

            KernelSymbols.Load(info, bootInfo, acceptUnnamedFirstModule: pvh);
            LoadOptions(bootCommandLine, pvh ? "PVH start info" : "multiboot2", pvhCommandLine);
            Log.Quiet = Options.Has("quiet");
            ConfigureCollector();
            Log.Begin("runtime");
            Log.Write("modules ");
            Log.Decimal(Internal.Runtime.CompilerHelpers.StartupCodeHelpers.ModuleCount);
            Log.Write(", GC static bases ");
            Log.Decimal(Internal.Runtime.CompilerHelpers.StartupCodeHelpers.InitializedStaticBases);
            Log.Write(", eager class constructors ");
            Log.Decimal(Internal.Runtime.CompilerHelpers.StartupCodeHelpers.EagerConstructorsRun);
            Log.Write(", objects before the heap had pages ");
            Log.Decimal(GarbageCollector.ArenaObjects);
            Log.Write(" (");
            Log.Decimal(GarbageCollector.ArenaBytes);
            Log.Write(" bytes of the boot arena)");
            Log.End();

            // The tick (clock.tick-hz=, 20-1000): 1 kHz by default, 100 Hz under Xen. A Xen guest's tick is an event Xen
            // injects at a VM entry, and timers are all it serves (the network wakes the guest by its own events): in the
            // Xen lane, where Xen runs under QEMU's emulation, 1,000 injections a second are emulation work for nothing,
            // and the guest's triple faults there were found at instructions after exits and interrupt deliveries.
            Clock.SetTickRate((uint)Options.GetInteger("clock.tick-hz", onXen ? 100 : Clock.DefaultTickHz));
            Pic.Initialize();
            if (!LocalApic.Initialize()) Log.NoticeLine("boot", "no local APIC: message-signalled interrupts unavailable");
            if (xenPvh)
            {
                if (!Clock.UseKnownFrequency((ulong)xenInfo.TscKilohertz * 1000)) Panic.Fail("Xen gave no TSC frequency (CPUID leaf base+3)");
                CpuNative.EnableInterrupts();
                if (!Clock.StartTickOnLocalApic()) Panic.Fail("no PIT and no local APIC timer: no tick");
            }
            else
            {
                // A Xen HVM guest takes the TSC rate from Xen too (CPUID leaf base+3, arch-x86/cpuid.h), as a PVH one
                // does: Xen's emulated PIT, itself under emulation in the Xen lane, calibrated 2.36-3.29 GHz in six boots
                // of 1 December where Xen's leaf says 2.445 GHz.
                if (Cosmos.Drivers.Xen.Hypervisor.HypercallPage.Detect(out var hvmXen) && hvmXen.TscKilohertz != 0)
                    s_tscFromXen = Clock.UseKnownFrequency((ulong)hvmXen.TscKilohertz * 1000);
                if (!s_tscFromXen && !Clock.Calibrate()) Panic.Fail("PIT did not count: cannot calibrate the clock");
                Clock.StartTick();
            }
            CpuNative.EnableInterrupts();
            InstallBclServices(xenPvh);

            Log.Begin("boot");
            Log.Write("clock: TSC ");
            Log.Decimal((long)(Clock.TscFrequency / 1000));
            Log.Write(xenPvh || s_tscFromXen ? " kHz (Xen's), tick " : " kHz, tick ");
            Log.Decimal(Clock.TickHz);
            Log.Write(" Hz, command line (");
            Log.Write(OptionsSource);
            Log.Write("): ");
            Log.Write(Options.Text);
            Log.End();
            PhysicalMemory.LogSummary();
            KernelSymbols.LogSummary();

            PciBus.Enumerate();
            Log.Begin("pci");
            Log.Decimal(PciBus.Count);
            Log.Write(" functions found on ");
            Log.Decimal(PciBus.BusesScanned);
            Log.Write(PciBus.BusesScanned == 1 ? " bus" : " buses");
            Log.End();
            for (int i = 0; i < PciBus.Count; i++) PciBus.Get(i).LogSummary();

            Devices.XenGuest.Start(Options);
            Devices.NetworkDevices.Probe(Options);

            Log.Line("kernel", "ready");

            if (Options.TryGet("test.fault", out var fault)) FaultInjection.Trigger(fault);
            if (Options.Has("test"))
            {
                bool ok = SelfTestRunner.RunAll(Options);
                Machine.Exit(ok ? Machine.SuccessCode : Machine.FailureCode);
            }
            if (Options.Is("exit", "after-boot")) Machine.Exit(Machine.SuccessCode);

            // The composition root: the network host is made here, once, and handed to what runs on it. An image built
            // from an application project (Cosmos.Sdk) runs the program's Main, which owns every port unless services=
            // asks for the kernel's own; the bare kernel serves its own services.
            if (Hosting.ApplicationHost.Present)
                Hosting.ApplicationHost.Run(Options, Networking.NetworkHost.Start(Options, Networking.ServiceSelection.None));
            Networking.NetworkHost network = Networking.NetworkHost.Start(Options, Networking.ServiceSelection.Default);
            if (network != null) network.Run();
            Log.NoticeLine("kernel", "idle (no network device)");
            while (true) CpuNative.EnableInterruptsAndHalt();
        }

        /// <summary>gc.stress=N: collect every N allocations and verify the heap after each; gc.verify: verify after every collection.</summary>
        private static void ConfigureCollector()
        {
            int stress = 0;
            if (Options.TryGet("gc.stress", out ReadOnlySpan<char> n) && (!int.TryParse(n, out stress) || stress < 1))
                Panic.Fail("gc.stress wants a positive number of allocations");
            bool verify = Options.Has("gc.verify");
            GarbageCollector.Configure(stress, verify);
            if (stress > 0 || verify)
            {
                Log.Begin("gc");
                if (stress > 0)
                {
                    Log.Write("stress mode: a collection every ");
                    Log.Decimal(stress);
                    Log.Write(" allocations, ");
                }
                Log.Write("heap verified after every collection; Allocator.Free quarantines");
                Log.End();
            }
        }

        /// <summary>A 16550 keeps what is written to its scratch register; a missing one reads back all ones.</summary>
        private static bool HasUart()
        {
            CpuNative.OutByte(0x3F8 + 7, 0x5A);
            return CpuNative.InByte(0x3F8 + 7) == 0x5A;
        }

        /// <summary>The boot loader's command line, unless QEMU's fw_cfg carries opt/kernel/cmdline, which wins.</summary>
        private static void LoadOptions(ReadOnlySpan<byte> bootCommandLine, string bootSource, CommandLine alreadyCopied)
        {
            Span<byte> buffer = stackalloc byte[CommandLine.MaxLength];
            int n = FwCfg.ReadFile("opt/kernel/cmdline", buffer);
            if (n >= 0)
            {
                while (n > 0 && buffer[n - 1] == 0) n--;
                Options = CommandLine.FromAscii(buffer.Slice(0, n));
                OptionsSource = "fw_cfg opt/kernel/cmdline";
                return;
            }
            Options = alreadyCopied ?? CommandLine.FromAscii(bootCommandLine);
            OptionsSource = bootSource;
        }

        /// <summary>
        /// The time and console the ordinary .NET API reads (Environment.TickCount64, Stopwatch, DateTime.UtcNow,
        /// Console.Write): the calibrated TSC clock, the CMOS real-time clock (not on Xen PVH, which has none), and the
        /// serial console as UTF-8.
        /// </summary>
        private static unsafe void InstallBclServices(bool xenPvh)
        {
            System.Runtime.TimeSources.InstallMonotonic(&ClockNanoseconds);
            if (!xenPvh && CmosClock.TryReadUtcTicks(out long utcTicks)) System.Runtime.TimeSources.InstallWallClock(utcTicks);
            System.Console.InstallWriter(&SerialConsole.WriteUtf8);
            Hosting.EventLoopPump.Install();
        }

        private static long ClockNanoseconds() => Clock.Nanoseconds;
    }
}
