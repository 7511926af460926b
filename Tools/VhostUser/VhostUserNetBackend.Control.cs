using Cosmos.VhostUser.Memory;
using Cosmos.VhostUser.Net;
using Cosmos.VhostUser.Protocol;
using Cosmos.VhostUser.Rings;

namespace Cosmos.VhostUser;

public sealed partial class VhostUserNetBackend
{
    /// <summary>
    /// One front-end message (vhost-user.rst "Front-end message types"). Messages with a reply of their own answer it;
    /// with REPLY_ACK negotiated, any other message that sets need_reply gets a u64 status (0 success), as the
    /// REPLY_ACK section asks. Descriptors a message carries that we do not keep are closed.
    /// </summary>
    private void Handle(MessageChannel channel, Message message)
    {
        bool ok = true;
        bool replied = false;
        try
        {
            lock (_gate)
            {
                switch (message.Request)
                {
                    case FrontEndRequest.GetFeatures:
                        channel.ReplyU64(message.Request, _options.Features);
                        replied = true;
                        break;
                    case FrontEndRequest.SetFeatures:
                        _ackedFeatures = message.Read<ulong>();
                        ulong unknown = _ackedFeatures & ~_options.Features;
                        if (unknown != 0) { Log($"SET_FEATURES names bits we never offered: 0x{unknown:x}"); ok = false; }
                        Log($"features acknowledged: 0x{_ackedFeatures:x}");
                        break;
                    case FrontEndRequest.GetProtocolFeatures:
                        channel.ReplyU64(message.Request, (ulong)_options.Protocol);
                        replied = true;
                        break;
                    case FrontEndRequest.SetProtocolFeatures:
                        _ackedProtocol = (ProtocolFeatures)message.Read<ulong>() & _options.Protocol;
                        break;
                    case FrontEndRequest.SetOwner:
                        break; // "session start": nothing to do
                    case FrontEndRequest.ResetOwner:
                        foreach (Vring v in _vrings) { StopRing(v); v.Enabled = false; } // deprecated; the doc suggests disabling rings
                        break;
                    case FrontEndRequest.GetQueueNum:
                        channel.ReplyU64(message.Request, 1); // one queue pair
                        replied = true;
                        break;
                    case FrontEndRequest.SetMemTable:
                        ok = SetMemTable(message);
                        break;
                    case FrontEndRequest.SetVringNum:
                    {
                        var state = message.Read<VringState>();
                        if (VringFor(state.Index) is { } v) v.Num = state.Num; else ok = false;
                        break;
                    }
                    case FrontEndRequest.SetVringAddr:
                    {
                        var address = message.Read<VringAddress>();
                        if (VringFor(address.Index) is { } v) v.Addresses = address; else ok = false;
                        if ((address.Flags & VringAddress.LogFlag) != 0) Log("ring logging asked for (migration): not supported");
                        break;
                    }
                    case FrontEndRequest.SetVringBase:
                    {
                        var state = message.Read<VringState>();
                        if (VringFor(state.Index) is { } v) v.Base = (ushort)state.Num; else ok = false;
                        break;
                    }
                    case FrontEndRequest.GetVringBase:
                    {
                        // Stops the ring (vhost-user.rst "Ring states") and reports where the device got to.
                        var state = message.Read<VringState>();
                        Vring? v = VringFor(state.Index);
                        uint position = 0;
                        if (v != null)
                        {
                            StopRing(v);
                            v.CloseCall();
                            position = v.Base;
                        }
                        channel.ReplyState(message.Request, new VringState { Index = state.Index, Num = position });
                        replied = true;
                        Log($"ring {state.Index} stopped at {position}");
                        break;
                    }
                    case FrontEndRequest.SetVringKick:
                        ok = SetVringFile(message, (v, fd, noFd) =>
                        {
                            StopRing(v);
                            v.KickFd = fd;
                            v.PollMode = noFd;
                            StartRing(v);
                            _hostile?.RingStarted(v.Index);
                        });
                        break;
                    case FrontEndRequest.SetVringCall:
                        ok = SetVringFile(message, (v, fd, _) => { v.CloseCall(); v.CallFd = fd; });
                        break;
                    case FrontEndRequest.SetVringErr:
                        ok = SetVringFile(message, (v, fd, _) => { v.CloseErr(); v.ErrFd = fd; });
                        break;
                    case FrontEndRequest.SetVringEnable:
                    {
                        var state = message.Read<VringState>();
                        if (VringFor(state.Index) is { } v)
                        {
                            v.Enabled = state.Num != 0;
                            Log($"ring {state.Index} {(v.Enabled ? "enabled" : "disabled")}");
                        }
                        else ok = false;
                        break;
                    }
                    case FrontEndRequest.SetLogBase:
                    case FrontEndRequest.SetLogFd:
                        ok = false; // no LOG_SHMFD offered: QEMU blocks migration rather than sending these
                        break;
                    default:
                        Log($"message {message.Request} ({(uint)message.Request}) not handled");
                        ok = false;
                        break;
                }
            }
        }
        finally
        {
            message.CloseUnclaimedFds();
        }
        if (!replied && message.NeedsReply && (_ackedProtocol & ProtocolFeatures.ReplyAck) != 0)
            channel.ReplyU64(message.Request, ok ? 0UL : 1UL);
        Wake();
    }

