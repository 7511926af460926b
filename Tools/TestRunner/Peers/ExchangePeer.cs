using System.Net;
using System.Net.Sockets;
using Cosmos.Kernel.SelfTests.Shared;

namespace Cosmos.TestRunner.Peers;

/// <summary>What the peer saw: to be compared with the kernel's own EXCHANGE line.</summary>
public sealed record ExchangeResult(long FramesSent, long FramesReceived, uint DataReceivedInOrder, uint DataAcknowledged,
    long Corrupt, long OutOfOrder, long Duplicates, long Foreign, long Retransmits, bool SawKernel, TimeSpan Elapsed);

/// <summary>
/// The host side of the raw-Ethernet exchange (Kernel/SelfTests/Shared/ExchangeProtocol.cs) over QEMU's
/// datagram network backend: QEMU sends each guest frame as one UDP datagram to our port and delivers our
/// datagrams to the guest. No root, no tap device.
/// </summary>
public sealed class ExchangePeer : IDisposable
{
    private static readonly byte[] PeerMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];
    private readonly Socket _socket;
    private readonly IPEndPoint _qemu;
    private readonly uint _count;

    public int PeerPort { get; }
    public int QemuPort { get; }

    public ExchangePeer(uint count)
    {
        _count = count;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = 8 << 20,
            SendBufferSize = 8 << 20,
        };
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        PeerPort = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        QemuPort = FreeUdpPort();
        _qemu = new IPEndPoint(IPAddress.Loopback, QemuPort);
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>QEMU -netdev for this peer (QEMU 7.2+ dgram backend).</summary>
    public string Netdev =>
        $"dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port={QemuPort},remote.type=inet,remote.host=127.0.0.1,remote.port={PeerPort}";

    public Task<ExchangeResult> RunAsync(CancellationToken cancel) => Task.Factory.StartNew(() => Run(cancel),
        cancel, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private ExchangeResult Run(CancellationToken cancel)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        byte[] kernelMac = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        byte[] rx = new byte[2048], tx = new byte[2048];
        long sent = 0, received = 0, corrupt = 0, outOfOrder = 0, duplicates = 0, foreign = 0, retransmits = 0;
        uint nextToSend = 0, acked = 0, nextExpected = 0, sinceAck = 0;
        bool sawKernel = false;
        long lastProgress = 0, lastControl = 0, completedAt = -1;
        _socket.ReceiveTimeout = 20;

        void Send(byte kind, uint sequence)
        {
            int length = ExchangeProtocol.Write(tx, kernelMac, PeerMac, kind, sequence, _count);
            _socket.SendTo(tx.AsSpan(0, length), SocketFlags.None, _qemu);
            sent++;
        }

        while (!cancel.IsCancellationRequested)
        {
            // Drain what has arrived.
            while (_socket.Available > 0 || Poll(_socket))
            {
                int n;
                try { n = _socket.Receive(rx); }
                catch (SocketException) { break; }
                received++;
                ReadOnlySpan<byte> frame = rx.AsSpan(0, n);
                if (!ExchangeProtocol.TryParse(frame, out byte kind, out uint sequence, out _)) { foreign++; continue; }
                if (!sawKernel) { frame.Slice(6, 6).CopyTo(kernelMac); sawKernel = true; lastProgress = watch.ElapsedMilliseconds; Send(ExchangeProtocol.Ack, 0); }
                switch (kind)
                {
                    case ExchangeProtocol.DataFromKernel:
                        if (sequence == nextExpected)
                        {
                            if (!ExchangeProtocol.IsIntact(frame, sequence)) { corrupt++; break; }
                            nextExpected++;
                            if (++sinceAck >= ExchangeProtocol.AckEvery || nextExpected == _count) { Send(ExchangeProtocol.Ack, nextExpected); sinceAck = 0; }
                        }
                        else if (sequence < nextExpected) duplicates++;
                        else outOfOrder++;
                        break;
                    case ExchangeProtocol.Ack:
                        if (sequence > acked && sequence <= nextToSend) { acked = sequence; lastProgress = watch.ElapsedMilliseconds; }
                        break;
                    case ExchangeProtocol.Hello:
                        break;
                    default:
                        foreign++;
                        break;
                }
            }
            if (sawKernel)
                while (nextToSend < _count && nextToSend - acked < ExchangeProtocol.Window) Send(ExchangeProtocol.DataFromPeer, nextToSend++);

            long now = watch.ElapsedMilliseconds;
            if (sawKernel && now - lastControl >= 100)
            {
                lastControl = now;
                Send(ExchangeProtocol.Ack, nextExpected);
                sinceAck = 0;
            }
            if (sawKernel && now - lastProgress > 500 && nextToSend > acked)
            {
                retransmits += nextToSend - acked;
                nextToSend = acked;
                lastProgress = now;
            }
            // Done when both directions are complete; linger briefly (still acknowledging) in case our
            // last ACK was lost and the kernel sends again.
            if (acked == _count && nextExpected == _count)
            {
                if (completedAt < 0) completedAt = now;
                else if (now - completedAt > 300) break;
            }
        }
        return new ExchangeResult(sent, received, nextExpected, acked, corrupt, outOfOrder, duplicates, foreign, retransmits, sawKernel, watch.Elapsed);
    }

    private static bool Poll(Socket socket)
    {
        try { return socket.Poll(20_000, SelectMode.SelectRead); }
        catch (SocketException) { return false; }
    }

    public void Dispose() => _socket.Dispose();
}
