using System.Threading;
using System.Threading.Tasks;
using Cosmos.Net.Interface;
using Cosmos.Net.Wire;
using Cosmos.Sockets;
using UdpPort = Cosmos.Net.Sockets.UdpSocket;

namespace System.Net.Sockets
{
    // UDP: a port bound on every interface (or the one with the bound address), datagrams in and out.
    public partial class Socket
    {
        private UdpPort[] _ports;            // per interface, null where not bound
        private int _nextPort;               // fairness between interfaces when receiving
        private static ushort s_nextEphemeral = 49152;
        /// <summary>How long a datagram may wait for a transmit buffer before the send fails (NoBufferSpaceAvailable).</summary>
        private const long SendBoundMs = 2000;

        private void BindDatagram(IPEndPoint endPoint)
        {
            var routes = SocketHost.Routes;
            if (endPoint.Port != 0)
            {
                if (!TryBindPorts(endPoint.Address, (ushort)endPoint.Port, routes)) throw new SocketException((int)SocketError.AddressAlreadyInUse);
                _localEndPoint = new IPEndPoint(endPoint.Address, endPoint.Port);
                return;
            }
            // Port 0: an ephemeral port (IANA's dynamic range, RFC 6335 §6), the first one free on every interface.
            for (int tries = 0; tries < 16384; tries++)
            {
                ushort port = s_nextEphemeral;
                s_nextEphemeral = (ushort)(port == 65535 ? 49152 : port + 1);
                if (!TryBindPorts(endPoint.Address, port, routes)) continue;
                _localEndPoint = new IPEndPoint(endPoint.Address, port);
                return;
            }
            throw new SocketException((int)SocketError.AddressAlreadyInUse);
        }

        private bool TryBindPorts(IPAddress address, ushort port, Cosmos.Net.Routing.RouteTable routes)
        {
            var ports = new UdpPort[routes.Count];
            bool any = false;
            for (int i = 0; i < routes.Count; i++)
            {
                NetworkInterface nif = routes[i];
                if (!address.Equals(IPAddress.Any) && !address.ToIpv4().Equals(nif.Address)) continue;
                UdpPort bound = nif.Udp.Bind(port);
                if (bound == null)
                {
                    for (int j = 0; j < i; j++) ports[j]?.Close();
                    return false;
                }
                ports[i] = bound;
                any = true;
            }
            if (!any) throw new SocketException((int)SocketError.AddressNotAvailable);
            _ports = ports;
            return true;
        }

        private void EnsureDatagramBound()
        {
            if (_ports == null) BindDatagram(new IPEndPoint(IPAddress.Any, 0));
        }

        private void ConnectDatagram(IPEndPoint remote)
        {
            EnsureDatagramBound();
            _remoteEndPoint = new IPEndPoint(remote.Address, remote.Port);
        }

        private int DatagramAvailable()
        {
            if (_ports == null) return 0;
            for (int i = 0; i < _ports.Length; i++)
                if (_ports[i] != null && _ports[i].TryPeek(out ReadOnlySpan<byte> payload, out _, out _)) return payload.Length;
            return 0;
        }

        /// <summary>The next datagram from any interface (round robin), or false; from a connected peer only, when connected.</summary>
        private bool TryTakeDatagram(Span<byte> buffer, out int length, out IPEndPoint from)
        {
            length = 0;
            from = null;
            if (_ports == null) return false;
            var connected = _remoteEndPoint as IPEndPoint;
            for (int k = 0; k < _ports.Length; k++)
            {
                int i = (_nextPort + k) % _ports.Length;
                UdpPort port = _ports[i];
                if (port == null) continue;
                while (port.TryPeek(out ReadOnlySpan<byte> payload, out Ipv4Address source, out ushort sourcePort))
                {
                    if (connected != null && (!connected.Address.ToIpv4().Equals(source) || connected.Port != sourcePort))
                    {
                        port.Consume(); // a connected UDP socket hears only its peer
                        continue;
                    }
                    length = Math.Min(payload.Length, buffer.Length);
                    payload.Slice(0, length).CopyTo(buffer);
                    from = new IPEndPoint(new IPAddress(source), sourcePort);
                    port.Consume();
                    _nextPort = (i + 1) % _ports.Length;
                    return true;
                }
            }
            return false;
        }

