using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cosmos.TestRunner.Bench;

/// <summary>
/// The benchmark's load generator: a host on the guest's link over QEMU's datagram backend (one UDP datagram
/// per Ethernet frame). It answers ARP for its address and sends UDP echo requests whose payload starts with a
/// sequence number; a receive thread timestamps every echo. Frames are built by hand at fixed offsets so the
/// generator itself costs little per packet (its own rate is measured against a trivial reflector).
/// </summary>
public sealed class EchoLoadGenerator : IDisposable
{
    public static readonly byte[] GeneratorMac = [0x02, 0, 0, 0, 0, 0x03];
    public static readonly byte[] GuestMac = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
    public static readonly byte[] GeneratorIp = [10, 0, 3, 1];
    public static readonly byte[] GuestIp = [10, 0, 3, 15];

    private readonly Socket _socket;
    private EndPoint _target;
    private readonly Thread _receiver;
    private volatile bool _stopped;
    private readonly long[] _arrival = new long[1 << 20];   // per sequence: Stopwatch ticks of the echo, 0 = none
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _echoes;
    private readonly byte[] _frame = new byte[1514];
    // Set by the receive thread for each echo, so a sender can sleep until one comes back instead of spinning:
    // on a 2-core machine a spinning sender takes a core from QEMU's I/O thread and the guest's vCPU.
    private readonly ManualResetEventSlim _echoArrived = new(false, spinCount: 1);

    /// <summary>Clears the "an echo arrived" signal; <see cref="WaitForEcho"/> then returns when the next one does.</summary>
    public void ResetEchoSignal() => _echoArrived.Reset();

    /// <summary>Sleeps until an echo arrives after the last <see cref="ResetEchoSignal"/>, or the timeout passes.</summary>
    public bool WaitForEcho(int timeoutMs) => _echoArrived.Wait(timeoutMs);

    /// <summary>When set, every received frame goes here instead (the host-side TCP stack takes over the link).</summary>
    public volatile Action<byte[], int>? FrameSink;

    public int GeneratorPort { get; }
    public int TargetPort { get; private set; }
    public long Echoes => Interlocked.Read(ref _echoes);
    public long Now => _clock.ElapsedTicks;
    public static double TicksToMicroseconds(long ticks) => ticks * 1e6 / Stopwatch.Frequency;

