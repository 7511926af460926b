using System;
using Cosmos.Hal.Cpu;
using Cosmos.Hal.Interrupts;
using Cosmos.Hal.Pci;
using Cosmos.Hal.Timers;
using static Cosmos.Kernel.SelfTests.SelfTestRunner;

namespace Cosmos.Kernel.SelfTests
{
    internal static unsafe class HardwareTests
    {
        public static void Register()
        {
            Run("hal.cpuid-msr", CpuidAndMsr);
            Run("hal.pci-enumeration", PciEnumeration);
            Run("hal.pci-intx-routing", PciIntxRouting);
            Run("hal.irq-storm-guard", IrqStormGuard);
            Run("hal.timer-interrupts", TimerInterrupts);
            Run("hal.clock", ClockAgainstTicks);
            Run("hal.command-line", CommandLineOptions);
        }

        private static void CpuidAndMsr()
        {
            var vendor = CpuNative.Cpuid(0);
            Expect(vendor.Eax >= 1, "CPUID leaf 0 reports no standard leaves");
            var features = CpuNative.Cpuid(1);
            Expect((features.Edx & (1 << 25)) != 0 && (features.Edx & (1 << 26)) != 0, "CPUID says no SSE/SSE2");
            ulong efer = CpuNative.ReadMsr(0xC0000080);
            Expect((efer & (1 << 8)) != 0 && (efer & (1 << 10)) != 0, "EFER.LME/LMA not set in long mode");
        }

        /// <summary>
        /// The runner passes the device it put on the bus: <c>test.pci=1af4:1000</c> (transitional virtio-net)
        /// or <c>1af4:1041</c> (modern only). The host bridge is always there.
        /// </summary>
        private static void PciEnumeration()
        {
            Expect(PciBus.Count >= 2, "fewer than two PCI functions");
            Expect(PciBus.Find(0x8086, 0x1237) != null, "i440FX host bridge 8086:1237 not found");
            // The runner names the device it configured; without that name this test would prove nothing about
            // the NIC, so a missing or malformed test.pci is a failure, not a pass.
            var expected = Options.Get("test.pci");
            if (expected.Length == 0) { Expect(false, "test.pci not given (the runner must name the PCI function it configured, VVVV:DDDD)"); return; }
            if (expected.Length != 9 || expected[4] != ':' || !TryParseHex(expected.Slice(0, 4), out long vendorId) || !TryParseHex(expected.Slice(5, 4), out long deviceId))
            {
                Expect(false, "test.pci is malformed (expected VVVV:DDDD in hexadecimal)");
                return;
            }
            ushort vendor = (ushort)vendorId, device = (ushort)deviceId;
            PciDevice d = PciBus.Find(vendor, device);
            Expect(d != null, "the expected PCI device (test.pci) was not enumerated");
            if (d == null) return;
            Expect(d.ClassCode == 0x02, "virtio-net is not a network controller");
            bool anyBar = false;
            for (int i = 0; i < 6; i++) anyBar |= d.Bars[i].Kind != PciBarKind.None && d.Bars[i].Size != 0;
            Expect(anyBar, "no sized BAR on the expected device");
            Expect(d.InterruptPin != 0, "no interrupt pin on the expected device");
            if (device == 0x1041) Expect(d.FindCapability(PciDevice.CapabilityVendor) >= 0, "modern virtio device without vendor capabilities");
            if (device == 0x1000) Expect(d.Bars[0].Kind == PciBarKind.Io, "transitional virtio device without an I/O BAR0");
        }

        private static bool TryParseHex(ReadOnlySpan<char> s, out long value)
        {
            value = 0;
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (d < 0) return false;
                value = value * 16 + d;
            }
            return s.Length > 0;
        }

        private static int s_intxCalls;
        private static bool OnIntx() { s_intxCalls++; return true; }

        /// <summary>
        /// Routes the network function's INTx line to a handler and raises that line's vector in software:
        /// the handler must run through the IDT, the dispatcher and the routing table. (The device itself
        /// raises it in the virtio-net tests.)
        /// </summary>
        private static void PciIntxRouting()
        {
            PciDevice nic = null;
            for (int i = 0; i < PciBus.Count && nic == null; i++)
                if (PciBus.Get(i).ClassCode == 0x02) nic = PciBus.Get(i);
            Expect(nic != null, "no network function to route");
            if (nic == null) return;
            Func<bool> handler = OnIntx;
            int line = LegacyIrqRouting.Attach(nic, handler);
            Expect(line > 0 && line < 16, "the network function has no legacy interrupt line");
            if (line <= 0) return;
            s_intxCalls = 0;
            ulong before = InterruptTable.CountFor(InterruptTable.IrqBase + line);
            CpuNative.RaiseSoftwareIrq(line);
            CpuNative.RaiseSoftwareIrq(line);
            ExpectEqual(2, s_intxCalls, "handler calls through the routed line");
            ExpectEqual(2, (long)(InterruptTable.CountFor(InterruptTable.IrqBase + line) - before), "dispatcher count for the line's vector");
            LegacyIrqRouting.Detach(line, handler);
            CpuNative.RaiseSoftwareIrq(line);
            ExpectEqual(2, s_intxCalls, "handler calls after detaching");
        }

        private static int s_unclaimedCalls;
        private static bool Unclaimed() { s_unclaimedCalls++; return false; }
        private static bool Claimed() { s_unclaimedCalls++; return true; }

