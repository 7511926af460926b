using System.Threading;
using System.Threading.Tasks;

namespace System.Net.Sockets
{
    /// <summary>.NET's TcpListener: a listening TCP socket on an address (Any: every interface) and port.</summary>
    public class TcpListener : IDisposable
    {
        private readonly IPEndPoint _endPoint;
        private Socket _server;
        private bool _active;

        public TcpListener(IPAddress localaddr, int port) : this(new IPEndPoint(localaddr ?? throw new ArgumentNullException(nameof(localaddr)), port)) { }

        public TcpListener(IPEndPoint localEP)
        {
            _endPoint = localEP ?? throw new ArgumentNullException(nameof(localEP));
        }

        [Obsolete("This constructor has been deprecated. Use TcpListener(IPAddress localaddr, int port) instead.")]
        public TcpListener(int port) : this(IPAddress.Any, port) { }

        public static TcpListener Create(int port) => new TcpListener(IPAddress.Any, port);

        public Socket Server => _server ??= new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        protected bool Active => _active;

        public EndPoint LocalEndpoint => _active ? _server.LocalEndPoint : _endPoint;

        public bool ExclusiveAddressUse { get; set; }

        public void Start() => Start(128);

        public void Start(int backlog)
        {
            if (backlog < 0) throw new ArgumentOutOfRangeException(nameof(backlog));
            if (_active) return;
            Socket server = Server;
            if (!server.IsBound) server.Bind(_endPoint);
            try
            {
                server.Listen(backlog);
            }
            catch (SocketException)
            {
                Stop();
                throw;
            }
            _active = true;
        }

        public void Stop()
        {
            _server?.Dispose();
            _server = null;
            _active = false;
        }

        public void Dispose() => Stop();

        public bool Pending()
        {
            ThrowIfNotListening();
            return _server.HasPendingConnection;
        }

        public Socket AcceptSocket() => Socket.Wait(AcceptSocketAsync());

        public TcpClient AcceptTcpClient() => new TcpClient(AcceptSocket());

        public Task<Socket> AcceptSocketAsync() => AcceptSocketAsync(CancellationToken.None).AsTask();

        public ValueTask<Socket> AcceptSocketAsync(CancellationToken cancellationToken)
        {
            ThrowIfNotListening();
            return _server.AcceptAsync(cancellationToken);
        }

        public Task<TcpClient> AcceptTcpClientAsync() => AcceptTcpClientAsync(CancellationToken.None).AsTask();

        public async ValueTask<TcpClient> AcceptTcpClientAsync(CancellationToken cancellationToken)
        {
            ThrowIfNotListening();
            Socket accepted = await _server.AcceptAsync(cancellationToken).ConfigureAwait(false);
            return new TcpClient(accepted);
        }

        private void ThrowIfNotListening()
        {
            if (!_active) throw new InvalidOperationException("Not listening. You must call the Start() method before calling this method.");
        }
    }
}
