using System.Diagnostics;

namespace Cosmos.TestRunner.Bench;

/// <summary>
/// The Linux comparison guest, built from Debian packages and cached: Debian's kernel (linux-image-amd64's
/// current version) and an initramfs whose /init is our static echo server (Bench/LinuxGuest/echo-init.c)
/// plus the virtio-net modules it loads; and, for the boot through GRUB, an ISO made the way ours is
/// (grub-mkrescue with the same options, a menu that boots at once) holding that kernel and initramfs.
/// </summary>
public sealed record LinuxGuest(string Kernel, string Initramfs, string Iso, string Version)
{
    /// <summary>The command line of every Linux boot: its serial console, quiet like ours, our echo server's address.</summary>
    public const string CommandLine = "console=ttyS0 quiet panic=-1 echoip=10.0.3.15";

    internal static readonly string[] ModulePaths =
    [
        "drivers/virtio/virtio.ko", "drivers/virtio/virtio_ring.ko", "drivers/virtio/virtio_pci_modern_dev.ko",
        "drivers/virtio/virtio_pci_legacy_dev.ko", "drivers/virtio/virtio_pci.ko", "net/core/failover.ko",
        "drivers/net/net_failover.ko", "drivers/net/virtio_net.ko",
    ];

    public long ImageBytes => new FileInfo(Kernel).Length + new FileInfo(Initramfs).Length;

    public static LinuxGuest Build(string repoRoot, Action<string> log)
    {
        string cache = Path.Combine(repoRoot, ".cache", "linux-guest");
        Directory.CreateDirectory(cache);
        string package = Run("apt-cache", "depends linux-image-amd64", cache).Split('\n')
            .Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Depends: linux-image-", StringComparison.Ordinal))?["Depends: ".Length..]
            ?? throw new InvalidOperationException("apt-cache does not know linux-image-amd64 (run apt-get update)");
        string version = package["linux-image-".Length..];
        string root = Path.Combine(cache, "root-" + version);
        string kernel = Path.Combine(root, "boot", $"vmlinuz-{version}");
        if (!File.Exists(kernel))
        {
            log($"downloading {package} (Debian's kernel, cached in .cache/linux-guest)");
            Run("apt-get", $"download {package}", cache);
            string deb = Directory.GetFiles(cache, $"{package}_*.deb").OrderByDescending(f => f).First();
            Run("dpkg-deb", $"-x {deb} {root}", cache);
        }
        string source = Path.Combine(repoRoot, "Bench", "LinuxGuest", "echo-init.c");
        string init = Path.Combine(cache, "init");
        if (!File.Exists(init) || File.GetLastWriteTimeUtc(init) < File.GetLastWriteTimeUtc(source))
        {
            log("compiling the static echo server (gcc -static)");
            Run("gcc", $"-static -O2 -o {init} {source}", cache);
        }
        string initramfs = Path.Combine(cache, $"initramfs-{version}.cpio");
        if (!File.Exists(initramfs) || File.GetLastWriteTimeUtc(initramfs) < File.GetLastWriteTimeUtc(init))
        {
            using var output = File.Create(initramfs);
            var cpio = new CpioWriter(output);
            cpio.Directory("dev");
            cpio.Directory("proc");
            cpio.Directory("modules");
            cpio.File("init", File.ReadAllBytes(init), executable: true);
            foreach (string module in ModulePaths)
                cpio.File($"modules/{Path.GetFileName(module)}", File.ReadAllBytes(Path.Combine(root, "lib", "modules", version, "kernel", module)));
            cpio.Finish();
        }
        string iso = Path.Combine(cache, $"linux-{version}.iso");
        if (!File.Exists(iso) || File.GetLastWriteTimeUtc(iso) < File.GetLastWriteTimeUtc(initramfs))
        {
            log("making the Linux ISO (grub-mkrescue, as for ours)");
            string isoRoot = Path.Combine(cache, "iso-root");
            if (Directory.Exists(isoRoot)) Directory.Delete(isoRoot, recursive: true);
            Directory.CreateDirectory(Path.Combine(isoRoot, "boot", "grub"));
            File.Copy(kernel, Path.Combine(isoRoot, "boot", "vmlinuz"));
            File.Copy(initramfs, Path.Combine(isoRoot, "boot", "initramfs.cpio"));
            File.WriteAllText(Path.Combine(isoRoot, "boot", "grub", "grub.cfg"),
                $"set timeout=0\nset default=0\n\nmenuentry \"Linux {version}\" {{\n    linux /boot/vmlinuz {CommandLine}\n    initrd /boot/initramfs.cpio\n}}\n");
            string partial = iso + ".partial";
            Run("grub-mkrescue", $"--install-modules=\"linux normal iso9660 biosdisk\" --locales= --fonts= --themes= -o {partial} {isoRoot}", cache);
            File.Move(partial, iso, overwrite: true);
        }
        return new LinuxGuest(kernel, initramfs, iso, version);
    }

    private static string Run(string file, string arguments, string directory)
    {
        var psi = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed: {error.Trim()}");
        return output;
    }
}
