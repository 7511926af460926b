namespace Cosmos.VhostUser.Rings;

// The split virtqueue as the device sees it (virtio 1.2 §2.7), with this back end's own constants: written from
// the specification, not taken from the kernel's driver, so a wrong offset on one side is caught by the other.

/// <summary>struct virtq_desc (§2.7.5): addr (le64), len (le32), flags (le16), next (le16).</summary>
public static class DescriptorLayout
{
    public const int Size = 16;
    public const int Address = 0, Length = 8, Flags = 12, Next = 14;
}

/// <summary>Descriptor flags (§2.7.5).</summary>
[Flags]
public enum DescriptorFlags : ushort
{
    None = 0,
    /// <summary>VIRTQ_DESC_F_NEXT: the chain continues at `next`.</summary>
    Next = 1,
    /// <summary>VIRTQ_DESC_F_WRITE: device-writable (else device-readable).</summary>
    Write = 2,
    /// <summary>VIRTQ_DESC_F_INDIRECT: the buffer is a table of descriptors (§2.7.5.3).</summary>
    Indirect = 4,
}

/// <summary>The available ring (§2.7.6): flags, idx, ring[size], used_event (with VIRTIO_F_EVENT_IDX).</summary>
public static class AvailableLayout
{
    public const int Flags = 0, Index = 2, Ring = 4;
    /// <summary>VIRTQ_AVAIL_F_NO_INTERRUPT (§2.7.7): the driver asks for no used-buffer notifications.</summary>
    public const ushort NoInterrupt = 1;
    public static int UsedEvent(int size) => Ring + 2 * size;
    public static int Bytes(int size) => Ring + 2 * size + 2;
}

/// <summary>The used ring (§2.7.8): flags, idx, ring[size] of {id le32, len le32}, avail_event (with VIRTIO_F_EVENT_IDX).</summary>
public static class UsedLayout
{
    public const int Flags = 0, Index = 2, Ring = 4, ElementSize = 8;
    /// <summary>VIRTQ_USED_F_NO_NOTIFY (§2.7.10): the device asks for no available-buffer notifications.</summary>
    public const ushort NoNotify = 1;
    public static int AvailEvent(int size) => Ring + ElementSize * size;
    public static int Bytes(int size) => Ring + ElementSize * size + 2;
}

/// <summary>Feature bits this back end deals in (virtio 1.2 §6, §5.1.3; vhost-user.rst for bit 30).</summary>
public static class FeatureBits
{
    public const int NetChecksum = 0, NetGuestChecksum = 1, NetMac = 5, NetMergeableRxBuffers = 15, NetStatus = 16;
    public const int NotifyOnEmpty = 24, AnyLayout = 27, IndirectDescriptors = 28, EventIndex = 29;
    /// <summary>VHOST_USER_F_PROTOCOL_FEATURES: the back end speaks GET/SET_PROTOCOL_FEATURES.</summary>
    public const int ProtocolFeatures = 30;
    public const int Version1 = 32, RingPacked = 34;
    public static ulong Bit(int bit) => 1UL << bit;
}

/// <summary>§2.7.10's vring_need_event: signal when new_idx has passed event_idx since old_idx (16-bit wrap-around).</summary>
public static class EventIndex
{
    public static bool NeedEvent(ushort eventIndex, ushort newIndex, ushort oldIndex) =>
        (ushort)(newIndex - eventIndex - 1) < (ushort)(newIndex - oldIndex);
}
