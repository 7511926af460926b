using System.Threading;
using System.Threading.Tasks;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols.Tcp;
using Cosmos.Sockets;

namespace System.Net.Sockets
{
    // TCP: listening, accepting, connecting, and the byte stream of a connection.
    public partial class Socket
    {
        private TcpListenerQueue[] _listeners;   // one per interface while listening
        private TcpConnection _connection;       // the connection's record in the stack
        private int _generation;                 // the record's Generation when it became ours (records are reused)
        private bool _sendShut, _receiveShut;
        private int _nextListener;               // where the next accept starts looking (fairness between interfaces)

        /// <summary>A socket for a connection the stack accepted.</summary>
        private Socket(TcpConnection connection, NetworkInterface networkInterface) : this(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            Adopt(connection, networkInterface);
        }

        private void Adopt(TcpConnection connection, NetworkInterface networkInterface)
        {
            _connection = connection;
            _generation = connection.Generation;
            _localEndPoint = new IPEndPoint(new IPAddress(networkInterface.Address), connection.LocalPort);
            _remoteEndPoint = new IPEndPoint(new IPAddress(connection.RemoteAddress), connection.RemotePort);
        }

        /// <summary>The connection is still this socket's (not freed, not reused for another).</summary>
        private bool Alive => _connection != null && _connection.Generation == _generation && !_connection.IsFree;

        public bool Connected => Alive && _connection.IsEstablished;

        public int Available
        {
            get
            {
                ThrowIfDisposed();
                if (ProtocolType == ProtocolType.Udp) return DatagramAvailable();
                return Alive ? _connection.Available : 0;
            }
        }

        /// <summary>The error for a connection that is gone, from why the stack ended it.</summary>
        private SocketException Gone()
        {
            TcpEnding ending = _connection != null && _connection.Generation == _generation ? _connection.Ending : TcpEnding.Reset;
            SocketError error = ending switch
            {
                TcpEnding.Refused => SocketError.ConnectionRefused,
                TcpEnding.TimedOut => SocketError.TimedOut,
                TcpEnding.Aborted => SocketError.ConnectionAborted,
                _ => SocketError.ConnectionReset,
            };
            return new SocketException((int)error);
        }

        /// <summary>Whether a connection that is gone ended the ordinary way (then reads return 0, the end of the stream).</summary>
        private bool EndedCleanly => _connection != null && _connection.Generation == _generation && _connection.Ending == TcpEnding.None;

        public void Listen() => Listen(TcpListenerQueue.Backlog);

        public void Listen(int backlog)
        {
            ThrowIfDisposed();
            if (ProtocolType != ProtocolType.Tcp) throw new SocketException((int)SocketError.OperationNotSupported);
            if (_listeners != null) return;
            if (!IsBound) throw new SocketException((int)SocketError.InvalidArgument);
            var local = (IPEndPoint)_localEndPoint;
            if (local.Port == 0) throw new PlatformNotSupportedException("Socket.Listen on port 0 (an ephemeral port) is not supported by the Cosmos-net kernel; bind a port.");
            if (backlog <= 0 || backlog > TcpListenerQueue.Backlog) backlog = TcpListenerQueue.Backlog;
            var routes = SocketHost.Routes;
            var queues = new TcpListenerQueue[routes.Count];
            for (int i = 0; i < routes.Count; i++)
            {
                NetworkInterface nif = routes[i];
                // A specific address listens on its own interface only; Any on every interface.
                if (!local.Address.Equals(IPAddress.Any) && !local.Address.ToIpv4().Equals(nif.Address)) continue;
                TcpListenerQueue queue = nif.Tcp.Listen((ushort)local.Port, backlog);
                if (queue == null)
                {
                    for (int j = 0; j < i; j++) if (queues[j] != null) routes[j].Tcp.StopListening(queues[j]);
                    throw new SocketException((int)SocketError.AddressAlreadyInUse);
                }
                queues[i] = queue;
            }
            _listeners = queues;
        }

        private void StopListening()
        {
            if (_listeners == null) return;
            var routes = SocketHost.Routes;
            for (int i = 0; i < _listeners.Length && i < routes.Count; i++)
                if (_listeners[i] != null) routes[i].Tcp.StopListening(_listeners[i]);
            _listeners = null;
        }