        /// <summary>
        /// A line that keeps firing with no handler claiming it is masked after
        /// <see cref="LegacyIrqRouting.UnclaimedLimit"/> interrupts in a row (a level-triggered line nobody clears
        /// would otherwise keep the CPU in its interrupt handler for ever); a claimed one never is. Software
        /// interrupts on a line no PCI function uses stand in for the device.
        /// </summary>
        private static void IrqStormGuard()
        {
            int line = -1;
            for (int candidate = 3; candidate < 15 && line < 0; candidate++)
            {
                if (candidate == 4 || candidate == 7 || candidate == 8) continue; // COM1, spurious-checked, RTC
                bool used = false;
                for (int i = 0; i < PciBus.Count; i++) used |= PciBus.Get(i).InterruptPin != 0 && PciBus.Get(i).InterruptLine == candidate;
                if (!used) line = candidate;
            }
            Expect(line > 0, "no free legacy line to test on");
            if (line < 0) return;
            ushort bit = (ushort)(1 << line);

            Func<bool> claimed = Claimed;
            Expect(LegacyIrqRouting.AttachLine(line, claimed), "could not attach a handler");
            s_unclaimedCalls = 0;
            for (int i = 0; i < LegacyIrqRouting.UnclaimedLimit + 10; i++) CpuNative.RaiseSoftwareIrq(line);
            ExpectEqual(LegacyIrqRouting.UnclaimedLimit + 10, s_unclaimedCalls, "claimed interrupts delivered");
            Expect((LegacyIrqRouting.StormMaskedLines & bit) == 0, "a line whose interrupts were claimed was masked");
            LegacyIrqRouting.Detach(line, claimed);

            Func<bool> unclaimed = Unclaimed;
            Expect(LegacyIrqRouting.AttachLine(line, unclaimed), "could not attach a handler");
            s_unclaimedCalls = 0;
            for (int i = 0; i < LegacyIrqRouting.UnclaimedLimit - 1; i++) CpuNative.RaiseSoftwareIrq(line);
            Expect((LegacyIrqRouting.StormMaskedLines & bit) == 0, "masked before the limit");
            CpuNative.RaiseSoftwareIrq(line);
            Expect((LegacyIrqRouting.StormMaskedLines & bit) != 0, "not masked after the limit of unclaimed interrupts");
            ExpectEqual(LegacyIrqRouting.UnclaimedLimit, s_unclaimedCalls, "unclaimed interrupts delivered");
            LegacyIrqRouting.Detach(line, unclaimed);
        }

        private static void TimerInterrupts()
        {
            ulong countBefore = InterruptTable.CountFor(InterruptTable.IrqBase);
            ulong ticksBefore = Clock.Ticks;
            long start = Clock.Milliseconds;
            // Sleep with hlt until 20 ticks arrive, bounded by 2 s of TSC time.
            while (Clock.Ticks - ticksBefore < 20 && Clock.Milliseconds - start < 2000) CpuNative.EnableInterruptsAndHalt();
            Expect(Clock.Ticks - ticksBefore >= 20, "fewer than 20 timer ticks arrived within 2 s");
            Expect(InterruptTable.CountFor(InterruptTable.IrqBase) - countBefore >= 20, "IRQ 0 not counted by the dispatcher");
        }

        private static void ClockAgainstTicks()
        {
            long a = Clock.Nanoseconds;
            long b = Clock.Nanoseconds;
            Expect(b >= a, "clock went backwards");
            // 200 PIT ticks (200 ms at 1 kHz) measured by the TSC clock. Under TCG the ratio of emulated TSC
            // to PIT time wanders with host load: QEMU delivers the ticks a descheduled vCPU missed in a burst
            // (the PIT's "delay" lost-tick policy), so 200 ticks took 116 ms of TSC time on a loaded machine. The
            // bound catches what the test is for, a miscalibration by a factor of 2 or more (100 or 400 ms), not jitter.
            // (200 ms of ticks at whatever rate clock.tick-hz= set: 200 at the default 1 kHz.)
            ulong want = Clock.TickHz / 5;
            ulong t0 = Clock.Ticks;
            while (Clock.Ticks == t0) CpuNative.EnableInterruptsAndHalt();
            ulong t1 = Clock.Ticks;
            long n1 = Clock.Nanoseconds;
            long deadline = Clock.Milliseconds + 5000;
            while (Clock.Ticks - t1 < want && Clock.Milliseconds < deadline) CpuNative.EnableInterruptsAndHalt();
            long elapsedMs = (Clock.Nanoseconds - n1) / 1_000_000;
            Expect(Clock.Ticks - t1 >= want, string.Concat(want.ToString(), " ticks did not arrive within 5 s"));
            Expect(elapsedMs > 100 && elapsedMs < 400, string.Concat(want.ToString(), " ticks measured as ", elapsedMs.ToString(), " ms by the TSC clock"));
        }

        private static void CommandLineOptions()
        {
            // The runner always passes test.source-check=fwcfg through fw_cfg: it must have won over GRUB's line.
            Expect(Options.Is("test.source-check", "fwcfg"), "the fw_cfg command line was not used");
            ExpectEqual("fw_cfg opt/kernel/cmdline", Program.OptionsSource, "command line source");
        }
    }
}
