using System.Net;
using Cosmos.VhostUser.Interop;

namespace Cosmos.VhostUser.Endpoints;

/// <summary>
/// Each frame is one UDP datagram, exactly as QEMU's <c>-netdev dgram</c> backend does it: frames arrive on a local
/// port and leave for a remote one. So every peer the runner already has for the datagram backend (the exchange peer,
/// the raw-Ethernet host, the load generator) works unchanged behind this back end.
/// </summary>
public sealed unsafe class UdpDatagramEndpoint : IFrameEndpoint
{
    private readonly int _fd;
    private readonly byte[] _remote;
    public int Fd => _fd;
    public string Description { get; }
    public long SendFailures { get; private set; }

    public UdpDatagramEndpoint(IPEndPoint local, IPEndPoint remote)
    {
        Description = $"udp {local} -> {remote}";
        _fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        if (_fd < 0) throw new IOException($"socket: errno {Libc.Errno}");
        int size = 8 << 20;
        Libc.setsockopt(_fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, &size, 4);
        Libc.setsockopt(_fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, &size, 4);
        byte[] address = SockaddrIn(local);
        fixed (byte* a = address)
            if (Libc.bind(_fd, a, (uint)address.Length) != 0)
            {
                int errno = Libc.Errno;
                Libc.close(_fd);
                throw new IOException($"bind {local}: errno {errno}");
            }
        _remote = SockaddrIn(remote);
    }

    /// <summary>Parses the local and remote ports of a dgram netdev string (local.port=..., remote.port=...), as the runner's peers give it.</summary>
    public static UdpDatagramEndpoint FromNetdev(string netdev)
    {
        string Field(string name) => netdev.Split(',').Select(p => p.Split('=', 2)).First(p => p[0] == name)[1];
        return new UdpDatagramEndpoint(new IPEndPoint(IPAddress.Parse(Field("local.host")), int.Parse(Field("local.port"))),
            new IPEndPoint(IPAddress.Parse(Field("remote.host")), int.Parse(Field("remote.port"))));
    }

    private static byte[] SockaddrIn(IPEndPoint endpoint)
    {
        var a = new byte[16];
        a[0] = Libc.AF_INET;
        a[2] = (byte)(endpoint.Port >> 8);
        a[3] = (byte)endpoint.Port;
        endpoint.Address.GetAddressBytes().CopyTo(a, 4);
        return a;
    }

    public int TryReceive(Span<byte> frame)
    {
        fixed (byte* p = frame)
        {
            nint n = Libc.recv(_fd, p, (nuint)frame.Length, Libc.MSG_DONTWAIT);
            return n > 0 ? (int)n : 0;
        }
    }

    public bool Send(ReadOnlySpan<byte> frame)
    {
        fixed (byte* p = frame)
        fixed (byte* a = _remote)
        {
            if (Libc.sendto(_fd, p, (nuint)frame.Length, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL, a, (uint)_remote.Length) == frame.Length) return true;
        }
        SendFailures++;
        return false;
    }

    public void Dispose() => Libc.close(_fd);
}
