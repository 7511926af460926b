using System;
using Cosmos.Hal.Network;

namespace Cosmos.Net.Wire
{
    public static class EtherType
    {
        public const ushort Ipv4 = 0x0800;
        public const ushort Arp = 0x0806;
    }

    /// <summary>Ethernet II (IEEE 802.3 with EtherType ≥ 0x0600): dst 6, src 6, type 2, payload. A view, no copy.</summary>
    public readonly ref struct EthernetFrame
    {
        public const int HeaderLength = 14;
        private readonly Span<byte> _buffer;

        private EthernetFrame(Span<byte> buffer) { _buffer = buffer; }

        /// <summary>Checked constructor for untrusted bytes: after it, no accessor can read out of range.</summary>
        public static bool TryParse(Span<byte> buffer, out EthernetFrame frame)
        {
            frame = default;
            if (buffer.Length < HeaderLength) return false;
            if (NetworkOrder.Read16(buffer, 12) < 0x0600) return false; // an 802.3 length field, not Ethernet II
            frame = new EthernetFrame(buffer);
            return true;
        }

        public MacAddress Destination => new MacAddress(_buffer.Slice(0, 6));
        public MacAddress Source => new MacAddress(_buffer.Slice(6, 6));
        public ushort EtherType => NetworkOrder.Read16(_buffer, 12);
        public Span<byte> Payload => _buffer.Slice(HeaderLength);
        public bool IsBroadcast => (_buffer[0] & _buffer[1] & _buffer[2] & _buffer[3] & _buffer[4] & _buffer[5]) == 0xFF;

        /// <summary>Writes the header; returns the payload area.</summary>
        public static Span<byte> Emit(Span<byte> buffer, MacAddress destination, MacAddress source, ushort etherType)
        {
            destination.CopyTo(buffer);
            source.CopyTo(buffer.Slice(6));
            NetworkOrder.Write16(buffer, 12, etherType);
            return buffer.Slice(HeaderLength);
        }
    }
}
