using System;

namespace Cosmos.Net.Wire
{
    /// <summary>UDP (RFC 768): ports, length, checksum (over the IPv4 pseudo-header; 0 = none), payload.</summary>
    public readonly ref struct UdpDatagram
    {
        public const int HeaderLength = 8;
        private readonly Span<byte> _buffer;

        private UdpDatagram(Span<byte> buffer) { _buffer = buffer; }

        /// <summary>Checks the length field; verifies the checksum unless it is 0 or the NIC already did.</summary>
        public static bool TryParse(Span<byte> buffer, Ipv4Address source, Ipv4Address destination, bool checksumVerified, out UdpDatagram datagram)
        {
            datagram = default;
            if (buffer.Length < HeaderLength) return false;
            int length = NetworkOrder.Read16(buffer, 4);
            if (length < HeaderLength || length > buffer.Length) return false;
            Span<byte> exact = buffer.Slice(0, length);
            if (!checksumVerified && NetworkOrder.Read16(exact, 6) != 0)
            {
                uint sum = Checksum.Add(Checksum.PseudoHeader(source, destination, IpProtocol.Udp, length), exact);
                if (Checksum.Finish(sum) != 0) return false;
            }
            datagram = new UdpDatagram(exact);
            return true;
        }

        public ushort SourcePort => NetworkOrder.Read16(_buffer, 0);
        public ushort DestinationPort => NetworkOrder.Read16(_buffer, 2);
        public Span<byte> Payload => _buffer.Slice(HeaderLength);

        /// <summary>
        /// Writes header and checksum around a payload already at buffer[8..]; returns the datagram length. With
        /// <paramref name="partialChecksum"/> the field gets only the pseudo-header sum, for a NIC to complete.
        /// </summary>
        public static int EmitHeader(Span<byte> buffer, ushort sourcePort, ushort destinationPort, int payloadLength, Ipv4Address source, Ipv4Address destination,
            bool partialChecksum = false)
        {
            int length = HeaderLength + payloadLength;
            NetworkOrder.Write16(buffer, 0, sourcePort);
            NetworkOrder.Write16(buffer, 2, destinationPort);
            NetworkOrder.Write16(buffer, 4, (ushort)length);
            NetworkOrder.Write16(buffer, 6, 0);
            if (partialChecksum)
            {
                NetworkOrder.Write16(buffer, 6, Checksum.FoldPartial(Checksum.PseudoHeader(source, destination, IpProtocol.Udp, length)));
                return length;
            }
            ushort checksum = Checksum.Finish(Checksum.Add(Checksum.PseudoHeader(source, destination, IpProtocol.Udp, length), buffer.Slice(0, length)));
            NetworkOrder.Write16(buffer, 6, checksum == 0 ? (ushort)0xFFFF : checksum); // 0 means "no checksum" (RFC 768)
            return length;
        }
    }
}
