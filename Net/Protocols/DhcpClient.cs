using System;
using Cosmos.Net.Interface;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols
{
    public enum DhcpState : byte { Init, Selecting, Requesting, Bound, Renewing, Rebinding }

    /// <summary>
    /// DHCP client (RFC 2131 §4.4): DISCOVER, OFFER, REQUEST, ACK, then renewal at T1 (unicast to the
    /// server) and rebinding at T2 (broadcast). Retransmits with doubling waits (4 s up to 64 s, §4.1).
    /// </summary>
    public sealed class DhcpClient
    {
        private readonly NetworkInterface _interface;
        private uint _transactionId;
        private long _nextSendMs, _waitMs;
        private long _boundAtMs;
        private Ipv4Address _offered, _server;
        private uint _lease, _t1, _t2;

        public DhcpState State { get; private set; } = DhcpState.Init;
        public uint LeaseSeconds => _lease;
        /// <summary>The server whose lease is held (its identifier, option 54); 0.0.0.0 before one is bound.</summary>
        public Ipv4Address Server => State == DhcpState.Init || State == DhcpState.Selecting ? default : _server;
        public int Renewals { get; private set; }
        public Action<DhcpClient> OnBound;
        /// <summary>When set, renew this many milliseconds after binding instead of at T1 (to test renewal).</summary>
        public long RenewAfterMsOverride;

        public DhcpClient(NetworkInterface networkInterface, uint seed)
        {
            _interface = networkInterface;
            _transactionId = seed | 1;
        }

        public void Poll(long nowMs)
        {
            switch (State)
            {
                case DhcpState.Init:
                    _transactionId = _transactionId * 1103515245 + 12345;
                    State = DhcpState.Selecting;
                    _waitMs = 4000;
                    SendDiscover(nowMs);
                    break;
                case DhcpState.Selecting:
                case DhcpState.Requesting:
                    if (nowMs >= _nextSendMs)
                    {
                        _waitMs = Math.Min(_waitMs * 2, 64_000);
                        if (State == DhcpState.Selecting) SendDiscover(nowMs);
                        else SendSelectingRequest(nowMs);
                    }
                    break;
                case DhcpState.Bound:
                    if (nowMs - _boundAtMs >= (RenewAfterMsOverride > 0 ? RenewAfterMsOverride : (long)_t1 * 1000))
                    {
                        State = DhcpState.Renewing;
                        _waitMs = 4000;
                        SendRenewalRequest(nowMs, unicastTo: _server);
                    }
                    break;
                case DhcpState.Renewing:
                case DhcpState.Rebinding:
                    if (nowMs - _boundAtMs >= (long)_lease * 1000) { _interface.Configure(Ipv4Address.Any, 0, default, default); State = DhcpState.Init; break; }
                    if (State == DhcpState.Renewing && nowMs - _boundAtMs >= (long)_t2 * 1000) State = DhcpState.Rebinding;
                    if (nowMs >= _nextSendMs)
                        SendRenewalRequest(nowMs, unicastTo: State == DhcpState.Renewing ? _server : default);
                    break;
            }
        }

        private void SendDiscover(long nowMs)
        {
            DhcpRepr discover = ClientMessage(DhcpMessageType.Discover, unicastTo: default);
            Send(in discover, unicastTo: default, nowMs);
        }

        /// <summary>REQUEST in SELECTING (RFC 2131 §4.3.2): the offered address from the server that offered it.</summary>
        private void SendSelectingRequest(long nowMs)
        {
            DhcpRepr request = ClientMessage(DhcpMessageType.Request, unicastTo: default);
            request.RequestedAddress = _offered;
            request.ServerIdentifier = _server;
            Send(in request, unicastTo: default, nowMs);
        }

        /// <summary>REQUEST in RENEWING (unicast to the server) or REBINDING (broadcast): our address in ciaddr (RFC 2131 §4.3.2).</summary>
        private void SendRenewalRequest(long nowMs, Ipv4Address unicastTo)
        {
            DhcpRepr request = ClientMessage(DhcpMessageType.Request, unicastTo);
            request.ClientAddress = _interface.Address;
            Send(in request, unicastTo, nowMs);
        }

        /// <summary>What every message of ours carries (RFC 2131 §4.4.1, Table 5): our MAC as chaddr and client identifier, the parameters we need.</summary>
        private DhcpRepr ClientMessage(byte type, Ipv4Address unicastTo) => new DhcpRepr
        {
            Operation = DhcpMessage.BootRequest,
            TransactionId = _transactionId,
            Broadcast = unicastTo.IsAny,
            ClientHardware = _interface.Mac,
            ClientIdentifier = _interface.Mac,
            MessageType = type,
            RequestParameters = true,
        };

        private void Send(in DhcpRepr message, Ipv4Address unicastTo, long nowMs)
        {
            _nextSendMs = nowMs + _waitMs;
            Ipv4Address destination = unicastTo.IsAny ? Ipv4Address.Broadcast : unicastTo;
            if (!_interface.TryBeginIpv4(destination, IpProtocol.Udp, out var packet)) return;
            int length = DhcpMessage.Emit(packet.Payload.Slice(UdpDatagram.HeaderLength), in message);
            var udp = new UdpRepr { SourcePort = DhcpMessage.ClientPort, DestinationPort = DhcpMessage.ServerPort, PayloadLength = length };
            int datagram = UdpDatagram.Emit(packet.Payload, in udp, packet.Source, destination);
            _interface.CommitIpv4(ref packet, datagram);
            _interface.Counters.DhcpOut++;
        }

        internal void Input(ReadOnlySpan<byte> payload)
        {
            _interface.Counters.DhcpIn++;
            if (!DhcpMessage.TryParse(payload, out DhcpMessage view) || !DhcpRepr.TryParse(in view, out DhcpRepr message)) return;
            if (message.Operation != DhcpMessage.BootReply || message.TransactionId != _transactionId) return;
            long now = _interface.NowMs;
            switch (State)
            {
                case DhcpState.Selecting when message.MessageType == DhcpMessageType.Offer:
                    _offered = message.YourAddress;
                    _server = message.ServerIdentifier;
                    State = DhcpState.Requesting;
                    _waitMs = 4000;
                    SendSelectingRequest(now);
                    break;
                case DhcpState.Requesting:
                case DhcpState.Renewing:
                case DhcpState.Rebinding:
                    if (message.MessageType == DhcpMessageType.Nak) { _interface.Configure(Ipv4Address.Any, 0, default, default); State = DhcpState.Init; break; }
                    if (message.MessageType != DhcpMessageType.Ack) break;
                    if (State != DhcpState.Requesting) { Renewals++; RenewAfterMsOverride = 0; }
                    Bind(in message, now);
                    break;
            }
        }

        private void Bind(in DhcpRepr ack, long nowMs)
        {
            _lease = ack.LeaseSeconds == 0 ? 3600 : ack.LeaseSeconds;
            _t1 = ack.RenewalSeconds != 0 ? ack.RenewalSeconds : _lease / 2;
            _t2 = ack.RebindingSeconds != 0 ? ack.RebindingSeconds : _lease / 8 * 7;
            if (!ack.ServerIdentifier.IsAny) _server = ack.ServerIdentifier;
            _boundAtMs = nowMs;
            State = DhcpState.Bound;
            _interface.Configure(ack.YourAddress, PrefixOf(ack.SubnetMask), ack.Router, ack.DnsServer);
            OnBound?.Invoke(this);
        }

        /// <summary>Forces an early renewal (tests): the lease timers as if T1 had passed.</summary>
        public void RenewNow() => _boundAtMs -= (long)_t1 * 1000;

        private static int PrefixOf(Ipv4Address mask)
        {
            int n = 0;
            for (uint m = mask.Value; (m & 0x80000000) != 0; m <<= 1) n++;
            return mask.IsAny ? 24 : n;
        }
    }
}
