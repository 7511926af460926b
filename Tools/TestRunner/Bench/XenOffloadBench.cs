using System.Diagnostics;

namespace Cosmos.TestRunner.Bench;

/// <summary>
/// `bench --xen-offloads`: runs the real-Xen lane (PVH) with XEN_LANE_BENCH=1, in which dom0 times a TCP echo with the
/// netfront's offloads on and then, in a second guest booted with xen.offloads-off=all, off; prints the lane's
/// BENCH line (both times, both rates, the ratio). The lane's checks run too; their count is printed beside it.
/// </summary>
public static class XenOffloadBench
{
    public static int Run(string repoRoot, string accelerator)
    {
        var start = new ProcessStartInfo("bash", ["Tools/XenLane/run-lane.sh", "pvh", "1100"])
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["XEN_LANE_BENCH"] = "1";
        start.Environment["COSMOS_ACCEL"] = accelerator;
        using var lane = Process.Start(start)!;
        string? bench = null, summary = null;
        while (lane.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("XEN-LANE BENCH ", StringComparison.Ordinal)) bench = line["XEN-LANE BENCH ".Length..];
            else if (line.StartsWith("xen-lane: ", StringComparison.Ordinal) && line.Contains(" checks passed")) summary = line["xen-lane: ".Length..];
        }
        lane.WaitForExit();
        Console.WriteLine($"Xen netfront (PVH, real Xen 4.17 under {accelerator}), {bench ?? "no BENCH line (see results/xen-lane-pvh.log)"}");
        Console.WriteLine($"  lane: {summary ?? "no summary"}");
        return bench != null && !bench.Contains("not measured") ? 0 : 1;
    }
}
