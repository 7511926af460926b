namespace System.Net.Sockets
{
    // The option names programs set most; only ReuseAddress and NoDelay mean anything here (Socket.SetSocketOption).

    public enum SocketOptionLevel
    {
        IP = 0,
        Tcp = 6,
        Udp = 17,
        IPv6 = 41,
        Socket = 0xFFFF,
    }

    public enum SocketOptionName
    {
        Debug = 0x1,
        AcceptConnection = 0x2,
        ReuseAddress = 0x4,
        KeepAlive = 0x8,
        DontRoute = 0x10,
        Broadcast = 0x20,
        Linger = 0x80,
        OutOfBandInline = 0x100,
        SendBuffer = 0x1001,
        ReceiveBuffer = 0x1002,
        SendTimeout = 0x1005,
        ReceiveTimeout = 0x1006,
        NoDelay = 0x1,
    }

    /// <summary>What ReceiveFromAsync gives: the bytes received and who sent them.</summary>
    public struct SocketReceiveFromResult
    {
        public int ReceivedBytes;
        public EndPoint RemoteEndPoint;
    }
}
