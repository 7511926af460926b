using System;

namespace Cosmos.Drivers.Virtio.Queues
{
    /// <summary>What a driver needs of a virtqueue, split (§2.7) or packed (§2.8).</summary>
    public interface IVirtqueue
    {
        ushort QueueIndex { get; }
        ushort Size { get; }
        string Kind { get; }
        bool IsBroken { get; }
        string Error { get; }
        long Notifications { get; }
        long NotificationsSuppressed { get; }
        int FreeDescriptors { get; }
        int InFlight { get; }
        bool HasUsed { get; }
        bool CanAdd(int segments);
        bool TryAdd(ReadOnlySpan<BufferSegment> segments, int token);
        bool Kick();
        bool TryGetUsed(out int token, out uint length);
        void DisableInterrupts();
        bool EnableInterrupts();
        void ReleaseMemory();
    }
}
