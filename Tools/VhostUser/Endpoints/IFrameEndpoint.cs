namespace Cosmos.VhostUser.Endpoints;

/// <summary>
/// Where the back end's frames go and come from: plain Ethernet frames, no virtio-net header. <see cref="Fd"/> is
/// polled by the data plane for readability; <see cref="TryReceive"/> and <see cref="Send"/> never block.
/// </summary>
public interface IFrameEndpoint : IDisposable
{
    string Description { get; }
    int Fd { get; }
    /// <summary>The next frame into <paramref name="frame"/>; its length, or 0 when none is waiting.</summary>
    int TryReceive(Span<byte> frame);
    /// <summary>Sends one frame; false when the endpoint dropped it (full, or down).</summary>
    bool Send(ReadOnlySpan<byte> frame);
}
