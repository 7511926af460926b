using System.Diagnostics;
using System.Text;
using Spectre.Console;

namespace Cosmos.TestRunner.Bench;

/// <summary>`bench`'s guests: the QEMU arguments every guest shares, and the four ways ours and Linux's boot.</summary>
public static partial class BenchRunner
{
    private const string Nic = "virtio-net-pci,id=nic0,netdev=n0,mac=52:54:00:12:34:56,romfile=";
    private const string OurCommandLine = "net.ip=10.0.3.15/24 net.gw=10.0.3.1 net.ping-count=0 services=all";

    /// <summary>
    /// What every guest gets from QEMU: the same machine without its default devices (no VGA, floppy, parallel
    /// port) and the same virtio-net device with no option ROM, so the firmware spends its time on neither;
    /// each guest then adds its boot medium.
    /// </summary>
    private static List<string> Common(string accelerator, string netdev, int mib, string monitor = "none") =>
        ["-accel", accelerator, "-m", $"{mib}M", "-nodefaults", "-display", "none", "-monitor", monitor, "-no-reboot",
         "-netdev", netdev, "-device", Nic];

    /// <summary>The four ways a guest boots in the comparison: ours and Linux's, each from a GRUB ISO and with qemu -kernel.</summary>
    private sealed record Guests(BenchGuest OursIso, BenchGuest OursDirect, BenchGuest LinuxIso, BenchGuest LinuxDirect)
    {
        /// <summary>Ours with <c>quiet</c>, as Linux always boots here: only problems and the ready line reach the serial port.</summary>
        public BenchGuest OursIsoQuiet { get; init; } = OursIso;
        public BenchGuest OursDirectQuiet { get; init; } = OursDirect;

        public static Guests Make(string iso, LinuxGuest linux, string accelerator)
        {
            string elf = Path.ChangeExtension(iso, ".elf"), sym = Path.ChangeExtension(iso, ".sym");
            BenchGuest Iso(string commandLine) => new("cosmos-net", (netdev, mib) =>
                [.. Common(accelerator, netdev, mib), "-cdrom", iso, "-boot", "d", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                 "-fw_cfg", $"name=opt/kernel/cmdline,string={commandLine}"], new FileInfo(iso).Length);
            BenchGuest Direct(string commandLine) => new("cosmos-net -kernel", (netdev, mib) =>
                [.. Common(accelerator, netdev, mib), "-kernel", elf, "-initrd", sym, "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                 "-fw_cfg", $"name=opt/kernel/cmdline,string={commandLine}"], new FileInfo(elf).Length + new FileInfo(sym).Length);
            var linuxDirect = new BenchGuest($"linux {linux.Version}", (netdev, mib) =>
                [.. Common(accelerator, netdev, mib), "-kernel", linux.Kernel, "-initrd", linux.Initramfs, "-append", LinuxGuest.CommandLine], linux.ImageBytes);
            var linuxIso = new BenchGuest($"linux {linux.Version} ISO", (netdev, mib) =>
                [.. Common(accelerator, netdev, mib), "-cdrom", linux.Iso, "-boot", "d"], new FileInfo(linux.Iso).Length);
            return new Guests(Iso(OurCommandLine), Direct(OurCommandLine), linuxIso, linuxDirect)
            {
                OursIsoQuiet = Iso(OurCommandLine + " quiet"),
                OursDirectQuiet = Direct(OurCommandLine + " quiet"),
            };
        }
    }
}
