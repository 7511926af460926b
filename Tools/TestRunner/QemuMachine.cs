using System.Diagnostics;
using System.Text;

namespace Cosmos.TestRunner;

/// <summary>Options shared by every boot: where things are and how QEMU runs.</summary>
public sealed record MachineOptions(string IsoPath, string QemuBinary, TimeSpan Timeout, string Accelerator, bool Echo);

/// <summary>What one boot produced: the exit, the full serial log, the parsed protocol events.</summary>
public sealed record BootRun(int? ExitCode, bool TimedOut, bool StoppedAtReady, string Log, IReadOnlyList<SerialEvent> Events, TimeSpan Elapsed,
    Peers.ExchangeResult? Exchange = null, IReadOnlyList<(string Name, bool Passed, string Detail)>? HostResults = null,
    string? PcapPath = null, string? SetupError = null, Peers.VhostUserReport? VhostUser = null);

/// <summary>
/// Boots the ISO once in QEMU and reads the serial port until the kernel ends the run through
/// isa-debug-exit (QEMU exits with (code &lt;&lt; 1) | 1), the runner stops it at "kernel: ready", or the
/// per-boot timeout kills it. The boot never outlives the timeout.
/// </summary>
public static class QemuMachine
{
    public const int KernelSuccessExit = (0x10 << 1) | 1; // 33
    public const int KernelFailureExit = (0x11 << 1) | 1; // 35

    public static ForwardedPorts AllocatePorts() => new(FreePort(System.Net.Sockets.SocketType.Dgram), FreePort(System.Net.Sockets.SocketType.Stream),
        FreePort(System.Net.Sockets.SocketType.Stream), FreePort(System.Net.Sockets.SocketType.Dgram), FreePort(System.Net.Sockets.SocketType.Dgram));

