using System.Runtime.InteropServices;

namespace Cosmos.Drivers.Xen.Spec
{
    /// <summary>enum xsd_sockmsg_type (io/xs_wire.h).</summary>
    public enum XenstoreMessage : uint
    {
        Debug = 0, Directory = 1, Read = 2, GetPermissions = 3, Watch = 4, Unwatch = 5,
        TransactionStart = 6, TransactionEnd = 7, Introduce = 8, Release = 9, GetDomainPath = 10,
        Write = 11, Mkdir = 12, Remove = 13, SetPermissions = 14, WatchEvent = 15, Error = 16,
        IsDomainIntroduced = 17, Resume = 18, SetTarget = 19, Restrict = 20, ResetWatches = 21, DirectoryPart = 22,
    }

    /// <summary>struct xsd_sockmsg: the 16-byte header before every request and reply (io/xs_wire.h).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 16)]
    public struct XenstoreHeader
    {
        public uint Type;
        public uint RequestId;
        public uint TransactionId;
        public uint Length;
        public const int Size = 16;
    }

    /// <summary>struct xenstore_domain_interface: two 1 KiB byte rings and their free-running indices.</summary>
    public static class XenstoreRingLayout
    {
        public const int RingSize = 1024;        // XENSTORE_RING_SIZE
        public const int Request = 0;            // req[1024]
        public const int Response = 1024;        // rsp[1024]
        public const int RequestConsumer = 2048; // req_cons
        public const int RequestProducer = 2052; // req_prod
        public const int ResponseConsumer = 2056;
        public const int ResponseProducer = 2060;
        public const int ServerFeatures = 2064;
        public const int Connection = 2068;
        public const int PayloadMax = 4096;      // XENSTORE_PAYLOAD_MAX
    }

    /// <summary>enum xenbus_state (io/xenbus.h).</summary>
    public enum XenbusState
    {
        Unknown = 0, Initialising = 1, InitWait = 2, Initialised = 3, Connected = 4, Closing = 5, Closed = 6,
        Reconfiguring = 7, Reconfigured = 8,
    }
}
