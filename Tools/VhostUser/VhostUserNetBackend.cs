using Cosmos.VhostUser.Endpoints;
using Cosmos.VhostUser.Interop;
using Cosmos.VhostUser.Memory;
using Cosmos.VhostUser.Net;
using Cosmos.VhostUser.Protocol;
using Cosmos.VhostUser.Rings;

namespace Cosmos.VhostUser;

/// <summary>What the back end offers and where its frames go.</summary>
public sealed record BackendOptions
{
    public required string SocketPath { get; init; }
    public required IFrameEndpoint Endpoint { get; init; }
    /// <summary>Virtio feature bits offered to the driver (QEMU adds its own device's, such as MAC and STATUS).</summary>
    public ulong Features { get; init; } = DefaultFeatures;
    public ProtocolFeatures Protocol { get; init; } = ProtocolFeatures.MultiQueue | ProtocolFeatures.ReplyAck;
    public Action<string>? Log { get; init; }
    /// <summary>Scripted misbehaviour against the driver (null: a well-behaved device).</summary>
    public Hostile.HostileScript? Hostile { get; init; }
    /// <summary>Hold each transmit completion until the next turn and check the guest did not change the buffer meanwhile (<see cref="Canary.TransmitCanary"/>); not with a hostile script.</summary>
    public bool TransmitCanary { get; init; }
    /// <summary>Plant a pattern in posted receive buffers and check it at use and at the next post (<see cref="Canary.ReceiveCanary"/>), and check the driver never writes used idx; with a hostile script too.</summary>
    public bool ReceiveCanary { get; init; }

    public static readonly ulong DefaultFeatures =
        FeatureBits.Bit(FeatureBits.Version1) | FeatureBits.Bit(FeatureBits.NetMergeableRxBuffers) | FeatureBits.Bit(FeatureBits.EventIndex) |
        FeatureBits.Bit(FeatureBits.IndirectDescriptors) | FeatureBits.Bit(FeatureBits.AnyLayout) | FeatureBits.Bit(FeatureBits.ProtocolFeatures);
}

/// <summary>
/// A vhost-user-net back end (QEMU's docs/interop/vhost-user.rst; its test server tests/qtest/vhost-user-test.c and
/// front end hw/virtio/vhost-user.c were read to see what QEMU sends and expects): it listens on a Unix socket, QEMU
/// (<c>-chardev socket,path=...</c> with <c>-netdev vhost-user</c>) connects, and the guest's virtio-net queues are then
/// served here, in this process, from the guest's RAM mapped through the fds QEMU passes. Queue 0 receives, queue 1
/// transmits (virtio 1.2 §5.1.2). Two threads: the control thread reads protocol messages; the data-plane thread waits on
/// the kick eventfds and the endpoint and moves frames. Both take <see cref="_gate"/> to touch ring state.
/// </summary>
public sealed partial class VhostUserNetBackend : IDisposable
{
    public const int ReceiveQueue = 0, TransmitQueue = 1;

    private readonly BackendOptions _options;
    private readonly object _gate = new();
    private readonly Vring[] _vrings = [new Vring(ReceiveQueue), new Vring(TransmitQueue)];
    private readonly Thread _control, _dataPlane;
    private readonly int _wakeFd;
    private int _listenFd = -1;
    private MessageChannel? _channel;
    private volatile bool _stopping;
    private GuestMemoryMap? _memory;
    private ulong _ackedFeatures;
    private ProtocolFeatures _ackedProtocol;
    private readonly Hostile.HostileCompletions? _hostile;
    private readonly Canary.TransmitCanary? _canary;
    /// <summary>The transmit ownership check, when on (its counts are read after the boot).</summary>
    public Canary.TransmitCanary? TransmitCanary => _canary;
    private readonly Canary.ReceiveCanary? _rxCanary;
    /// <summary>The receive ownership check, when on.</summary>
    public Canary.ReceiveCanary? ReceiveCanary => _rxCanary;
    /// <summary>With the receive canary on: a used idx found in guest memory that is not what we published (the driver wrote the device's part of a ring), the first one.</summary>
    public string? FirstUsedIndexOverwrite { get; private set; }

    public BackendCounters Counters { get; } = new();
    public string SocketPath => _options.SocketPath;
    /// <summary>Front-end connections accepted (QEMU reconnecting counts again).</summary>
    public int Connections { get; private set; }
    /// <summary>The virtio features the driver accepted (SET_FEATURES, without the vhost-user bit).</summary>
    public ulong NegotiatedFeatures => _ackedFeatures & ~FeatureBits.Bit(FeatureBits.ProtocolFeatures);
    public ProtocolFeatures NegotiatedProtocol => _ackedProtocol;
    /// <summary>Every message id received, in order (for tests and the log).</summary>
    public List<FrontEndRequest> Received { get; } = new();
    /// <summary>Why the last ring stopped on a guest error, or null.</summary>
    public string? LastGuestError { get; private set; }
    /// <summary>A bug of ours that ended one of the back end's threads (its exception), or null; the host process lives on.</summary>
    public string? BackendFault { get; private set; }
    /// <summary>Set when both queues run: the driver reached DRIVER_OK and QEMU started vhost.</summary>
    public bool QueuesRunning { get { lock (_gate) return _vrings[0].Running && _vrings[1].Running; } }

