namespace System.Net.NetworkInformation
{
    /// <summary>.NET's values (RFC 2863's ifOperStatus).</summary>
    public enum OperationalStatus
    {
        Up = 1,
        Down = 2,
        Testing = 3,
        Unknown = 4,
        Dormant = 5,
        NotPresent = 6,
        LowerLayerDown = 7,
    }

    /// <summary>.NET's values (IANA ifType); the kernel's interfaces are all Ethernet.</summary>
    public enum NetworkInterfaceType
    {
        Unknown = 1,
        Ethernet = 6,
        Loopback = 24,
        Tunnel = 131,
    }

    public enum NetworkInterfaceComponent
    {
        IPv4 = 0,
        IPv6 = 1,
    }
}
