using System.Runtime.InteropServices;

namespace Cosmos.Drivers.XenNetfront.Spec
{
    /// <summary>struct netif_tx_request (io/netif.h): one slot of a packet to send.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 12)]
    public struct NetifTxRequest
    {
        public uint GrantRef;  // gref: the page holding the data
        public ushort Offset;  // offset within the page
        public ushort Flags;   // NETTXF_*
        public ushort Id;      // echoed in the response
        public ushort Size;    // first slot: the whole packet's size; later slots: this slot's
    }

    /// <summary>struct netif_tx_response.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 4)]
    public struct NetifTxResponse
    {
        public ushort Id;
        public short Status;   // NETIF_RSP_*
    }

    /// <summary>struct netif_rx_request: a page the backend may copy a packet into.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 8)]
    public struct NetifRxRequest
    {
        public ushort Id;
        public ushort Padding;
        public uint GrantRef;
    }

    /// <summary>struct netif_rx_response: status is the length (&gt; 0) or a NETIF_RSP_* error.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 8)]
    public struct NetifRxResponse
    {
        public ushort Id;
        public ushort Offset;
        public ushort Flags;   // NETRXF_*
        public short Status;
    }

    /// <summary>struct netif_extra_info: type, flags, then six bytes that depend on the type.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 8)]
    public struct NetifExtraInfo
    {
        public byte Type;      // XEN_NETIF_EXTRA_TYPE_*
        public byte Flags;     // XEN_NETIF_EXTRA_FLAG_MORE: another extra follows
        public ushort Word0;   // gso: size
        public byte Byte2;     // gso: type
        public byte Byte3;     // gso: pad
        public ushort Word2;   // gso: features
    }

    public static class NetifFlags
    {
        // Transmit (NETTXF_*).
        public const ushort TxChecksumBlank = 1 << 0;
        public const ushort TxDataValidated = 1 << 1;
        public const ushort TxMoreData = 1 << 2;
        public const ushort TxExtraInfo = 1 << 3;
        // Receive (NETRXF_*).
        public const ushort RxDataValidated = 1 << 0;
        public const ushort RxChecksumBlank = 1 << 1;
        public const ushort RxMoreData = 1 << 2;
        public const ushort RxExtraInfo = 1 << 3;
        public const ushort RxGsoPrefix = 1 << 4;
        // netif_extra_info flags.
        public const byte ExtraFlagMore = 1 << 0;
    }

    /// <summary>
    /// netif_extra_info types and GSO types (io/netif.h, "Extra Info", XEN_NETIF_EXTRA_TYPE_* and
    /// XEN_NETIF_GSO_TYPE_*). A GSO extra's size is "the maximum payload size of each segment (the MSS)".
    /// </summary>
    public static class NetifExtra
    {
        public const byte TypeNone = 0;   // XEN_NETIF_EXTRA_TYPE_NONE
        public const byte TypeGso = 1;    // XEN_NETIF_EXTRA_TYPE_GSO: u.gso
        public const byte GsoTypeNone = 0;  // XEN_NETIF_GSO_TYPE_NONE
        public const byte GsoTypeTcpV4 = 1; // XEN_NETIF_GSO_TYPE_TCPV4
        public const byte GsoTypeTcpV6 = 2; // XEN_NETIF_GSO_TYPE_TCPV6
    }

    /// <summary>
    /// Limits from io/netif.h: XEN_NETIF_NR_SLOTS_MIN is the fewest data slots per packet a backend must accept
    /// (Linux netback treats more than a few beyond it as a fatal error and disconnects), and a packet's size
    /// field is 16 bits wide.
    /// </summary>
    public static class NetifLimits
    {
        public const int MinSlotsPerPacket = 18; // XEN_NETIF_NR_SLOTS_MIN
        public const int MaxPacket = 65535;      // uint16_t size
    }

    public static class NetifStatus
    {
        public const short Dropped = -2; // NETIF_RSP_DROPPED
        public const short Error = -1;   // NETIF_RSP_ERROR
        public const short Okay = 0;     // NETIF_RSP_OKAY
        public const short Null = 1;     // NETIF_RSP_NULL: the response to an extra-info slot
    }
}
