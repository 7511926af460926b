using System;
using Cosmos.Net.Interface;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>Connections that completed the handshake on a listening port, waiting for Accept.</summary>
    public sealed class TcpListenerQueue
    {
        public const int Backlog = TcpEndpoint.MaxConnections; // every connection the pool can hold may be waiting: none refused for want of room
        private readonly TcpConnection[] _ready = new TcpConnection[Backlog];
        private int _head, _count;
        public ushort Port { get; }
        public long Refused;

        internal TcpListenerQueue(ushort port) { Port = port; }

        internal void Enqueue(TcpConnection connection)
        {
            if (_count == Backlog) { Refused++; connection.Abort(); return; }
            _ready[(_head + _count) % Backlog] = connection;
            _count++;
        }

        /// <summary>The next established connection, or null.</summary>
        public TcpConnection Accept()
        {
            while (_count > 0)
            {
                TcpConnection c = _ready[_head];
                _ready[_head] = null;
                _head = (_head + 1) % Backlog;
                _count--;
                if (!c.IsFree) return c;
            }
            return null;
        }
    }

    /// <summary>
    /// TCP for one interface: a fixed pool of connections (so memory use is bounded and returns to idle),
    /// listening ports, demultiplexing by the four-tuple, RST for segments nobody wants (RFC 9293 §3.10.7.1).
    /// </summary>
    public sealed class TcpEndpoint
    {
        public const int MaxConnections = 32;
        public const int MaxListeners = 8;
        private readonly NetworkInterface _interface;
        private readonly TcpConnection[] _connections = new TcpConnection[MaxConnections];
        private readonly TcpListenerQueue[] _listeners = new TcpListenerQueue[MaxListeners];
        private uint _isnCounter;
        private ushort _nextEphemeral = 49152;

        public long SegmentsIn, SegmentsOut, Malformed, ResetsSent, NoConnectionSlot;

        public TcpEndpoint(NetworkInterface networkInterface, uint seed)
        {
            _interface = networkInterface;
            _isnCounter = seed;
            for (int i = 0; i < MaxConnections; i++) _connections[i] = new TcpConnection(this, i);
        }

        public int ActiveConnections
        {
            get { int n = 0; for (int i = 0; i < MaxConnections; i++) if (!_connections[i].IsFree) n++; return n; }
        }

        public TcpListenerQueue Listen(ushort port)
        {
            for (int i = 0; i < MaxListeners; i++) if (_listeners[i] != null && _listeners[i].Port == port) return null;
            for (int i = 0; i < MaxListeners; i++)
                if (_listeners[i] == null) return _listeners[i] = new TcpListenerQueue(port);
            return null;
        }

        /// <summary>Active open (RFC 9293 §3.10.1); null when no connection slot is free.</summary>
        public TcpConnection Connect(Ipv4Address remote, ushort remotePort, long nowMs)
        {
            TcpConnection c = FreeSlot();
            if (c == null) return null;
            c.Reset(NextEphemeralPort(), remote, remotePort, NextIsn(nowMs));
            c.OpenActive(nowMs);
            return c;
        }

        private ushort NextEphemeralPort()
        {
            ushort port = _nextEphemeral;
            _nextEphemeral = (ushort)(_nextEphemeral == 65535 ? 49152 : _nextEphemeral + 1);
            return port;
        }

        /// <summary>RFC 6528 in spirit: a clock-driven counter plus a per-connection mix, so sequence numbers are not guessable from one another.</summary>
        private uint NextIsn(long nowMs)
        {
            _isnCounter = _isnCounter * 1664525 + 1013904223;
            return (uint)(nowMs * 250) + (_isnCounter >> 8);
        }

        private TcpConnection FreeSlot()
        {
            for (int i = 0; i < MaxConnections; i++) if (_connections[i].IsFree) return _connections[i];
            NoConnectionSlot++;
            return null;
        }

        internal void Input(Ipv4Address source, Ipv4Address destination, Span<byte> bytes, bool checksumVerified, long nowMs)
        {
            SegmentsIn++;
            if (!TcpSegment.TryParse(bytes, source, destination, checksumVerified, out TcpSegment segment)) { Malformed++; return; }
            ushort localPort = segment.DestinationPort, remotePort = segment.SourcePort;
            for (int i = 0; i < MaxConnections; i++)
            {
                TcpConnection c = _connections[i];
                if (c.IsFree || c.LocalPort != localPort || c.RemotePort != remotePort || c.RemoteAddress != source) continue;
                c.Input(segment, nowMs);
                c.Output(nowMs);
                return;
            }
            if (segment.Has(TcpFlags.Rst)) return;
            if (segment.Has(TcpFlags.Syn) && !segment.Has(TcpFlags.Ack))
            {
                for (int i = 0; i < MaxListeners; i++)
                {
                    TcpListenerQueue listener = _listeners[i];
                    if (listener == null || listener.Port != localPort) continue;
                    TcpConnection c = FreeSlot();
                    if (c == null) break;
                    c.Reset(localPort, source, remotePort, NextIsn(nowMs));
                    c.Listener = listener;
                    c.OpenPassive(segment.Sequence, segment.MaximumSegmentSize, segment.Window, nowMs);
                    return;
                }
            }
            // Nobody here: reset (RFC 9293 §3.10.7.1).
            uint payload = (uint)segment.Payload.Length + (segment.Has(TcpFlags.Syn) ? 1u : 0) + (segment.Has(TcpFlags.Fin) ? 1u : 0);
            if (segment.Has(TcpFlags.Ack))
                SendRaw(destination, localPort, source, remotePort, segment.Acknowledgment, 0, TcpFlags.Rst);
            else
                SendRaw(destination, localPort, source, remotePort, 0, segment.Sequence + payload, TcpFlags.Rst | TcpFlags.Ack);
        }

        public void Poll(long nowMs)
        {
            for (int i = 0; i < MaxConnections; i++) if (!_connections[i].IsFree) _connections[i].Output(nowMs);
        }

        internal bool SendSegment(TcpConnection c, uint sequence, uint acknowledgment, byte flags, ushort window, ushort mss, SendWindow data)
        {
            if (!_interface.TryBeginIpv4(c.RemoteAddress, IpProtocol.Tcp, out var packet)) return false;
            int header = TcpSegment.HeaderLengthFor(mss);
            Span<byte> payload = packet.Payload.Slice(header, data.Length);
            if (data.Length > 0) Ring.CopyOut(data.Ring, data.Start, payload);
            bool offload = _interface.OffloadsTransmitChecksum;
            int length = TcpSegment.Emit(packet.Payload, c.LocalPort, c.RemotePort, sequence, acknowledgment, flags, window, mss, data.Length, packet.Source, c.RemoteAddress, offload);
            _interface.CommitIpv4(ref packet, length, offload ? 16 : -1);
            SegmentsOut++;
            if ((flags & TcpFlags.Rst) != 0) ResetsSent++;
            return true;
        }

        private void SendRaw(Ipv4Address source, ushort sourcePort, Ipv4Address destination, ushort destinationPort, uint sequence, uint acknowledgment, byte flags)
        {
            if (!_interface.TryBeginIpv4(destination, IpProtocol.Tcp, out var packet)) return;
            int length = TcpSegment.Emit(packet.Payload, sourcePort, destinationPort, sequence, acknowledgment, flags, 0, 0, 0, source, destination);
            _interface.CommitIpv4(ref packet, length);
            SegmentsOut++;
            ResetsSent++;
        }
    }
}
