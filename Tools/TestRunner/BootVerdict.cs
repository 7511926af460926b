namespace Cosmos.TestRunner;

/// <summary>One checked statement about a boot: an in-kernel test or a runner-side expectation.</summary>
public sealed record Outcome(string Boot, string Name, bool Passed, string Detail);

/// <summary>Turns a boot's log into outcomes. Every boot yields at least one, so a boot that shows nothing fails.</summary>
public static class BootVerdict
{
    public static List<Outcome> Judge(BootSpec spec, BootRun run)
    {
        var outcomes = new List<Outcome>();
        void Add(string name, bool ok, string detail) => outcomes.Add(new Outcome(spec.Name, name, ok, detail));
        if (run.SetupError != null)
        {
            Add("set up", false, run.SetupError);
            return outcomes;
        }

        if (run.TimedOut)
            Add("ends by itself", false, "no exit before the timeout: the kernel hung or never booted");

        bool panicked = run.Events.Any(e => e.Kind == SerialEventKind.PanicStart);
        switch (spec.Ending)
        {
            case BootEnding.SelfTestsPass:
            {
                var started = run.Events.Where(e => e.Kind == SerialEventKind.TestStart).Select(e => e.TestName!).ToList();
                var passed = run.Events.Where(e => e.Kind == SerialEventKind.TestPass).Select(e => e.TestName!).ToHashSet();
                var failed = run.Events.Where(e => e.Kind == SerialEventKind.TestFail).ToDictionary(e => e.TestName!, e => e.Reason!);
                foreach (string test in started)
                {
                    if (spec.MustFail.TryGetValue(test, out string? expectedReason))
                    {
                        // A negative boot: the test must see the bad input and say so.
                        bool failedRight = failed.TryGetValue(test, out string? why) && why.Contains(expectedReason, StringComparison.Ordinal);
                        Add($"{test} fails as it must", failedRight, failedRight ? why! : passed.Contains(test)
                            ? $"passed, but must fail with \"{expectedReason}\"" : $"reason \"{why}\" does not contain \"{expectedReason}\"");
                    }
                    else if (passed.Contains(test)) Add(test, true, "");
                    else if (failed.TryGetValue(test, out string? reason)) Add(test, false, reason);
                    else Add(test, false, panicked ? "the kernel panicked during this test" : "started but never reported");
                }
                foreach (string test in spec.MustFail.Keys.Where(t => !started.Contains(t)))
                    Add($"{test} fails as it must", false, "the test did not run");
                SerialEvent? summary = run.Events.LastOrDefault(e => e.Kind == SerialEventKind.TestSummary);
                if (summary is not { } s)
                    Add("self-test summary", false, "no TEST SUMMARY line");
                else
                    Add("self-test summary", s.Passed == passed.Count && s.Failed == failed.Count && (s.Passed > 0 || spec.MustFail.Count > 0),
                        $"kernel says passed={s.Passed} failed={s.Failed}; runner saw {passed.Count} passed, {failed.Count} failed");
                if (!run.TimedOut)
                {
                    // The kernel must report its own verdict through the exit code: success only if all passed.
                    bool allPassed = failed.Count == 0 && passed.Count == started.Count && !panicked;
                    int expected = allPassed ? QemuMachine.KernelSuccessExit : QemuMachine.KernelFailureExit;
                    Add("exit code", run.ExitCode == expected, $"QEMU exited with {run.ExitCode} (expected {expected})");
                }
                break;
            }
            case BootEnding.Panic:
                if (!run.TimedOut)
                    Add("fails loudly", run.ExitCode == QemuMachine.KernelFailureExit,
                        $"QEMU exited with {run.ExitCode} (expected {QemuMachine.KernelFailureExit}, the panic exit code)");
                break;
            case BootEnding.ApplicationExits:
                if (!run.TimedOut)
                    Add("Main returns 0, the run ends with success", run.ExitCode == QemuMachine.KernelSuccessExit && !panicked,
                        $"QEMU exited with {run.ExitCode} (expected {QemuMachine.KernelSuccessExit}){(panicked ? "; the kernel panicked" : "")}");
                break;
            case BootEnding.Ready:
                Add("reaches ready", run.StoppedAtReady, run.StoppedAtReady ? "" : $"no 'kernel: ready' line (exit {run.ExitCode})");
                if (panicked) Add("no panic", false, "the kernel panicked");
                break;
        }

        // Against a hostile device the exchange is meant to break off: the kernel's own failure is what is judged.
        if (spec.HasPeer && !spec.IsHostile) JudgeExchange(spec, run, Add);
        if (spec.UsesVhostUser) JudgeVhostUser(spec, run, Add);
        if (spec.ComparesConformance) JudgeConformance(run, spec.ConformanceExclude, Add);
        if (spec.HostCheck != null || spec.RawPeerCheck != null || spec.TapCheck != null)
        {
            if (run.HostResults == null) Add("host checks ran", false, "the kernel never became ready, so the host could not check it");
            else foreach (var r in run.HostResults) Add(r.Name, r.Passed, r.Detail);
        }

        if (spec.PcapFileCheck != null && run.PcapPath != null && File.Exists(run.PcapPath))
            foreach (var r in spec.PcapFileCheck(run.PcapPath)) Add($"capture: {r.Name}", r.Passed, r.Detail);
        if (spec.WireCheck != null)
        {
            if (run.PcapPath == null || !File.Exists(run.PcapPath)) Add("packet capture written", false, "no pcap from QEMU's filter-dump");
            else
            {
                try
                {
                    var capture = HostChecks.WireCapture.Read(run.PcapPath);
                    Add("capture: every IPv4 and transport checksum from the kernel is valid", capture.BadIpChecksums == 0 && capture.BadTransportChecksums == 0 && capture.PartialTransportChecksums == 0,
                        $"{capture.BadIpChecksums} bad IPv4, {capture.BadTransportChecksums} bad and {capture.PartialTransportChecksums} partial UDP/TCP checksums in {capture.Frames} frames");
                    foreach (var r in spec.WireCheck(capture)) Add($"capture: {r.Name}", r.Passed, r.Detail);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Add("packet capture readable", false, $"{e.GetType().Name}: {e.Message} {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
                }
            }
        }

        foreach (LogExpectation expectation in spec.Expectations)
            Add(expectation.Description, expectation.IsMetBy(run.Log), expectation.IsMetBy(run.Log) ? ""
                : expectation.MustBeAbsent ? $"a line matches /{expectation.Pattern}/" : $"no line matches /{expectation.Pattern}/");
        return outcomes;
    }

    /// <summary>
    /// The conformance suite: the kernel's transcript against the same cases run here on .NET, one outcome per
    /// case, each difference reported with the case's name and the first line that differs.
    /// </summary>
    private static void JudgeConformance(BootRun run, string? exclude, Action<string, bool, string> add)
    {
        var host = Conformance.ConformanceTranscripts.RunOnHost(exclude: exclude);
        var kernel = Conformance.ConformanceTranscripts.ParseKernel(run.Log);
        int kernelCount = Conformance.ConformanceTranscripts.KernelCaseCount(run.Log);
        add("conformance: the kernel ran every case", kernelCount == host.Count,
            kernelCount < 0 ? "no CONF-END line" : $"kernel ran {kernelCount} cases, the suite has {host.Count}");
        foreach (var (name, passed, detail) in Conformance.ConformanceTranscripts.Compare(host, kernel)) add(name, passed, detail);
    }

    /// <summary>A field <c>key=N</c> of a log line (-1 when absent).</summary>
    private static long Field(string line, string key)
    {
        var m = System.Text.RegularExpressions.Regex.Match(line, $@"(?:^|\s){System.Text.RegularExpressions.Regex.Escape(key)}=(\d+)");
        return m.Success ? long.Parse(m.Groups[1].Value) : -1;
    }

    /// <summary>
    /// A boot on our vhost-user back end: the back end really served the queues (so the frames went through it and not
    /// through a QEMU fallback to its own device), the guest's driver broke no ring rule the back end checks, and, for the
    /// exchange, the driver's counters (the kernel's EXCHANGE line) match the back end's. Transmit must match exactly: the
    /// kernel waits for every transmit completion before it prints. Receive is a range: the peer's last acknowledgements
    /// can reach the guest's ring after the kernel printed, and are then counted by the back end only.
    /// </summary>
    private static void JudgeVhostUser(BootSpec spec, BootRun run, Action<string, bool, string> add)
    {
        Peers.VhostUserReport? b = run.VhostUser;
        if (b == null) { add("vhost-user back end ran", false, "no report from the back end"); return; }
        add("vhost-user: QEMU started our back end's queues", b.QueuesStarted && b.Kicks > 0,
            $"ring started {b.QueuesStarted}, kicks {b.Kicks}; messages: {b.Messages}");
        add("vhost-user: the back end itself did not fail", b.BackendFault == null, b.BackendFault ?? "");
        add("vhost-user: no QEMU fallback to its own device", !run.Log.Contains("falling back on userspace virtio"), "QEMU said it fell back on userspace virtio");
        add("vhost-user: the driver broke no ring rule", b.GuestErrors == 0, b.LastGuestError ?? "");
        if (spec.IsHostile)
        {
            // The back end did its misbehaviour once, and the driver answered it by resetting the device and setting FAILED
            // (virtio 1.2 §2.1: the guest "has given up on the device"); QEMU passes the reset on as GET_VRING_BASE (vhost-user.rst
            // "Ring states": the ring stops), which is how the runner sees it.
            int faults = spec.HostileDevice!.ExpectedFaults(spec.HostileRecoveries);
            add(faults == 1 ? "vhost-user: the back end misbehaved once, as scripted" : $"vhost-user: the back end misbehaved {faults} times (once per start), as scripted",
                b.FaultsInjected == faults, $"faults injected {b.FaultsInjected}");
            // (QEMU ending at the kernel's exit sends none; a reset makes it stop vhost and ask each ring's base.)
            int stops = System.Text.RegularExpressions.Regex.Matches(b.Messages, @"\bGetVringBase\b").Count;
            if (spec.HostileDevice!.Fault == Cosmos.VhostUser.Hostile.DeviceFault.SpuriousInterrupts)
                add("vhost-user: the back end sent spurious interrupts", b.SpuriousCalls >= 500, $"{b.SpuriousCalls} call signals with nothing new in the used ring");
            if (spec.HostileRecoveries > 0)
            {
                // Each reset stops both rings (GET_VRING_BASE each) and each set-up starts both again (SET_VRING_KICK): the
                // back end went through a whole re-setup per recovery, and the rings ran again.
                int n = spec.HostileRecoveries;
                add($"vhost-user: QEMU stopped our rings at each reset and started them again ({n} recoveries)", stops >= 2 * n && b.RingStarts >= 2 * (n + 1),
                    $"{stops} GET_VRING_BASE, {b.RingStarts} ring starts; messages: {b.Messages}");
                // The receive canary also runs in the recovery boots: through the violation, the reset and the new set-up.
                JudgeReceiveCanary(b, add);
            }
            else if (spec.HostileDevice!.DriverMustStop)
                add("vhost-user: the driver reset the device (QEMU stopped the rings: GET_VRING_BASE)", stops >= 1, $"{stops} GET_VRING_BASE; messages: {b.Messages}");
            else
                add("vhost-user: the driver kept the device (no reset: no rule was broken)", stops == 0, $"{stops} GET_VRING_BASE");
            return;
        }
        // The ownership check (Tools/VhostUser/Canary/TransmitCanary.cs): every transmit chain compared at completion.
        // (-1: the back end ran without it, as a report made by hand in a host test does; the runner turns it on for every non-hostile boot.)
        if (b.CanaryChecked >= 0)
            add("vhost-user: the driver changed no transmit buffer while the device held it (canary)", b.CanaryChecked > 0 && b.CanaryViolations == 0,
                $"{b.CanaryChecked} chains compared, {b.CanaryViolations} changed{(b.FirstCanaryViolation != null ? $"; first: {b.FirstCanaryViolation}" : "")}");
        // The receive side (Tools/VhostUser/Canary/ReceiveCanary.cs): a pattern planted in every posted receive buffer must be
        // intact when a frame goes in, and past the frame's length when the buffer is posted again; used idx is the device's.
        JudgeReceiveCanary(b, add);
        add("vhost-user: no received frame dropped by the back end", b.RxDropped == 0, $"{b.RxDropped} dropped");
        if (!spec.HasPeer)
        {
            // A raw-peer boot: the kernel's idle line (after the traffic stopped) counts the frames its driver received.
            string? idle = run.Log.Split('\n').LastOrDefault(l => l.Contains("net: idle: ", StringComparison.Ordinal));
            long kernelRx = idle == null ? -1 : Field(idle, "rx-frames");
            add("vhost-user: the kernel's rx-frames within the back end's deliveries", kernelRx > 0 && kernelRx <= b.RxFrames,
                $"kernel rx-frames {kernelRx}, back end delivered {b.RxFrames}");
            return;
        }
        string? line = run.Log.Split('\n').LastOrDefault(l => l.StartsWith("EXCHANGE ", StringComparison.Ordinal));
        if (line == null) { add("vhost-user: driver counters against the back end's", false, "no EXCHANGE line"); return; }
        long driverTx = Field(line, "driver-tx"), driverRx = Field(line, "driver-rx");
        add("vhost-user: driver tx counter equals the back end's", driverTx >= spec.ExchangeFrames && driverTx == b.TxFrames,
            $"driver-tx {driverTx}, back end took {b.TxFrames} from the transmit queue");
        long peerSent = run.Exchange?.FramesSent ?? -1, peerReceived = run.Exchange?.FramesReceived ?? -1;
        add("vhost-user: driver rx counter within the back end's deliveries", driverRx >= spec.ExchangeFrames && driverRx <= b.RxFrames && b.RxFrames <= peerSent,
            $"driver-rx {driverRx}, back end delivered {b.RxFrames}, peer sent {peerSent}");
        add("vhost-user: every frame the peer received came out of the back end", peerReceived <= b.TxFrames,
            $"peer received {peerReceived}, back end sent {b.TxFrames}");
    }

    private static void JudgeReceiveCanary(Peers.VhostUserReport b, Action<string, bool, string> add)
    {
        if (b.ReceiveCanary is not { } rx) return;
        add("vhost-user: the driver wrote nothing into posted receive buffers, nor past a received frame (canary)",
            rx.Checked > 0 && rx.CheckedPastLength > 0 && rx.Violations == 0, rx.ToString());
        add("vhost-user: the driver never wrote the device's used idx", rx.UsedIndexOverwrites == 0, rx.FirstUsedIndexOverwrite ?? "");
    }

    /// <summary>The peer's view of nic.exchange, cross-checked with the kernel's EXCHANGE line.</summary>
    private static void JudgeExchange(BootSpec spec, BootRun run, Action<string, bool, string> add)
    {
        Peers.ExchangeResult? peer = run.Exchange;
        if (peer == null) { add("peer ran", false, "no result from the exchange peer"); return; }
        uint n = spec.ExchangeFrames;
        add("peer heard the kernel", peer.SawKernel, "no frame from the kernel reached the peer");
        add($"peer received {n} data frames intact and in order", peer.DataReceivedInOrder == n && peer.Corrupt == 0 && peer.OutOfOrder == 0,
            $"in order {peer.DataReceivedInOrder}, corrupt {peer.Corrupt}, out of order {peer.OutOfOrder}");
        add($"kernel acknowledged all {n} peer data frames", peer.DataAcknowledged == n, $"acknowledged {peer.DataAcknowledged}");
        string? line = run.Log.Split('\n').LastOrDefault(l => l.StartsWith("EXCHANGE ", StringComparison.Ordinal));
        if (line == null) { add("kernel reported its counters", false, "no EXCHANGE line"); return; }
        long Field(string key)
        {
            int at = line.IndexOf(key + "=", StringComparison.Ordinal);
            if (at < 0) return -1;
            string rest = line[(at + key.Length + 1)..];
            int end = rest.IndexOf(' ');
            return long.TryParse(end < 0 ? rest : rest[..end], out long v) ? v : -1;
        }
        long kernelSent = Field("kernel-sent"), kernelReceived = Field("kernel-received");
        // Each side may send a few acknowledgements after the other stopped counting, hence the ranges.
        add("every frame the peer received was sent by the kernel", peer.FramesReceived >= n && peer.FramesReceived <= kernelSent,
            $"peer received {peer.FramesReceived}, kernel sent {kernelSent}");
        add("every frame the kernel received was sent by the peer", kernelReceived >= n && kernelReceived <= peer.FramesSent,
            $"kernel received {kernelReceived}, peer sent {peer.FramesSent}");
    }
}
