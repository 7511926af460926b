using System.Runtime.InteropServices;

namespace Cosmos.Drivers.Virtio.Spec
{
    /// <summary>
    /// struct virtio_pci_cap (virtio 1.2 §4.1.4): a vendor-specific PCI capability that points into a BAR.
    /// u8 cap_vndr, u8 cap_next, u8 cap_len, u8 cfg_type, u8 bar, u8 id, u8 padding[2], le32 offset, le32 length.
    /// 16 bytes; the notify capability appends le32 notify_off_multiplier (§4.1.4.4).
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = 16)]
    public struct VirtioPciCapability
    {
        public byte CapabilityVendor;
        public byte CapabilityNext;
        public byte CapabilityLength;
        public byte ConfigType;
        public byte Bar;
        public byte Id;
        public byte Padding0, Padding1;
        public Le32 Offset;
        public Le32 Length;

        public const int Size = 16;
        public const int NotifyMultiplierOffset = 16; // in virtio_pci_notify_cap

        // Byte offsets inside the capability, for reads from PCI configuration space.
        public const int ConfigTypeOffset = 3, BarOffset = 4, OffsetOffset = 8, LengthOffset = 12;
    }

    /// <summary>cfg_type values (§4.1.4).</summary>
    public static class VirtioPciCapabilityType
    {
        public const byte CommonConfig = 1;
        public const byte NotifyConfig = 2;
        public const byte IsrConfig = 3;
        public const byte DeviceConfig = 4;
        public const byte PciConfig = 5;
    }

    /// <summary>struct virtio_pci_common_cfg field offsets (§4.1.4.3). 64 bytes in virtio 1.2 (56 before queue_notify_data).</summary>
    public static class CommonConfig
    {
        public const int DeviceFeatureSelect = 0;  // le32
        public const int DeviceFeature = 4;        // le32, read
        public const int DriverFeatureSelect = 8;  // le32
        public const int DriverFeature = 12;       // le32
        public const int ConfigMsixVector = 16;    // le16
        public const int NumQueues = 18;           // le16, read
        public const int DeviceStatus = 20;        // u8
        public const int ConfigGeneration = 21;    // u8, read
        public const int QueueSelect = 22;         // le16
        public const int QueueSize = 24;           // le16
        public const int QueueMsixVector = 26;     // le16
        public const int QueueEnable = 28;         // le16
        public const int QueueNotifyOffset = 30;   // le16, read
        public const int QueueDescriptor = 32;     // le64
        public const int QueueDriver = 40;         // le64
        public const int QueueDevice = 48;         // le64
        public const int MinimumLength = 56;

        public const ushort NoVector = 0xFFFF;     // VIRTIO_MSI_NO_VECTOR
    }
}
