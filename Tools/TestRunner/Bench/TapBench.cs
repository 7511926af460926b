using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Cosmos.TestRunner.Tap;
using Spectre.Console;

namespace Cosmos.TestRunner.Bench;

/// <summary>
/// `cosmos-runner bench --tap`: our kernel and the Linux guest in turns on the same QEMU machine, the same
/// virtio-net device and a tap with vnet_hdr in a network namespace, the host kernel's own stack as the client:
/// TCP bulk both ways (64 MiB through TCP echo, .NET sockets made in the namespace), `wrk` with keep-alive on
/// GET /hello (both guests serve "Hello, world!\n" there) at 100 connections, and new connections per second
/// (`wrk` with "Connection: close", so every request is a new connection). Each line is measured on a fresh
/// boot, guests in turns, <see cref="DefaultRounds"/> rounds unless told; the report shows every sample, the median and ours / Linux.
/// </summary>
public static class TapBench
{
    public const int DefaultRounds = 2;
    public static readonly string[] AllLines = ["tcp", "keep-alive", "close"];
    private static readonly IPAddress GuestAddress = IPAddress.Parse("192.168.100.2");
    private const string Nic = "virtio-net-pci,id=nic0,netdev=n0,mac=52:54:00:12:34:56,romfile=";

    /// <param name="Lines">Which lines to measure (a subset of <see cref="AllLines"/>); the report leaves the others out.</param>
    /// <param name="Variants">Kernel command-line words for further boots of our kernel, one guest each, measured in the
    /// same turns (an A/B test of a driver or stack option against the default and Linux in one run).</param>
    public sealed record Options(double WrkSeconds, int TcpMiB, int Rounds, string[] Lines, string[] Variants);

    private sealed record Guest(string Name, Func<string, List<string>> Arguments);

    /// <summary>One guest's samples of every line.</summary>
    private sealed class Samples
    {
        public readonly List<double> TcpMbps = [], KeepAliveRps = [], KeepAliveP99Ms = [], CloseRps = [];
        /// <summary>The guest's busy share of the TCP echo's time, from its statistics port (UDP 7007), per boot.</summary>
        public readonly List<double> TcpBusyShare = [];
        public readonly List<string> Errors = [];
        public long KeepAliveSocketErrors, KeepAliveNon2xx, CloseSocketErrors, CloseNon2xx, CloseRequests;
    }

    public static int Run(string repoRoot, string iso, string qemu, string accelerator, Options options)
    {
        string? missing = TapNetwork.MissingPrerequisites();
        if (missing != null) { AnsiConsole.MarkupLine($"[red]{Markup.Escape(missing)}[/]"); return 2; }
        string outDir = Path.Combine(repoRoot, "bench", "tap-" + DateTime.Now.ToString("yyyyMMdd-HHmmss"));
        Directory.CreateDirectory(outDir);
        LinuxGuest linux = LinuxGuest.Build(repoRoot, m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]"));
        string elf = Path.ChangeExtension(iso, ".elf"), sym = Path.ChangeExtension(iso, ".sym");
        List<string> Common(string log) =>
        [
            "-accel", accelerator, "-m", "256M", "-nodefaults", "-display", "none", "-monitor", "none", "-no-reboot",
            "-netdev", TapNetwork.Netdev(), "-device", Nic, "-serial", $"file:{log}",
        ];
        Guest Ours(string name, string extra) => new(name, log => [.. Common(log), "-kernel", elf, "-initrd", sym, "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-fw_cfg", $"name=opt/kernel/cmdline,string=net.ip={GuestAddress}/24 net.gw={TapNetwork.HostAddress} net.ping-count=0 services=all quiet{extra}"]);
        Guest[] guests =
        [
            Ours("cosmos-net", ""),
            new Guest($"linux {linux.Version}", log => [.. Common(log), "-kernel", linux.Kernel, "-initrd", linux.Initramfs,
                "-append", $"console=ttyS0 quiet panic=-1 echoip={GuestAddress}"]),
            .. options.Variants.Select(v => Ours($"cosmos-net {v}", " " + v)),
        ];
        var samples = guests.Select(_ => new Samples()).ToArray();
        for (int round = 1; round <= options.Rounds; round++)
            foreach (string line in AllLines.Where(options.Lines.Contains))
                for (int g = 0; g < guests.Length; g++)
                {
                    AnsiConsole.MarkupLine($"[bold]{Markup.Escape(guests[g].Name)}[/] {line} (round {round})");
                    string log = Path.Combine(outDir, $"{Slug(guests[g].Name)}-{line}-{round}.log");
                    Measure(guests[g], line, qemu, log, options, samples[g]);
                }
        string report = Report(guests, samples, options, accelerator, linux);
        File.WriteAllText(Path.Combine(outDir, "report.md"), report);
        Console.WriteLine(report);
        AnsiConsole.MarkupLine($"[grey]report and serial logs: {Markup.Escape(outDir)}[/]");
        return samples.All(s => s.Errors.Count == 0) ? 0 : 1;
    }

