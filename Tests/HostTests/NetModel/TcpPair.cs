using System.Buffers.Binary;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols.Tcp;
using Cosmos.Net.Wire;

namespace Cosmos.HostTests.NetModel;

/// <summary>
/// Two copies of the kernel's stack (a server at 10.0.0.1, a client at 10.0.0.2) on one in-memory <see cref="Link"/>,
/// with simulated time: each <see cref="Step"/> is 5 ms in which both poll and the link carries. Frames can be
/// watched, dropped or injected.
/// </summary>
public sealed class TcpPair : IDisposable
{
    public static readonly Ipv4Address ServerIp = new(10, 0, 0, 1), ClientIp = new(10, 0, 0, 2);
    public readonly LinkDevice ServerDevice = new(1), ClientDevice = new(2);
    public readonly NetworkInterface Server, Client;
    public readonly Link Link;
    public long Now = 1000;
    /// <summary>Every frame offered to the link, in order, with the time it was sent.</summary>
    public readonly List<(long At, byte[] Frame)> Frames = [];
    /// <summary>Drops the frames this returns true for (after they are recorded).</summary>
    public Func<TcpFrame, bool>? Drop;

    public TcpPair(int seed = 42, int serverBlocks = TcpEndpoint.DefaultBufferBlocks, int clientBlocks = TcpEndpoint.DefaultBufferBlocks)
    {
        Link = new Link(ServerDevice, ClientDevice, seed);
        Server = new NetworkInterface(ServerDevice, serverBlocks);
        Client = new NetworkInterface(ClientDevice, clientBlocks);
        Server.Configure(ServerIp, 24, default, default);
        Client.Configure(ClientIp, 24, default, default);
        Link.DropWhen = frame =>
        {
            Frames.Add((Now, frame));
            return Drop != null && TcpFrame.TryParse(frame, out TcpFrame f) && Drop(f);
        };
    }

    public void Dispose()
    {
        ServerDevice.Dispose();
        ClientDevice.Dispose();
    }

    public void Step(Action? services = null)
    {
        Now += 5;
        Server.Poll(Now);
        services?.Invoke();
        Client.Poll(Now);
        Link.Step();
    }

    public void Run(int steps, Action? services = null) { for (int i = 0; i < steps; i++) Step(services); }

    /// <summary>Steps until <paramref name="done"/> holds (at most <paramref name="maxSteps"/>); true if it did.</summary>
    public bool RunUntil(Func<bool> done, int maxSteps, Action? services = null)
    {
        for (int i = 0; i < maxSteps; i++) { if (done()) return true; Step(services); }
        return done();
    }

    /// <summary>TCP frames seen on the link, optionally only those from one side.</summary>
    public IEnumerable<TcpFrame> Segments(Ipv4Address? from = null)
    {
        foreach (var (_, frame) in Frames)
            if (TcpFrame.TryParse(frame, out TcpFrame f) && (from == null || f.Source == from.Value)) yield return f;
    }

    /// <summary>Puts a frame on the wire towards the server (as if the client had sent it).</summary>
    public void InjectToServer(byte[] frame) => ServerDevice.Deliver(frame);
    public void InjectToClient(byte[] frame) => ClientDevice.Deliver(frame);
}

/// <summary>An Ethernet/IPv4/TCP frame taken apart (for watching the wire in tests), and rebuilt with changes.</summary>
public sealed class TcpFrame
{
    public required byte[] Bytes;
    public required Ipv4Address Source, Destination;
    public required ushort SourcePort, DestinationPort;
    public required uint Sequence, Acknowledgment;
    public required byte Flags;
    public required ushort Window;
    public required TcpOptions Options;
    public required int PayloadLength;
    public bool Has(byte flag) => (Flags & flag) != 0;
    public bool IsSyn => Has(TcpFlags.Syn);

    private const int Ip = 14;

    public static bool TryParse(byte[] frame, out TcpFrame f)
    {
        f = null!;
        if (frame.Length < 54 || frame[12] != 0x08 || frame[13] != 0x00 || frame[Ip + 9] != 6) return false;
        int ipHeader = (frame[Ip] & 0x0F) * 4;
        int total = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(Ip + 2));
        int tcp = Ip + ipHeader;
        int tcpHeader = (frame[tcp + 12] >> 4) * 4;
        f = new TcpFrame
        {
            Bytes = frame,
            Source = new Ipv4Address(BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(Ip + 12))),
            Destination = new Ipv4Address(BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(Ip + 16))),
            SourcePort = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(tcp)),
            DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(tcp + 2)),
            Sequence = BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(tcp + 4)),
            Acknowledgment = BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(tcp + 8)),
            Flags = (byte)(frame[tcp + 13] & 0x3F),
            Window = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(tcp + 14)),
            Options = TcpOptions.Parse(frame.AsSpan(tcp + 20, tcpHeader - 20)),
            PayloadLength = total - ipHeader - tcpHeader,
        };
        return true;
    }

    /// <summary>A copy with the sequence number (and optionally the TSval) changed, checksums recomputed.</summary>
    public byte[] With(uint? sequence = null, uint? tsVal = null, byte? flags = null)
    {
        byte[] copy = (byte[])Bytes.Clone();
        int ipHeader = (copy[Ip] & 0x0F) * 4;
        int tcp = Ip + ipHeader;
        int tcpHeader = (copy[tcp + 12] >> 4) * 4;
        int total = BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(Ip + 2));
        if (sequence != null) BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(tcp + 4), sequence.Value);
        if (flags != null) copy[tcp + 13] = flags.Value;
        if (tsVal != null)
        {
            for (int at = tcp + 20; at < tcp + tcpHeader;)
            {
                byte kind = copy[at];
                if (kind == 0) break;
                if (kind == 1) { at++; continue; }
                if (kind == 8) { BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(at + 2), tsVal.Value); break; }
                at += copy[at + 1];
            }
        }
        Span<byte> segment = copy.AsSpan(tcp, total - ipHeader);
        BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(16), 0);
        uint sum = Checksum.Add(Checksum.PseudoHeader(Source, Destination, IpProtocol.Tcp, segment.Length), segment);
        BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(16), Checksum.Finish(sum));
        return copy;
    }
}
