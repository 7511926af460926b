using System;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Sockets
{
    /// <summary>
    /// A bound UDP port with a fixed receive queue (datagrams are copied into preallocated slots, so the NIC's
    /// buffer goes back at once). Send builds the datagram in the transmit buffer directly.
    /// </summary>
    public sealed class UdpSocket
    {
        public const int QueueSlots = 64;
        public const int MaxPayload = NetworkInterface.MaxIpv4Payload - UdpDatagram.HeaderLength;

        private readonly UdpEndpoint _endpoint;
        private readonly byte[][] _data = new byte[QueueSlots][];
        private readonly int[] _length = new int[QueueSlots];
        private readonly Ipv4Address[] _from = new Ipv4Address[QueueSlots];
        private readonly ushort[] _fromPort = new ushort[QueueSlots];
        private int _head, _count;

        public ushort Port { get; }
        public long Received, Sent, Dropped;
        public int Queued => _count;

        internal UdpSocket(UdpEndpoint endpoint, ushort port)
        {
            _endpoint = endpoint;
            Port = port;
            for (int i = 0; i < QueueSlots; i++) _data[i] = new byte[MaxPayload];
        }

        internal bool Enqueue(Ipv4Address from, ushort fromPort, ReadOnlySpan<byte> payload)
        {
            if (_count == QueueSlots || payload.Length > MaxPayload) { Dropped++; return false; }
            int slot = (_head + _count) % QueueSlots;
            payload.CopyTo(_data[slot]);
            _length[slot] = payload.Length;
            _from[slot] = from;
            _fromPort[slot] = fromPort;
            _count++;
            Received++;
            return true;
        }

        /// <summary>Copies the next datagram into <paramref name="destination"/>; false when the queue is empty.</summary>
        public bool TryReceive(Span<byte> destination, out int length, out Ipv4Address from, out ushort fromPort)
        {
            length = 0;
            from = default;
            fromPort = 0;
            if (_count == 0) return false;
            int slot = _head;
            length = Math.Min(_length[slot], destination.Length);
            new ReadOnlySpan<byte>(_data[slot], 0, length).CopyTo(destination);
            from = _from[slot];
            fromPort = _fromPort[slot];
            _head = (_head + 1) % QueueSlots;
            _count--;
            return true;
        }

        /// <summary>
        /// The next datagram where it lies in the queue, without copying it out; it stays valid until
        /// <see cref="Consume"/>. False when the queue is empty.
        /// </summary>
        public bool TryPeek(out ReadOnlySpan<byte> payload, out Ipv4Address from, out ushort fromPort)
        {
            payload = default;
            from = default;
            fromPort = 0;
            if (_count == 0) return false;
            int slot = _head;
            payload = new ReadOnlySpan<byte>(_data[slot], 0, _length[slot]);
            from = _from[slot];
            fromPort = _fromPort[slot];
            return true;
        }

        /// <summary>Drops the datagram <see cref="TryPeek"/> showed.</summary>
        public void Consume()
        {
            if (_count == 0) return;
            _head = (_head + 1) % QueueSlots;
            _count--;
        }

        public bool TrySend(Ipv4Address destination, ushort destinationPort, ReadOnlySpan<byte> payload)
        {
            if (payload.Length > MaxPayload) return false;
            if (!_endpoint.Send(Port, destination, destinationPort, payload)) return false;
            Sent++;
            return true;
        }

        public void Close() => _endpoint.Unbind(this);
    }
}