    private static void Measure(Guest guest, string line, string qemu, string log, Options options, Samples into)
    {
        using var tap = new TapNetwork("bench", Path.Combine(Path.GetDirectoryName(log)!, "tap-" + Path.GetFileNameWithoutExtension(log)), capture: false);
        Process process = tap.Namespace.Start(qemu, guest.Arguments(log), redirectOutput: true);
        try
        {
            if (!WaitForEcho(tap, TimeSpan.FromSeconds(120))) { into.Errors.Add($"{line}: the guest never accepted a connection on port 7"); return; }
            switch (line)
            {
                case "tcp":
                {
                    var before = BusyNow(tap);
                    var watch = Stopwatch.StartNew();
                    double mbps = TcpBulk(tap, options.TcpMiB << 20, out string? error);
                    double wallNs = watch.Elapsed.TotalMilliseconds * 1e6;
                    var after = BusyNow(tap);
                    double busy = before != null && after != null ? (after.Value.BusyNs - before.Value.BusyNs) / wallNs : double.NaN;
                    if (error != null) into.Errors.Add($"tcp: {error}");
                    else { into.TcpMbps.Add(mbps); into.TcpBusyShare.Add(busy); }
                    AnsiConsole.MarkupLine($"  TCP echo of {options.TcpMiB} MiB: {(error ?? $"{mbps:N1} Mbit/s each way, guest busy {busy:P0} of the time")}");
                    break;
                }
                case "keep-alive":
                {
                    WrkResult r = Wrk(tap, 100, options.WrkSeconds, close: false);
                    into.KeepAliveRps.Add(r.RequestsPerSecond);
                    into.KeepAliveP99Ms.Add(r.P99Ms);
                    into.KeepAliveSocketErrors += r.SocketErrors;
                    into.KeepAliveNon2xx += r.Non2xx;
                    AnsiConsole.MarkupLine($"  wrk -c 100 keep-alive: {r.RequestsPerSecond:N0} requests/s, p99 {r.P99Ms:N2} ms, {r.SocketErrors} socket errors, {r.Non2xx} non-2xx");
                    break;
                }
                case "close":
                {
                    WrkResult r = Wrk(tap, 30, options.WrkSeconds, close: true);
                    into.CloseRps.Add(r.RequestsPerSecond);
                    into.CloseSocketErrors += r.SocketErrors;
                    into.CloseNon2xx += r.Non2xx;
                    into.CloseRequests += r.Requests;
                    AnsiConsole.MarkupLine($"  wrk -c 30 Connection: close: {r.RequestsPerSecond:N0} new connections/s, {r.SocketErrors} socket errors, {r.Non2xx} non-2xx");
                    break;
                }
            }
        }
        finally
        {
            try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit();
            process.Dispose();
        }
    }