    public EchoLoadGenerator()
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 16 << 20, SendBufferSize = 16 << 20 };
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        GeneratorPort = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        TargetPort = FreePort();
        _target = new IPEndPoint(IPAddress.Loopback, TargetPort);
        _receiver = new Thread(Receive) { IsBackground = true, Name = "generator-rx" };
        _receiver.Start();
    }

    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public string Netdev =>
        $"dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port={TargetPort},remote.type=inet,remote.host=127.0.0.1,remote.port={GeneratorPort}";

    /// <summary>Points the generator at a reflector instead of QEMU (to measure the generator alone).</summary>
    public void Retarget(int port) { TargetPort = port; _target = new IPEndPoint(IPAddress.Loopback, port); }

    public void ResetArrivals() => Array.Clear(_arrival);
    public long ArrivalOf(int sequence) => Volatile.Read(ref _arrival[sequence & (_arrival.Length - 1)]);

    private void Receive()
    {
        var buffer = new byte[2048];
        _socket.ReceiveTimeout = 200;
        while (!_stopped)
        {
            int n;
            try { n = _socket.Receive(buffer); }
            catch (SocketException) { continue; }
            catch (ObjectDisposedException) { return; }
            if (FrameSink is { } sink) { sink(buffer, n); continue; }
            if (n < 42) continue;
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(12));
            if (type == 0x0806) { AnswerArp(buffer, n); continue; }
            // IPv4 / UDP from port 7 (the echo): sequence at the payload start.
            if (type != 0x0800 || buffer[23] != 17 || n < 46) continue;
            int ipHeader = (buffer[14] & 0xF) * 4;
            int udp = 14 + ipHeader;
            ushort sourcePort = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(udp));
            if (sourcePort == StatsPort)
            {
                int length = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(udp + 4)) - 8;
                _lastStats = System.Text.Encoding.ASCII.GetString(buffer, udp + 8, Math.Clamp(length, 0, n - udp - 8));
                continue;
            }
            if (sourcePort != 7) continue;
            int sequence = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(udp + 8));
            Volatile.Write(ref _arrival[sequence & (_arrival.Length - 1)], _clock.ElapsedTicks);
            Interlocked.Increment(ref _echoes);
            _echoArrived.Set();
        }
    }

    /// <summary>ARP (RFC 826): the guest asks who has 10.0.3.1 before it can answer.</summary>
    private void AnswerArp(byte[] request, int length)
    {
        if (length < 42 || BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(20)) != 1) return;
        if (!request.AsSpan(38, 4).SequenceEqual(GeneratorIp)) return;
        var reply = new byte[60];
        request.AsSpan(6, 6).CopyTo(reply);
        GeneratorMac.CopyTo(reply, 6);
        reply[12] = 0x08; reply[13] = 0x06;
        reply[14] = 0; reply[15] = 1; reply[16] = 0x08; reply[17] = 0; reply[18] = 6; reply[19] = 4; reply[20] = 0; reply[21] = 2;
        GeneratorMac.CopyTo(reply, 22);
        GeneratorIp.CopyTo(reply, 28);
        request.AsSpan(22, 10).CopyTo(reply.AsSpan(32)); // the asker's MAC and IP as target
        lock (_socket) _socket.SendTo(reply, _target);
    }

    /// <summary>The guests' statistics port (Kernel/Networking/BenchStatsService.cs, Bench/LinuxGuest/echo-init.c).</summary>
    public const ushort StatsPort = 7007;
    private volatile string? _lastStats;

    /// <summary>Asks the guest for its busy-time counters; null if it does not answer in time.</summary>
    public string? QueryStats(TimeSpan timeout)
    {
        _lastStats = null;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            Send(0, 18, StatsPort);
            for (int i = 0; i < 50 && _lastStats == null; i++) Thread.Sleep(10);
            if (_lastStats is { } stats) return stats;
        }
        return null;
    }

    /// <summary>Sends one UDP echo request with <paramref name="payloadBytes"/> bytes (the first four are the sequence).</summary>
    public void Send(int sequence, int payloadBytes, ushort destinationPort = 7)
    {
        lock (_socket)
        {
            Span<byte> f = _frame;
            int ipLength = 20 + 8 + payloadBytes;
            GuestMac.CopyTo(f);
            GeneratorMac.CopyTo(f[6..]);
            f[12] = 0x08; f[13] = 0x00;
            f[14] = 0x45; f[15] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(f[16..], (ushort)ipLength);
            BinaryPrimitives.WriteUInt16BigEndian(f[18..], (ushort)sequence);
            f[20] = 0x40; f[21] = 0; f[22] = 64; f[23] = 17; f[24] = 0; f[25] = 0;
            GeneratorIp.CopyTo(f[26..]);
            GuestIp.CopyTo(f[30..]);
            uint sum = 0;
            for (int i = 14; i < 34; i += 2) sum += (uint)(f[i] << 8 | f[i + 1]);
            while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
            BinaryPrimitives.WriteUInt16BigEndian(f[24..], (ushort)~sum);
            BinaryPrimitives.WriteUInt16BigEndian(f[34..], 40000);
            BinaryPrimitives.WriteUInt16BigEndian(f[36..], destinationPort);
            BinaryPrimitives.WriteUInt16BigEndian(f[38..], (ushort)(8 + payloadBytes));
            f[40] = 0; f[41] = 0; // no UDP checksum (RFC 768 allows it over IPv4)
            BinaryPrimitives.WriteInt32BigEndian(f[42..], sequence);
            int length = Math.Max(60, 14 + ipLength);
            f[(46)..length].Clear();
            _socket.SendTo(_frame.AsSpan(0, length), SocketFlags.None, _target);
        }
    }

    public void SendRaw(ReadOnlySpan<byte> frame)
    {
        lock (_socket) _socket.SendTo(frame, SocketFlags.None, _target);
    }

    public void Dispose()
    {
        _stopped = true;
        _socket.Dispose();
    }
}

/// <summary>A trivial reflector: sends each frame straight back with addresses and ports swapped (the generator's own ceiling).</summary>
public sealed class Reflector : IDisposable
{
    private readonly Socket _socket;
    private readonly Thread _thread;
    private volatile bool _stopped;
    public int Port { get; }

    public Reflector(int generatorPort)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 16 << 20 };
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        var back = new IPEndPoint(IPAddress.Loopback, generatorPort);
        _thread = new Thread(() =>
        {
            var b = new byte[2048];
            _socket.ReceiveTimeout = 200;
            while (!_stopped)
            {
                int n;
                try { n = _socket.Receive(b); } catch (SocketException) { continue; } catch (ObjectDisposedException) { return; }
                if (n < 42 || b[12] != 0x08 || b[13] != 0) continue;
                for (int i = 0; i < 6; i++) (b[i], b[6 + i]) = (b[6 + i], b[i]);
                for (int i = 0; i < 4; i++) (b[26 + i], b[30 + i]) = (b[30 + i], b[26 + i]);
                (b[34], b[36]) = (b[36], b[34]);
                (b[35], b[37]) = (b[37], b[35]);
                _socket.SendTo(b.AsSpan(0, n), SocketFlags.None, back);
            }
        }) { IsBackground = true };
        _thread.Start();
    }

    public void Dispose()
    {
        _stopped = true;
        _socket.Dispose();
    }
}
