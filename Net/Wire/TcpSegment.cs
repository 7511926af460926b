using System;

namespace Cosmos.Net.Wire
{
    /// <summary>TCP control bits (RFC 9293 §3.1; CWR and ECE, RFC 3168, are not read).</summary>
    public static class TcpFlags
    {
        public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10, Urg = 0x20;
        /// <summary>The bits this stack reads from byte 13.</summary>
        public const byte Mask = 0x3F;
    }

    /// <summary>TCP header (RFC 9293 §3.1) with its options (<see cref="TcpOptions"/>). A view, no copy.</summary>
    public readonly ref struct TcpSegment
    {
        /// <summary>Where each field starts (RFC 9293 §3.1, "Header Format").</summary>
        public static class Field
        {
            public const int SourcePort = 0;        // Be16
            public const int DestinationPort = 2;   // Be16
            public const int Sequence = 4;          // Be32
            public const int Acknowledgment = 8;    // Be32
            public const int DataOffset = 12;       // byte: header length in 32-bit words (high nibble), reserved bits
            public const int Flags = 13;            // byte: control bits
            public const int Window = 14;           // Be16
            public const int Checksum = 16;         // Be16, over the pseudo-header, header and data
            public const int UrgentPointer = 18;    // Be16
            public const int Options = 20;
        }

        public const int MinHeaderLength = Field.Options;
        /// <summary>Data offset 15: 60 bytes.</summary>
        public const int MaxHeaderLength = MinHeaderLength + TcpOptions.MaxLength;
        private readonly Span<byte> _buffer;

        private TcpSegment(Span<byte> buffer) { _buffer = buffer; }

        /// <summary>Checks the data offset and the checksum (unless the NIC verified it).</summary>
        public static bool TryParse(Span<byte> buffer, Ipv4Address source, Ipv4Address destination, bool checksumVerified, out TcpSegment segment)
        {
            segment = default;
            if (buffer.Length < MinHeaderLength) return false;
            int headerLength = HeaderLengthOf(buffer);
            if (headerLength < MinHeaderLength || headerLength > buffer.Length) return false;
            if (!checksumVerified)
            {
                uint sum = Wire.Checksum.Add(Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Tcp, buffer.Length), buffer);
                if (Wire.Checksum.Finish(sum) != 0) return false;
            }
            segment = new TcpSegment(buffer);
            return true;
        }

        private static int HeaderLengthOf(ReadOnlySpan<byte> header) => (header[Field.DataOffset] >> 4) * 4;

        public Be16 SourcePort => Be16.Read(_buffer, Field.SourcePort);
        public Be16 DestinationPort => Be16.Read(_buffer, Field.DestinationPort);
        public Be32 Sequence => Be32.Read(_buffer, Field.Sequence);
        public Be32 Acknowledgment => Be32.Read(_buffer, Field.Acknowledgment);
        public int HeaderLength => HeaderLengthOf(_buffer);
        public byte Flags => (byte)(_buffer[Field.Flags] & TcpFlags.Mask);
        public Be16 Window => Be16.Read(_buffer, Field.Window);
        public Be16 Checksum => Be16.Read(_buffer, Field.Checksum);
        public Span<byte> Payload => _buffer.Slice(HeaderLength);
        public bool Has(byte flag) => (Flags & flag) != 0;
        /// <summary>The options area of the header (empty when the header is 20 bytes).</summary>
        public ReadOnlySpan<byte> OptionBytes => _buffer.Slice(Field.Options, HeaderLength - Field.Options);

        /// <summary>
        /// Writes a header with <see cref="TcpRepr.Options"/> in front of a payload already at
        /// buffer[<see cref="TcpRepr.HeaderLength"/>..], and the checksum (or, with <see cref="ChecksumMode.Partial"/>,
        /// the pseudo-header sum for the NIC to complete). <paramref name="source"/> and <paramref name="destination"/>
        /// make the pseudo-header. Returns the segment length.
        /// </summary>
        public static int Emit(Span<byte> buffer, in TcpRepr repr, Ipv4Address source, Ipv4Address destination, ChecksumMode checksum = ChecksumMode.Complete)
        {
            int headerLength = repr.HeaderLength;
            int length = headerLength + repr.PayloadLength;
            Span<byte> segment = buffer.Slice(0, length);
            Be16.Of(repr.SourcePort).Write(segment, Field.SourcePort);
            Be16.Of(repr.DestinationPort).Write(segment, Field.DestinationPort);
            Be32.Of(repr.Sequence).Write(segment, Field.Sequence);
            Be32.Of(repr.Acknowledgment).Write(segment, Field.Acknowledgment);
            segment[Field.DataOffset] = (byte)(headerLength / 4 << 4);
            segment[Field.Flags] = repr.Flags;
            Be16.Of(repr.Window).Write(segment, Field.Window);
            Be16.Of(0).Write(segment, Field.Checksum);
            Be16.Of(0).Write(segment, Field.UrgentPointer);
            repr.Options.Write(segment.Slice(Field.Options, headerLength - Field.Options));
            uint pseudo = Wire.Checksum.PseudoHeader(source, destination, IpProtocol.Tcp, length);
            ushort sum = checksum == ChecksumMode.Partial ? Wire.Checksum.FoldPartial(pseudo) : Wire.Checksum.Finish(Wire.Checksum.Add(pseudo, segment));
            Be16.Of(sum).Write(segment, Field.Checksum);
            return length;
        }

        /// <summary>The header length a segment with these options has: 20 bytes and the options, a multiple of 4.</summary>
        public static int HeaderLengthFor(in TcpOptions options) => MinHeaderLength + options.Length;
    }
}
