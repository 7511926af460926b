namespace Cosmos.Net.Wire
{
    /// <summary>
    /// An IPv4 header in host terms (no options): what <see cref="Ipv4Packet.Emit"/> writes and <see cref="Parse"/>
    /// reads back. The type of service is written as 0 and not kept; the checksum is the emitter's and the view's business.
    /// </summary>
    public struct Ipv4Repr
    {
        /// <summary>What the stack sends with (RFC 1700 recommends 64).</summary>
        public const byte DefaultTimeToLive = 64;

        public Ipv4Address Source;
        public Ipv4Address Destination;
        /// <summary>An <see cref="IpProtocol"/> number.</summary>
        public byte Protocol;
        /// <summary>Bytes after the header: at most 65535 - 20.</summary>
        public int PayloadLength;
        public ushort Identification;
        public byte TimeToLive;
        public bool DontFragment;
        public bool MoreFragments;
        /// <summary>In bytes: a multiple of 8 below 65536.</summary>
        public int FragmentOffset;

        public static Ipv4Repr Parse(in Ipv4Packet packet) => new Ipv4Repr
        {
            Source = packet.Source,
            Destination = packet.Destination,
            Protocol = packet.Protocol,
            PayloadLength = packet.TotalLength - packet.HeaderLength,
            Identification = packet.Identification.Value,
            TimeToLive = packet.TimeToLive,
            DontFragment = packet.DontFragment,
            MoreFragments = packet.MoreFragments,
            FragmentOffset = packet.FragmentOffset,
        };
    }
}
