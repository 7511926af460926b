namespace Cosmos.VhostUser.Net;

/// <summary>
/// struct virtio_net_hdr (virtio 1.2 §5.1.6): flags, gso_type, hdr_len (le16), gso_size (le16), csum_start (le16),
/// csum_offset (le16), and num_buffers (le16) when VERSION_1 or MRG_RXBUF is negotiated (12 bytes, else 10).
/// </summary>
public static class NetHeader
{
    public const int LegacySize = 10, Size = 12;
    public const int Flags = 0, GsoType = 1, HeaderLength = 2, GsoSize = 4, ChecksumStart = 6, ChecksumOffset = 8, NumBuffers = 10;
    /// <summary>VIRTIO_NET_HDR_F_NEEDS_CSUM (§5.1.6.2).</summary>
    public const byte NeedsChecksum = 1;
    /// <summary>VIRTIO_NET_HDR_F_DATA_VALID (§5.1.6.4).</summary>
    public const byte DataValid = 2;
    public const byte GsoNone = 0;
    /// <summary>The largest frame the back end passes: a 64 KiB packet and its Ethernet header, as a device with offloads would.</summary>
    public const int MaxFrame = 65550;
}