        /// <summary>A connection waiting in any of the listen queues, or null.</summary>
        private Socket TryAcceptNow()
        {
            if (_listeners == null) throw new InvalidOperationException("You must call the Bind and Listen methods before performing this operation.");
            var routes = SocketHost.Routes;
            for (int k = 0; k < _listeners.Length; k++)
            {
                int i = (_nextListener + k) % _listeners.Length;
                TcpListenerQueue queue = _listeners[i];
                if (queue == null) continue;
                TcpConnection c = queue.Accept();
                if (c == null) continue;
                _nextListener = (i + 1) % _listeners.Length;
                return new Socket(c, routes[i]);
            }
            return null;
        }

        internal bool HasPendingConnection => _listeners != null && PendingConnections() > 0;

        private int PendingConnections()
        {
            int n = 0;
            for (int i = 0; i < _listeners.Length; i++) if (_listeners[i] != null) n += _listeners[i].Waiting;
            return n;
        }

        public Socket Accept() => Wait(AcceptAsync());

        public Task<Socket> AcceptAsync() => AcceptAsync(CancellationToken.None).AsTask();

        public ValueTask<Socket> AcceptAsync(CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            if (ProtocolType != ProtocolType.Tcp) throw new SocketException((int)SocketError.OperationNotSupported);
            Socket ready = TryAcceptNow();
            if (ready != null) return new ValueTask<Socket>(ready);
            var op = new AcceptOperation(this);
            _acceptWaiting = op;
            return new ValueTask<Socket>(op.Start(cancellationToken));
        }

        private AcceptOperation _acceptWaiting;
        private ConnectOperation _connectWaiting;
        private ReceiveOperation _receiveWaiting;
        private SendOperation _sendWaiting;
        private Task<int> _sendTask;

        private sealed class AcceptOperation : WaitingOperation<Socket>
        {
            private readonly Socket _socket;
            public AcceptOperation(Socket socket) { _socket = socket; }

            protected override bool Step()
            {
                if (_socket._disposed) { Fail(new SocketException((int)SocketError.OperationAborted)); return true; }
                Socket accepted = _socket.TryAcceptNow();
                if (accepted == null) return false;
                Succeed(accepted);
                return true;
            }
        }

        public void Connect(EndPoint remoteEP) => Wait(ConnectAsync(remoteEP));

        public void Connect(IPAddress address, int port) => Connect(new IPEndPoint(address, port));

        public void Connect(string host, int port) => Wait(ConnectAsync(host, port));

        public Task ConnectAsync(EndPoint remoteEP) => ConnectAsync(remoteEP, CancellationToken.None).AsTask();

        public Task ConnectAsync(IPAddress address, int port) => ConnectAsync(new IPEndPoint(address, port));

        public ValueTask ConnectAsync(IPAddress address, int port, CancellationToken cancellationToken) => ConnectAsync(new IPEndPoint(address, port), cancellationToken);

        public Task ConnectAsync(string host, int port) => ConnectAsync(host, port, CancellationToken.None).AsTask();

        public async ValueTask ConnectAsync(string host, int port, CancellationToken cancellationToken)
        {
            if (host == null) throw new ArgumentNullException(nameof(host));
            IPAddress[] addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
            await ConnectAsync(new IPEndPoint(addresses[0], port), cancellationToken).ConfigureAwait(false);
        }

        public ValueTask ConnectAsync(EndPoint remoteEP, CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            IPEndPoint remote = AsIPv4(remoteEP, nameof(remoteEP));
            if (ProtocolType == ProtocolType.Udp)
            {
                ConnectDatagram(remote);
                return default;
            }
            if (_connection != null || _listeners != null) throw new SocketException((int)SocketError.IsConnected);
            NetworkInterface route = SocketHost.Route(remote.Address.ToIpv4());
            long now = SocketHost.NowMs;
            var local = _localEndPoint as IPEndPoint;
            TcpConnection c = local != null && local.Port != 0
                ? route.Tcp.Connect(remote.Address.ToIpv4(), (ushort)remote.Port, (ushort)local.Port, now)
                : route.Tcp.Connect(remote.Address.ToIpv4(), (ushort)remote.Port, now);
            if (c == null) throw new SocketException((int)SocketError.NoBufferSpaceAvailable);
            Adopt(c, route);
            var op = new ConnectOperation(this);
            _connectWaiting = op;
            return new ValueTask(op.Start(cancellationToken));
        }

        private sealed class ConnectOperation : WaitingOperation<bool>
        {
            private readonly Socket _socket;
            public ConnectOperation(Socket socket) { _socket = socket; }

            protected override bool Step()
            {
                if (_socket._disposed) { Fail(new SocketException((int)SocketError.OperationAborted)); return true; }
                if (!_socket.Alive) { Fail(_socket.Gone()); return true; }
                if (!_socket._connection.IsEstablished) return false;
                Succeed(true);
                return true;
            }
        }

