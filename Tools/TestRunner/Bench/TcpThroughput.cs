using System.Diagnostics;
using Cosmos.Hal.Network;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols.Tcp;
using Cosmos.Net.Wire;

namespace Cosmos.TestRunner.Bench;

/// <summary>
/// TCP throughput against a guest's TCP echo: the client is this project's own TCP stack (Net/, compiled for
/// the host) on the generator's link, so both guests face the same client. Bytes are written and read back
/// on every connection; throughput is echoed payload per second.
/// </summary>
public static class TcpThroughput
{
    /// <summary>The client's own repairs during the last <see cref="Measure"/>: all retransmissions, those on duplicate ACKs, and timer expiries.</summary>
    public static (long Retransmissions, long Fast, long Timeouts) LastClientRepairs { get; private set; }

    private const int Period = 251;

    /// <summary>Bytes of the last <see cref="Measure"/>'s echo that differed from what was sent.</summary>
    public static long LastMismatchedBytes { get; private set; }

    /// <summary>Megabits per second of echoed payload over <paramref name="connections"/> connections; NaN when it stalls.</summary>
    public static double Measure(EchoLoadGenerator generator, int connections, int bytesPerConnection, TimeSpan timeout) =>
        Measure(new Peers.RawLinkDevice(generator.SendRaw, sink => generator.FrameSink = sink, EchoLoadGenerator.GeneratorMac), connections, bytesPerConnection, timeout);

    /// <summary>The same over any raw Ethernet link to the guest (10.0.3.1 on our side, the guest at 10.0.3.15); the device is disposed.</summary>
    public static double Measure(Peers.RawLinkDevice device, int connections, int bytesPerConnection, TimeSpan timeout)
    {
        LastClientRepairs = default;
        using var owned = device;
        var stack = new NetworkInterface(device);
        stack.Configure(new Ipv4Address(10, 0, 3, 1), 24, default, default);
        var clock = Stopwatch.StartNew();
        var guest = new Ipv4Address(10, 0, 3, 15);
        var conns = new TcpConnection[connections];
        for (int i = 0; i < connections; i++) conns[i] = stack.Tcp.Connect(guest, 7, clock.ElapsedMilliseconds)!;
        var sent = new int[connections];
        var received = new int[connections];
        // The stream is a pattern with period 251 (prime, so it never lines up with segment or block sizes): byte p of
        // it is p % 251, and what comes back is compared with it.
        byte[] chunk = new byte[16384 + Period];
        for (int i = 0; i < chunk.Length; i++) chunk[i] = (byte)(i % Period);
        byte[] sink = new byte[65536];
        LastMismatchedBytes = 0;
        long startMs = -1;
        while (clock.Elapsed < timeout)
        {
            stack.Poll(clock.ElapsedMilliseconds);
            bool allDone = true;
            for (int i = 0; i < connections; i++)
            {
                TcpConnection c = conns[i];
                if (!c.IsEstablished) { allDone = false; continue; }
                if (startMs < 0) startMs = clock.ElapsedMilliseconds;
                if (sent[i] < bytesPerConnection) sent[i] += c.Write(chunk.AsSpan(sent[i] % Period, Math.Min(16384, bytesPerConnection - sent[i])));
                int n = c.Read(sink);
                for (int j = 0; j < n; j++) if (sink[j] != (byte)((received[i] + j) % Period)) LastMismatchedBytes++;
                received[i] += n;
                if (received[i] < bytesPerConnection) allDone = false;
            }
            if (allDone && startMs >= 0)
            {
                double seconds = (clock.ElapsedMilliseconds - startMs) / 1000.0;
                LastClientRepairs = (conns.Sum(c => c.Retransmissions), conns.Sum(c => c.FastRetransmits), conns.Sum(c => c.Timeouts));
                foreach (var c in conns) c.Close();
                for (int i = 0; i < 50; i++) { stack.Poll(clock.ElapsedMilliseconds); Thread.Sleep(1); }
                return (double)bytesPerConnection * connections * 8 / 1e6 / Math.Max(seconds, 1e-3);
            }
            if (stack.Poll(clock.ElapsedMilliseconds) == false) Thread.Yield();
        }
        foreach (var c in conns) c.Abort();
        return double.NaN;
    }
}
