using System;
using Cosmos.Net.Interface;
using Cosmos.Net.Sockets;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Services
{
    /// <summary>The echo service (RFC 862) over UDP: every datagram to port 7 goes back to its sender.</summary>
    public sealed class UdpEchoService
    {
        public const ushort Port = 7;
        private readonly UdpSocket _socket;
        public long Echoed;

        public UdpEchoService(NetworkInterface networkInterface)
        {
            _socket = networkInterface.Udp.Bind(Port);
        }

        public bool IsListening => _socket != null;

        public bool Poll()
        {
            if (_socket == null) return false;
            bool any = false;
            // The reply is built straight from the socket's queue slot: one copy fewer than receiving into a
            // buffer of our own first (the issue 6 profile showed cost growing with payload size).
            while (_socket.TryPeek(out ReadOnlySpan<byte> payload, out Ipv4Address from, out ushort fromPort))
            {
                any = true;
                bool sent = _socket.TrySend(from, fromPort, payload);
                _socket.Consume(); // sent or not (no transmit buffer), as before: a datagram is never retried
                if (sent) Echoed++;
            }
            return any;
        }
    }
}