    /// <summary>The guest's busy time so far from its statistics port (both guests answer on UDP 7007), or null.</summary>
    private static (double BusyNs, long Echoed)? BusyNow(TapNetwork tap)
    {
        using Socket udp = tap.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.ReceiveTimeout = 2000;
        var buffer = new byte[256];
        for (int attempt = 0; attempt < 3; attempt++)
        {
            udp.SendTo("stats"u8.ToArray(), new IPEndPoint(GuestAddress, 7007));
            try
            {
                int n = udp.Receive(buffer);
                return BenchRunner.ParseStats(Encoding.ASCII.GetString(buffer, 0, n));
            }
            catch (SocketException) { }
        }
        return null;
    }

    /// <summary>Whether TCP port 7 accepts a connection from the namespace (probing every 100 ms).</summary>
    private static bool WaitForEcho(TapNetwork tap, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            using Socket s = tap.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                var connect = s.ConnectAsync(new IPEndPoint(GuestAddress, 7));
                if (connect.Wait(500) && s.Connected) return true;
            }
            catch (AggregateException) { }
            Thread.Sleep(100);
        }
        return false;
    }

    /// <summary>Writes <paramref name="size"/> bytes to TCP echo while reading the echo; Mbit/s each way, checked byte for byte.</summary>
    private static double TcpBulk(TapNetwork tap, int size, out string? error)
    {
        error = null;
        byte[] data = new byte[size];
        new Random(42).NextBytes(data);
        using Socket socket = tap.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(new IPEndPoint(GuestAddress, 7));
        using var stream = new NetworkStream(socket, ownsSocket: false);
        var watch = Stopwatch.StartNew();
        var writer = Task.Run(() => { for (int at = 0; at < size; at += 65536) stream.Write(data, at, Math.Min(65536, size - at)); });
        byte[] chunk = new byte[65536];
        long got = 0;
        bool same = true;
        socket.ReceiveTimeout = 30_000;
        try
        {
            while (got < size)
            {
                int n = stream.Read(chunk, 0, chunk.Length);
                if (n == 0) break;
                if (same && !chunk.AsSpan(0, (int)Math.Min(n, size - got)).SequenceEqual(data.AsSpan((int)got, (int)Math.Min(n, size - got)))) same = false;
                got += n;
            }
            writer.Wait(TimeSpan.FromSeconds(30));
        }
        catch (IOException e) { error = e.Message; }
        double seconds = watch.Elapsed.TotalSeconds;
        if (error == null && got != size) error = $"{got:N0} of {size:N0} bytes came back";
        if (error == null && !same) error = "the echo differed from what was sent";
        return size * 8.0 / 1e6 / seconds;
    }

    public sealed record WrkResult(double RequestsPerSecond, double P99Ms, long SocketErrors, long Non2xx, long Requests, string Output);

    /// <summary>wrk from the namespace on GET /hello (with --latency for the percentiles).</summary>
    private static WrkResult Wrk(TapNetwork tap, int connections, double seconds, bool close)
    {
        var args = new List<string> { "-t", "2", "-c", connections.ToString(), "-d", $"{seconds:0}s", "--latency", "--timeout", "5s" };
        if (close) args.AddRange(["-H", "Connection: close"]);
        args.Add($"http://{GuestAddress}/hello");
        HostCommandResult r = tap.Namespace.Run("wrk", args, TimeSpan.FromSeconds(seconds + 60), allowFailure: true);
        return ParseWrk(r.Output);
    }

    /// <summary>Requests/sec, the 99th percentile, socket errors (connect+read+write+timeout), non-2xx and total requests from wrk's output.</summary>
    public static WrkResult ParseWrk(string output)
    {
        double rps = Regex.Match(output, @"Requests/sec:\s+([\d.]+)") is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
        double p99 = double.NaN;
        if (Regex.Match(output, @"\s99%\s+([\d.]+)(us|ms|s)\b") is { Success: true } q)
        {
            double v = double.Parse(q.Groups[1].Value, CultureInfo.InvariantCulture);
            p99 = q.Groups[2].Value switch { "us" => v / 1000, "s" => v * 1000, _ => v };
        }
        long errors = 0;
        if (Regex.Match(output, @"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)") is { Success: true } e)
            for (int i = 1; i <= 4; i++) errors += long.Parse(e.Groups[i].Value);
        long non2xx = Regex.Match(output, @"Non-2xx or 3xx responses: (\d+)") is { Success: true } n ? long.Parse(n.Groups[1].Value) : 0;
        long requests = Regex.Match(output, @"(\d+) requests in") is { Success: true } t ? long.Parse(t.Groups[1].Value) : 0;
        if (double.IsNaN(rps)) errors = Math.Max(errors, 1); // wrk did not finish: count it as a failure
        return new WrkResult(rps, p99, errors, non2xx, requests, output);
    }

    private static double Median(List<double> xs)
    {
        var ok = xs.Where(x => !double.IsNaN(x)).OrderBy(x => x).ToList();
        return ok.Count == 0 ? double.NaN : ok.Count % 2 == 1 ? ok[ok.Count / 2] : (ok[ok.Count / 2 - 1] + ok[ok.Count / 2]) / 2;
    }

    private static string Report(Guest[] guests, Samples[] s, Options options, string accelerator, LinuxGuest linux)
    {
        Samples ours = s[0], theirs = s[1];
        string List(List<double> xs, string format) => string.Join(", ", xs.Select(x => x.ToString(format, CultureInfo.InvariantCulture)));
        string Ratio(double a, double b) => double.IsNaN(a) || double.IsNaN(b) || b == 0 ? "n/a" : $"{a / b:0.00}x";
        var md = new StringBuilder();
        md.AppendLine($"Measured {DateTime.Now:yyyy-MM-dd HH:mm} on {Environment.ProcessorCount} cores, accelerator {accelerator} (as decided for this run), " +
                      $"QEMU virtio-net (transitional, modern interface) on a tap with vnet_hdr in a network namespace; the client is the host kernel's stack " +
                      $"(.NET sockets and wrk in the namespace); Linux {linux.Version} from Debian with our static echo and HTTP server as /init. " +
                      $"{options.Rounds} rounds, guests in turns, a fresh boot for every measurement.");
        md.AppendLine();
        md.AppendLine($"| metric | {guests[0].Name} | {guests[1].Name} | ours / Linux |");
        md.AppendLine("|---|---|---|---|");
        bool tcpLine = options.Lines.Contains("tcp"), keepAliveLine = options.Lines.Contains("keep-alive"), closeLine = options.Lines.Contains("close");
        if (tcpLine)
        {
            md.AppendLine($"| TCP echo of {options.TcpMiB} MiB, each way at once (Mbit/s, median; samples {List(ours.TcpMbps, "0.0")} / {List(theirs.TcpMbps, "0.0")}) | {Median(ours.TcpMbps):N1} | {Median(theirs.TcpMbps):N1} | {Ratio(Median(ours.TcpMbps), Median(theirs.TcpMbps))} |");
            md.AppendLine($"| guest busy share during that echo (its own busy time over the wall time, median; samples {List(ours.TcpBusyShare, "0.00")} / {List(theirs.TcpBusyShare, "0.00")}) | {Median(ours.TcpBusyShare):P0} | {Median(theirs.TcpBusyShare):P0} | n/a |");
        }
        if (keepAliveLine)
        {
            md.AppendLine($"| wrk -c 100 -d {options.WrkSeconds:0}s, keep-alive, GET /hello (requests/s, median; samples {List(ours.KeepAliveRps, "0")} / {List(theirs.KeepAliveRps, "0")}) | {Median(ours.KeepAliveRps):N0} | {Median(theirs.KeepAliveRps):N0} | {Ratio(Median(ours.KeepAliveRps), Median(theirs.KeepAliveRps))} |");
            md.AppendLine($"| its p99 latency (ms, median) | {Median(ours.KeepAliveP99Ms):N2} | {Median(theirs.KeepAliveP99Ms):N2} | {Ratio(Median(ours.KeepAliveP99Ms), Median(theirs.KeepAliveP99Ms))} |");
            md.AppendLine($"| its socket errors / non-2xx (all rounds) | {ours.KeepAliveSocketErrors} / {ours.KeepAliveNon2xx} | {theirs.KeepAliveSocketErrors} / {theirs.KeepAliveNon2xx} | n/a |");
        }
        if (closeLine)
        {
            md.AppendLine($"| new connections per second, wrk -c 30 -d {options.WrkSeconds:0}s with Connection: close (median; samples {List(ours.CloseRps, "0")} / {List(theirs.CloseRps, "0")}) | {Median(ours.CloseRps):N0} | {Median(theirs.CloseRps):N0} | {Ratio(Median(ours.CloseRps), Median(theirs.CloseRps))} |");
            md.AppendLine($"| their socket errors / non-2xx (all rounds) | {ours.CloseSocketErrors} / {ours.CloseNon2xx} | {theirs.CloseSocketErrors} / {theirs.CloseNon2xx} | n/a |");
        }
        md.AppendLine();
        if (guests.Length > 2)
        {
            // Further boots of our kernel with other command-line words, measured in the same turns.
            md.AppendLine("Variants of our kernel, same turns (median; ours / Linux and variant / default):");
            md.AppendLine();
            md.AppendLine("| variant | line | samples | median | / Linux | / default |");
            md.AppendLine("|---|---|---|---|---|---|");
            for (int v = 2; v < guests.Length; v++)
            {
                void Row(string line, List<double> mine, List<double> linuxSamples, List<double> defaults, string format) =>
                    md.AppendLine($"| {guests[v].Name} | {line} | {List(mine, format)} | {Median(mine).ToString(format, CultureInfo.InvariantCulture)} | " +
                                  $"{Ratio(Median(mine), Median(linuxSamples))} | {Ratio(Median(mine), Median(defaults))} |");
                if (tcpLine) Row("TCP echo, Mbit/s", s[v].TcpMbps, theirs.TcpMbps, ours.TcpMbps, "0.0");
                if (keepAliveLine) Row("wrk keep-alive, requests/s", s[v].KeepAliveRps, theirs.KeepAliveRps, ours.KeepAliveRps, "0");
                if (closeLine) Row("new connections/s", s[v].CloseRps, theirs.CloseRps, ours.CloseRps, "0");
            }
            md.AppendLine();
        }
        foreach (var (g, x) in guests.Zip(s)) foreach (string e in x.Errors) md.AppendLine($"- **{g.Name}:** {e}");
        md.AppendLine("Targets (issue 12), checked against this run" + (tcpLine && keepAliveLine && closeLine ? ":" : " (only the lines it measured):"));
        md.AppendLine();
        if (tcpLine)
        {
            double tcp = Median(ours.TcpMbps) / Median(theirs.TcpMbps);
            md.AppendLine($"- TCP bulk at least 1.5x Linux: {tcp:0.00}x, {(tcp >= 1.5 ? "met" : "**not met**")}.");
        }
        if (keepAliveLine)
        {
            bool clean = ours.KeepAliveSocketErrors == 0 && ours.KeepAliveNon2xx == 0 && ours.KeepAliveRps.Count == options.Rounds;
            md.AppendLine($"- wrk -c 100 keep-alive with zero socket errors and zero non-2xx: {ours.KeepAliveSocketErrors} / {ours.KeepAliveNon2xx}, {(clean ? "met" : "**not met**")}.");
        }
        if (closeLine)
        {
            bool rate = ours.CloseRps.Count == options.Rounds && ours.CloseRps.All(r => r >= 1000) && ours.CloseSocketErrors == 0 && ours.CloseNon2xx == 0;
            md.AppendLine($"- 1,000 new connections/s sustained for {options.WrkSeconds:0} s with zero failures: {List(ours.CloseRps, "0")}/s, {ours.CloseSocketErrors} socket errors, {ours.CloseNon2xx} non-2xx, {(rate ? "met" : "**not met**")}" +
                          (options.WrkSeconds < 60 ? $" (this run: {options.WrkSeconds:0} s, not the 60 s the target names)." : "."));
        }
        return md.ToString();
    }

    private static string Slug(string name) => new(name.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}