    private Vring? VringFor(uint index) => index < _vrings.Length ? _vrings[index] : null;

    /// <summary>SET_VRING_KICK/CALL/ERR: the u64 names the ring (bits 0-7) and says whether an fd came (bit 8 clear).</summary>
    private bool SetVringFile(Message message, Action<Vring, int, bool> apply)
    {
        ulong value = message.Read<ulong>();
        Vring? v = VringFor((uint)(value & VringFileLayout.IndexMask));
        bool noFd = (value & VringFileLayout.NoFdFlag) != 0;
        if (v == null || (!noFd && message.Fds.Length < 1)) return false;
        apply(v, noFd ? -1 : message.TakeFd(0), noFd);
        return true;
    }

    /// <summary>A new memory table: map it, move running rings onto it, then unmap the old one.</summary>
    private bool SetMemTable(Message message)
    {
        GuestMemoryMap map = GuestMemoryMap.FromMessage(message);
        GuestMemoryMap? old = _memory;
        _memory = map;
        _rxCanary?.Reset(); // it holds host pointers into the old mapping
        Log($"memory table: {map.Regions.Count} regions, {map.TotalBytes >> 20} MiB: " +
            string.Join(", ", map.Regions.Select(r => $"guest 0x{r.GuestPhysical:x} +0x{r.Length:x} (fd offset 0x{r.MmapOffset:x})")));
        foreach (Vring v in _vrings)
            if (v.Ring != null)
            {
                v.Base = v.Ring.LastAvailIndex;
                v.Ring = null;
                StartRing(v);
            }
        old?.Dispose();
        return true;
    }

    private bool EventIndexNegotiated => (_ackedFeatures & FeatureBits.Bit(FeatureBits.EventIndex)) != 0;
    private bool MergeableNegotiated => (_ackedFeatures & FeatureBits.Bit(FeatureBits.NetMergeableRxBuffers)) != 0;
    private int HeaderSize => (_ackedFeatures & (FeatureBits.Bit(FeatureBits.Version1) | FeatureBits.Bit(FeatureBits.NetMergeableRxBuffers))) != 0
        ? NetHeader.Size : NetHeader.LegacySize;

    private void StartRing(Vring v)
    {
        if (_memory == null) { Log($"ring {v.Index}: kick before any memory table"); return; }
        DeviceSplitRing? ring = v.Build(_memory, EventIndexNegotiated, out string? error);
        if (ring == null) { Log(error!); return; }
        v.Ring = ring;
        // Without protocol features a ring is enabled as soon as it starts (vhost-user.rst "Ring states").
        if ((_ackedFeatures & FeatureBits.Bit(FeatureBits.ProtocolFeatures)) == 0) v.Enabled = true;
        Counters.RingStarts++;
        Log($"ring {v.Index} started: {v.Num} entries at base {v.Base}, used index {ring.UsedIndex}, event index {(EventIndexNegotiated ? "on" : "off")}{(v.PollMode ? ", polled (no kick fd)" : "")}");
    }
}
