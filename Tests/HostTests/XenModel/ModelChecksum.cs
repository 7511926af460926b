using System.Buffers.Binary;

namespace Cosmos.HostTests.XenModel;

/// <summary>
/// The Internet checksum (RFC 1071) over IPv4 (RFC 791), TCP (RFC 793) and UDP (RFC 768) headers, written for the
/// models from the RFCs rather than taken from the kernel, so a mistake in the kernel's is not mirrored here.
/// </summary>
public static class ModelChecksum
{
    private static uint Sum(ReadOnlySpan<byte> data, uint sum = 0)
    {
        int i = 0;
        for (; i + 1 < data.Length; i += 2) sum += (uint)(data[i] << 8 | data[i + 1]);
        if (i < data.Length) sum += (uint)(data[i] << 8);
        return sum;
    }

    private static ushort Fold(uint sum)
    {
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    public static void FillIpv4Header(byte[] frame)
    {
        int ihl = (frame[14] & 0x0F) * 4;
        frame[24] = frame[25] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(24), (ushort)~Fold(Sum(frame.AsSpan(14, ihl))));
    }

    /// <summary>The pseudo-header sum of an Ethernet/IPv4 frame's transport segment (RFC 793 §3.1, RFC 768).</summary>
    public static uint PseudoHeader(byte[] frame)
    {
        int ihl = (frame[14] & 0x0F) * 4;
        int ipLength = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(16));
        return Sum(frame.AsSpan(26, 8)) + frame[23] + (uint)(ipLength - ihl);
    }

    /// <summary>Computes the TCP or UDP checksum of an Ethernet/IPv4 frame; false if it is neither or too short.</summary>
    public static bool FillTransport(byte[] frame)
    {
        if (frame.Length < 34 || frame[12] != 0x08 || frame[13] != 0) return false;
        int ihl = (frame[14] & 0x0F) * 4, start = 14 + ihl;
        int ipLength = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(16));
        int field = frame[23] == 6 ? start + 16 : frame[23] == 17 ? start + 6 : -1;
        if (field < 0 || 14 + ipLength > frame.Length || field + 2 > 14 + ipLength) return false;
        frame[field] = frame[field + 1] = 0;
        ushort sum = (ushort)~Fold(Sum(frame.AsSpan(start, 14 + ipLength - start), PseudoHeader(frame)));
        if (frame[23] == 17 && sum == 0) sum = 0xFFFF;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(field), sum);
        return true;
    }

    /// <summary>
    /// Completes a partial checksum (NETTXF_csum_blank): the field holds the pseudo-header sum; summing the segment
    /// with it in place and complementing gives the full checksum. Checks the field first held exactly that sum.
    /// </summary>
    public static bool CompleteTransport(byte[] frame, out bool wasPseudoHeader)
    {
        wasPseudoHeader = false;
        if (frame.Length < 34 || frame[12] != 0x08 || frame[13] != 0) return false;
        int ihl = (frame[14] & 0x0F) * 4, start = 14 + ihl;
        int field = frame[23] == 6 ? start + 16 : frame[23] == 17 ? start + 6 : -1;
        if (field < 0 || field + 2 > frame.Length) return false;
        ushort partial = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(field));
        wasPseudoHeader = partial == Fold(PseudoHeader(frame));
        return FillTransport(frame);
    }

    /// <summary>True when the frame's TCP/UDP checksum verifies.</summary>
    public static bool TransportValid(byte[] frame)
    {
        int ihl = (frame[14] & 0x0F) * 4, start = 14 + ihl;
        int ipLength = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(16));
        return Fold(Sum(frame.AsSpan(start, 14 + ipLength - start), PseudoHeader(frame))) == 0xFFFF;
    }
}
