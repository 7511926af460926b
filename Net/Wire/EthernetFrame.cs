using System;
using Cosmos.Hal.Network;

namespace Cosmos.Net.Wire
{
    /// <summary>EtherType values (IEEE 802.3 Clause 3.2.6; the registry RFC 1700 cites).</summary>
    public static class EtherType
    {
        public const ushort Ipv4 = 0x0800;
        public const ushort Arp = 0x0806;
        /// <summary>Below this the field is an 802.3 length, not a type.</summary>
        public const ushort MinType = 0x0600;
    }

    /// <summary>Ethernet II (IEEE 802.3 with EtherType ≥ 0x0600): dst 6, src 6, type 2, payload. A view, no copy.</summary>
    public readonly ref struct EthernetFrame
    {
        /// <summary>Where each field starts (IEEE 802.3 Clause 3.1.1, the MAC frame format without preamble and FCS).</summary>
        public static class Field
        {
            public const int Destination = 0;   // 6 bytes
            public const int Source = 6;        // 6 bytes
            public const int EtherType = 12;    // Be16
            public const int Payload = 14;
        }

        public const int HeaderLength = Field.Payload;
        /// <summary>The shortest frame a NIC sends, FCS excluded (IEEE 802.3 Clause 4.4.2: 64 bytes with it).</summary>
        public const int MinLength = 60;
        private readonly Span<byte> _buffer;

        private EthernetFrame(Span<byte> buffer) { _buffer = buffer; }

        /// <summary>Checked constructor for untrusted bytes: after it, no accessor can read out of range.</summary>
        public static bool TryParse(Span<byte> buffer, out EthernetFrame frame)
        {
            frame = default;
            if (buffer.Length < HeaderLength) return false;
            if (Be16.Read(buffer, Field.EtherType).Value < Wire.EtherType.MinType) return false; // an 802.3 length field, not Ethernet II
            frame = new EthernetFrame(buffer);
            return true;
        }

        public MacAddress Destination => new MacAddress(_buffer.Slice(Field.Destination, 6));
        public MacAddress Source => new MacAddress(_buffer.Slice(Field.Source, 6));
        public Be16 EtherType => Be16.Read(_buffer, Field.EtherType);
        public Span<byte> Payload => _buffer.Slice(Field.Payload);
        public bool IsBroadcast => (_buffer[0] & _buffer[1] & _buffer[2] & _buffer[3] & _buffer[4] & _buffer[5]) == 0xFF;

        /// <summary>Writes the header; returns the payload area.</summary>
        public static Span<byte> Emit(Span<byte> buffer, in EthernetRepr repr)
        {
            Span<byte> header = buffer.Slice(0, HeaderLength);
            repr.Destination.CopyTo(header.Slice(Field.Destination));
            repr.Source.CopyTo(header.Slice(Field.Source));
            Be16.Of(repr.EtherType).Write(header, Field.EtherType);
            return buffer.Slice(Field.Payload);
        }
    }
}
