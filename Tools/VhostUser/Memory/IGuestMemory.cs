namespace Cosmos.VhostUser.Memory;

/// <summary>Guest-physical addresses to host pointers, bounds-checked (a null answer means "not guest RAM").</summary>
public unsafe interface IGuestMemory
{
    byte* TryGuest(ulong address, ulong length);
}