        /// <summary>The next datagram as an array of its own length (UdpClient.ReceiveAsync), or false.</summary>
        internal bool TryTakeDatagram(out byte[] datagram, out IPEndPoint from)
        {
            datagram = null;
            from = null;
            if (_ports == null) return false;
            var connected = _remoteEndPoint as IPEndPoint;
            for (int k = 0; k < _ports.Length; k++)
            {
                int i = (_nextPort + k) % _ports.Length;
                UdpPort port = _ports[i];
                if (port == null) continue;
                while (port.TryPeek(out ReadOnlySpan<byte> payload, out Ipv4Address source, out ushort sourcePort))
                {
                    if (connected != null && (!connected.Address.ToIpv4().Equals(source) || connected.Port != sourcePort))
                    {
                        port.Consume();
                        continue;
                    }
                    datagram = payload.ToArray();
                    from = new IPEndPoint(new IPAddress(source), sourcePort);
                    port.Consume();
                    _nextPort = (i + 1) % _ports.Length;
                    return true;
                }
            }
            return false;
        }

        /// <summary>Completes when a datagram is waiting (without taking it).</summary>
        internal Task WaitForDatagramAsync(CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            if (_ports == null) throw new InvalidOperationException("You must call the Bind method before performing this operation.");
            var op = new DatagramWaitOperation(this);
            _datagramWaiting = op;
            return op.Start(cancellationToken);
        }

        private DatagramWaitOperation _datagramWaiting;

        private bool HasDatagram()
        {
            if (_ports == null) return false;
            for (int i = 0; i < _ports.Length; i++)
                if (_ports[i] != null && _ports[i].TryPeek(out _, out _, out _)) return true;
            return false;
        }

        private sealed class DatagramWaitOperation : WaitingOperation<bool>
        {
            private readonly Socket _socket;
            public DatagramWaitOperation(Socket socket) { _socket = socket; }

            protected override bool Step()
            {
                if (_socket._disposed) { Fail(new SocketException((int)SocketError.OperationAborted)); return true; }
                if (!_socket.HasDatagram()) return false;
                Succeed(true);
                return true;
            }
        }

