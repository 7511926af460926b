using System;

namespace Cosmos.Net.Wire
{
    /// <summary>UDP (RFC 768): ports, length, checksum (over the IPv4 pseudo-header; 0 = none), payload. A view, no copy.</summary>
    public readonly ref struct UdpDatagram
    {
        /// <summary>Where each field starts (RFC 768, "Format").</summary>
        public static class Field
        {
            public const int SourcePort = 0;        // Be16
            public const int DestinationPort = 2;   // Be16
            public const int Length = 4;            // Be16: header and data, in bytes
            public const int Checksum = 6;          // Be16: 0 = none sent
            public const int Payload = 8;
        }

        public const int HeaderLength = Field.Payload;
        private readonly Span<byte> _buffer;

        private UdpDatagram(Span<byte> buffer) { _buffer = buffer; }

        /// <summary>Checks the length field; verifies the checksum unless it is 0 or the NIC already did. The view covers the length field's bytes.</summary>
        public static bool TryParse(Span<byte> buffer, Ipv4Address source, Ipv4Address destination, bool checksumVerified, out UdpDatagram datagram)
        {
            datagram = default;
            if (buffer.Length < HeaderLength) return false;
            int length = Be16.Read(buffer, Field.Length).Value;
            if (length < HeaderLength || length > buffer.Length) return false;
            Span<byte> exact = buffer.Slice(0, length);
            if (!checksumVerified && Be16.Read(exact, Field.Checksum).Value != 0)
            {
                uint sum = Wire.Checksum.Add(Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Udp, length), exact);
                if (Wire.Checksum.Finish(sum) != 0) return false;
            }
            datagram = new UdpDatagram(exact);
            return true;
        }

        public Be16 SourcePort => Be16.Read(_buffer, Field.SourcePort);
        public Be16 DestinationPort => Be16.Read(_buffer, Field.DestinationPort);
        public Be16 Length => Be16.Read(_buffer, Field.Length);
        public Be16 Checksum => Be16.Read(_buffer, Field.Checksum);
        public Span<byte> Payload => _buffer.Slice(Field.Payload);

        /// <summary>
        /// Writes the header and checksum around a payload already at buffer[<see cref="HeaderLength"/>..]; returns the
        /// datagram length. <paramref name="source"/> and <paramref name="destination"/> make the pseudo-header.
        /// </summary>
        public static int Emit(Span<byte> buffer, in UdpRepr repr, Ipv4Address source, Ipv4Address destination, ChecksumMode checksum = ChecksumMode.Complete)
        {
            int length = HeaderLength + repr.PayloadLength;
            Span<byte> datagram = buffer.Slice(0, length);
            Be16.Of(repr.SourcePort).Write(datagram, Field.SourcePort);
            Be16.Of(repr.DestinationPort).Write(datagram, Field.DestinationPort);
            Be16.Of((ushort)length).Write(datagram, Field.Length);
            Be16.Of(0).Write(datagram, Field.Checksum);
            uint pseudo = Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Udp, length);
            if (checksum == ChecksumMode.Partial)
            {
                Be16.Of(Wire.Checksum.FoldPartial(pseudo)).Write(datagram, Field.Checksum);
                return length;
            }
            ushort sum = Wire.Checksum.Finish(Wire.Checksum.Add(pseudo, datagram));
            Be16.Of(sum == 0 ? (ushort)0xFFFF : sum).Write(datagram, Field.Checksum); // 0 means "no checksum" (RFC 768)
            return length;
        }
    }
}
