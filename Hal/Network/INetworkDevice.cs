using System;

namespace Cosmos.Hal.Network
{
    /// <summary>An Ethernet address, kept as six bytes in wire order.</summary>
    public struct MacAddress
    {
        public byte B0, B1, B2, B3, B4, B5;

        public MacAddress(ReadOnlySpan<byte> bytes)
        {
            B0 = bytes[0]; B1 = bytes[1]; B2 = bytes[2]; B3 = bytes[3]; B4 = bytes[4]; B5 = bytes[5];
        }

        public void CopyTo(Span<byte> destination)
        {
            destination[0] = B0; destination[1] = B1; destination[2] = B2;
            destination[3] = B3; destination[4] = B4; destination[5] = B5;
        }

        public bool IsZero => (B0 | B1 | B2 | B3 | B4 | B5) == 0;

        public bool SameAs(MacAddress other) =>
            B0 == other.B0 && B1 == other.B1 && B2 == other.B2 && B3 == other.B3 && B4 == other.B4 && B5 == other.B5;
    }

    /// <summary>
    /// A received frame lent by the driver: valid until handed back with <see cref="INetworkDevice.Release"/>.
    /// The bytes live in the driver's DMA buffers; nothing is copied for single-buffer frames.
    /// </summary>
    public readonly unsafe struct ReceivedFrame
    {
        public readonly byte* Data;
        public readonly int Length;
        public readonly int Token;
        /// <summary>The device (or the driver) verified the transport checksum.</summary>
        public readonly bool ChecksumVerified;

        public ReceivedFrame(byte* data, int length, int token, bool checksumVerified)
        {
            Data = data;
            Length = length;
            Token = token;
            ChecksumVerified = checksumVerified;
        }

        public Span<byte> Span => new Span<byte>(Data, Length);
    }

    /// <summary>A transmit buffer reserved from the driver; fill it, then commit with Transmit.</summary>
    public readonly unsafe struct TransmitBuffer
    {
        public readonly byte* Data;
        public readonly int Capacity;
        public readonly int Token;

        public TransmitBuffer(byte* data, int capacity, int token)
        {
            Data = data;
            Capacity = capacity;
            Token = token;
        }

        public Span<byte> Span => new Span<byte>(Data, Capacity);
    }

    /// <summary>Asks the device to fill in a transport checksum (virtio-net VIRTIO_NET_F_CSUM).</summary>
    public struct ChecksumOffload
    {
        /// <summary>Offset of the first byte covered by the checksum; -1 for none.</summary>
        public int Start;
        /// <summary>Where, counted from Start, the 16-bit result goes.</summary>
        public int Offset;
        public static ChecksumOffload None => new ChecksumOffload { Start = -1 };
    }

    /// <summary>
    /// Asks the device to cut one large TCP/IPv4 packet into segments of <see cref="SegmentSize"/> payload bytes
    /// (virtio-net VIRTIO_NET_F_HOST_TSO4, virtio 1.2 §5.1.6.2): each segment gets a copy of the first
    /// <see cref="HeaderLength"/> bytes with its own IPv4 length, identification and checksum, TCP sequence number and
    /// checksum; FIN and PSH go on the last segment only. The transport checksum is partial, as for checksum offload.
    /// </summary>
    public struct SegmentationOffload
    {
        /// <summary>Ethernet, IPv4 and TCP header bytes at the start of the frame (options included).</summary>
        public int HeaderLength;
        /// <summary>TCP payload bytes per segment (the MSS less the options each segment carries).</summary>
        public int SegmentSize;
    }

    /// <summary>Counters every NIC keeps; the status page and tests read them.</summary>
    public struct NetworkDeviceCounters
    {
        public long RxFrames, RxBytes, RxDropped, RxErrors;
        public long TxFrames, TxBytes, TxBusy, TxErrors;
        public long Interrupts, Notifications, NotificationsSuppressed;
        public long DeviceErrors;
    }

    /// <summary>
    /// What the network stack needs of any NIC (virtio-net, the Xen netfront, a loopback): a lease on
    /// received frames and a reserve/commit pair for transmission. Nothing here allocates or blocks.
    /// </summary>
    public interface INetworkDevice
    {
        string Name { get; }
        MacAddress Mac { get; }
        bool LinkUp { get; }
        int Mtu { get; }
        /// <summary>False once the driver has stopped using a misbehaving device.</summary>
        bool IsOperational { get; }
        /// <summary>Why the driver stopped its device (null while it is operational).</summary>
        string Error { get; }
        bool CanOffloadTransmitChecksum { get; }

        /// <summary>
        /// The driver takes no interrupts (it was told to poll): the idle loop must not halt on its account, only pause.
        /// </summary>
        bool NeedsPolling { get; }

        /// <summary>
        /// Re-arms the device's notifications before the CPU sleeps (sti; hlt follows): false if work arrived meanwhile,
        /// so the caller must not sleep. True at once for a device that is stopped or polled.
        /// </summary>
        bool PrepareToWait();

        /// <summary>
        /// Batching: when set, transmissions do not notify the device one by one; the caller ends each batch with
        /// <see cref="Flush"/> (the service loop does, once per turn).
        /// </summary>
        bool DeferNotifications { get; set; }

        /// <summary>Received frames the stack holds and has not yet released (idle value: 0).</summary>
        int ReceiveBuffersLent { get; }
        /// <summary>Transmit buffers the driver has not had back from the device (idle value: 0).</summary>
        int TransmitBuffersOutstanding { get; }

        /// <summary>Takes completed work from the device (used buffers, refills); call from the idle loop.</summary>
        void Poll();
        bool TryReceive(out ReceivedFrame frame);
        void Release(in ReceivedFrame frame);
        /// <summary>False when every transmit buffer is in flight (backpressure; counted as TxBusy).</summary>
        bool TryReserveTransmit(out TransmitBuffer buffer);
        void Transmit(in TransmitBuffer buffer, int length, ChecksumOffload checksum);
        /// <summary>Returns an unused reservation.</summary>
        void CancelTransmit(in TransmitBuffer buffer);
        /// <summary>
        /// The largest frame (Ethernet header included) the device segments for us as TCP/IPv4, or 0 when it cannot
        /// (then every frame is at most the MTU's).
        /// </summary>
        int MaxSegmentationFrame { get; }
        /// <summary>A transmit buffer of <see cref="MaxSegmentationFrame"/> bytes; false when none is free or the device cannot segment.</summary>
        bool TryReserveLargeTransmit(out TransmitBuffer buffer);
        /// <summary>Sends a large TCP/IPv4 frame for the device to segment; the checksum is partial (offloaded) as for <see cref="Transmit"/>.</summary>
        void TransmitSegmented(in TransmitBuffer buffer, int length, ChecksumOffload checksum, SegmentationOffload segmentation);
        /// <summary>Tells the device about transmissions a batching driver has held back (one notification per batch).</summary>
        void Flush();
        ref readonly NetworkDeviceCounters Counters { get; }
    }
}
