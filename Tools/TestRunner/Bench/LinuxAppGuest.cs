using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Cosmos.TestRunner.Bench;

/// <summary>
/// The Linux guest of `bench --apps`: Debian's kernel (the one <see cref="LinuxGuest"/> downloads) and an initramfs
/// with Debian's own nginx and redis-server, the shared libraries they load (found by following each ELF's NEEDED
/// entries through the extracted library packages), busybox-static for /init, the virtio-net modules, and the
/// benchmark page. Built from `apt-get download` + `dpkg-deb -x` and cached under .cache/linux-app-guest; the
/// initramfs's name carries a hash of everything that went into it, so a change rebuilds it.
/// </summary>
/// <param name="Packages">The .deb files that went in, by name (package_version_arch).</param>
public sealed record LinuxAppGuest(string Kernel, string Initramfs, string Version, IReadOnlyList<string> Packages)
{
    /// <summary>The guest's static address on the tap (the tap's host side is 192.168.100.1; dnsmasq leases from .50).</summary>
    public const string Address = "192.168.100.2";
    public const string CommandLine = "console=ttyS0 quiet panic=-1";
    /// <summary>Where both servers serve the benchmark page, and where Linux's /init keeps a copy of /proc/meminfo.</summary>
    public const string PagePath = "/static/bench.html", MeminfoPath = "/meminfo.txt";

    /// <summary>The Debian packages whose programs run in the guest; their library dependencies are added by <see cref="PackageClosure"/>.</summary>
    public static readonly string[] Programs = ["nginx", "redis-tools", "busybox-static"];

    public long ImageBytes => new FileInfo(Kernel).Length + new FileInfo(Initramfs).Length;

    /// <summary>
    /// Which dependencies are followed: library packages only (lib*, and zlib1g, which is one). Packages such as
    /// iproute2, adduser or nginx-common are what Debian's own service setup needs, not what the programs load.
    /// </summary>
    public static bool IsLibraryPackage(string name) => name.StartsWith("lib", StringComparison.Ordinal) || name == "zlib1g";

    /// <summary>The packages named by `apt-cache depends` as Depends or PreDepends (not the providers listed under a virtual one).</summary>
    public static IEnumerable<string> ParseAptDepends(string output) =>
        output.Split('\n')
            .Select(l => Regex.Match(l, @"^\s+\|?(?:Pre)?Depends:\s+([^\s<>]+)\s*$"))
            .Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct();

