using System.Runtime.InteropServices;
using Cosmos.VhostUser.Interop;

namespace Cosmos.VhostUser.Protocol;

/// <summary>One message as received: header, payload bytes and the file descriptors that came with it.</summary>
public sealed class Message
{
    public MessageHeader Header;
    public byte[] Payload = [];
    public int[] Fds = [];

    public FrontEndRequest Request => Header.Request;
    public bool NeedsReply => (Header.Flags & MessageFlags.NeedReply) != 0;

    public T Read<T>(int offset = 0) where T : unmanaged
    {
        if (offset + Marshal.SizeOf<T>() > Payload.Length)
            throw new ProtocolViolation($"{Request}: payload of {Payload.Length} bytes is too short for {typeof(T).Name} at {offset}");
        return MemoryMarshal.Read<T>(Payload.AsSpan(offset));
    }

    /// <summary>Closes every descriptor nobody took (a message we ignore must not leak QEMU's fds).</summary>
    public void CloseUnclaimedFds()
    {
        foreach (int fd in Fds) if (fd >= 0) Libc.close(fd);
        Fds = [];
    }

    /// <summary>Takes ownership of descriptor <paramref name="i"/> (the message no longer closes it).</summary>
    public int TakeFd(int i)
    {
        int fd = Fds[i];
        Fds[i] = -1;
        return fd;
    }
}

/// <summary>A breach of the protocol by the front end: the connection is closed (vhost-user.rst lets the back end do so).</summary>
public sealed class ProtocolViolation(string message) : Exception(message);

/// <summary>
/// The vhost-user socket (SOCK_STREAM, AF_UNIX): reads a 12-byte header with recvmsg so that the SCM_RIGHTS
/// descriptors sent with the message are taken with it, then the payload; writes replies with the reply flag.
/// </summary>
public sealed unsafe class MessageChannel : IDisposable
{
    /// <summary>Payloads are small (a full memory table is 8 + 8 x 32 bytes); anything far larger is not vhost-user.</summary>
    private const int MaxPayload = 4096;
    private const int MaxFds = 16;
    private int _fd;

    public MessageChannel(int connectedFd) => _fd = connectedFd;

    /// <summary>The next message, or null when the front end closed the connection.</summary>
    public Message? Receive()
    {
        var message = new Message();
        MessageHeader header;
        int controlBytes = Libc.CmsgSpace(MaxFds * sizeof(int));
        byte* control = stackalloc byte[controlBytes];
        var iov = new Libc.IoVec { Base = &header, Length = MessageHeader.Size };
        var msg = new Libc.MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)controlBytes };
        nint got;
        do got = Libc.recvmsg(_fd, &msg, Libc.MSG_CMSG_CLOEXEC);
        while (got < 0 && Libc.Errno == Libc.EINTR);
        if (got == 0) return null;
        if (got < 0) throw new IOException($"recvmsg on the vhost-user socket failed: errno {Libc.Errno}");
        message.Fds = ParseRights(&msg);
        if (got < MessageHeader.Size && !ReadExactly((byte*)&header + got, MessageHeader.Size - (int)got))
        {
            message.CloseUnclaimedFds();
            return null;
        }
        message.Header = header;
        if ((header.Flags & MessageFlags.VersionMask) != MessageFlags.Version1)
        {
            message.CloseUnclaimedFds();
            throw new ProtocolViolation($"message {header.Request} with version {(uint)(header.Flags & MessageFlags.VersionMask)}, not 1");
        }
        if (header.PayloadSize > MaxPayload)
        {
            message.CloseUnclaimedFds();
            throw new ProtocolViolation($"message {header.Request} announces a payload of {header.PayloadSize} bytes");
        }
        message.Payload = new byte[header.PayloadSize];
        fixed (byte* payload = message.Payload)
            if (header.PayloadSize > 0 && !ReadExactly(payload, (int)header.PayloadSize))
            {
                message.CloseUnclaimedFds();
                return null;
            }
        return message;
    }

    private static int[] ParseRights(Libc.MsgHdr* msg)
    {
        var fds = new List<int>();
        byte* p = (byte*)msg->Control;
        byte* end = p + (long)msg->ControlLength;
        while (p + Libc.CmsgHeader <= end)
        {
            ulong length = *(ulong*)p;
            int level = *(int*)(p + 8), type = *(int*)(p + 12);
            if (length < Libc.CmsgHeader || p + (long)length > end) break;
            if (level == Libc.SOL_SOCKET && type == Libc.SCM_RIGHTS)
                for (int* fd = (int*)(p + Libc.CmsgHeader); (byte*)(fd + 1) <= p + (long)length; fd++) fds.Add(*fd);
            p += (long)((length + 7) & ~7UL);
        }
        return fds.ToArray();
    }

    private bool ReadExactly(byte* destination, int count)
    {
        while (count > 0)
        {
            nint n = Libc.read(_fd, destination, (nuint)count);
            if (n < 0 && Libc.Errno == Libc.EINTR) continue;
            if (n <= 0) return false;
            destination += n;
            count -= (int)n;
        }
        return true;
    }

    /// <summary>A reply to <paramref name="request"/> with the reply flag and version 1.</summary>
    public void Reply(FrontEndRequest request, ReadOnlySpan<byte> payload)
    {
        var header = new MessageHeader { Request = request, Flags = MessageFlags.Version1 | MessageFlags.Reply, PayloadSize = (uint)payload.Length };
        byte[] bytes = new byte[MessageHeader.Size + payload.Length];
        MemoryMarshal.Write(bytes, in header);
        payload.CopyTo(bytes.AsSpan(MessageHeader.Size));
        fixed (byte* p = bytes)
        {
            int done = 0;
            while (done < bytes.Length)
            {
                nint n = Libc.write(_fd, p + done, (nuint)(bytes.Length - done));
                if (n < 0 && Libc.Errno == Libc.EINTR) continue;
                if (n <= 0) throw new IOException($"write on the vhost-user socket failed: errno {Libc.Errno}");
                done += (int)n;
            }
        }
    }

    public void ReplyU64(FrontEndRequest request, ulong value)
    {
        Span<byte> payload = stackalloc byte[8];
        MemoryMarshal.Write(payload, in value);
        Reply(request, payload);
    }

    public void ReplyState(FrontEndRequest request, VringState state)
    {
        Span<byte> payload = stackalloc byte[VringState.Size];
        MemoryMarshal.Write(payload, in state);
        Reply(request, payload);
    }

    public void Dispose()
    {
        if (_fd >= 0) Libc.close(_fd);
        _fd = -1;
    }

    /// <summary>Ends the connection from our side (QEMU sees the back end go away) without closing the fd under a reader.</summary>
    public void Hangup()
    {
        if (_fd >= 0) Libc.shutdown(_fd, 2);
    }
}