        private async ValueTask<int> ReceiveDatagramAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            SocketReceiveFromResult result = await ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken).ConfigureAwait(false);
            return result.ReceivedBytes;
        }

        public int ReceiveFrom(byte[] buffer, ref EndPoint remoteEP)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            SocketReceiveFromResult result = Wait(ReceiveFromAsync(new Memory<byte>(buffer), SocketFlags.None, remoteEP, CancellationToken.None));
            remoteEP = result.RemoteEndPoint;
            return result.ReceivedBytes;
        }

        public Task<SocketReceiveFromResult> ReceiveFromAsync(ArraySegment<byte> buffer, SocketFlags socketFlags, EndPoint remoteEndPoint) =>
            ReceiveFromAsync(new Memory<byte>(buffer.Array, buffer.Offset, buffer.Count), socketFlags, remoteEndPoint, CancellationToken.None).AsTask();

        /// <summary>Waits for the next datagram (bytes past the buffer are dropped, as on .NET over UDP) and who sent it.</summary>
        public ValueTask<SocketReceiveFromResult> ReceiveFromAsync(Memory<byte> buffer, SocketFlags socketFlags, EndPoint remoteEndPoint, CancellationToken cancellationToken = default)
        {
            ThrowIfDisposed();
            if (ProtocolType != ProtocolType.Udp) throw new SocketException((int)SocketError.OperationNotSupported);
            if (socketFlags != SocketFlags.None) throw new PlatformNotSupportedException($"Socket.ReceiveFromAsync with SocketFlags.{socketFlags} is not supported by the Cosmos-net kernel.");
            if (_ports == null) throw new InvalidOperationException("You must call the Bind method before performing this operation.");
            if (TryTakeDatagram(buffer.Span, out int n, out IPEndPoint from))
                return new ValueTask<SocketReceiveFromResult>(new SocketReceiveFromResult { ReceivedBytes = n, RemoteEndPoint = from });
            var op = new ReceiveFromOperation(this, buffer);
            _receiveFromWaiting = op;
            return new ValueTask<SocketReceiveFromResult>(op.Start(cancellationToken));
        }

        private ReceiveFromOperation _receiveFromWaiting;

        private sealed class ReceiveFromOperation : WaitingOperation<SocketReceiveFromResult>
        {
            private readonly Socket _socket;
            private readonly Memory<byte> _buffer;
            public ReceiveFromOperation(Socket socket, Memory<byte> buffer) { _socket = socket; _buffer = buffer; }

            protected override bool Step()
            {
                if (_socket._disposed) { Fail(new SocketException((int)SocketError.OperationAborted)); return true; }
                if (!_socket.TryTakeDatagram(_buffer.Span, out int n, out IPEndPoint from)) return false;
                Succeed(new SocketReceiveFromResult { ReceivedBytes = n, RemoteEndPoint = from });
                return true;
            }
        }

        public int SendTo(byte[] buffer, EndPoint remoteEP)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            return Wait(SendToAsync(new ReadOnlyMemory<byte>(buffer), SocketFlags.None, remoteEP, CancellationToken.None));
        }

        public int SendTo(byte[] buffer, int offset, int size, SocketFlags socketFlags, EndPoint remoteEP)
        {
            ValidateBuffer(buffer, offset, size);
            return Wait(SendToAsync(new ReadOnlyMemory<byte>(buffer, offset, size), socketFlags, remoteEP, CancellationToken.None));
        }

        public Task<int> SendToAsync(ArraySegment<byte> buffer, SocketFlags socketFlags, EndPoint remoteEP) =>
            SendToAsync(new ReadOnlyMemory<byte>(buffer.Array, buffer.Offset, buffer.Count), socketFlags, remoteEP, CancellationToken.None).AsTask();

        /// <summary>One datagram of at most 1,472 bytes (the stack sends no IP fragments); waits up to 2 s for a transmit buffer.</summary>
        public ValueTask<int> SendToAsync(ReadOnlyMemory<byte> buffer, SocketFlags socketFlags, EndPoint remoteEP, CancellationToken cancellationToken = default)
        {
            ThrowIfDisposed();
            if (ProtocolType != ProtocolType.Udp) throw new SocketException((int)SocketError.OperationNotSupported);
            if (socketFlags != SocketFlags.None) throw new PlatformNotSupportedException($"Socket.SendToAsync with SocketFlags.{socketFlags} is not supported by the Cosmos-net kernel.");
            IPEndPoint remote = AsIPv4(remoteEP, nameof(remoteEP));
            if (buffer.Length > UdpPort.MaxPayload) throw new SocketException((int)SocketError.MessageSize);
            EnsureDatagramBound();
            var op = new SendToOperation(this, buffer, remote);
            return new ValueTask<int>(op.Start(cancellationToken));
        }

        private sealed class SendToOperation : WaitingOperation<int>
        {
            private readonly Socket _socket;
            private readonly ReadOnlyMemory<byte> _datagram;
            private readonly IPEndPoint _remote;
            private readonly long _giveUpAtMs;

            public SendToOperation(Socket socket, ReadOnlyMemory<byte> datagram, IPEndPoint remote)
            {
                _socket = socket;
                _datagram = datagram;
                _remote = remote;
                _giveUpAtMs = SocketHost.NowMs + SendBoundMs;
            }

            protected override bool Step()
            {
                if (_socket._disposed) { Fail(new SocketException((int)SocketError.OperationAborted)); return true; }
                Ipv4Address destination = _remote.Address.ToIpv4();
                NetworkInterface route = SocketHost.Route(destination);
                var routes = SocketHost.Routes;
                UdpPort port = null;
                for (int i = 0; i < routes.Count && i < _socket._ports.Length; i++) if (routes[i] == route) port = _socket._ports[i];
                if (port == null) { Fail(new SocketException((int)SocketError.NetworkUnreachable)); return true; }
                if (port.TrySend(destination, (ushort)_remote.Port, _datagram.Span)) { Succeed(_datagram.Length); return true; }
                if (SocketHost.NowMs >= _giveUpAtMs) { Fail(new SocketException((int)SocketError.NoBufferSpaceAvailable)); return true; }
                return false;
            }
        }

        private void CloseDatagram()
        {
            _receiveFromWaiting?.Abandon(new SocketException((int)SocketError.OperationAborted));
            _datagramWaiting?.Abandon(new SocketException((int)SocketError.OperationAborted));
            if (_ports == null) return;
            for (int i = 0; i < _ports.Length; i++) _ports[i]?.Close();
            _ports = null;
        }
    }
}
