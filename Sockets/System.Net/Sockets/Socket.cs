using System.Threading;
using System.Threading.Tasks;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols.Tcp;
using Cosmos.Sockets;

namespace System.Net.Sockets
{
    /// <summary>
    /// .NET's Socket, for IPv4 TCP (stream) and UDP (datagram) sockets over the kernel's stack: the calls programs
    /// commonly make (Bind, Listen, Accept, Connect, Send, Receive, SendTo, ReceiveFrom, Shutdown, Close, in their
    /// synchronous and task-returning forms). A synchronous call runs the kernel's event loop until its task completes,
    /// so other tasks go on meanwhile. What the kernel does not support fails with an exception that names it.
    /// </summary>
    public partial class Socket : IDisposable
    {
        private bool _disposed;
        private EndPoint _localEndPoint, _remoteEndPoint;

        public Socket(SocketType socketType, ProtocolType protocolType) : this(AddressFamily.InterNetwork, socketType, protocolType) { }

        public Socket(AddressFamily addressFamily, SocketType socketType, ProtocolType protocolType)
        {
            if (addressFamily == AddressFamily.InterNetworkV6)
                throw new SocketException((int)SocketError.AddressFamilyNotSupported);
            if (addressFamily != AddressFamily.InterNetwork)
                throw new PlatformNotSupportedException($"Socket: address family {addressFamily} is not supported by the Cosmos-net kernel (IPv4 only).");
            bool stream = socketType == SocketType.Stream && (protocolType == ProtocolType.Tcp || protocolType == ProtocolType.Unspecified);
            bool dgram = socketType == SocketType.Dgram && (protocolType == ProtocolType.Udp || protocolType == ProtocolType.Unspecified);
            if (!stream && !dgram)
                throw new PlatformNotSupportedException($"Socket: {socketType}/{protocolType} sockets are not supported by the Cosmos-net kernel (TCP stream and UDP datagram sockets are).");
            AddressFamily = addressFamily;
            SocketType = socketType;
            ProtocolType = stream ? ProtocolType.Tcp : ProtocolType.Udp;
        }

        public AddressFamily AddressFamily { get; }
        public SocketType SocketType { get; }
        public ProtocolType ProtocolType { get; }

        public EndPoint LocalEndPoint => _localEndPoint;
        public EndPoint RemoteEndPoint => _remoteEndPoint;

        /// <summary>Blocking mode: the synchronous calls wait (the event loop runs meanwhile). Non-blocking sockets are not supported.</summary>
        public bool Blocking
        {
            get => true;
            set
            {
                if (!value) throw new PlatformNotSupportedException("Socket.Blocking = false is not supported by the Cosmos-net kernel; use the asynchronous methods.");
            }
        }

        /// <summary>
        /// Accepted and remembered. The kernel's TCP sends what is queued at the next turn of its loop and does not
        /// hold small segments back (no Nagle delay), so NoDelay changes nothing on the wire.
        /// </summary>
        public bool NoDelay { get; set; }

        public bool IsBound => _localEndPoint != null;

        public int ReceiveBufferSize
        {
            get => TcpConnection.BufferSize;
            set { if (value <= 0) throw new ArgumentOutOfRangeException(nameof(value)); }
        }

        public int SendBufferSize
        {
            get => TcpConnection.BufferSize;
            set { if (value <= 0) throw new ArgumentOutOfRangeException(nameof(value)); }
        }

        /// <summary>Timeouts of the synchronous calls: only 0 (wait without limit) is supported; use a CancellationToken with the asynchronous calls.</summary>
        public int ReceiveTimeout
        {
            get => 0;
            set { if (value != 0 && value != -1) throw new PlatformNotSupportedException("Socket.ReceiveTimeout is not supported by the Cosmos-net kernel; pass a CancellationToken (CancellationTokenSource(TimeSpan)) to ReceiveAsync."); }
        }

        public int SendTimeout
        {
            get => 0;
            set { if (value != 0 && value != -1) throw new PlatformNotSupportedException("Socket.SendTimeout is not supported by the Cosmos-net kernel; pass a CancellationToken (CancellationTokenSource(TimeSpan)) to SendAsync."); }
        }

        public void SetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, bool optionValue) =>
            SetSocketOption(optionLevel, optionName, optionValue ? 1 : 0);

        /// <summary>ReuseAddress and NoDelay are accepted (each port is reusable at once here; see NoDelay); others are not supported.</summary>
        public void SetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, int optionValue)
        {
            if (optionName == SocketOptionName.ReuseAddress) return;
            if (optionName == SocketOptionName.NoDelay) { NoDelay = optionValue != 0; return; }
            throw new PlatformNotSupportedException($"Socket.SetSocketOption({optionLevel}, {optionName}) is not supported by the Cosmos-net kernel.");
        }

        public void Bind(EndPoint localEP)
        {
            ThrowIfDisposed();
            IPEndPoint endPoint = AsIPv4(localEP, nameof(localEP));
            if (IsBound) throw new SocketException((int)SocketError.InvalidArgument);
            if (ProtocolType == ProtocolType.Udp) BindDatagram(endPoint);
            else _localEndPoint = new IPEndPoint(endPoint.Address, endPoint.Port);
        }

        /// <summary>What a completed operation of a closed socket reports.</summary>
        private ObjectDisposedException Disposed() => new ObjectDisposedException(GetType().FullName);

        private void ThrowIfDisposed()
        {
            if (_disposed) throw Disposed();
        }

        private static IPEndPoint AsIPv4(EndPoint endPoint, string name)
        {
            if (endPoint == null) throw new ArgumentNullException(name);
            if (endPoint is not IPEndPoint ip) throw new PlatformNotSupportedException($"Socket: {endPoint.GetType().Name} addresses are not supported by the Cosmos-net kernel (IPEndPoint is).");
            return ip;
        }

        public void Shutdown(SocketShutdown how)
        {
            ThrowIfDisposed();
            if (ProtocolType != ProtocolType.Tcp) return;
            if (!Connected && _connection == null) throw new SocketException((int)SocketError.NotConnected);
            if (how == SocketShutdown.Send || how == SocketShutdown.Both) ShutdownSend();
            if (how == SocketShutdown.Receive || how == SocketShutdown.Both) _receiveShut = true;
        }

        public void Close() => Dispose();

        public void Close(int timeout) => Dispose();

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            if (ProtocolType == ProtocolType.Tcp) CloseStream();
            else CloseDatagram();
        }

        /// <summary>Runs the event loop until the task is done, then returns its result or throws its exception (not wrapped).</summary>
        internal static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

        internal static T Wait<T>(ValueTask<T> task) => task.GetAwaiter().GetResult();

        internal static void Wait(Task task) => task.GetAwaiter().GetResult();

        internal static void Wait(ValueTask task) => task.GetAwaiter().GetResult();
    }
}