    private static int FreePort(System.Net.Sockets.SocketType type)
    {
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, type,
            type == System.Net.Sockets.SocketType.Dgram ? System.Net.Sockets.ProtocolType.Udp : System.Net.Sockets.ProtocolType.Tcp);
        probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <param name="vhostUserSocket">For a vhost-user boot: the back end's socket, which replaces the peer's dgram netdev.</param>
    public static List<string> BuildArguments(BootSpec spec, MachineOptions options, string? peerNetdev = null, ForwardedPorts? ports = null, string? pcapPath = null,
        string? vhostUserSocket = null)
    {
        var args = new List<string>
        {
            "-accel", options.Accelerator,
            "-m", spec.Memory,
            "-cdrom", options.IsoPath,
            "-boot", "d",
            "-serial", "stdio",
            "-display", "none",
            "-monitor", "none",
            "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        };
        if (spec.Cpu != null) args.AddRange(["-cpu", spec.Cpu]);
        // {ELF} and {SYM}: the kernel and its symbol map next to the ISO, for a direct (PVH) boot with -kernel.
        args.AddRange(spec.QemuArguments.Select(a => a.Replace("{ELF}", Path.ChangeExtension(options.IsoPath, ".elf"))
            .Replace("{SYM}", Path.ChangeExtension(options.IsoPath, ".sym"))));
        if (spec.UsesVhostUser)
            args.AddRange([.. Peers.VhostUserLink.QemuArguments(vhostUserSocket ?? "vhost-user.sock", spec.Memory), "-device", spec.NicDevice ?? "virtio-net-pci,netdev=n0,vectors=0"]);
        else if (spec.HasPeer || spec.HasRawPeer)
            args.AddRange(["-netdev", peerNetdev ?? "dgram,id=n0", "-device", spec.NicDevice ?? "virtio-net-pci,netdev=n0"]);
        if (spec.ForwardsServices && ports != null)
            args.AddRange(["-netdev", $"user,id=n0,hostfwd=udp:127.0.0.1:{ports.UdpEcho}-:7,hostfwd=tcp:127.0.0.1:{ports.TcpEcho}-:7,hostfwd=tcp:127.0.0.1:{ports.Http}-:80",
                "-device", spec.NicDevice ?? "virtio-net-pci,netdev=n0"]);
        if (spec.UsesTap) args.AddRange(["-netdev", Tap.TapNetwork.Netdev(), "-device", spec.NicDevice ?? "virtio-net-pci,netdev=n0"]);
        args.AddRange(spec.MoreDevices.Select(a => a.Replace("{SECOND_UDP}", (ports?.SecondUdpEcho ?? 0).ToString())));
        if (pcapPath != null) args.AddRange(["-object", $"filter-dump,id=dump0,netdev=n0,file={pcapPath}"]);
        if (spec.HasQmp) args.AddRange(HostChecks.QmpClient.Arguments(HostChecks.QmpClient.SocketFor(spec.Name)));
        if (spec.KernelCommandLine != null)
        {
            // {DNS_PORT}: the runner's DNS responder, reached by the guest at 10.0.2.2 through QEMU's user network.
            string line = spec.KernelCommandLine.Replace("{DNS_PORT}", (ports?.Dns ?? 0).ToString());
            // QEMU's option parser splits on commas; a literal comma is written twice.
            args.AddRange(["-fw_cfg", $"name=opt/kernel/cmdline,string={line.Replace(",", ",,")}"]);
        }
        return args;
    }

    public static async Task<BootRun> BootAsync(BootSpec spec, MachineOptions options, string logPath, CancellationToken cancel = default)
    {
        var startInfo = new ProcessStartInfo(options.QemuBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        using var peer = spec.HasPeer ? new Peers.ExchangePeer(spec.ExchangeFrames) : null;
        using var rawPeer = spec.HasRawPeer ? new Peers.RawIpPeer() : null;
        var watcher = new Peers.LogWatcher();
        ForwardedPorts? ports = spec.ForwardsServices ? AllocatePorts() : null;
        string? pcapPath = spec.WireCheck != null || spec.PcapFileCheck != null ? Path.ChangeExtension(logPath, ".pcap") : null;
        using var dns = ports != null && spec.KernelCommandLine?.Contains("{DNS_PORT}") == true ? new HostChecks.TestDnsServer(ports.Dns) : null;
        // A tap boot: QEMU runs inside the lane's network namespace, where it opens the tap by name.
        Tap.TapNetwork? tap = null;
        if (spec.UsesTap)
        {
            string? missing = Tap.TapNetwork.MissingPrerequisites();
            try
            {
                if (missing != null) throw new InvalidOperationException(missing);
                tap = new Tap.TapNetwork(spec.Name, Path.Combine(Path.GetDirectoryName(logPath)!, spec.Name), capture: spec.TapCapture);
            }
            catch (InvalidOperationException e)
            {
                return new BootRun(null, false, false, "", [], TimeSpan.Zero, SetupError: $"could not set up the tap lane: {e.Message}");
            }
        }
        using Tap.TapNetwork? tapLane = tap;
        // A vhost-user boot: our back end listens before QEMU starts (QEMU's client chardev connects at start-up) and is
        // disposed with this method however it ends, QEMU failing included. Its log lines join the boot's log.
        var backendLog = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Peers.VhostUserLink? vhost = null;
        if (spec.UsesVhostUser)
        {
            try { vhost = new Peers.VhostUserLink((peer?.Netdev ?? rawPeer?.Netdev)!, spec.Name, backendLog.Enqueue, spec.HostileDevice, canaries: spec.HostileDevice == null, receiveCanary: spec.HostileRecoveries > 0); }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                return new BootRun(null, false, false, "", [], TimeSpan.Zero, SetupError: $"could not start the vhost-user back end: {e.Message}");
            }
        }
        using Peers.VhostUserLink? vhostLink = vhost;
        List<string> qemuArguments = BuildArguments(spec, options, peer?.Netdev ?? rawPeer?.Netdev, ports, pcapPath, vhost?.SocketPath);
        if (tap != null)
        {
            startInfo.FileName = "ip";
            qemuArguments = tap.Namespace.Wrap(options.QemuBinary, qemuArguments);
        }
        foreach (string a in qemuArguments) startInfo.ArgumentList.Add(a);
        var readyPattern = new System.Text.RegularExpressions.Regex(spec.ReadyPattern);
        IReadOnlyList<(string Name, bool Passed, string Detail)>? hostResults = null;
        using var peerStop = new CancellationTokenSource();

        var log = new StringBuilder();
        var events = new List<SerialEvent>();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        bool stoppedAtReady = false;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        await using var logFile = new StreamWriter(logPath, append: false, Encoding.UTF8) { AutoFlush = true };
        logFile.WriteLine($"# {startInfo.FileName} {string.Join(' ', startInfo.ArgumentList.Select(Quote))}"); // before QEMU starts: no other writer yet

        var gate = new object();
        void OnLine(string? line, bool isStderr)
        {
            if (line == null) return;
            lock (gate)
            {
                string text = isStderr ? $"[qemu] {line}" : line;
                log.AppendLine(text);
                logFile.WriteLine(text);
                if (options.Echo) Console.WriteLine(text);
                if (isStderr) return;
                SerialEvent e = SerialProtocol.Parse(line);
                events.Add(e);
                watcher.Add(line);
                if (readyPattern.IsMatch(line)) ready.TrySetResult();
            }
        }

        // The runner's own notes share the file with the serial lines, which arrive on another thread at any time:
        // both write under the same lock, synchronously (an asynchronous write still in progress when a serial line
        // came made StreamWriter throw and took the whole runner down: every net-services boot, whose ping replies
        // follow the ready line at once).
        void Note(string text) { lock (gate) logFile.WriteLine(text); }

        process.OutputDataReceived += (_, e) => OnLine(e.Data, false);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, true);
        Task<Peers.ExchangeResult>? peerTask = peer?.RunAsync(peerStop.Token);
        if (rawPeer != null && spec.EarlyTrafficInterval is { } interval) rawPeer.StartBackgroundTraffic(interval);
        if (!process.Start()) throw new InvalidOperationException($"could not start {options.QemuBinary}");
        rawPeer?.MarkQemuStarted();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        // A boot that needs longer than the run's limit says so (spec.Timeout); an infinite limit (--keep-running) stays.
        TimeSpan limit = options.Timeout == System.Threading.Timeout.InfiniteTimeSpan || spec.Timeout is not { } own || own <= options.Timeout
            ? options.Timeout : own;
        timeout.CancelAfter(limit);
        bool timedOut = false;
        try
        {
            Task exited = process.WaitForExitAsync(timeout.Token);
            if (spec.Ending == BootEnding.Ready)
            {
                Task readyOrTimeout = ready.Task.WaitAsync(timeout.Token);
                Task first = await Task.WhenAny(exited, readyOrTimeout);
                await first; // rethrows the timeout's cancellation
                if (first == readyOrTimeout && !process.HasExited)
                {
                    stoppedAtReady = true;
                    if (spec.HostCheck != null)
                    {
                        Note("# host checks start");
                        hostResults = await spec.HostCheck(ports ?? new ForwardedPorts(0, 0, 0), timeout.Token);
                        foreach (var r in hostResults) Note($"# host check: {r.Name}: {(r.Passed ? "pass" : "FAIL")} {r.Detail}");
                    }
                    if (spec.TapCheck != null && tap != null)
                    {
                        Note("# tap checks start");
                        hostResults = await spec.TapCheck(tap, watcher, timeout.Token);
                        foreach (var r in hostResults) Note($"# tap check: {r.Name}: {(r.Passed ? "pass" : "FAIL")} {r.Detail}");
                    }
                    if (spec.RawPeerCheck != null && rawPeer != null)
                    {
                        Note("# peer checks start");
                        hostResults = await spec.RawPeerCheck(rawPeer, watcher, timeout.Token);
                        foreach (var r in hostResults) Note($"# peer check: {r.Name}: {(r.Passed ? "pass" : "FAIL")} {r.Detail}");
                    }
                    // Give the kernel a moment to finish the lines after "ready", then end the machine.
                    await Task.Delay(300, CancellationToken.None);
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }
            else
            {
                await exited;
            }
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancel.IsCancellationRequested;
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None);
        }
        process.WaitForExit(); // drain the asynchronous readers
        if (spec.HasQmp) try { File.Delete(HostChecks.QmpClient.SocketFor(spec.Name)); } catch (IOException) { } // QEMU leaves its QMP socket behind
        stopwatch.Stop();
        Peers.ExchangeResult? exchange = null;
        if (peerTask != null)
        {
            peerStop.Cancel();
            exchange = await peerTask;
            Note($"# peer: {exchange}");
        }

        Peers.VhostUserReport? vhostReport = null;
        if (vhost != null)
        {
            vhostReport = vhost.Report();
            while (backendLog.TryDequeue(out string? line)) Note($"# vhost-user: {line}");
            Note($"# vhost-user: {vhostReport}; messages: {vhostReport.Messages}");
        }

        int? exitCode = stoppedAtReady || timedOut ? null : process.ExitCode;
        lock (gate)
        {
            string ending = timedOut ? $"timed out after {limit.TotalSeconds:0} s"
                : stoppedAtReady ? "stopped by the runner at 'kernel: ready'"
                : $"QEMU exit code {exitCode}";
            logFile.WriteLine($"# {ending}; {stopwatch.Elapsed.TotalSeconds:0.00} s");
            return new BootRun(exitCode, timedOut, stoppedAtReady, log.ToString(), events.ToList(), stopwatch.Elapsed, exchange, hostResults, pcapPath, VhostUser: vhostReport);
        }
    }

    private static string Quote(string s) => s.Contains(' ') || s.Contains('"') ? $"'{s}'" : s;
}
