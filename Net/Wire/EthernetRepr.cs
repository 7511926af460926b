using Cosmos.Hal.Network;

namespace Cosmos.Net.Wire
{
    /// <summary>An Ethernet II header in host terms: what <see cref="EthernetFrame.Emit"/> writes and <see cref="Parse"/> reads back.</summary>
    public struct EthernetRepr
    {
        public MacAddress Destination;
        public MacAddress Source;
        public ushort EtherType;

        public static EthernetRepr Parse(in EthernetFrame frame) => new EthernetRepr
        {
            Destination = frame.Destination,
            Source = frame.Source,
            EtherType = frame.EtherType.Value,
        };
    }
}
