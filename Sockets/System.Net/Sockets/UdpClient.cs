using System.Threading;
using System.Threading.Tasks;

namespace System.Net.Sockets
{
    /// <summary>What UdpClient.ReceiveAsync gives: the datagram (an array of its own length) and its sender.</summary>
    public readonly struct UdpReceiveResult : IEquatable<UdpReceiveResult>
    {
        public UdpReceiveResult(byte[] buffer, IPEndPoint remoteEndPoint)
        {
            Buffer = buffer ?? throw new ArgumentNullException(nameof(buffer));
            RemoteEndPoint = remoteEndPoint ?? throw new ArgumentNullException(nameof(remoteEndPoint));
        }

        public byte[] Buffer { get; }
        public IPEndPoint RemoteEndPoint { get; }

        public bool Equals(UdpReceiveResult other) => ReferenceEquals(Buffer, other.Buffer) && (RemoteEndPoint == null ? other.RemoteEndPoint == null : RemoteEndPoint.Equals(other.RemoteEndPoint));
        public override bool Equals(object obj) => obj is UdpReceiveResult other && Equals(other);
        public override int GetHashCode() => Buffer == null ? 0 : Buffer.GetHashCode() ^ RemoteEndPoint.GetHashCode();
        public static bool operator ==(UdpReceiveResult left, UdpReceiveResult right) => left.Equals(right);
        public static bool operator !=(UdpReceiveResult left, UdpReceiveResult right) => !left.Equals(right);
    }

    /// <summary>.NET's UdpClient: a UDP socket, bound to a port (or an ephemeral one at the first send).</summary>
    public class UdpClient : IDisposable
    {
        private Socket _client;
        private bool _disposed, _connected;

        public UdpClient() : this(AddressFamily.InterNetwork) { }

        public UdpClient(AddressFamily family)
        {
            _client = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        }

        public UdpClient(int port) : this(new IPEndPoint(IPAddress.Any, port)) { }

        public UdpClient(int port, AddressFamily family) : this(family)
        {
            _client.Bind(new IPEndPoint(IPAddress.Any, port));
        }

        public UdpClient(IPEndPoint localEP)
        {
            if (localEP == null) throw new ArgumentNullException(nameof(localEP));
            _client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _client.Bind(localEP);
        }

        public UdpClient(string hostname, int port) : this()
        {
            Connect(hostname, port);
        }

        public Socket Client
        {
            get => _client;
            set => _client = value;
        }

        public int Available => _client.Available;

        protected bool Active => _connected;

        public bool EnableBroadcast
        {
            get => false;
            set { if (value) throw new PlatformNotSupportedException("UdpClient.EnableBroadcast is not supported by the Cosmos-net kernel."); }
        }

        public void Connect(string hostname, int port)
        {
            if (hostname == null) throw new ArgumentNullException(nameof(hostname));
            IPAddress[] addresses = Dns.GetHostAddresses(hostname);
            if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
            Connect(new IPEndPoint(addresses[0], port));
        }

        public void Connect(IPAddress addr, int port) => Connect(new IPEndPoint(addr ?? throw new ArgumentNullException(nameof(addr)), port));

        public void Connect(IPEndPoint endPoint)
        {
            ThrowIfDisposed();
            Socket.Wait(_client.ConnectAsync(endPoint));
            _connected = true;
        }

        public Task<UdpReceiveResult> ReceiveAsync() => ReceiveAsync(CancellationToken.None).AsTask();

        public async ValueTask<UdpReceiveResult> ReceiveAsync(CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            if (_client.TryTakeDatagram(out byte[] ready, out IPEndPoint readyFrom)) return new UdpReceiveResult(ready, readyFrom);
            // Wait for one without taking it, then take it at its own length (a datagram from a stranger to a connected
            // client is dropped on the way, so the wait may end with nothing to take).
            while (true)
            {
                await _client.WaitForDatagramAsync(cancellationToken).ConfigureAwait(false);
                if (_client.TryTakeDatagram(out byte[] datagram, out IPEndPoint from)) return new UdpReceiveResult(datagram, from);
            }
        }

        public byte[] Receive(ref IPEndPoint remoteEP)
        {
            UdpReceiveResult result = Socket.Wait(ReceiveAsync(CancellationToken.None));
            remoteEP = result.RemoteEndPoint;
            return result.Buffer;
        }

        public int Send(byte[] dgram, int bytes, IPEndPoint endPoint) => Socket.Wait(SendAsync(dgram, bytes, endPoint));

        public int Send(byte[] dgram, int bytes) => Socket.Wait(SendAsync(dgram, bytes));

        public int Send(ReadOnlySpan<byte> datagram, IPEndPoint endPoint) => Socket.Wait(SendAsync(new ReadOnlyMemory<byte>(datagram.ToArray()), endPoint, CancellationToken.None));

        public Task<int> SendAsync(byte[] datagram, int bytes) => SendAsync(ToMemory(datagram, bytes), CancellationToken.None).AsTask();

        public Task<int> SendAsync(byte[] datagram, int bytes, IPEndPoint endPoint) => SendAsync(ToMemory(datagram, bytes), endPoint, CancellationToken.None).AsTask();

        public async Task<int> SendAsync(byte[] datagram, int bytes, string hostname, int port)
        {
            IPAddress[] addresses = await Dns.GetHostAddressesAsync(hostname).ConfigureAwait(false);
            if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
            return await SendAsync(datagram, bytes, new IPEndPoint(addresses[0], port)).ConfigureAwait(false);
        }

        public ValueTask<int> SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default)
        {
            ThrowIfDisposed();
            if (!_connected) throw new InvalidOperationException("The operation is not allowed on non-connected sockets.");
            return _client.SendAsync(datagram, SocketFlags.None, cancellationToken);
        }

        public ValueTask<int> SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint endPoint, CancellationToken cancellationToken = default)
        {
            ThrowIfDisposed();
            if (endPoint == null) return SendAsync(datagram, cancellationToken);
            if (_connected) throw new InvalidOperationException("Cannot send packets to an arbitrary host while connected.");
            return _client.SendToAsync(datagram, SocketFlags.None, endPoint, cancellationToken);
        }

        private static ReadOnlyMemory<byte> ToMemory(byte[] datagram, int bytes)
        {
            if (datagram == null) throw new ArgumentNullException(nameof(datagram));
            if ((uint)bytes > (uint)datagram.Length) throw new ArgumentOutOfRangeException(nameof(bytes));
            return new ReadOnlyMemory<byte>(datagram, 0, bytes);
        }

        public void Close() => Dispose();

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _client?.Dispose();
        }

        private void ThrowIfDisposed()
        {
            if (_disposed) throw new ObjectDisposedException(GetType().FullName);
        }
    }
}
