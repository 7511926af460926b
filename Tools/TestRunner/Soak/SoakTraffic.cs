using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Cosmos.TestRunner.HostChecks;
using Cosmos.TestRunner.Tap;

namespace Cosmos.TestRunner.Soak;

/// <summary>What one kind of traffic did during the soak (counts only grow; read at the end).</summary>
public sealed class TrafficTally
{
    public long Sent, Answered, Lost, Wrong, Errors;
    public string? FirstError;
    public string Extra = "";

    public void Error(string what)
    {
        Interlocked.Increment(ref Errors);
        Interlocked.CompareExchange(ref FirstError, what, null);
    }
}

/// <summary>
/// The soak's four kinds of traffic from the tap's network namespace with the host kernel's own stack, each in its own loop
/// until the deadline: flood ping (Debian's ping -f), UDP echo of 8 to 1,472 bytes checked byte for byte, TCP connections
/// to echo on port 7 opened, used and closed, and wrk on keep-alive connections to the status page on port 80. Each loop
/// keeps going after a failure (it is counted), so one bad moment does not hide what the rest of the run did.
/// </summary>
public static class SoakTraffic
{
    public static Task FloodPing(TapNetwork tap, IPAddress kernel, DateTime until, TrafficTally t, CancellationToken cancel) => Task.Run(() =>
    {
        while (!cancel.IsCancellationRequested)
        {
            int seconds = (int)(until - DateTime.UtcNow).TotalSeconds;
            if (seconds < 5) return;
            // Batches of 2,000: each batch's loss is counted from ping's own summary; -w bounds a batch that stalls.
            HostCommandResult r = tap.Namespace.Run("ping", ["-f", "-q", "-c", "2000", "-w", Math.Min(seconds, 120).ToString(), kernel.ToString()],
                TimeSpan.FromSeconds(Math.Min(seconds, 120) + 30), allowFailure: true);
            Match m = Regex.Match(r.Output, @"(\d+) packets transmitted, (\d+) (?:packets )?received");
            if (!m.Success) { t.Error($"ping -f printed no summary (exit {r.ExitCode}): {r.Output.Trim()}"); continue; }
            long sent = long.Parse(m.Groups[1].Value), received = long.Parse(m.Groups[2].Value);
            t.Sent += sent;
            t.Answered += received;
            t.Lost += sent - received;
        }
    }, CancellationToken.None);

    public static Task UdpEcho(TapNetwork tap, IPAddress kernel, DateTime until, TrafficTally t, CancellationToken cancel) => Task.Run(async () =>
    {
        using Socket udp = tap.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Any, 0));
        var target = new IPEndPoint(kernel, 7);
        var random = new Random(17);
        var reply = new byte[2048];
        while (DateTime.UtcNow < until && !cancel.IsCancellationRequested)
        {
            // 8 to 1,472 bytes, the first 8 the datagram's number, so a late echo of an earlier one is told apart.
            long number = t.Sent;
            byte[] payload = new byte[8 + random.Next(1465)];
            random.NextBytes(payload);
            BitConverter.TryWriteBytes(payload.AsSpan(0, 8), number);
            await udp.SendToAsync(payload, target, cancel);
            t.Sent++;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            wait.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                while (true)
                {
                    int n = await udp.ReceiveAsync(reply, wait.Token);
                    if (reply.AsSpan(0, n).SequenceEqual(payload)) { t.Answered++; break; }
                    long echoed = n >= 8 ? BitConverter.ToInt64(reply, 0) : -1;
                    if (echoed >= 0 && echoed < number) continue; // an earlier datagram's late echo (counted lost then)
                    t.Wrong++;
                    t.Error($"UDP datagram {number}: {n} bytes back that are not its echo");
                    break;
                }
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested) { t.Lost++; }
        }
    }, CancellationToken.None);

    public static Task TcpConnections(TapNetwork tap, IPAddress kernel, DateTime until, TrafficTally t, CancellationToken cancel) => Task.Run(async () =>
    {
        var random = new Random(27);
        var back = new byte[16384];
        while (DateTime.UtcNow < until && !cancel.IsCancellationRequested)
        {
            byte[] data = new byte[1 + random.Next(16384)];
            random.NextBytes(data);
            t.Sent++;
            try
            {
                using Socket socket = tap.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                limit.CancelAfter(TimeSpan.FromSeconds(30));
                await socket.ConnectAsync(new IPEndPoint(kernel, 7), limit.Token);
                await socket.SendAsync(data, limit.Token);
                int got = 0;
                while (got < data.Length)
                {
                    int n = await socket.ReceiveAsync(back.AsMemory(got, data.Length - got), limit.Token);
                    if (n == 0) break;
                    got += n;
                }
                if (got == data.Length && back.AsSpan(0, got).SequenceEqual(data)) t.Answered++;
                else { t.Wrong++; t.Error($"connection {t.Sent}: {got} of {data.Length} bytes back{(got == data.Length ? ", different" : "")}"); }
                socket.Shutdown(SocketShutdown.Both); // we close first: TIME_WAIT stays on the host's side
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancel.IsCancellationRequested)
            {
                t.Error($"connection {t.Sent}: {e.GetType().Name}: {e.Message}");
            }
        }
    }, CancellationToken.None);

    public static Task Wrk(TapNetwork tap, IPAddress kernel, DateTime until, TrafficTally t, CancellationToken cancel) => Task.Run(() =>
    {
        double latencyMax = 0;
        while (!cancel.IsCancellationRequested)
        {
            int seconds = Math.Min(30, (int)(until - DateTime.UtcNow).TotalSeconds - 3);
            if (seconds < 3) break;
            // Keep-alive on 4 connections to the status page; wrk's own timeout raised to 10 s (TCG on a shared machine).
            HostCommandResult r = tap.Namespace.Run("wrk", ["-t1", "-c4", $"-d{seconds}s", "--timeout", "10s", $"http://{kernel}/"],
                TimeSpan.FromSeconds(seconds + 40), allowFailure: true);
            WrkReport? report = WrkReport.Parse(r.Output);
            if (report == null) { t.Error($"wrk printed no report (exit {r.ExitCode}): {r.Output.Trim()}"); continue; }
            t.Sent += report.Requests;
            t.Answered += report.Requests - report.Non2xx3xx;
            t.Wrong += report.Non2xx3xx;
            if (report.SocketErrors > 0) t.Error($"wrk: {report.Summary}");
            latencyMax = Math.Max(latencyMax, report.LatencyMaxMs);
            t.Extra = $", latency max {latencyMax:0.0} ms";
        }
    }, CancellationToken.None);
}
