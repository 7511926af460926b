using System.Threading;
using System.Threading.Tasks;

namespace System.Net.Sockets
{
    /// <summary>.NET's TcpClient: a TCP connection and its NetworkStream.</summary>
    public class TcpClient : IDisposable
    {
        private Socket _client;
        private NetworkStream _stream;
        private bool _disposed;

        public TcpClient() : this(AddressFamily.InterNetwork) { }

        public TcpClient(AddressFamily family)
        {
            _client = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        }

        public TcpClient(IPEndPoint localEP)
        {
            if (localEP == null) throw new ArgumentNullException(nameof(localEP));
            _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _client.Bind(localEP);
        }

        /// <summary>Connects at once (the event loop runs while it waits).</summary>
        public TcpClient(string hostname, int port) : this()
        {
            if (hostname == null) throw new ArgumentNullException(nameof(hostname));
            Connect(hostname, port);
        }

        internal TcpClient(Socket acceptedSocket)
        {
            _client = acceptedSocket;
        }

        public Socket Client
        {
            get => _client;
            set => _client = value;
        }

        public bool Connected => _client != null && _client.Connected;

        public int Available => _client?.Available ?? 0;

        protected bool Active => Connected;

        public bool NoDelay
        {
            get => _client.NoDelay;
            set => _client.NoDelay = value;
        }

        public int ReceiveBufferSize
        {
            get => _client.ReceiveBufferSize;
            set => _client.ReceiveBufferSize = value;
        }

        public int SendBufferSize
        {
            get => _client.SendBufferSize;
            set => _client.SendBufferSize = value;
        }

        public int ReceiveTimeout
        {
            get => _client.ReceiveTimeout;
            set => _client.ReceiveTimeout = value;
        }

        public int SendTimeout
        {
            get => _client.SendTimeout;
            set => _client.SendTimeout = value;
        }

        public void Connect(string hostname, int port) => Socket.Wait(ConnectAsync(hostname, port));

        public void Connect(IPAddress address, int port) => Socket.Wait(ConnectAsync(address, port));

        public void Connect(IPEndPoint remoteEP) => Socket.Wait(ConnectAsync(remoteEP));

        public Task ConnectAsync(string host, int port) => ConnectAsync(host, port, CancellationToken.None).AsTask();

        public Task ConnectAsync(IPAddress address, int port) => ConnectAsync(address, port, CancellationToken.None).AsTask();

        public Task ConnectAsync(IPEndPoint remoteEP) => ConnectAsync(remoteEP, CancellationToken.None).AsTask();

        public ValueTask ConnectAsync(string host, int port, CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            return _client.ConnectAsync(host, port, cancellationToken);
        }

        public ValueTask ConnectAsync(IPAddress address, int port, CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            return _client.ConnectAsync(new IPEndPoint(address ?? throw new ArgumentNullException(nameof(address)), port), cancellationToken);
        }

        public ValueTask ConnectAsync(IPEndPoint remoteEP, CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            return _client.ConnectAsync(remoteEP, cancellationToken);
        }

        public NetworkStream GetStream()
        {
            ThrowIfDisposed();
            if (!Connected) throw new InvalidOperationException("The operation is not allowed on non-connected sockets.");
            return _stream ??= new NetworkStream(_client, ownsSocket: true);
        }

        public void Close() => Dispose();

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            if (_stream != null) _stream.Dispose();
            else _client?.Dispose();
        }

        private void ThrowIfDisposed()
        {
            if (_disposed) throw new ObjectDisposedException(GetType().FullName);
        }
    }
}
