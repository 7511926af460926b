using System;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols.Tcp;

namespace Cosmos.Kernel.Networking
{
    /// <summary>
    /// TCP echo (RFC 862) on port 9007 for as many clients at once as the stack holds connections
    /// (<see cref="TcpEndpoint.MaxConnections"/>), with a backlog of as many: the proof that hundreds of concurrent
    /// connections work (the tap lane's TcpPeerChecks). The echo on port 7 (Net/Services/TcpEchoService) keeps its
    /// 16 client slots; the services there are being rewritten elsewhere, and once they size their slots from the
    /// endpoint this port can go. Nothing is allocated after start-up.
    /// </summary>
    public sealed class ConcurrentEchoService
    {
        public const ushort Port = 9007;
        private readonly TcpListenerQueue _listener;
        private readonly TcpConnection[] _clients = new TcpConnection[TcpEndpoint.MaxConnections];
        private int _count;
        private readonly byte[] _buffer = new byte[4096];
        public long BytesEchoed, ConnectionsServed;

        public ConcurrentEchoService(NetworkInterface networkInterface) =>
            _listener = networkInterface.Tcp.Listen(Port, TcpEndpoint.MaxConnections);

        public bool Poll()
        {
            if (_listener == null) return false;
            bool busy = false;
            for (TcpConnection c; _count < _clients.Length && (c = _listener.Accept()) != null;)
            {
                _clients[_count++] = c;
                ConnectionsServed++;
                busy = true;
            }
            for (int i = _count - 1; i >= 0; i--)
            {
                TcpConnection c = _clients[i];
                if (!c.IsFree)
                {
                    // Only what can be sent back at once: the rest waits in the receive buffer (flow control).
                    int n = Math.Min(Math.Min(c.Available, c.SendSpace), _buffer.Length);
                    if (n > 0)
                    {
                        c.Read(_buffer.AsSpan(0, n));
                        c.Write(_buffer.AsSpan(0, n));
                        BytesEchoed += n;
                        busy = true;
                    }
                    if (!c.IsReadClosed) continue;
                    c.Close();
                }
                _clients[i] = _clients[--_count];
                _clients[_count] = null;
            }
            return busy;
        }
    }
}
