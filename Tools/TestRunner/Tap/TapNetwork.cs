using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Cosmos.TestRunner.Tap;

/// <summary>
/// One boot's real network: a network namespace holding a tap device with a virtio-net header (`vnet_hdr`,
/// so QEMU can offer the host kernel's offloads to the guest), the host's address on it, dnsmasq as the
/// DHCP and DNS server, and tcpdump writing a pcap of the tap. QEMU runs inside the namespace and opens the
/// tap; the host kernel's own TCP/IP stack is the peer. Everything is torn down on Dispose, whatever happened.
/// </summary>
public sealed class TapNetwork : IDisposable
{
    public const string TapName = "tap0";
    public static readonly IPAddress HostAddress = IPAddress.Parse("192.168.100.1");
    public const int PrefixLength = 24;
    public const string DomainName = "cosmos.test";

    public NetworkNamespace Namespace { get; }
    public string LeaseFile { get; }
    public string DnsmasqLog { get; }
    public string PcapPath { get; }
    /// <summary>tcpdump's own report (its closing lines count packets the kernel dropped before tcpdump read them).</summary>
    public string TcpdumpLog { get; }
    private readonly string _workDir;
    private readonly Process? _dnsmasq;
    private readonly Process? _tcpdump;
    private bool _disposed;

    /// <summary>
    /// What the lane needs that a machine may lack: root (or CAP_NET_ADMIN) for namespaces and taps, /dev/net/tun,
    /// and the tools; null when everything is there, else one message naming every missing piece.
    /// </summary>
    public static string? MissingPrerequisites()
    {
        var missing = new List<string>();
        if (Environment.UserName != "root" && !HasNetAdmin()) missing.Add("root or CAP_NET_ADMIN (network namespaces and tap devices)");
        if (!File.Exists("/dev/net/tun")) missing.Add("/dev/net/tun (the tun module)");
        foreach (var (tool, package) in new[] { ("ip", "iproute2"), ("dnsmasq", "dnsmasq-base"), ("tcpdump", "tcpdump"), ("ping", "iputils-ping"), ("curl", "curl"), ("wrk", "wrk") })
            if (!OnPath(tool)) missing.Add($"{tool} (Debian package {package})");
        return missing.Count == 0 ? null : "the tap lane needs " + string.Join(", ", missing);
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"]).Any(dir => File.Exists(Path.Combine(dir, tool)));

    private static bool HasNetAdmin()
    {
        // CapEff in /proc/self/status, bit 12 = CAP_NET_ADMIN.
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return line != null && ulong.TryParse(line[7..].Trim(), System.Globalization.NumberStyles.HexNumber, null, out ulong caps) && (caps & (1UL << 12)) != 0;
    }

    /// <param name="capture">tcpdump on the tap (tests: yes; benchmarks: no, it would take CPU from the guests).</param>
    public TapNetwork(string name, string workDir, bool capture = true)
    {
        _workDir = workDir;
        Directory.CreateDirectory(workDir);
        LeaseFile = Path.Combine(workDir, "dnsmasq.leases");
        DnsmasqLog = Path.Combine(workDir, "dnsmasq.log");
        PcapPath = Path.Combine(workDir, "tap.pcap");
        TcpdumpLog = Path.Combine(workDir, "tcpdump.log");
        Namespace = NetworkNamespace.Create(name);
        try
        {
            TimeSpan limit = TimeSpan.FromSeconds(10);
            Namespace.Run("ip", ["tuntap", "add", "dev", TapName, "mode", "tap", "vnet_hdr"], limit);
            Namespace.Run("ip", ["addr", "add", $"{HostAddress}/{PrefixLength}", "dev", TapName], limit);
            Namespace.Run("ip", ["link", "set", TapName, "up"], limit);
            File.WriteAllText(LeaseFile, "");
            // DHCP on the tap only; no ping probe before an offer (it costs the guest 3 s); DNS answers for the
            // lane's domain, with the guest's name registered from its DHCP request.
            _dnsmasq = Namespace.Start("dnsmasq",
            [
                "--keep-in-foreground", "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                $"--interface={TapName}", "--bind-interfaces", "--except-interface=lo",
                "--dhcp-range=192.168.100.50,192.168.100.99,1h", "--no-ping", "--dhcp-authoritative",
                $"--dhcp-leasefile={LeaseFile}", "--log-dhcp", $"--log-facility={DnsmasqLog}",
                $"--domain={DomainName}", $"--local=/{DomainName}/", $"--address=/lane.{DomainName}/{HostAddress}",
                "--user=root",
            ]);
            // The pcap of the tap as the host kernel sees it (what the guest sent and what it was sent).
            // A 64 MiB capture buffer: a TCP echo at a few hundred Mbit/s outruns tcpdump's default 2 MiB.
            if (capture)
            {
                _tcpdump = Namespace.Start("tcpdump", ["-i", TapName, "-U", "-n", "-s", "0", "-B", "65536", "-w", PcapPath], outputLog: TcpdumpLog);
                WaitFor(() => File.Exists(PcapPath), TimeSpan.FromSeconds(10), "tcpdump did not start writing");
            }
            WaitFor(() => File.Exists(DnsmasqLog) && File.ReadAllText(DnsmasqLog).Contains("DHCP, IP range"), TimeSpan.FromSeconds(10), "dnsmasq did not start");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private static void WaitFor(Func<bool> condition, TimeSpan limit, string failure)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > limit) throw new InvalidOperationException(failure);
            Thread.Sleep(20);
        }
    }