        public int Receive(byte[] buffer) => Receive(new Span<byte>(buffer ?? throw new ArgumentNullException(nameof(buffer))));

        public int Receive(byte[] buffer, SocketFlags socketFlags) => Receive(buffer);

        public int Receive(byte[] buffer, int offset, int size, SocketFlags socketFlags)
        {
            ValidateBuffer(buffer, offset, size);
            return Receive(new Span<byte>(buffer, offset, size));
        }

        public int Receive(Span<byte> buffer)
        {
            byte[] temporary = new byte[buffer.Length];
            int n = Wait(ReceiveAsync(new Memory<byte>(temporary), SocketFlags.None, CancellationToken.None));
            new ReadOnlySpan<byte>(temporary, 0, n).CopyTo(buffer);
            return n;
        }

        public int Receive(Span<byte> buffer, SocketFlags socketFlags) => Receive(buffer);

        public Task<int> ReceiveAsync(ArraySegment<byte> buffer) => ReceiveAsync(buffer, SocketFlags.None);

        public Task<int> ReceiveAsync(ArraySegment<byte> buffer, SocketFlags socketFlags) =>
            ReceiveAsync(new Memory<byte>(buffer.Array, buffer.Offset, buffer.Count), socketFlags, CancellationToken.None).AsTask();

        public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

        /// <summary>
        /// Waits for data and copies what is there (up to buffer.Length); 0 at the end of the stream (the peer closed its
        /// side). On a UDP socket, the next datagram.
        /// </summary>
        public ValueTask<int> ReceiveAsync(Memory<byte> buffer, SocketFlags socketFlags, CancellationToken cancellationToken = default)
        {
            ThrowIfDisposed();
            if (socketFlags != SocketFlags.None) throw new PlatformNotSupportedException($"Socket.ReceiveAsync with SocketFlags.{socketFlags} is not supported by the Cosmos-net kernel.");
            if (ProtocolType == ProtocolType.Udp) return ReceiveDatagramAsync(buffer, cancellationToken);
            if (_receiveWaiting != null && !_receiveWaiting.IsDone) throw new InvalidOperationException("Socket.ReceiveAsync: another receive is already waiting on this socket.");
            if (TryReceiveNow(buffer.Span, out int n, out SocketException error))
                return error == null ? new ValueTask<int>(n) : ValueTask.FromException<int>(error);
            var op = new ReceiveOperation(this, buffer);
            _receiveWaiting = op;
            return new ValueTask<int>(op.Start(cancellationToken));
        }

        /// <summary>True when the receive is over: bytes copied, the end of the stream (0), or an error.</summary>
        private bool TryReceiveNow(Span<byte> buffer, out int received, out SocketException error)
        {
            received = 0;
            error = null;
            if (_connection == null) { error = new SocketException((int)SocketError.NotConnected); return true; }
            if (buffer.Length == 0) return true;
            if (!Alive)
            {
                if (!EndedCleanly) error = Gone();
                return true;
            }
            if (_receiveShut) return true;
            if (_connection.Available > 0)
            {
                received = _connection.Read(buffer);
                return true;
            }
            if (_connection.IsReadClosed) return true;
            return false;
        }

        private sealed class ReceiveOperation : WaitingOperation<int>
        {
            private readonly Socket _socket;
            private readonly Memory<byte> _buffer;
            public ReceiveOperation(Socket socket, Memory<byte> buffer) { _socket = socket; _buffer = buffer; }

            protected override bool Step()
            {
                if (_socket._disposed) { Fail(new SocketException((int)SocketError.OperationAborted)); return true; }
                if (!_socket.TryReceiveNow(_buffer.Span, out int n, out SocketException error)) return false;
                if (error != null) Fail(error); else Succeed(n);
                return true;
            }
        }

        public int Send(byte[] buffer) => Send(new ReadOnlySpan<byte>(buffer ?? throw new ArgumentNullException(nameof(buffer))));

        public int Send(byte[] buffer, SocketFlags socketFlags) => Send(buffer);

        public int Send(byte[] buffer, int offset, int size, SocketFlags socketFlags)
        {
            ValidateBuffer(buffer, offset, size);
            return Send(new ReadOnlySpan<byte>(buffer, offset, size));
        }

        public int Send(ReadOnlySpan<byte> buffer) => Wait(SendAsync(new ReadOnlyMemory<byte>(buffer.ToArray()), SocketFlags.None, CancellationToken.None));

