using System;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols.Tcp;

namespace Cosmos.Net.Services
{
    /// <summary>The echo service (RFC 862) over TCP on port 7: every byte comes back; the peer's close closes.</summary>
    public sealed class TcpEchoService
    {
        public const ushort Port = 7;
        private const int MaxClients = 16;
        private readonly TcpListenerQueue _listener;
        private readonly TcpClientSlots _clients;
        /// <summary>
        /// Bytes one client may have echoed per service turn: a 64 KiB TSO packet's worth, so with segmentation offload
        /// a turn can fill one (at 4 KiB a turn, the turn rate capped a connection near 50 MB/s under TCG), while a
        /// busy client still leaves the others their turn.
        /// </summary>
        private const int TurnBudget = 65536;
        public long BytesEchoed, ConnectionsServed;

        public TcpEchoService(NetworkInterface networkInterface)
        {
            _listener = networkInterface.Tcp.Listen(Port);
            _clients = new TcpClientSlots(_listener, MaxClients);
        }

        public bool IsListening => _listener != null;

        public bool Poll()
        {
            if (_listener == null) return false;
            bool busy = false;
            while (_clients.AcceptNext() >= 0) ConnectionsServed++;
            for (int i = 0; i < MaxClients; i++)
            {
                TcpConnection c = _clients.Live(i);
                if (c == null) continue;
                // Only take what can be sent back at once: the rest waits in the receive buffer (flow control).
                // ForwardTo copies once, from the receive ring into the send ring.
                int n = c.ForwardTo(c, TurnBudget);
                if (n > 0)
                {
                    BytesEchoed += n;
                    busy = true;
                }
                if (c.IsReadClosed) { c.Close(); _clients.Release(i); }
            }
            return busy;
        }
    }
}
