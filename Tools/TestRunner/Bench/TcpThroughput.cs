using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
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
    /// <summary>An <see cref="INetworkDevice"/> over the generator's datagram socket.</summary>
    private sealed unsafe class GeneratorDevice : INetworkDevice, IDisposable
    {
        private const int Slots = 1024, SlotSize = 2048;
        private readonly EchoLoadGenerator _generator;
        private readonly byte* _memory = (byte*)NativeMemory.AllocZeroed(Slots * SlotSize);
        private readonly Stack<int> _free = new();
        private readonly ConcurrentQueue<byte[]> _inbound = new();
        private NetworkDeviceCounters _counters;

        public GeneratorDevice(EchoLoadGenerator generator)
        {
            _generator = generator;
            for (int i = Slots - 1; i >= 0; i--) _free.Push(i);
            generator.FrameSink = (buffer, n) => _inbound.Enqueue(buffer.AsSpan(0, n).ToArray());
        }

        public string Name => "generator";
        public MacAddress Mac => new(EchoLoadGenerator.GeneratorMac);
        public bool LinkUp => true;
        public int Mtu => 1500;
        public bool IsOperational => true;
        public bool CanOffloadTransmitChecksum => false;
        public ref readonly NetworkDeviceCounters Counters => ref _counters;
        public void Poll() { }

        public bool TryReceive(out ReceivedFrame frame)
        {
            frame = default;
            if (_free.Count == 0 || !_inbound.TryDequeue(out byte[]? bytes)) return false;
            int slot = _free.Pop();
            bytes.CopyTo(new Span<byte>(_memory + slot * SlotSize, SlotSize));
            frame = new ReceivedFrame(_memory + slot * SlotSize, bytes.Length, slot, false);
            return true;
        }

        public void Release(in ReceivedFrame frame) => _free.Push(frame.Token);

        public bool TryReserveTransmit(out TransmitBuffer buffer)
        {
            buffer = default;
            if (_free.Count == 0) return false;
            int slot = _free.Pop();
            buffer = new TransmitBuffer(_memory + slot * SlotSize, 1514, slot);
            return true;
        }

        public void Transmit(in TransmitBuffer buffer, int length, ChecksumOffload checksum)
        {
            _generator.SendRaw(new ReadOnlySpan<byte>(buffer.Data, length));
            _free.Push(buffer.Token);
        }

        public void CancelTransmit(in TransmitBuffer buffer) => _free.Push(buffer.Token);
        public int MaxSegmentationFrame => 0;
        public bool TryReserveLargeTransmit(out TransmitBuffer buffer) { buffer = default; return false; }
        public void TransmitSegmented(in TransmitBuffer buffer, int length, ChecksumOffload checksum, SegmentationOffload segmentation) => throw new NotSupportedException();
        public void Flush() { }

        public void Dispose()
        {
            _generator.FrameSink = null;
            NativeMemory.Free(_memory);
        }
    }

    /// <summary>The client's own repairs during the last <see cref="Measure"/>: all retransmissions, those on duplicate ACKs, and timer expiries.</summary>
    public static (long Retransmissions, long Fast, long Timeouts) LastClientRepairs { get; private set; }

    /// <summary>Megabits per second of echoed payload over <paramref name="connections"/> connections; NaN when it stalls.</summary>
    public static double Measure(EchoLoadGenerator generator, int connections, int bytesPerConnection, TimeSpan timeout)
    {
        LastClientRepairs = default;
        using var device = new GeneratorDevice(generator);
        var stack = new NetworkInterface(device);
        stack.Configure(new Ipv4Address(10, 0, 3, 1), 24, default, default);
        var clock = Stopwatch.StartNew();
        var guest = new Ipv4Address(10, 0, 3, 15);
        var conns = new TcpConnection[connections];
        for (int i = 0; i < connections; i++) conns[i] = stack.Tcp.Connect(guest, 7, clock.ElapsedMilliseconds)!;
        var sent = new int[connections];
        var received = new int[connections];
        byte[] chunk = new byte[16384];
        byte[] sink = new byte[65536];
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
                if (sent[i] < bytesPerConnection) sent[i] += c.Write(chunk.AsSpan(0, Math.Min(chunk.Length, bytesPerConnection - sent[i])));
                received[i] += c.Read(sink);
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
