namespace Cosmos.Drivers.VirtioNet
{
    public enum InterruptMode : byte { Intx, Msix, Polling }

    /// <summary>Choices the kernel command line can make (virtio.* options, see README).</summary>
    public struct VirtioNetOptions
    {
        /// <summary>Feature bits the driver must not accept even if offered (to test fallbacks).</summary>
        public ulong DisabledFeatures;
        /// <summary>Negotiated receive offloads (GUEST_* bits) to turn off after start-up through the control queue.</summary>
        public ulong GuestOffloadsOff;
        /// <summary>Requested queue size (0: the device's maximum; the legacy interface ignores it).</summary>
        public ushort QueueSize;
        /// <summary>
        /// Bytes per receive buffer, header included. Mergeable buffers let frames span several. 0: chosen by the driver
        /// from <see cref="ReceiveMemoryBudget"/> and the ring's size (VirtioNetDevice.AutomaticReceiveBufferSize).
        /// </summary>
        public int ReceiveBufferSize;
        /// <summary>Bytes the receive buffers may take in all when <see cref="ReceiveBufferSize"/> is 0.</summary>
        public long ReceiveMemoryBudget;
        public InterruptMode Interrupts;
        /// <summary>MSI-X table entries for configuration changes and each queue (0xFFFF: none), when Interrupts is Msix.</summary>
        public ushort ConfigVector, ReceiveVector, TransmitVector;

        public static VirtioNetOptions Default => new VirtioNetOptions
        {
            ReceiveBufferSize = 2048,
            Interrupts = InterruptMode.Intx,
            ConfigVector = 0xFFFF,
            ReceiveVector = 0xFFFF,
            TransmitVector = 0xFFFF,
        };
    }
}
