using System.Runtime.InteropServices;

namespace Cosmos.VhostUser.Interop;

/// <summary>
/// The few Linux system calls the back end needs that .NET does not expose: Unix sockets with SCM_RIGHTS (.NET's
/// Socket cannot receive file descriptors), mmap of the guest's shared memory, eventfds, poll, and the tap ioctl.
/// Constants are x86-64 Linux's (man 2 socket, man 3 cmsg, include/uapi/linux/if_tun.h).
/// </summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    public const int AF_INET = 2, SOCK_DGRAM = 2, SO_RCVBUF = 8, SO_SNDBUF = 7;
    public const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 0x80000, SOCK_NONBLOCK = 0x800;
    public const int SOL_SOCKET = 1, SCM_RIGHTS = 1;
    public const int MSG_CMSG_CLOEXEC = 0x40000000, MSG_NOSIGNAL = 0x4000, MSG_DONTWAIT = 0x40;
    public const int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1;
    public const short POLLIN = 1, POLLERR = 8, POLLHUP = 0x10, POLLNVAL = 0x20;
    public const int EFD_CLOEXEC = 0x80000, EFD_NONBLOCK = 0x800;
    public const int O_RDWR = 2, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    public const int EINTR = 4, EAGAIN = 11;
    public static readonly nint MapFailed = -1;

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary>struct msghdr (x86-64: the 32-bit name length is padded to 8).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct cmsghdr: length (size_t), level, type, then data aligned to 8.</summary>
    public const int CmsgHeader = 16;
    public static int CmsgSpace(int dataBytes) => CmsgHeader + ((dataBytes + 7) & ~7);

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Lib, SetLastError = true)] public static partial int socket(int domain, int type, int protocol);
    [LibraryImport(Lib, SetLastError = true)] public static partial int bind(int fd, void* address, uint length);
    [LibraryImport(Lib, SetLastError = true)] public static partial int connect(int fd, void* address, uint length);
    [LibraryImport(Lib, SetLastError = true)] public static partial int listen(int fd, int backlog);
    [LibraryImport(Lib, SetLastError = true)] public static partial int accept4(int fd, void* address, void* length, int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial int close(int fd);
    [LibraryImport(Lib, SetLastError = true)] public static partial int shutdown(int fd, int how);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint recvmsg(int fd, MsgHdr* message, int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint sendmsg(int fd, MsgHdr* message, int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint recv(int fd, void* buffer, nuint count, int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint sendto(int fd, void* buffer, nuint count, int flags, void* address, uint length);
    [LibraryImport(Lib, SetLastError = true)] public static partial int setsockopt(int fd, int level, int name, void* value, uint length);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint read(int fd, void* buffer, nuint count);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint write(int fd, void* buffer, nuint count);
    [LibraryImport(Lib, SetLastError = true)] public static partial int poll(PollFd* fds, nuint count, int timeoutMs);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint mmap(nint address, nuint length, int protection, int flags, int fd, long offset);
    [LibraryImport(Lib, SetLastError = true)] public static partial int munmap(nint address, nuint length);
    [LibraryImport(Lib, SetLastError = true)] public static partial int eventfd(uint initial, int flags);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)] public static partial int open(string path, int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial int ioctl(int fd, nuint request, void* argument);

    public static int Errno => Marshal.GetLastPInvokeError();

    /// <summary>A sockaddr_un for a path (at most 107 bytes, NUL-terminated).</summary>
    public static byte[] UnixAddress(string path)
    {
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(path);
        if (utf8.Length > 107) throw new ArgumentException($"socket path longer than 107 bytes: {path}");
        var address = new byte[2 + 108];
        address[0] = AF_UNIX;
        utf8.CopyTo(address, 2);
        return address;
    }

    /// <summary>Adds 1 to an eventfd's counter (the vhost-user "call" and "kick" signal).</summary>
    public static bool SignalEventFd(int fd)
    {
        ulong one = 1;
        return write(fd, &one, 8) == 8;
    }

    /// <summary>Reads and clears an eventfd's counter; 0 when it was not signalled (non-blocking fd) or on error.</summary>
    public static ulong DrainEventFd(int fd)
    {
        ulong value = 0;
        return read(fd, &value, 8) == 8 ? value : 0;
    }
}
