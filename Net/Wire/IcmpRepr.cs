namespace Cosmos.Net.Wire
{
    /// <summary>
    /// An ICMP echo header (RFC 792) in host terms: what <see cref="IcmpPacket.Emit"/> writes in front of the data and
    /// <see cref="Parse"/> reads back. For types other than echo, identifier and sequence are bytes 4-7 read the same way.
    /// </summary>
    public struct IcmpRepr
    {
        /// <summary><see cref="IcmpPacket.EchoRequest"/> or <see cref="IcmpPacket.EchoReply"/>.</summary>
        public byte Type;
        public byte Code;
        public ushort Identifier;
        public ushort Sequence;

        public static IcmpRepr Parse(in IcmpPacket packet) => new IcmpRepr
        {
            Type = packet.Type,
            Code = packet.Code,
            Identifier = packet.Identifier.Value,
            Sequence = packet.Sequence.Value,
        };
    }
}
