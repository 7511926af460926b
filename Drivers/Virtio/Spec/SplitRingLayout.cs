using System.Runtime.InteropServices;

namespace Cosmos.Drivers.Virtio.Spec
{
    /// <summary>struct virtq_desc (virtio 1.2 §2.7.5): one buffer of a chain. 16 bytes, little-endian.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 16)]
    public struct VirtqDescriptor
    {
        public Le64 Address;    // addr: guest-physical
        public Le32 Length;     // len
        public Le16 Flags;      // flags: DescriptorFlags
        public Le16 Next;       // next: index of the next descriptor when Flags has Next

        public const int Size = 16;
    }

    /// <summary>virtq_desc flags (§2.7.5).</summary>
    public static class DescriptorFlags
    {
        public const ushort Next = 1;       // VIRTQ_DESC_F_NEXT
        public const ushort Write = 2;      // VIRTQ_DESC_F_WRITE: device writes (else reads)
        public const ushort Indirect = 4;   // VIRTQ_DESC_F_INDIRECT: the buffer is a table of descriptors
    }

    /// <summary>struct virtq_used_elem (§2.7.8): le32 id (head of the chain), le32 len (bytes written). 8 bytes.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 8)]
    public struct VirtqUsedElement
    {
        public Le32 Id;
        public Le32 Length;

        public const int Size = 8;
    }

    /// <summary>virtq_avail.flags (§2.7.6) and virtq_used.flags (§2.7.8).</summary>
    public static class RingFlags
    {
        public const ushort AvailNoInterrupt = 1;   // VIRTQ_AVAIL_F_NO_INTERRUPT
        public const ushort UsedNoNotify = 1;       // VIRTQ_USED_F_NO_NOTIFY
    }

    /// <summary>
    /// Where the three parts of a split virtqueue of <c>size</c> entries live (§2.7, alignments in Table 2.2:
    /// descriptor table 16, available ring 2, used ring 4). The legacy interface (§4.1.5.1.4.1 / legacy
    /// layout §2.7.2) puts them in one block with the used ring on the next 4096-byte boundary, because the
    /// device learns only the block's page number (QUEUE_PFN).
    /// </summary>
    public readonly struct SplitRingLayout
    {
        public readonly ushort QueueSize;
        public readonly int DescriptorTableOffset;
        public readonly int AvailableRingOffset;
        public readonly int UsedRingOffset;
        public readonly int TotalSize;

        // virtq_avail: le16 flags, le16 idx, le16 ring[size], le16 used_event (with EVENT_IDX).
        public static int AvailableRingSize(int size) => 2 + 2 + 2 * size + 2;
        // virtq_used: le16 flags, le16 idx, virtq_used_elem ring[size], le16 avail_event.
        public static int UsedRingSize(int size) => 2 + 2 + VirtqUsedElement.Size * size + 2;

        public SplitRingLayout(ushort size, bool legacy)
        {
            QueueSize = size;
            DescriptorTableOffset = 0;
            AvailableRingOffset = VirtqDescriptor.Size * size;
            int afterAvail = AvailableRingOffset + AvailableRingSize(size);
            UsedRingOffset = legacy ? Align(afterAvail, 4096) : Align(afterAvail, 4);
            TotalSize = legacy ? Align(UsedRingOffset + UsedRingSize(size), 4096) : UsedRingOffset + UsedRingSize(size);
        }

        private static int Align(int value, int alignment) => (value + alignment - 1) & ~(alignment - 1);

        /// <summary>§2.7.10.1 / Linux vring_need_event: should the side that waits for event_idx be told,
        /// now that the index moved from <paramref name="oldIndex"/> to <paramref name="newIndex"/>? All 16-bit wrapping.</summary>
        public static bool NeedEvent(ushort eventIndex, ushort newIndex, ushort oldIndex) =>
            (ushort)(newIndex - eventIndex - 1) < (ushort)(newIndex - oldIndex);
    }
}