    /// <summary>The roots and every library package reachable from them through library packages, in a stable order.</summary>
    public static List<string> PackageClosure(IEnumerable<string> roots, Func<string, IEnumerable<string>> depends)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var work = new Queue<string>(roots);
        foreach (string r in work) seen.Add(r);
        while (work.Count > 0)
            foreach (string d in depends(work.Dequeue()))
                if (IsLibraryPackage(d) && seen.Add(d)) work.Enqueue(d);
        return [.. seen];
    }

    /// <summary>The shared libraries an ELF file names (`readelf -d`'s "Shared library: [name]" lines).</summary>
    public static IEnumerable<string> ParseNeeded(string readelfDynamic) =>
        Regex.Matches(readelfDynamic, @"\(NEEDED\)\s+Shared library: \[([^\]]+)\]").Select(m => m.Groups[1].Value);

    /// <summary>
    /// The files of the initramfs that come from packages, as (path in the initramfs, path on the host): the programs,
    /// then every library they load, directly or through another library, each under lib/ by the name the loader
    /// asks for, and the loader itself at the path the programs name (lib64/ld-linux-x86-64.so.2). A library no
    /// package provides is an error naming it, not an image that fails at boot.
    /// </summary>
    public static List<(string Target, string Source)> FileList(IEnumerable<(string Target, string Source)> programs,
        Func<string, string?> findLibrary, Func<string, IEnumerable<string>> needed)
    {
        var files = new List<(string, string)>(programs);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var work = new Queue<string>(files.Select(f => f.Item2));
        while (work.Count > 0)
            foreach (string name in needed(work.Dequeue()))
            {
                if (!seen.Add(name)) continue;
                string source = findLibrary(name) ?? throw new InvalidOperationException($"no extracted package provides {name}");
                files.Add(($"lib/{name}", source));
                work.Enqueue(source);
            }
        const string Loader = "ld-linux-x86-64.so.2";
        files.Add(($"lib64/{Loader}", findLibrary(Loader) ?? throw new InvalidOperationException($"no extracted package provides {Loader}")));
        return files;
    }

    /// <summary>/init: modules, the address, both servers, then a copy of /proc/meminfo every second where nginx serves it.</summary>
    public static string InitScript() => $"""
        #!/bin/busybox sh
        export PATH=/bin:/usr/bin:/usr/sbin LD_LIBRARY_PATH=/lib
        B=/bin/busybox
        $B mount -t proc proc /proc
        $B mount -t sysfs sys /sys
        $B mount -t devtmpfs dev /dev
        for pass in 1 2 3; do for m in {string.Join(' ', LinuxGuest.ModulePaths.Select(p => Path.GetFileNameWithoutExtension(p)))}; do $B insmod /modules/$m.ko 2>/dev/null; done; done
        $B ip link set lo up
        $B ip addr add {Address}/24 dev eth0
        $B ip link set eth0 up
        /usr/bin/redis-server --bind 0.0.0.0 --port 6379 --protected-mode no --save '' --appendonly no --daemonize yes --dir /tmp --logfile /tmp/redis.log
        /usr/sbin/nginx -e /tmp/nginx-error.log -c /etc/nginx/bench.conf
        echo "bench: nginx and redis-server started"
        while true; do $B cat /proc/meminfo > /www{MeminfoPath}; $B sleep 1; done

        """.Replace("\r\n", "\n");

    /// <summary>
    /// nginx as a benchmark would run it: one worker (one vCPU), no access log, keep-alive without a per-connection
    /// request limit (our server has none either), temporary files under /tmp because the initramfs has no /var/lib/nginx.
    /// </summary>
    public static string NginxConf() => """
        user root;
        worker_processes 1;
        pid /tmp/nginx.pid;
        error_log /tmp/nginx-error.log;
        events { worker_connections 1024; }
        http {
            access_log off;
            sendfile on;
            tcp_nodelay on;
            keepalive_timeout 65;
            keepalive_requests 100000000;
            types { text/html html; text/plain txt; }
            default_type application/octet-stream;
            client_body_temp_path /tmp/nginx-body;
            proxy_temp_path /tmp/nginx-proxy;
            fastcgi_temp_path /tmp/nginx-fastcgi;
            uwsgi_temp_path /tmp/nginx-uwsgi;
            scgi_temp_path /tmp/nginx-scgi;
            server {
                listen 80 backlog=1024;
                root /www;
            }
        }

        """.Replace("\r\n", "\n");

    public static LinuxAppGuest Build(string repoRoot, Action<string> log)
    {
        LinuxGuest kernelSide = LinuxGuest.Build(repoRoot, log);
        string kernelRoot = Path.GetDirectoryName(Path.GetDirectoryName(kernelSide.Kernel)!)!;
        string cache = Path.Combine(repoRoot, ".cache", "linux-app-guest");
        string debs = Path.Combine(cache, "debs");
        Directory.CreateDirectory(debs);
        Directory.CreateDirectory(Path.Combine(cache, "roots"));

        List<string> packages = PackageClosure(Programs, p => ParseAptDepends(Run("apt-cache", ["depends", p], cache)));
        var extracted = new List<string>();
        foreach (string package in packages)
        {
            string? deb = Directory.GetFiles(debs, $"{package}_*.deb").OrderByDescending(f => f).FirstOrDefault();
            if (deb == null)
            {
                log($"downloading {package} (cached in .cache/linux-app-guest)");
                Run("apt-get", ["download", package], debs);
                deb = Directory.GetFiles(debs, $"{package}_*.deb").OrderByDescending(f => f).First();
            }
            string root = Path.Combine(cache, "roots", Path.GetFileNameWithoutExtension(deb));
            if (!Directory.Exists(root))
            {
                if (Directory.Exists(root + ".partial")) Directory.Delete(root + ".partial", recursive: true);
                Run("dpkg-deb", ["-x", deb, root + ".partial"], cache);
                Directory.Move(root + ".partial", root);
            }
            extracted.Add(root);
        }

        string page = Path.Combine(repoRoot, "Samples", "HttpServer", "wwwroot", "bench.html");
        string init = InitScript(), conf = NginxConf();
        string key = Hash([kernelSide.Version, .. extracted.Select(Path.GetFileName)!, init, conf, Convert.ToBase64String(File.ReadAllBytes(page)), "layout 1"]);
        string initramfs = Path.Combine(cache, $"initramfs-{key}.cpio");
        if (!File.Exists(initramfs))
        {
            log("making the nginx + redis-server initramfs");
            string? FindLibrary(string name) => extracted
                .SelectMany(r => new[] { Path.Combine(r, "lib", "x86_64-linux-gnu", name), Path.Combine(r, "usr", "lib", "x86_64-linux-gnu", name) })
                .Select(p => Resolve(p, extracted)).FirstOrDefault(p => p != null);
            string Program(string package, string relative) =>
                Resolve(Path.Combine(extracted[packages.IndexOf(package)], relative), extracted) ?? throw new InvalidOperationException($"{package} has no {relative}");
            var programs = new List<(string, string)>
            {
                ("usr/sbin/nginx", Program("nginx", "usr/sbin/nginx")),
                // redis-server is redis-check-rdb under another name (the program picks its role from argv[0]).
                ("usr/bin/redis-server", Program("redis-tools", "usr/bin/redis-check-rdb")),
            };
            var files = FileList(programs, FindLibrary, f => ParseNeeded(Run("readelf", ["-d", "-W", f], cache)));
            string partial = initramfs + ".partial";
            using (var output = File.Create(partial))
            {
                var cpio = new CpioWriter(output);
                foreach (string dir in new[] { "bin", "dev", "proc", "sys", "tmp", "etc", "etc/nginx", "lib", "lib64", "usr", "usr/bin", "usr/sbin", "modules", "www", "www/static" })
                    cpio.Directory(dir);
                cpio.File("init", Encoding.ASCII.GetBytes(init), executable: true);
                cpio.File("bin/busybox", File.ReadAllBytes(Program("busybox-static", "bin/busybox")), executable: true);
                cpio.File("etc/passwd", "root:x:0:0:root:/:/bin/sh\n"u8.ToArray());
                cpio.File("etc/group", "root:x:0:\n"u8.ToArray());
                cpio.File("etc/nginx/bench.conf", Encoding.ASCII.GetBytes(conf));
                cpio.File("www" + PagePath, File.ReadAllBytes(page));
                foreach (var (target, source) in files)
                    cpio.File(target, File.ReadAllBytes(source), executable: true);
                foreach (string module in LinuxGuest.ModulePaths)
                    cpio.File($"modules/{Path.GetFileName(module)}", File.ReadAllBytes(Path.Combine(kernelRoot, "lib", "modules", kernelSide.Version, "kernel", module)));
                cpio.Finish();
            }
            File.Move(partial, initramfs, overwrite: true);
        }
        return new LinuxAppGuest(kernelSide.Kernel, initramfs, kernelSide.Version, [.. extracted.Select(r => Path.GetFileName(r))]);
    }

    /// <summary>A path inside an extracted package, its symbolic links followed inside the extracted trees (an absolute link names a file of some package).</summary>
    private static string? Resolve(string path, List<string> roots)
    {
        for (int depth = 0; depth < 8; depth++)
        {
            var info = new FileInfo(path);
            if (info.LinkTarget == null) return info.Exists ? path : null;
            if (!info.LinkTarget.StartsWith('/')) { path = Path.GetFullPath(Path.Combine(info.DirectoryName!, info.LinkTarget)); continue; }
            path = roots.Select(r => Path.Combine(r, info.LinkTarget.TrimStart('/'))).FirstOrDefault(p => new FileInfo(p) is { } f && (f.Exists || f.LinkTarget != null)) ?? "";
            if (path == "") return null;
        }
        return null;
    }

    private static string Hash(IEnumerable<string> parts) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", parts))))[..16].ToLowerInvariant();

    private static string Run(string file, IEnumerable<string> arguments, string directory)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var error = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {error.Result.Trim()}");
        return output;
    }
}
