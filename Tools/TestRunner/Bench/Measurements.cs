using System.Diagnostics;

namespace Cosmos.TestRunner.Bench;

/// <summary>One guest to compare: how QEMU starts it, and what its image weighs.</summary>
public sealed record BenchGuest(string Name, Func<string, int, List<string>> QemuArguments, long ImageBytes);

public sealed record LatencyStats(double P50Us, double P99Us, double MaxUs, int Lost);

public sealed class GuestResult
{
    public required string Name { get; init; }
    public double FirstEchoMs { get; set; } = double.NaN;
    public Dictionary<int, double> EchoRate { get; } = [];
    /// <summary>Each rate boot's result, per payload (the line is their mean).</summary>
    public Dictionary<int, List<double>> RateSamples { get; } = [];
    public Dictionary<int, long> CyclesPerFrame { get; } = [];
    /// <summary>The same profile in nanoseconds of the guest's own clock per received frame.</summary>
    public Dictionary<int, long> NsPerFrame { get; } = [];
    /// <summary>Guest instructions outside idle per echoed datagram, measured under QEMU -icount (shift=0).</summary>
    public Dictionary<int, double> InstructionsPerEcho { get; } = [];
    public LatencyStats? Latency { get; set; }
    public int MinMemoryMiB { get; set; } = -1;
    public long ImageBytes { get; init; }
    public string? Failure { get; set; }
    public double Tcp1Mbps { get; set; } = double.NaN;
    public double Tcp16Mbps { get; set; } = double.NaN;
    /// <summary>What the client had to repair on 1 and on 16 connections ("retransmissions (fast / timeouts)").</summary>
    public string TcpRepairs { get; set; } = "";
    /// <summary>Measurement boots in which the guest stopped answering (each was measured again on a fresh boot).</summary>
    public int StoppedBoots { get; set; }
    /// <summary>The accelerator QEMU reported (QMP query-kvm) in each measurement boot, with how many boots said so.</summary>
    public Dictionary<string, int> Accelerators { get; } = [];
    public string AcceleratorText => Accelerators.Count == 0 ? "not asked" : string.Join(", ", Accelerators.Select(a => $"{a.Key} ({a.Value} boots)"));
}

/// <summary>The measurements, each on a fresh QEMU of the guest with the same virtio-net device and backend.</summary>
public static class Measurements
{
    public const int Window = 32;
    public static long Stalls;

    /// <summary>Starts QEMU for the guest with its NIC wired to the generator; returns the process (serial to a log file).</summary>
    public static Process Start(BenchGuest guest, EchoLoadGenerator generator, int memoryMiB, string qemu, string logPath, string? qmpSocket = null)
    {
        var psi = new ProcessStartInfo(qemu) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in guest.QemuArguments(generator.Netdev, memoryMiB)) psi.ArgumentList.Add(a);
        if (qmpSocket != null) foreach (string a in QmpAccelerator.Arguments(qmpSocket)) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("-serial");
        psi.ArgumentList.Add($"file:{logPath}");
        return Process.Start(psi)!;
    }

    public static void Stop(Process qemu)
    {
        try { if (!qemu.HasExited) qemu.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        qemu.WaitForExit();
        qemu.Dispose();
    }

    /// <summary>Time from QEMU's start to the first answered UDP echo; probes every 10 ms. NaN on timeout.</summary>
    public static double FirstEcho(EchoLoadGenerator generator, long startTicks, TimeSpan timeout)
    {
        long before = generator.Echoes;
        var watch = Stopwatch.StartNew();
        for (int probe = 0; watch.Elapsed < timeout; probe++)
        {
            generator.Send(1_000_000 + probe, 18);
            for (int spin = 0; spin < 10; spin++)
            {
                if (generator.Echoes > before)
                {
                    long first = long.MaxValue;
                    for (int p = 0; p <= probe; p++) { long a = generator.ArrivalOf(1_000_000 + p); if (a != 0 && a < first) first = a; }
                    return EchoLoadGenerator.TicksToMicroseconds(first - startTicks) / 1000;
                }
                Thread.Sleep(1);
            }
        }
        return double.NaN;
    }

    /// <summary>Ping-pong: one request in flight at a time; returns the percentiles of the round trips.</summary>
    public static LatencyStats PingPong(EchoLoadGenerator generator, int count, int firstSequence)
    {
        var rtts = new List<double>(count);
        int lost = 0;
        for (int i = 0; i < count; i++)
        {
            int seq = firstSequence + i;
            long sent = generator.Now;
            generator.Send(seq, 64);
            long deadline = sent + Stopwatch.Frequency / 5; // 200 ms
            long arrival;
            while ((arrival = generator.ArrivalOf(seq)) == 0 && generator.Now < deadline) Thread.SpinWait(20);
            if (arrival == 0) { lost++; continue; }
            rtts.Add(EchoLoadGenerator.TicksToMicroseconds(arrival - sent));
        }
        rtts.Sort();
        double At(double q) => rtts.Count == 0 ? double.NaN : rtts[Math.Min(rtts.Count - 1, (int)(q * rtts.Count))];
        return new LatencyStats(At(0.50), At(0.99), rtts.Count == 0 ? double.NaN : rtts[^1], lost);
    }

    /// <summary>
    /// Echoes per second with <see cref="Window"/> requests in flight, for <paramref name="duration"/>. When
    /// nothing comes back for 50 ms the window is assumed lost and refilled (losses are not retried). Between
    /// refills the sender sleeps until an echo arrives (at most 1 ms) rather than spinning, so that it leaves the
    /// machine's cores to QEMU and the guest.
    /// </summary>
    public static double WindowedRate(EchoLoadGenerator generator, int payload, TimeSpan duration, ref int sequence)
    {
        long startEchoes = generator.Echoes;
        long sent = 0;
        var watch = Stopwatch.StartNew();
        long lastProgressTicks = 0, lastEchoes = startEchoes;
        while (watch.Elapsed < duration)
        {
            generator.ResetEchoSignal();
            long received = generator.Echoes - startEchoes;
            while (sent - received < Window) { generator.Send(sequence++, payload); sent++; }
            long echoes = generator.Echoes;
            if (echoes != lastEchoes) { lastEchoes = echoes; lastProgressTicks = watch.ElapsedTicks; }
            else if (watch.ElapsedTicks - lastProgressTicks > Stopwatch.Frequency / 20) { sent = echoes - startEchoes; lastProgressTicks = watch.ElapsedTicks; Stalls++; }
            generator.WaitForEcho(1);
        }
        double seconds = watch.Elapsed.TotalSeconds;
        Thread.Sleep(100);
        return (generator.Echoes - startEchoes) / seconds;
    }
}
