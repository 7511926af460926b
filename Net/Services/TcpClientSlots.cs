using Cosmos.Net.Protocols.Tcp;

namespace Cosmos.Net.Services
{
    /// <summary>
    /// The connections a TCP service holds, in a fixed number of slots (nothing allocated per connection).
    /// A connection accepted when every slot is taken is refused with a reset.
    /// </summary>
    public sealed class TcpClientSlots
    {
        private readonly TcpListenerQueue _listener;
        private readonly TcpConnection[] _clients;

        public TcpClientSlots(TcpListenerQueue listener, int slots)
        {
            _listener = listener;
            _clients = new TcpConnection[slots];
        }

        public int Count => _clients.Length;

        /// <summary>Accepts the next waiting connection into a free slot; its slot, or -1 when none is waiting.</summary>
        public int AcceptNext()
        {
            if (_listener == null) return -1;
            for (TcpConnection c; (c = _listener.Accept()) != null;)
            {
                for (int i = 0; i < _clients.Length; i++)
                {
                    if (_clients[i] != null) continue;
                    _clients[i] = c;
                    return i;
                }
                c.Abort();
            }
            return -1;
        }

        /// <summary>The connection in slot <paramref name="slot"/>, or null (a connection the stack has freed is dropped here).</summary>
        public TcpConnection Live(int slot)
        {
            TcpConnection c = _clients[slot];
            if (c != null && c.IsFree) { _clients[slot] = null; return null; }
            return c;
        }

        public void Release(int slot) => _clients[slot] = null;
    }
}
