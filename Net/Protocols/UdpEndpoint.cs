using System;
using Cosmos.Net.Interface;
using Cosmos.Net.Sockets;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols
{
    /// <summary>UDP (RFC 768): demultiplexes datagrams to bound sockets and sends on their behalf.</summary>
    public sealed class UdpEndpoint
    {
        public const int MaxSockets = 16;
        private readonly NetworkInterface _interface;
        private readonly UdpSocket[] _sockets = new UdpSocket[MaxSockets];

        public UdpEndpoint(NetworkInterface networkInterface) { _interface = networkInterface; }

        /// <summary>Datagrams waiting in all sockets' queues.</summary>
        public int QueuedDatagrams
        {
            get { int n = 0; for (int i = 0; i < MaxSockets; i++) if (_sockets[i] != null) n += _sockets[i].Queued; return n; }
        }

        public int OpenSockets
        {
            get { int n = 0; for (int i = 0; i < MaxSockets; i++) if (_sockets[i] != null) n++; return n; }
        }

        /// <summary>Binds a port; null if it is taken or the table is full.</summary>
        public UdpSocket Bind(ushort port)
        {
            int free = -1;
            for (int i = 0; i < MaxSockets; i++)
            {
                if (_sockets[i] != null && _sockets[i].Port == port) return null;
                if (_sockets[i] == null && free < 0) free = i;
            }
            if (free < 0) return null;
            return _sockets[free] = new UdpSocket(this, port);
        }

        internal void Unbind(UdpSocket socket)
        {
            for (int i = 0; i < MaxSockets; i++) if (_sockets[i] == socket) _sockets[i] = null;
        }

        internal void Input(Ipv4Address source, Ipv4Address destination, Span<byte> payload, bool checksumVerified)
        {
            _interface.Counters.UdpIn++;
            if (!UdpDatagram.TryParse(payload, source, destination, checksumVerified, out UdpDatagram datagram)) { _interface.Counters.UdpMalformed++; return; }
            UdpRepr udp = UdpRepr.Parse(in datagram);
            ushort port = udp.DestinationPort;
            for (int i = 0; i < MaxSockets; i++)
            {
                UdpSocket socket = _sockets[i];
                if (socket == null || socket.Port != port) continue;
                if (!socket.Enqueue(source, udp.SourcePort, datagram.Payload)) _interface.Counters.UdpQueueFull++;
                return;
            }
            if (port == DhcpMessage.ClientPort && _interface.Dhcp != null)
            {
                _interface.Dhcp.Input(datagram.Payload);
                return;
            }
            _interface.Counters.UdpNoPort++;
        }

        internal bool Send(ushort sourcePort, Ipv4Address destination, ushort destinationPort, ReadOnlySpan<byte> payload)
        {
            if (!_interface.TryBeginIpv4(destination, IpProtocol.Udp, out var packet)) return false;
            payload.CopyTo(packet.Payload.Slice(UdpDatagram.HeaderLength));
            bool offload = _interface.OffloadsTransmitChecksum;
            var udp = new UdpRepr { SourcePort = sourcePort, DestinationPort = destinationPort, PayloadLength = payload.Length };
            int length = UdpDatagram.Emit(packet.Payload, in udp, packet.Source, destination, offload ? ChecksumMode.Partial : ChecksumMode.Complete);
            _interface.CommitIpv4(ref packet, length, offload ? UdpDatagram.Field.Checksum : -1);
            _interface.Counters.UdpOut++;
            return true;
        }
    }
}
