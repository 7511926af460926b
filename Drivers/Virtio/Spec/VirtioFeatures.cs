namespace Cosmos.Drivers.Virtio.Spec
{
    /// <summary>Device-independent feature bits (virtio 1.2 §6 "Reserved Feature Bits").</summary>
    public static class VirtioFeatures
    {
        public const int IndirectDescriptors = 28;   // VIRTIO_F_INDIRECT_DESC  §2.7.5.3
        public const int EventIndex = 29;            // VIRTIO_F_EVENT_IDX      §2.7.7, §2.7.10
        public const int Version1 = 32;              // VIRTIO_F_VERSION_1      §6
        public const int AccessPlatform = 33;        // VIRTIO_F_ACCESS_PLATFORM
        public const int RingPacked = 34;            // VIRTIO_F_RING_PACKED    §2.8
        public const int InOrder = 35;               // VIRTIO_F_IN_ORDER
        public const int OrderPlatform = 36;
        public const int SingleRootIov = 37;
        public const int NotificationData = 38;
        public const int AnyLayout = 27;             // VIRTIO_F_ANY_LAYOUT (legacy) §2.6.4.3

        public static ulong Bit(int feature) => 1UL << feature;
        public static bool Has(ulong features, int feature) => (features & (1UL << feature)) != 0;

        public static string Name(int bit) => bit switch
        {
            IndirectDescriptors => "INDIRECT_DESC",
            EventIndex => "EVENT_IDX",
            Version1 => "VERSION_1",
            AccessPlatform => "ACCESS_PLATFORM",
            RingPacked => "RING_PACKED",
            InOrder => "IN_ORDER",
            OrderPlatform => "ORDER_PLATFORM",
            SingleRootIov => "SR_IOV",
            NotificationData => "NOTIFICATION_DATA",
            AnyLayout => "ANY_LAYOUT",
            24 => "NOTIFY_ON_EMPTY",
            _ => null,
        };
    }

    /// <summary>Device status bits (virtio 1.2 §2.1).</summary>
    public static class DeviceStatus
    {
        public const byte Acknowledge = 1;
        public const byte Driver = 2;
        public const byte DriverOk = 4;
        public const byte FeaturesOk = 8;
        public const byte DeviceNeedsReset = 64;
        public const byte Failed = 128;
    }
}
