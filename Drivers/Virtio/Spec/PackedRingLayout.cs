using System.Runtime.InteropServices;

namespace Cosmos.Drivers.Virtio.Spec
{
    /// <summary>struct pvirtq_desc (virtio 1.2 §2.8.13): le64 addr, le32 len, le16 id, le16 flags. 16 bytes.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 16)]
    public struct PackedDescriptor
    {
        public Le64 Address;
        public Le32 Length;
        public Le16 Id;
        public Le16 Flags;

        public const int Size = 16;
    }

    /// <summary>Packed descriptor flags (§2.8.1, §2.8.13): NEXT, WRITE, INDIRECT as split, plus the wrap bits.</summary>
    public static class PackedFlags
    {
        public const ushort Next = 1;
        public const ushort Write = 2;
        public const ushort Indirect = 4;
        public const ushort Available = 1 << 7;   // VIRTQ_DESC_F_AVAIL
        public const ushort Used = 1 << 15;       // VIRTQ_DESC_F_USED
    }

    /// <summary>struct pvirtq_event_suppress (§2.8.14): le16 desc (offset | wrap << 15), le16 flags. 4 bytes.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 4)]
    public struct PackedEventSuppression
    {
        public Le16 Descriptor;
        public Le16 Flags;

        public const int Size = 4;
        public const ushort Enable = 0;    // RING_EVENT_FLAGS_ENABLE
        public const ushort Disable = 1;   // RING_EVENT_FLAGS_DISABLE
        public const ushort Desc = 2;      // RING_EVENT_FLAGS_DESC (needs EVENT_IDX)
    }
}
