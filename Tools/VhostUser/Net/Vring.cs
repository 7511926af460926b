using Cosmos.VhostUser.Interop;
using Cosmos.VhostUser.Memory;
using Cosmos.VhostUser.Protocol;
using Cosmos.VhostUser.Rings;

namespace Cosmos.VhostUser.Net;

/// <summary>
/// One virtqueue as the front end configured it (SET_VRING_NUM, _ADDR, _BASE, _KICK, _CALL, _ENABLE) and its ring once
/// started. vhost-user.rst "Ring states": stopped until a kick fd arrives, stopped again by GET_VRING_BASE; enabled by
/// SET_VRING_ENABLE when protocol features were negotiated, else enabled from the start.
/// </summary>
public sealed unsafe class Vring
{
    public readonly int Index;
    public uint Num;
    public VringAddress Addresses;
    public ushort Base;
    public int KickFd = -1, CallFd = -1, ErrFd = -1;
    /// <summary>SET_VRING_KICK with the no-fd flag: the front end wants us to poll the ring.</summary>
    public bool PollMode;
    public bool Enabled;
    public DeviceSplitRing? Ring;
    public bool Started => Ring != null;
    public bool Running => Ring != null && Enabled && !Ring.IsBroken;

    public Vring(int index) => Index = index;

    /// <summary>Translates the ring addresses through the memory table and makes the device-side ring; null and a reason if they are not guest RAM.</summary>
    public DeviceSplitRing? Build(GuestMemoryMap memory, bool eventIndex, out string? error)
    {
        error = null;
        if (Num == 0 || (Num & (Num - 1)) != 0 || Num > 32768) { error = $"ring {Index}: size {Num}"; return null; }
        byte* desc = memory.TryUser(Addresses.DescriptorUser, Num * (ulong)DescriptorLayout.Size);
        byte* avail = memory.TryUser(Addresses.AvailableUser, (ulong)AvailableLayout.Bytes((int)Num));
        byte* used = memory.TryUser(Addresses.UsedUser, (ulong)UsedLayout.Bytes((int)Num));
        if (desc == null || avail == null || used == null)
        {
            error = $"ring {Index}: addresses desc 0x{Addresses.DescriptorUser:x} avail 0x{Addresses.AvailableUser:x} used 0x{Addresses.UsedUser:x} are not in the memory table";
            return null;
        }
        return new DeviceSplitRing((ushort)Num, desc, avail, used, memory, eventIndex, Base);
    }

    /// <summary>Tells the driver about completions (the call eventfd; QEMU turns it into an interrupt).</summary>
    public bool Signal() => CallFd >= 0 && Libc.SignalEventFd(CallFd);

    public void CloseKick()
    {
        if (KickFd >= 0) Libc.close(KickFd);
        KickFd = -1;
    }

    public void CloseCall()
    {
        if (CallFd >= 0) Libc.close(CallFd);
        CallFd = -1;
    }

    public void CloseErr()
    {
        if (ErrFd >= 0) Libc.close(ErrFd);
        ErrFd = -1;
    }
}
