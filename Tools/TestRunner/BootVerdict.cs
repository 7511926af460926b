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
                    if (passed.Contains(test)) Add(test, true, "");
                    else if (failed.TryGetValue(test, out string? reason)) Add(test, false, reason);
                    else Add(test, false, panicked ? "the kernel panicked during this test" : "started but never reported");
                }
                SerialEvent? summary = run.Events.LastOrDefault(e => e.Kind == SerialEventKind.TestSummary);
                if (summary is not { } s)
                    Add("self-test summary", false, "no TEST SUMMARY line");
                else
                    Add("self-test summary", s.Passed == passed.Count && s.Failed == failed.Count && s.Passed > 0,
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
            case BootEnding.Ready:
                Add("reaches ready", run.StoppedAtReady, run.StoppedAtReady ? "" : $"no 'kernel: ready' line (exit {run.ExitCode})");
                if (panicked) Add("no panic", false, "the kernel panicked");
                break;
        }

        foreach (LogExpectation expectation in spec.Expectations)
            Add(expectation.Description, expectation.IsMetBy(run.Log), expectation.IsMetBy(run.Log) ? "" : $"no line matches /{expectation.Pattern}/");
        return outcomes;
    }
}
