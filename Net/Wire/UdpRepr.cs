namespace Cosmos.Net.Wire
{
    /// <summary>A UDP header in host terms: what <see cref="UdpDatagram.Emit"/> writes and <see cref="Parse"/> reads back (the checksum is theirs).</summary>
    public struct UdpRepr
    {
        public ushort SourcePort;
        public ushort DestinationPort;
        /// <summary>Bytes after the header: at most 65535 - 8.</summary>
        public int PayloadLength;

        public static UdpRepr Parse(in UdpDatagram datagram) => new UdpRepr
        {
            SourcePort = datagram.SourcePort.Value,
            DestinationPort = datagram.DestinationPort.Value,
            PayloadLength = datagram.Payload.Length,
        };
    }
}