        public int Send(ReadOnlySpan<byte> buffer, SocketFlags socketFlags) => Send(buffer);

        public Task<int> SendAsync(ArraySegment<byte> buffer) => SendAsync(buffer, SocketFlags.None);

        public Task<int> SendAsync(ArraySegment<byte> buffer, SocketFlags socketFlags) =>
            SendAsync(new ReadOnlyMemory<byte>(buffer.Array, buffer.Offset, buffer.Count), socketFlags, CancellationToken.None).AsTask();

        public ValueTask<int> SendAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            SendAsync(buffer, SocketFlags.None, cancellationToken);

        /// <summary>
        /// Queues every byte for sending (waiting while the 512 KiB send buffer is full) and completes with the count,
        /// as .NET's does once the kernel has taken them all. On a connected UDP socket, one datagram to the peer.
        /// </summary>
        public ValueTask<int> SendAsync(ReadOnlyMemory<byte> buffer, SocketFlags socketFlags, CancellationToken cancellationToken = default)
        {
            ThrowIfDisposed();
            if (socketFlags != SocketFlags.None) throw new PlatformNotSupportedException($"Socket.SendAsync with SocketFlags.{socketFlags} is not supported by the Cosmos-net kernel.");
            if (ProtocolType == ProtocolType.Udp)
            {
                if (_remoteEndPoint == null) throw new SocketException((int)SocketError.NotConnected);
                return SendToAsync(buffer, SocketFlags.None, _remoteEndPoint, cancellationToken);
            }
            if (_connection == null) throw new SocketException((int)SocketError.NotConnected);
            if (_sendShut) throw new SocketException((int)SocketError.Shutdown);
            if (_sendWaiting != null && !_sendWaiting.IsDone)
            {
                // Sends queue behind each other in order, as on .NET; the later one starts when the earlier is done.
                return SendAfterAsync(_sendTask, buffer, cancellationToken);
            }
            var op = new SendOperation(this, buffer);
            _sendWaiting = op;
            _sendTask = op.Start(cancellationToken);
            return new ValueTask<int>(_sendTask);
        }

        private async ValueTask<int> SendAfterAsync(Task previous, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
        {
            try { await previous.ConfigureAwait(false); } catch (Exception) { }
            return await SendAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }

        private sealed class SendOperation : WaitingOperation<int>
        {
            private readonly Socket _socket;
            private ReadOnlyMemory<byte> _rest;
            private int _sent;
            public SendOperation(Socket socket, ReadOnlyMemory<byte> buffer) { _socket = socket; _rest = buffer; }

            protected override bool Step()
            {
                if (_socket._disposed) { Fail(new SocketException((int)SocketError.OperationAborted)); return true; }
                if (!_socket.Alive) { Fail(_socket.EndedCleanly ? new SocketException((int)SocketError.Shutdown) : _socket.Gone()); return true; }
                if (_rest.Length == 0) { Succeed(_sent); return true; }
                int n = _socket._connection.Write(_rest.Span);
                if (n == 0)
                {
                    if (!_socket._connection.IsEstablished) { Fail(new SocketException((int)SocketError.Shutdown)); return true; }
                    return false;
                }
                _rest = _rest.Slice(n);
                _sent += n;
                if (_rest.Length == 0) Succeed(_sent);
                return true;
            }
        }

        /// <summary>Sends a FIN once everything queued has gone (RFC 9293 §3.10.4); reads go on until the peer closes.</summary>
        private void ShutdownSend()
        {
            if (_sendShut) return;
            _sendShut = true;
            if (Alive) _connection.Close();
        }

        private void CloseStream()
        {
            StopListening();
            _acceptWaiting?.Abandon(new SocketException((int)SocketError.OperationAborted));
            _connectWaiting?.Abandon(new SocketException((int)SocketError.OperationAborted));
            _receiveWaiting?.Abandon(new SocketException((int)SocketError.OperationAborted));
            _sendWaiting?.Abandon(new SocketException((int)SocketError.OperationAborted));
            // A graceful close: queued data is still delivered, then FIN (the stack finishes it without us).
            if (Alive) _connection.Close();
        }

        private static void ValidateBuffer(byte[] buffer, int offset, int size)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if ((uint)offset > (uint)buffer.Length) throw new ArgumentOutOfRangeException(nameof(offset));
            if ((uint)size > (uint)(buffer.Length - offset)) throw new ArgumentOutOfRangeException(nameof(size));
        }
    }
}
