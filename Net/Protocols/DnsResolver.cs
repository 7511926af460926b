using System;
using Cosmos.Net.Interface;
using Cosmos.Net.Sockets;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols
{
    public enum DnsResult : byte { Pending, Resolved, Failed }

    /// <summary>A stub resolver (RFC 1035 §7): one A query at a time to the configured server, three tries.</summary>
    public sealed class DnsResolver
    {
        private const long TimeoutMs = 1000;
        private const int Tries = 3;
        private readonly NetworkInterface _interface;
        private readonly UdpSocket _socket;
        private readonly byte[] _buffer = new byte[512];
        private readonly char[] _name = new char[253];
        private int _nameLength;
        private ushort _id;
        private int _tries;
        private long _sentAtMs;

        public Ipv4Address Server;
        public ushort ServerPort = DnsMessage.Port;
        public DnsResult State { get; private set; } = DnsResult.Failed;
        public Ipv4Address Address { get; private set; }
        public int ResponseCode { get; private set; }

        public DnsResolver(NetworkInterface networkInterface, ushort localPort)
        {
            _interface = networkInterface;
            _socket = networkInterface.Udp.Bind(localPort);
        }

        /// <summary>False when the local port was taken (the resolver can then only fail).</summary>
        public bool HasPort => _socket != null;

        /// <summary>Gives the local port back (a resolver made for one lookup).</summary>
        public void Close()
        {
            _socket?.Close();
            if (State == DnsResult.Pending) State = DnsResult.Failed;
        }

        public bool Start(ReadOnlySpan<char> name, long nowMs)
        {
            if (_socket == null || name.Length > _name.Length || Server.IsAny) { State = DnsResult.Failed; return false; }
            name.CopyTo(_name);
            _nameLength = name.Length;
            _id = (ushort)(_id * 31 + nowMs + 1);
            _tries = 0;
            State = DnsResult.Pending;
            Send(nowMs);
            return true;
        }

        private void Send(long nowMs)
        {
            _tries++;
            _sentAtMs = nowMs;
            int length = DnsMessage.EmitQuery(_buffer, _id, new ReadOnlySpan<char>(_name, 0, _nameLength));
            if (length == 0) { State = DnsResult.Failed; return; }
            _socket.TrySend(Server, ServerPort, new ReadOnlySpan<byte>(_buffer, 0, length));
        }

        public void Poll(long nowMs)
        {
            if (State != DnsResult.Pending) return;
            while (_socket.TryReceive(_buffer, out int length, out Ipv4Address from, out ushort fromPort))
            {
                if (from != Server || fromPort != ServerPort) continue;
                if (DnsMessage.TryParseAnswer(new ReadOnlySpan<byte>(_buffer, 0, length), _id, out Ipv4Address address, out int code))
                {
                    Address = address;
                    State = DnsResult.Resolved;
                    return;
                }
                ResponseCode = code;
                if (code > 0) { State = DnsResult.Failed; return; } // NXDOMAIN and friends are answers
            }
            if (nowMs - _sentAtMs < TimeoutMs) return;
            if (_tries >= Tries) State = DnsResult.Failed; else Send(nowMs);
        }
    }
}
