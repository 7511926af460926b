namespace Cosmos.Net.Interface
{
    /// <summary>What the stack received, sent and dropped, by reason; the status page and tests read it.</summary>
    public struct NetworkCounters
    {
        public long FramesIn, FramesOut, FramesMalformed, FramesNotForUs, UnknownEtherType;
        public long ArpIn, ArpOut, ArpMalformed, ArpPendingDropped;
        public long Ipv4In, Ipv4Out, Ipv4Malformed, Ipv4BadChecksum, Ipv4NotForUs, Ipv4FragmentsDropped, Ipv4UnknownProtocol;
        public long IcmpIn, IcmpOut, IcmpMalformed, EchoRequestsAnswered, EchoRepliesReceived;
        public long UdpIn, UdpOut, UdpMalformed, UdpNoPort, UdpQueueFull;
        public long DhcpIn, DhcpOut;
        public long TransmitBusy;
    }
}
