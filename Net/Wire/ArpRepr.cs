using Cosmos.Hal.Network;

namespace Cosmos.Net.Wire
{
    /// <summary>An ARP packet (IPv4 over Ethernet) in host terms: what <see cref="ArpPacket.Emit"/> writes and <see cref="Parse"/> reads back.</summary>
    public struct ArpRepr
    {
        /// <summary><see cref="ArpPacket.Request"/> or <see cref="ArpPacket.Reply"/> (others are read as they are).</summary>
        public ushort Operation;
        public MacAddress SenderHardware;
        public Ipv4Address SenderProtocol;
        public MacAddress TargetHardware;
        public Ipv4Address TargetProtocol;

        public static ArpRepr Parse(in ArpPacket packet) => new ArpRepr
        {
            Operation = packet.Operation.Value,
            SenderHardware = packet.SenderHardware,
            SenderProtocol = packet.SenderProtocol,
            TargetHardware = packet.TargetHardware,
            TargetProtocol = packet.TargetProtocol,
        };
    }
}
