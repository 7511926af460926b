namespace Cosmos.VhostUser.Protocol;

/// <summary>
/// Front-end (QEMU) to back-end message ids, as QEMU's docs/interop/vhost-user.rst numbers them ("Front-end
/// message types"). Only the ones a net back end meets are named; others are answered as unknown.
/// </summary>
public enum FrontEndRequest : uint
{
    GetFeatures = 1,
    SetFeatures = 2,
    SetOwner = 3,
    ResetOwner = 4,
    SetMemTable = 5,
    SetLogBase = 6,
    SetLogFd = 7,
    SetVringNum = 8,
    SetVringAddr = 9,
    SetVringBase = 10,
    GetVringBase = 11,
    SetVringKick = 12,
    SetVringCall = 13,
    SetVringErr = 14,
    GetProtocolFeatures = 15,
    SetProtocolFeatures = 16,
    GetQueueNum = 17,
    SetVringEnable = 18,
    SendRarp = 19,
    NetSetMtu = 20,
    SetBackendReqFd = 21,
    IotlbMsg = 22,
    SetVringEndian = 23,
    GetConfig = 24,
    SetConfig = 25,
    GetMaxMemSlots = 36,
    AddMemReg = 37,
    RemMemReg = 38,
    SetStatus = 39,
    GetStatus = 40,
}

/// <summary>The header's flags word (vhost-user.rst "Header").</summary>
[Flags]
public enum MessageFlags : uint
{
    /// <summary>Bits 0-1: the protocol version, 1.</summary>
    Version1 = 0x1,
    VersionMask = 0x3,
    /// <summary>Set on every reply from the back end.</summary>
    Reply = 0x4,
    /// <summary>With REPLY_ACK negotiated: the front end wants a u64 status reply (0 = success).</summary>
    NeedReply = 0x8,
}

/// <summary>Protocol feature bits (vhost-user.rst "Protocol features"): what the back end offers.</summary>
[Flags]
public enum ProtocolFeatures : ulong
{
    None = 0,
    MultiQueue = 1UL << 0,
    LogSharedMemory = 1UL << 1,
    Rarp = 1UL << 2,
    ReplyAck = 1UL << 3,
    Mtu = 1UL << 4,
    BackendRequests = 1UL << 5,
    CrossEndian = 1UL << 6,
    Config = 1UL << 9,
    InflightSharedMemory = 1UL << 12,
    ResetDevice = 1UL << 13,
    InbandNotifications = 1UL << 14,
    ConfigureMemSlots = 1UL << 15,
    Status = 1UL << 16,
}
