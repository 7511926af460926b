using System;
using Cosmos.Net.Interface;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols
{
    /// <summary>ICMP (RFC 792): answers echo requests and runs a ping client.</summary>
    public sealed class IcmpEndpoint
    {
        private readonly NetworkInterface _interface;
        private const ushort PingIdentifier = 0xC05E;

        public long LastReplySequence = -1;
        public Ipv4Address LastReplyFrom;
        public long LastRoundTripUs;
        private long _sentAtUs;
        public Func<long> MicrosecondClock;

        public IcmpEndpoint(NetworkInterface networkInterface) { _interface = networkInterface; }

        internal void Input(Ipv4Address source, Ipv4Address destination, Span<byte> payload)
        {
            _interface.Counters.IcmpIn++;
            if (!IcmpPacket.TryParse(payload, out IcmpPacket packet)) { _interface.Counters.IcmpMalformed++; return; }
            IcmpRepr icmp = IcmpRepr.Parse(in packet);
            if (icmp.Type == IcmpPacket.EchoRequest && icmp.Code == 0 && destination == _interface.Address)
            {
                if (!_interface.TryBeginIpv4(source, IpProtocol.Icmp, out var reply)) return;
                if (packet.Length > reply.Payload.Length) { _interface.CancelIpv4(ref reply); return; }
                var answer = new IcmpRepr { Type = IcmpPacket.EchoReply, Identifier = icmp.Identifier, Sequence = icmp.Sequence };
                int length = IcmpPacket.Emit(reply.Payload, in answer, packet.Data);
                _interface.CommitIpv4(ref reply, length);
                _interface.Counters.IcmpOut++;
                _interface.Counters.EchoRequestsAnswered++;
            }
            else if (icmp.Type == IcmpPacket.EchoReply && icmp.Identifier == PingIdentifier)
            {
                _interface.Counters.EchoRepliesReceived++;
                LastReplySequence = icmp.Sequence;
                LastReplyFrom = source;
                if (MicrosecondClock != null) LastRoundTripUs = MicrosecondClock() - _sentAtUs;
            }
        }

        /// <summary>Sends an echo request (56 bytes of data, like ping(8)).</summary>
        public bool SendEchoRequest(Ipv4Address destination, ushort sequence)
        {
            if (!_interface.TryBeginIpv4(destination, IpProtocol.Icmp, out var packet)) return false;
            Span<byte> data = stackalloc byte[56];
            for (int i = 0; i < data.Length; i++) data[i] = (byte)i;
            var request = new IcmpRepr { Type = IcmpPacket.EchoRequest, Identifier = PingIdentifier, Sequence = sequence };
            int length = IcmpPacket.Emit(packet.Payload, in request, data);
            if (MicrosecondClock != null) _sentAtUs = MicrosecondClock();
            _interface.CommitIpv4(ref packet, length);
            _interface.Counters.IcmpOut++;
            return true;
        }
    }
}