    public VhostUserNetBackend(BackendOptions options)
    {
        _options = options;
        _hostile = options.Hostile is { } script ? new Hostile.HostileCompletions(script) : null;
        _canary = options.TransmitCanary && options.Hostile == null ? new Canary.TransmitCanary() : null;
        // The receive canary changes no completion, so it runs under a hostile script too (and across the resets it causes).
        _rxCanary = options.ReceiveCanary ? new Canary.ReceiveCanary() : null;
        _wakeFd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (_wakeFd < 0) throw new IOException($"eventfd: errno {Libc.Errno}");
        Listen();
        _control = new Thread(ControlLoop) { IsBackground = true, Name = "vhost-user control" };
        _dataPlane = new Thread(DataPlaneLoop) { IsBackground = true, Name = "vhost-user data plane" };
        _control.Start();
        _dataPlane.Start();
    }

    private void Log(string line) => _options.Log?.Invoke(line);

    private unsafe void Listen()
    {
        File.Delete(_options.SocketPath);
        _listenFd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        if (_listenFd < 0) throw new IOException($"socket: errno {Libc.Errno}");
        byte[] address = Libc.UnixAddress(_options.SocketPath);
        fixed (byte* a = address)
            if (Libc.bind(_listenFd, a, (uint)address.Length) != 0) throw new IOException($"bind {_options.SocketPath}: errno {Libc.Errno}");
        if (Libc.listen(_listenFd, 1) != 0) throw new IOException($"listen: errno {Libc.Errno}");
    }

    /// <summary>Waits until QEMU has started both queues (true) or the time is up.</summary>
    public bool WaitUntilRunning(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (QueuesRunning) return true;
            Thread.Sleep(20);
        }
        return false;
    }

    /// <summary>
    /// Runs one of the back end's threads so that an exception of ours ends that thread, recorded in
    /// <see cref="BackendFault"/>, instead of the host process: the runner hosts this back end and must go on to judge the
    /// boot and tear it down.
    /// </summary>
    private void Contain(string thread, Action body)
    {
        try { body(); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            BackendFault = $"{thread}: {e.GetType().Name}: {e.Message} {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}";
            Log($"back-end fault, thread ended: {BackendFault}");
        }
    }

    private void ControlLoop() => Contain("control", ControlTurns);

    private unsafe void ControlTurns()
    {
        while (!_stopping)
        {
            int fd = Libc.accept4(_listenFd, null, null, Libc.SOCK_CLOEXEC);
            if (fd < 0)
            {
                if (_stopping) return;
                if (Libc.Errno == Libc.EINTR) continue;
                Log($"accept failed: errno {Libc.Errno}");
                return;
            }
            Connections++;
            Log($"front end connected ({Connections})");
            var channel = new MessageChannel(fd);
            lock (_gate) _channel = channel;
            try
            {
                while (!_stopping && channel.Receive() is { } message)
                {
                    lock (_gate) Received.Add(message.Request);
                    Handle(channel, message);
                }
            }
            catch (Exception e) when (e is ProtocolViolation or IOException)
            {
                Log($"connection closed: {e.Message}");
            }
            Log("front end disconnected");
            lock (_gate)
            {
                _channel = null;
                ResetConnectionState();
            }
            channel.Dispose();
            Wake();
        }
    }

    /// <summary>The front end went away: stop every ring, forget the memory table and features (a reconnection starts over).</summary>
    private void ResetConnectionState()
    {
        foreach (Vring v in _vrings)
        {
            StopRing(v);
            v.CloseCall();
            v.CloseErr();
            v.Enabled = false;
            v.Num = 0;
            v.Base = 0;
        }
        _memory?.Dispose();
        _memory = null;
        _ackedFeatures = 0;
        _ackedProtocol = ProtocolFeatures.None;
    }

    private void StopRing(Vring v)
    {
        if (v.Ring != null)
        {
            if (v.Index == TransmitQueue) ReleaseHeldTransmits(v); // nothing the ring took stays unreturned
            if (v.Index == ReceiveQueue) _rxCanary?.Reset(); // the driver owns every buffer again after a stop
            v.Base = v.Ring.LastAvailIndex;
            Counters.RingStops++;
        }
        v.Ring = null;
        v.CloseKick();
        v.PollMode = false;
    }

    /// <summary>Ends the front end's connection from our side, as a crashing back end would (QEMU sees the socket close).</summary>
    public void Disconnect()
    {
        lock (_gate) _channel?.Hangup();
    }

    private void Wake() => Libc.SignalEventFd(_wakeFd);

    public void Dispose()
    {
        _stopping = true;
        if (_listenFd >= 0) Libc.shutdown(_listenFd, 2);
        lock (_gate) _channel?.Hangup();
        Wake();
        _control.Join(TimeSpan.FromSeconds(5));
        _dataPlane.Join(TimeSpan.FromSeconds(5));
        if (_listenFd >= 0) Libc.close(_listenFd);
        lock (_gate) ResetConnectionState();
        Libc.close(_wakeFd);
        try { File.Delete(_options.SocketPath); } catch (IOException) { }
    }
}
