namespace Cosmos.Drivers.Virtio.Spec
{
    /// <summary>
    /// The legacy virtio-PCI register block in I/O BAR0 (virtio 1.2 §4.1.4.8, "Legacy Interfaces: A Note on
    /// PCI Device Layout"). All fields are guest-endian (little-endian on x86).
    /// </summary>
    public static class LegacyPciRegisters
    {
        public const int HostFeatures = 0;      // 32-bit, read: device features 0-31
        public const int GuestFeatures = 4;     // 32-bit, write: driver features 0-31
        public const int QueuePfn = 8;          // 32-bit: physical page number of the selected queue (0 = disable)
        public const int QueueNum = 12;         // 16-bit, read: size of the selected queue (fixed by the device)
        public const int QueueSelect = 14;      // 16-bit
        public const int QueueNotify = 16;      // 16-bit, write: queue index
        public const int Status = 18;           // 8-bit
        public const int Isr = 19;              // 8-bit, read clears
        public const int ConfigVector = 20;     // 16-bit, only while MSI-X is enabled
        public const int QueueVector = 22;      // 16-bit, only while MSI-X is enabled
        public const int DeviceConfigNoMsix = 20;
        public const int DeviceConfigWithMsix = 24;
        public const int QueueAddressShift = 12; // QUEUE_PFN unit: 4096-byte pages
        public const int QueueAlignment = 4096;
    }

    /// <summary>ISR status bits (§4.1.4.5).</summary>
    public static class IsrStatus
    {
        public const byte Queue = 1;
        public const byte Configuration = 2;
    }
}
