namespace System.Net.Sockets
{
    // The enumerations of System.Net.Sockets, with .NET's names and values (the values are Windows Sockets' numbers,
    // which .NET uses on every platform).

    public enum AddressFamily
    {
        Unknown = -1,
        Unspecified = 0,
        Unix = 1,
        InterNetwork = 2,
        InterNetworkV6 = 23,
    }

    public enum SocketType
    {
        Unknown = -1,
        Stream = 1,
        Dgram = 2,
        Raw = 3,
        Rdm = 4,
        Seqpacket = 5,
    }

    public enum ProtocolType
    {
        Unknown = -1,
        IP = 0,
        Unspecified = 0,
        Icmp = 1,
        Tcp = 6,
        Udp = 17,
        IPv6 = 41,
    }

    [Flags]
    public enum SocketFlags
    {
        None = 0,
        OutOfBand = 0x1,
        Peek = 0x2,
        DontRoute = 0x4,
        Truncated = 0x100,
        ControlDataTruncated = 0x200,
        Broadcast = 0x400,
        Multicast = 0x800,
        Partial = 0x8000,
    }

    public enum SocketShutdown
    {
        Receive = 0,
        Send = 1,
        Both = 2,
    }
}
