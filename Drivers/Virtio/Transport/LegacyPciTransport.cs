using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Hal.Io;
using Cosmos.Hal.Pci;

namespace Cosmos.Drivers.Virtio.Transport
{
    /// <summary>
    /// The legacy virtio-PCI interface (virtio 1.2 §4.1.4.8 and §4.1.5.1.4.1): registers in I/O BAR0, queues
    /// given by page number (QUEUE_PFN) in the legacy ring layout, notification by writing the queue index to
    /// VIRTIO_PCI_QUEUE_NOTIFY. MSI-X is left disabled, so the device configuration starts at offset 20.
    /// </summary>
    public sealed class LegacyPciTransport : IVirtioTransport
    {
        private readonly IDeviceRegisters _io;

        private LegacyPciTransport(IDeviceRegisters io) { _io = io; }

        public static LegacyPciTransport TryCreate(IPciFunction pci)
        {
            PciBar bar0 = pci.GetBar(0);
            if (bar0.Kind != PciBarKind.Io || bar0.Size < 24) return null;
            IDeviceRegisters io = pci.MapBar(0, 0, bar0.Size);
            return io == null ? null : new LegacyPciTransport(io);
        }

        public string Name => "legacy";
        public bool IsModern => false;
        public bool QueueSizeIsFixed => true;
        public bool RequiresLegacyRingLayout => true;

        public ulong ReadDeviceFeatures() => _io.Read32(LegacyPciRegisters.HostFeatures);
        public void WriteDriverFeatures(ulong features) => _io.Write32(LegacyPciRegisters.GuestFeatures, (uint)features);
        public byte ReadStatus() => _io.Read8(LegacyPciRegisters.Status);
        public void WriteStatus(byte status) => _io.Write8(LegacyPciRegisters.Status, status);

        public bool Reset()
        {
            // §4.1.5.1.4.1 legacy: writing 0 resets the device; the write completes the reset.
            _io.Write8(LegacyPciRegisters.Status, 0);
            return _io.Read8(LegacyPciRegisters.Status) == 0;
        }

        public ushort QueueMaxSize(ushort queue)
        {
            _io.Write16(LegacyPciRegisters.QueueSelect, queue);
            return _io.Read16(LegacyPciRegisters.QueueNum);
        }

        public bool ActivateQueue(ushort queue, ushort size, ulong descriptorTable, ulong driverArea, ulong deviceArea, ushort msixVector)
        {
            _io.Write16(LegacyPciRegisters.QueueSelect, queue);
            if (_io.Read16(LegacyPciRegisters.QueueNum) != size) return false;
            // The device derives the avail and used rings from the table's address (legacy layout), so the
            // caller must have laid them out that way; check rather than trust.
            var layout = new SplitRingLayout(size, legacy: true);
            if ((descriptorTable & (LegacyPciRegisters.QueueAlignment - 1)) != 0
                || driverArea != descriptorTable + (ulong)layout.AvailableRingOffset
                || deviceArea != descriptorTable + (ulong)layout.UsedRingOffset
                || (descriptorTable >> LegacyPciRegisters.QueueAddressShift) > uint.MaxValue)
                return false;
            _io.Write32(LegacyPciRegisters.QueuePfn, (uint)(descriptorTable >> LegacyPciRegisters.QueueAddressShift));
            return _io.Read32(LegacyPciRegisters.QueuePfn) == (uint)(descriptorTable >> LegacyPciRegisters.QueueAddressShift);
        }

        /// <summary>This driver keeps MSI-X off on the legacy interface (it would move the device configuration).</summary>
        public bool SetConfigVector(ushort msixEntry) => msixEntry == CommonConfig.NoVector;

        public void Notify(ushort queue) => _io.Write16(LegacyPciRegisters.QueueNotify, queue);
        public byte ReadIsr() => _io.Read8(LegacyPciRegisters.Isr);

        public byte ReadConfig8(int offset) => _io.Read8(LegacyPciRegisters.DeviceConfigNoMsix + offset);
        public ushort ReadConfig16(int offset) => _io.Read16(LegacyPciRegisters.DeviceConfigNoMsix + offset);
        public uint ReadConfig32(int offset) => _io.Read32(LegacyPciRegisters.DeviceConfigNoMsix + offset);
        public byte ConfigGeneration() => 0;
    }
}
