using System;

namespace Cosmos.Drivers.XenNetfront
{
    /// <summary>
    /// The offloads the netfront may take when netback offers them (io/netif.h). Each can be declined on the
    /// kernel command line (xen.offloads-off=tx-csum,rx-csum,tx-gso,rx-gso).
    /// </summary>
    [Flags]
    public enum XenNetfrontOffloads
    {
        None = 0,
        /// <summary>Send partial TCP/UDP checksums (NETTXF_csum_blank) unless netback says feature-no-csum-offload=1.</summary>
        TransmitChecksum = 1 << 0,
        /// <summary>Accept partial checksums (NETRXF_csum_blank): we write feature-no-csum-offload=0.</summary>
        ReceiveChecksum = 1 << 1,
        /// <summary>Hand netback TCP/IPv4 packets of up to 64 KiB with a GSO extra (netback's feature-gso-tcpv4).</summary>
        TransmitSegmentation = 1 << 2,
        /// <summary>Accept coalesced TCP/IPv4 packets larger than the MTU: we write feature-gso-tcpv4=1.</summary>
        ReceiveSegmentation = 1 << 3,
        All = TransmitChecksum | ReceiveChecksum | TransmitSegmentation | ReceiveSegmentation,
    }

    /// <summary>Choices for the netfront; <see cref="Default"/> is what the kernel uses unless told otherwise.</summary>
    public struct XenNetfrontOptions
    {
        /// <summary>The xenbus node, relative to our domain's xenstore home.</summary>
        public string NodePath;
        /// <summary>How long to wait for the backend to reach InitWait, and then Connected.</summary>
        public int ConnectTimeoutMilliseconds;
        /// <summary>Receive pages posted to the backend (at most the ring size, 256).</summary>
        public int ReceiveBuffers;
        /// <summary>Accept packets spread over several slots when the backend offers feature-sg.</summary>
        public bool ScatterGather;
        /// <summary>The offloads we may take; what is used also depends on what netback offers.</summary>
        public XenNetfrontOffloads Offloads;

        public static XenNetfrontOptions Default => new XenNetfrontOptions
        {
            NodePath = "device/vif/0",
            ConnectTimeoutMilliseconds = 30_000,
            ReceiveBuffers = 256,
            ScatterGather = true,
            Offloads = XenNetfrontOffloads.All,
        };

        /// <summary>
        /// xen.offloads-off=tx-csum,rx-csum,tx-gso,rx-gso (or "all"): the offloads to decline. Unknown names are
        /// reported through <paramref name="unknown"/> (the first one) and otherwise ignored.
        /// </summary>
        public static XenNetfrontOffloads ParseOffloadsOff(ReadOnlySpan<char> list, out bool unknown)
        {
            XenNetfrontOffloads off = XenNetfrontOffloads.None;
            unknown = false;
            int start = 0;
            for (int i = 0; i <= list.Length; i++)
            {
                if (i < list.Length && list[i] != ',') continue;
                ReadOnlySpan<char> name = list.Slice(start, i - start);
                start = i + 1;
                if (name.Length == 0) continue;
                if (name.SequenceEqual("tx-csum")) off |= XenNetfrontOffloads.TransmitChecksum;
                else if (name.SequenceEqual("rx-csum")) off |= XenNetfrontOffloads.ReceiveChecksum;
                else if (name.SequenceEqual("tx-gso")) off |= XenNetfrontOffloads.TransmitSegmentation;
                else if (name.SequenceEqual("rx-gso")) off |= XenNetfrontOffloads.ReceiveSegmentation;
                else if (name.SequenceEqual("all")) off |= XenNetfrontOffloads.All;
                else unknown = true;
            }
            return off;
        }
    }
}
