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
        private readonly byte[] _buffer = new byte[UdpSocket.MaxPayload];
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
            while (_socket.TryReceive(_buffer, out int length, out Ipv4Address from, out ushort fromPort))
            {
                any = true;
                if (_socket.TrySend(from, fromPort, new ReadOnlySpan<byte>(_buffer, 0, length))) Echoed++;
            }
            return any;
        }
    }
}
