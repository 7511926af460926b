using System.Runtime.InteropServices;
using Cosmos.Drivers.Virtio.Spec;

namespace Cosmos.Drivers.VirtioNet.Spec
{
    /// <summary>
    /// struct virtio_net_hdr (virtio 1.2 §5.1.6): precedes every packet in both directions. 12 bytes when
    /// VIRTIO_F_VERSION_1 or VIRTIO_NET_F_MRG_RXBUF is negotiated (num_buffers present), else 10 (legacy).
    /// All fields little-endian.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Pack = 1, Size = 12)]
    public struct VirtioNetHeader
    {
        public byte Flags;            // NetHeaderFlags
        public byte GsoType;          // VIRTIO_NET_HDR_GSO_*
        public Le16 HeaderLength;     // hdr_len
        public Le16 GsoSize;          // gso_size
        public Le16 ChecksumStart;    // csum_start
        public Le16 ChecksumOffset;   // csum_offset
        public Le16 NumBuffers;       // num_buffers (receive, with MRG_RXBUF or VERSION_1)

        public const int Size = 12;
        public const int LegacySize = 10;
    }

    public static class NetHeaderFlags
    {
        public const byte NeedsChecksum = 1; // VIRTIO_NET_HDR_F_NEEDS_CSUM
        public const byte DataValid = 2;     // VIRTIO_NET_HDR_F_DATA_VALID
        public const byte GsoNone = 0;       // VIRTIO_NET_HDR_GSO_NONE (GsoType)
    }

    /// <summary>virtio_net_hdr.gso_type (§5.1.6): the kind of segmentation a packet needs (or, received, had).</summary>
    public static class NetGsoType
    {
        public const byte None = 0;     // VIRTIO_NET_HDR_GSO_NONE
        public const byte TcpV4 = 1;    // VIRTIO_NET_HDR_GSO_TCPV4
        public const byte Udp = 3;      // VIRTIO_NET_HDR_GSO_UDP
        public const byte TcpV6 = 4;    // VIRTIO_NET_HDR_GSO_TCPV6
        public const byte Ecn = 0x80;   // VIRTIO_NET_HDR_GSO_ECN: the TCP segments carry CWR (flag bit on the type)
        public const byte KindMask = 0x7F;
    }

    /// <summary>The control virtqueue's commands (§5.1.6.5): class, command, data, then a one-byte ack the device writes.</summary>
    public static class NetControl
    {
        public const byte ClassGuestOffloads = 5;  // VIRTIO_NET_CTRL_GUEST_OFFLOADS
        public const byte GuestOffloadsSet = 0;    // VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET, data: le64 offloads (feature bits)
        public const byte Ok = 0;                  // VIRTIO_NET_OK
        public const byte Error = 1;               // VIRTIO_NET_ERR
        /// <summary>The feature bits GUEST_OFFLOADS_SET may turn on and off (§5.1.6.5.6.1): GUEST_CSUM, TSO4/6, ECN, UFO.</summary>
        public const ulong GuestOffloadBits = (1UL << NetFeatures.GuestChecksum) | (1UL << NetFeatures.GuestTso4) |
            (1UL << NetFeatures.GuestTso6) | (1UL << NetFeatures.GuestEcn) | (1UL << NetFeatures.GuestUfo);
    }

    /// <summary>virtio-net feature bits (§5.1.3).</summary>
    public static class NetFeatures
    {
        public const int Checksum = 0;             // VIRTIO_NET_F_CSUM: device completes our partial checksums
        public const int GuestChecksum = 1;        // VIRTIO_NET_F_GUEST_CSUM: we accept partial checksums
        public const int ControlGuestOffloads = 2;
        public const int Mtu = 3;
        public const int Mac = 5;
        public const int GuestTso4 = 7, GuestTso6 = 8, GuestEcn = 9, GuestUfo = 10;
        public const int HostTso4 = 11, HostTso6 = 12, HostEcn = 13, HostUfo = 14;
        public const int MergeableRxBuffers = 15;  // VIRTIO_NET_F_MRG_RXBUF
        public const int Status = 16;
        public const int ControlQueue = 17;
        public const int ControlRx = 18, ControlVlan = 19, GuestAnnounce = 21, MultiQueue = 22, ControlMacAddress = 23;

        public static string Name(int bit) => bit switch
        {
            Checksum => "CSUM",
            GuestChecksum => "GUEST_CSUM",
            ControlGuestOffloads => "CTRL_GUEST_OFFLOADS",
            Mtu => "MTU",
            Mac => "MAC",
            GuestTso4 => "GUEST_TSO4",
            GuestTso6 => "GUEST_TSO6",
            GuestEcn => "GUEST_ECN",
            GuestUfo => "GUEST_UFO",
            HostTso4 => "HOST_TSO4",
            HostTso6 => "HOST_TSO6",
            HostEcn => "HOST_ECN",
            HostUfo => "HOST_UFO",
            MergeableRxBuffers => "MRG_RXBUF",
            Status => "STATUS",
            ControlQueue => "CTRL_VQ",
            ControlRx => "CTRL_RX",
            ControlVlan => "CTRL_VLAN",
            GuestAnnounce => "GUEST_ANNOUNCE",
            MultiQueue => "MQ",
            ControlMacAddress => "CTRL_MAC_ADDR",
            _ => null,
        };
    }

    /// <summary>struct virtio_net_config offsets (§5.1.4).</summary>
    public static class NetConfig
    {
        public const int Mac = 0;              // u8 mac[6], valid with VIRTIO_NET_F_MAC
        public const int Status = 6;           // le16, valid with VIRTIO_NET_F_STATUS
        public const int MaxQueuePairs = 8;    // le16, with VIRTIO_NET_F_MQ
        public const int Mtu = 10;             // le16, with VIRTIO_NET_F_MTU
        public const ushort LinkUp = 1;        // VIRTIO_NET_S_LINK_UP
        public const ushort Announce = 2;
    }

    /// <summary>Queue numbers of a single-pair device (§5.1.2).</summary>
    public static class NetQueues
    {
        public const ushort Receive = 0;
        public const ushort Transmit = 1;
        /// <summary>The control queue of a device without VIRTIO_NET_F_MQ (§5.1.2: queue 2).</summary>
        public const ushort Control = 2;
    }
}
