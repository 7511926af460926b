namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// A listening port: connections that completed the handshake wait here for Accept. Its backlog bounds the
    /// half-open (SYN-RECEIVED) and unaccepted connections together; a SYN beyond it is dropped, not refused
    /// (see <see cref="TcpEndpoint"/>).
    /// </summary>
    public sealed class TcpListenerQueue
    {
        /// <summary>The backlog a listener gets from <see cref="TcpEndpoint.Listen(ushort)"/>.</summary>
        public const int Backlog = 128;
        private readonly TcpConnection[] _ready;
        private int _head, _count;
        /// <summary>Connections of this port still in SYN-RECEIVED.</summary>
        internal int HalfOpen;

        public ushort Port { get; }
        public int BacklogLimit => _ready.Length;
        /// <summary>SYNs dropped because the backlog was full.</summary>
        public long Refused;
        public int Waiting => _count;

        internal TcpListenerQueue(ushort port, int backlog)
        {
            Port = port;
            _ready = new TcpConnection[backlog < 1 ? 1 : backlog];
        }

        internal bool IsFull => HalfOpen + _count >= _ready.Length;

        internal void Enqueue(TcpConnection connection)
        {
            // Cannot overflow: a connection only enters SYN-RECEIVED while HalfOpen + _count < backlog.
            if (_count == _ready.Length) { Refused++; connection.Abort(); return; }
            _ready[(_head + _count) % _ready.Length] = connection;
            _count++;
            connection.QueuedIn = this;
        }

        /// <summary>A queued connection was freed before it was accepted: it leaves the queue.</summary>
        internal void Remove(TcpConnection connection)
        {
            for (int i = 0; i < _count; i++)
            {
                int at = (_head + i) % _ready.Length;
                if (_ready[at] != connection) continue;
                for (int k = i; k < _count - 1; k++)
                    _ready[(_head + k) % _ready.Length] = _ready[(_head + k + 1) % _ready.Length];
                _ready[(_head + _count - 1) % _ready.Length] = null;
                _count--;
                return;
            }
        }

        /// <summary>The next established connection, or null.</summary>
        public TcpConnection Accept()
        {
            if (_count == 0) return null;
            TcpConnection c = _ready[_head];
            _ready[_head] = null;
            _head = (_head + 1) % _ready.Length;
            _count--;
            c.QueuedIn = null;
            return c;
        }
    }
}
