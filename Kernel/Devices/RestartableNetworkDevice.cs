using Cosmos.Hal.Network;

namespace Cosmos.Kernel.Devices
{
    /// <summary>
    /// An adapter's device as the stack sees it: the current driver instance behind a fixed <see cref="INetworkDevice"/>, so
    /// the kernel can replace a driver that stopped with a new one (<see cref="DeviceRecovery"/>: a virtio-net function
    /// reset and set up again, or a Xen netfront on the vif that replaced a detached one) while the interface, its
    /// addresses and its TCP connections live on.
    /// Frames and transmit buffers carry the driver's generation in their token's high bits: one lent by a driver that
    /// has since been replaced is dropped when it comes back, never handed to the new driver, whose rings it is not in.
    /// </summary>
    public sealed class RestartableNetworkDevice : INetworkDevice
    {
        private const int GenerationShift = 24, TokenMask = (1 << GenerationShift) - 1, GenerationMask = 0x3F;
        private INetworkDevice _driver;
        private int _generation;
        /// <summary>Per generation: frames and transmit buffers lent to the stack and not yet given back.</summary>
        private readonly int[] _outstanding = new int[GenerationMask + 1];

        public RestartableNetworkDevice(INetworkDevice driver) => _driver = driver;

        /// <summary>The driver in use now.</summary>
        public INetworkDevice Driver => _driver;

        /// <summary>Puts a new, initialised driver in the stopped one's place; what the old one lent is dropped on return.</summary>
        public void Replace(INetworkDevice driver)
        {
            _driver = driver;
            _generation = (_generation + 1) & GenerationMask;
        }

        private int Tag(int token) => token | _generation << GenerationShift;
        private static int GenerationOf(int token) => token >> GenerationShift & GenerationMask;
        private bool Current(int token) => GenerationOf(token) == _generation;
        /// <summary>Counts a frame or buffer given back, whichever driver lent it; true when that driver is the current one.</summary>
        private bool GivenBack(int token)
        {
            _outstanding[GenerationOf(token)]--;
            return Current(token);
        }

        /// <summary>The current driver's generation (a replaced driver keeps the one it had).</summary>
        public int Generation => _generation;
        /// <summary>
        /// Frames and transmit buffers of the driver of <paramref name="generation"/> that the stack still holds: pointers
        /// into that driver's memory, which may not be freed before this is 0.
        /// </summary>
        public int OutstandingOf(int generation) => _outstanding[generation & GenerationMask];

        public string Name => _driver.Name;
        public MacAddress Mac => _driver.Mac;
        public bool LinkUp => _driver.LinkUp;
        public int Mtu => _driver.Mtu;
        public bool IsOperational => _driver.IsOperational;
        public string Error => _driver.Error;
        public bool CanOffloadTransmitChecksum => _driver.CanOffloadTransmitChecksum;
        public bool NeedsPolling => _driver.NeedsPolling;
        public bool PrepareToWait() => _driver.PrepareToWait();
        public bool DeferNotifications
        {
            get => _driver.DeferNotifications;
            set => _driver.DeferNotifications = value;
        }
        public int ReceiveBuffersLent => _driver.ReceiveBuffersLent;
        public int TransmitBuffersOutstanding => _driver.TransmitBuffersOutstanding;
        public int MaxSegmentationFrame => _driver.MaxSegmentationFrame;
        public ref readonly NetworkDeviceCounters Counters => ref _driver.Counters;

        public void Poll() => _driver.Poll();
        public void Flush() => _driver.Flush();

        public unsafe bool TryReceive(out ReceivedFrame frame)
        {
            if (!_driver.TryReceive(out ReceivedFrame inner)) { frame = default; return false; }
            frame = new ReceivedFrame(inner.Data, inner.Length, Tag(inner.Token), inner.ChecksumVerified);
            _outstanding[_generation]++;
            return true;
        }

        public unsafe void Release(in ReceivedFrame frame)
        {
            if (!GivenBack(frame.Token)) return;
            _driver.Release(new ReceivedFrame(frame.Data, frame.Length, frame.Token & TokenMask, frame.ChecksumVerified));
        }

        public unsafe bool TryReserveTransmit(out TransmitBuffer buffer)
        {
            if (!_driver.TryReserveTransmit(out TransmitBuffer inner)) { buffer = default; return false; }
            buffer = new TransmitBuffer(inner.Data, inner.Capacity, Tag(inner.Token));
            _outstanding[_generation]++;
            return true;
        }

        public unsafe bool TryReserveLargeTransmit(out TransmitBuffer buffer)
        {
            if (!_driver.TryReserveLargeTransmit(out TransmitBuffer inner)) { buffer = default; return false; }
            buffer = new TransmitBuffer(inner.Data, inner.Capacity, Tag(inner.Token));
            _outstanding[_generation]++;
            return true;
        }

        public unsafe void Transmit(in TransmitBuffer buffer, int length, ChecksumOffload checksum)
        {
            if (!GivenBack(buffer.Token)) return;
            _driver.Transmit(Untag(buffer), length, checksum);
        }

        public unsafe void TransmitSegmented(in TransmitBuffer buffer, int length, ChecksumOffload checksum, SegmentationOffload segmentation)
        {
            if (!GivenBack(buffer.Token)) return;
            _driver.TransmitSegmented(Untag(buffer), length, checksum, segmentation);
        }

        public unsafe void CancelTransmit(in TransmitBuffer buffer)
        {
            if (!GivenBack(buffer.Token)) return;
            _driver.CancelTransmit(Untag(buffer));
        }

        private static unsafe TransmitBuffer Untag(in TransmitBuffer buffer) => new TransmitBuffer(buffer.Data, buffer.Capacity, buffer.Token & TokenMask);
    }
}
