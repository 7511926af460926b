namespace Cosmos.Net.Interface
{
    /// <summary>What the stack received, sent and dropped, by reason; the status page and tests read it.</summary>
    public struct NetworkCounters
    {
        public long FramesIn, FramesOut, FramesMalformed, FramesNotForUs, UnknownEtherType;
        public long ArpIn, ArpOut, ArpMalformed;
        /// <summary>Frames dropped while their next hop resolved (no room, or no answer), and next hops that never answered.</summary>
        public long ArpPendingDropped, ArpResolutionsFailed;
        public long Ipv4In, Ipv4Out, Ipv4Malformed, Ipv4BadChecksum, Ipv4NotForUs, Ipv4UnknownProtocol;
        /// <summary>Fragments received, fragments dropped (beyond the reassembly limits, malformed or contradicting), datagrams reassembled.</summary>
        public long Ipv4Fragments, Ipv4FragmentsDropped, Ipv4Reassembled;
        /// <summary>Packets from a source no host can have (broadcast, multicast, 0.0.0.0, loopback): dropped, RFC 1122 §3.2.1.3.</summary>
        public long Ipv4BadSource;
        /// <summary>TCP packets handed to the NIC to cut into segments (TSO).</summary>
        public long SegmentedPackets;
        public long IcmpIn, IcmpOut, IcmpMalformed, EchoRequestsAnswered, EchoRepliesReceived;
        public long UdpIn, UdpOut, UdpMalformed, UdpNoPort, UdpQueueFull;
        public long DhcpIn, DhcpOut;
        public long TransmitBusy;
    }
}
