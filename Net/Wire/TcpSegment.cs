using System;

namespace Cosmos.Net.Wire
{
    public static class TcpFlags
    {
        public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10, Urg = 0x20;
    }

    /// <summary>TCP header (RFC 793 §3.1, RFC 9293 §3.1) with its options (only MSS is read, RFC 793 §3.1 / RFC 6691).</summary>
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

        /// <summary>The MSS option of a SYN, or 0 when absent. Malformed options end the walk.</summary>
        public ushort MaximumSegmentSize
        {
            get
            {
                int end = HeaderLength;
                for (int at = MinHeaderLength; at < end;)
                {
                    byte kind = _buffer[at];
                    if (kind == 0) break;            // end of options
                    if (kind == 1) { at++; continue; } // no-op
                    if (at + 1 >= end) break;
                    int length = _buffer[at + 1];
                    if (length < 2 || at + length > end) break;
                    if (kind == 2 && length == 4) return NetworkOrder.Read16(_buffer, at + 2);
                    at += length;
                }
                return 0;
            }
        }

        /// <summary>
        /// Writes a header (with an MSS option when <paramref name="mss"/> is not 0) in front of a payload already
        /// at buffer[header..], and the checksum. Returns the segment length.
        /// </summary>
        public static int Emit(Span<byte> buffer, ushort sourcePort, ushort destinationPort, uint sequence, uint acknowledgment,
            byte flags, ushort window, ushort mss, int payloadLength, Ipv4Address source, Ipv4Address destination, bool partialChecksum = false)
        {
            int headerLength = mss != 0 ? 24 : MinHeaderLength;
            NetworkOrder.Write16(buffer, 0, sourcePort);
            NetworkOrder.Write16(buffer, 2, destinationPort);
            NetworkOrder.Write32(buffer, 4, sequence);
            NetworkOrder.Write32(buffer, 8, acknowledgment);
            buffer[12] = (byte)(headerLength / 4 << 4);
            buffer[13] = flags;
            NetworkOrder.Write16(buffer, 14, window);
            NetworkOrder.Write16(buffer, 16, 0);
            NetworkOrder.Write16(buffer, 18, 0);
            if (mss != 0)
            {
                buffer[20] = 2;
                buffer[21] = 4;
                NetworkOrder.Write16(buffer, 22, mss);
            }
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

        public static int HeaderLengthFor(ushort mss) => mss != 0 ? 24 : MinHeaderLength;
    }
}
