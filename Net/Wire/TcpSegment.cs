using System;

namespace Cosmos.Net.Wire
{
    public static class TcpFlags
    {
        public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10, Urg = 0x20;
    }

    /// <summary>TCP header (RFC 793 §3.1, RFC 9293 §3.1) with its options (<see cref="TcpOptions"/>).</summary>
    public readonly ref struct TcpSegment
    {
        public const int MinHeaderLength = 20;
        private readonly Span<byte> _buffer;

        private TcpSegment(Span<byte> buffer) { _buffer = buffer; }

        /// <summary>Checks the data offset and the checksum (unless the NIC verified it).</summary>
        public static bool TryParse(Span<byte> buffer, Ipv4Address source, Ipv4Address destination, bool checksumVerified, out TcpSegment segment)
        {
            segment = default;
            if (buffer.Length < MinHeaderLength) return false;
            int headerLength = (buffer[12] >> 4) * 4;
            if (headerLength < MinHeaderLength || headerLength > buffer.Length) return false;
            if (!checksumVerified)
            {
                uint sum = Checksum.Add(Checksum.PseudoHeader(source, destination, IpProtocol.Tcp, buffer.Length), buffer);
                if (Checksum.Finish(sum) != 0) return false;
            }
            segment = new TcpSegment(buffer);
            return true;
        }

        public ushort SourcePort => NetworkOrder.Read16(_buffer, 0);
        public ushort DestinationPort => NetworkOrder.Read16(_buffer, 2);
        public uint Sequence => NetworkOrder.Read32(_buffer, 4);
        public uint Acknowledgment => NetworkOrder.Read32(_buffer, 8);
        public int HeaderLength => (_buffer[12] >> 4) * 4;
        public byte Flags => (byte)(_buffer[13] & 0x3F);
        public ushort Window => NetworkOrder.Read16(_buffer, 14);
        public Span<byte> Payload => _buffer.Slice(HeaderLength);
        public bool Has(byte flag) => (Flags & flag) != 0;
        /// <summary>The options area of the header (empty when the header is 20 bytes).</summary>
        public ReadOnlySpan<byte> OptionBytes => _buffer.Slice(MinHeaderLength, HeaderLength - MinHeaderLength);
        /// <summary>The options this stack understands, read in one walk.</summary>
        public TcpOptions Options => TcpOptions.Parse(OptionBytes);

        /// <summary>The MSS option of a SYN, or 0 when absent. Malformed options end the walk.</summary>
        public ushort MaximumSegmentSize => Options.Mss;

        /// <summary>
        /// Writes a header (with an MSS option when <paramref name="mss"/> is not 0) in front of a payload already
        /// at buffer[header..], and the checksum. Returns the segment length.
        /// </summary>
        public static int Emit(Span<byte> buffer, ushort sourcePort, ushort destinationPort, uint sequence, uint acknowledgment,
            byte flags, ushort window, ushort mss, int payloadLength, Ipv4Address source, Ipv4Address destination, bool partialChecksum = false)
        {
            var options = new TcpOptions { Mss = mss };
            return Emit(buffer, sourcePort, destinationPort, sequence, acknowledgment, flags, window, in options, payloadLength, source, destination, partialChecksum);
        }

        /// <summary>
        /// Writes a header with <paramref name="options"/> in front of a payload already at
        /// buffer[<see cref="HeaderLengthFor(in TcpOptions)"/>..], and the checksum (or, for a NIC that completes it,
        /// the pseudo-header sum). Returns the segment length.
        /// </summary>
        public static int Emit(Span<byte> buffer, ushort sourcePort, ushort destinationPort, uint sequence, uint acknowledgment,
            byte flags, ushort window, in TcpOptions options, int payloadLength, Ipv4Address source, Ipv4Address destination, bool partialChecksum = false)
        {
            int headerLength = HeaderLengthFor(in options);
            NetworkOrder.Write16(buffer, 0, sourcePort);
            NetworkOrder.Write16(buffer, 2, destinationPort);
            NetworkOrder.Write32(buffer, 4, sequence);
            NetworkOrder.Write32(buffer, 8, acknowledgment);
            buffer[12] = (byte)(headerLength / 4 << 4);
            buffer[13] = flags;
            NetworkOrder.Write16(buffer, 14, window);
            NetworkOrder.Write16(buffer, 16, 0);
            NetworkOrder.Write16(buffer, 18, 0);
            options.Write(buffer.Slice(MinHeaderLength));
            int length = headerLength + payloadLength;
            if (partialChecksum)
            {
                NetworkOrder.Write16(buffer, 16, Checksum.FoldPartial(Checksum.PseudoHeader(source, destination, IpProtocol.Tcp, length)));
                return length;
            }
            uint sum = Checksum.Add(Checksum.PseudoHeader(source, destination, IpProtocol.Tcp, length), buffer.Slice(0, length));
            NetworkOrder.Write16(buffer, 16, Checksum.Finish(sum));
            return length;
        }

        public static int HeaderLengthFor(in TcpOptions options) => MinHeaderLength + options.Length;

        public static int HeaderLengthFor(ushort mss) => mss != 0 ? 24 : MinHeaderLength;
    }
}