    /// <summary>QEMU's -netdev for the tap (QEMU runs in the namespace and opens it by name).</summary>
    public static string Netdev(string id = "n0") => $"tap,id={id},ifname={TapName},script=no,downscript=no,vnet_hdr=on";

    /// <summary>The address dnsmasq leased to <paramref name="mac"/>, if it has (its lease file).</summary>
    public IPAddress? LeasedAddress(string mac)
    {
        if (!File.Exists(LeaseFile)) return null;
        foreach (string line in File.ReadAllLines(LeaseFile))
        {
            string[] f = line.Split(' ');
            if (f.Length >= 3 && f[1].Equals(mac, StringComparison.OrdinalIgnoreCase) && IPAddress.TryParse(f[2], out var ip)) return ip;
        }
        return null;
    }

    /// <summary>dnsmasq's DHCPACK for <paramref name="mac"/> in its log: the address it acknowledged.</summary>
    public IPAddress? AcknowledgedAddress(string mac)
    {
        if (!File.Exists(DnsmasqLog)) return null;
        var m = Regex.Match(File.ReadAllText(DnsmasqLog), $@"DHCPACK\({TapName}\) (\d+\.\d+\.\d+\.\d+) {Regex.Escape(mac)}", RegexOptions.IgnoreCase);
        return m.Success ? IPAddress.Parse(m.Groups[1].Value) : null;
    }

    /// <summary>
    /// Stops tcpdump once it has caught up (the pcap has not grown for a second; bounded), and returns the packets
    /// it lost: dropped by the kernel before it read them, plus those it had read but not written when told to stop
    /// ("received by filter" minus "captured"). -1 when it printed no counts.
    /// </summary>
    public const int LateArrivals = 2;

    public long StopCapture()
    {
        var watch = Stopwatch.StartNew();
        long size = -1;
        for (int still = 0; still < 10 && watch.Elapsed < TimeSpan.FromSeconds(60); Thread.Sleep(100))
        {
            long now = new FileInfo(PcapPath).Length;
            still = now == size ? still + 1 : 0;
            size = now;
        }
        StopProcess(_tcpdump);
        string report = File.Exists(TcpdumpLog) ? File.ReadAllText(TcpdumpLog) : "";
        long Count(string what) => Regex.Match(report, $@"(\d+) packets? {what}") is { Success: true } m ? long.Parse(m.Groups[1].Value) : -1;
        long captured = Count("captured"), filtered = Count("received by filter"), dropped = Count("dropped by kernel");
        // A packet or two can reach the tap while tcpdump is stopping (a late ARP, a retransmitted FIN): those it
        // counts as received but never writes. They come after a second with nothing written, so after everything
        // a check looked at; more than two, or any dropped by the kernel, is a capture that lost traffic.
        long unwritten = filtered - captured;
        return captured < 0 || filtered < 0 || dropped < 0 ? -1 : dropped + (unwritten <= LateArrivals ? 0 : unwritten);
    }

    private static void StopProcess(Process? p)
    {
        if (p == null) return;
        try
        {
            if (!p.HasExited)
            {
                // SIGTERM lets tcpdump flush the pcap and print its counts; kill if it does not go.
                Host.Run("kill", ["-TERM", p.Id.ToString()], TimeSpan.FromSeconds(5), allowFailure: true);
                if (!p.WaitForExit(3000)) p.Kill(entireProcessTree: true);
            }
            p.WaitForExit();
        }
        catch (InvalidOperationException) { }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (Process? p in new[] { _tcpdump, _dnsmasq })
        {
            StopProcess(p);
            p?.Dispose();
        }
        Namespace.Dispose();
    }
}
