namespace Cosmos.Net.Wire
{
    /// <summary>
    /// A TCP header in host terms (RFC 9293 §3.1) with the options this stack understands: what
    /// <see cref="TcpSegment.Emit"/> writes and <see cref="Parse"/> reads back. The payload is not held, only its length:
    /// an emitter finds it already in place, a parser leaves it in the view. The urgent pointer is written as 0 and not kept.
    /// </summary>
    public struct TcpRepr
    {
        public ushort SourcePort;
        public ushort DestinationPort;
        public uint Sequence;
        public uint Acknowledgment;
        /// <summary><see cref="TcpFlags"/> bits.</summary>
        public byte Flags;
        /// <summary>The window field as sent (scaled after the handshake, RFC 7323 §2.3).</summary>
        public ushort Window;
        public TcpOptions Options;
        public int PayloadLength;

        public readonly bool Has(byte flag) => (Flags & flag) != 0;

        /// <summary>The header length with these options (what goes before the payload).</summary>
        public readonly int HeaderLength => TcpSegment.HeaderLengthFor(in Options);

        /// <summary>Sequence numbers the segment occupies: its payload, and one each for SYN and FIN (RFC 9293 §3.4).</summary>
        public readonly uint SequenceLength => (uint)PayloadLength + (Has(TcpFlags.Syn) ? 1u : 0) + (Has(TcpFlags.Fin) ? 1u : 0);

        /// <summary>The header of a checked view; unknown or malformed options are left out (<see cref="TcpOptions.Parse"/>).</summary>
        public static TcpRepr Parse(in TcpSegment segment) => new TcpRepr
        {
            SourcePort = segment.SourcePort.Value,
            DestinationPort = segment.DestinationPort.Value,
            Sequence = segment.Sequence.Value,
            Acknowledgment = segment.Acknowledgment.Value,
            Flags = segment.Flags,
            Window = segment.Window.Value,
            Options = TcpOptions.Parse(segment.OptionBytes),
            PayloadLength = segment.Payload.Length,
        };
    }
}
