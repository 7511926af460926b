using Cosmos.Net.Protocols.Tcp;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Services.Http
{
    /// <summary>
    /// What the server keeps per TCP connection: a struct in a table of <see cref="TcpEndpoint.MaxConnections"/>
    /// slots (56 bytes each, nothing allocated per connection or request). Bytes of requests not yet answered live
    /// in a buffer leased from <see cref="HttpBufferPool"/> at [<see cref="Start"/>, <see cref="End"/>), and only
    /// while there are such bytes.
    /// </summary>
    public struct HttpConnection
    {
        public TcpConnection Tcp;
        // The four-tuple's remote half as accepted: the stack reuses connection objects, so a slot whose object now
        // belongs to another peer (after a reset freed it) must be recognised as stale, not served.
        public Ipv4Address RemoteAddress;
        public ushort RemotePort;
        /// <summary>The leased buffer's index, -1 when none.</summary>
        public int Lease;
        public int Start, End;
        /// <summary>Bytes of the last request's body still to be read and discarded.</summary>
        public long BodyRemaining;
        /// <summary>When bytes last arrived or a response last left (the idle timer).</summary>
        public long LastActivityMs;
        /// <summary>When the first byte of the request head now pending arrived (the head timer).</summary>
        public long HeadStartedMs;
        /// <summary>A complete request waits for room in the TCP send buffer.</summary>
        public bool WaitingForSendSpace;

        public bool InUse => Tcp != null;
        public int Pending => End - Start;

        public void Attach(TcpConnection tcp, long nowMs)
        {
            Tcp = tcp;
            RemoteAddress = tcp.RemoteAddress;
            RemotePort = tcp.RemotePort;
            Lease = -1;
            Start = End = 0;
            BodyRemaining = 0;
            LastActivityMs = HeadStartedMs = nowMs;
            WaitingForSendSpace = false;
        }

        /// <summary>The connection is still the one accepted into this slot, and the stack still holds it.</summary>
        public bool Owns(TcpConnection tcp, ushort localPort) =>
            !tcp.IsFree && tcp.RemoteAddress == RemoteAddress && tcp.RemotePort == RemotePort && tcp.LocalPort == localPort;
    }
}
