using Cosmos.Drivers.Xen.Platform;
using Cosmos.Drivers.XenNetfront;
using Cosmos.Hal.Network;
using Cosmos.HostTests.VirtioModel;

namespace Cosmos.HostTests.XenModel;

/// <summary>The real platform code and netfront, unchanged, against the hypervisor, xenstored and netback models.</summary>
public sealed unsafe class XenRig : IDisposable
{
    public readonly GuestMemory Memory = new(32);
    public readonly HypervisorModel Xen;
    public readonly XenstoreDaemonModel Store;
    public readonly NetbackModel Netback;
    public readonly XenPlatform Platform;
    public readonly XenNetfrontDevice Device;

    public XenRig(Action<NetbackModel>? configure = null, XenNetfrontOptions? options = null)
    {
        Xen = new HypervisorModel(Memory);
        Store = new XenstoreDaemonModel(Xen);
        Netback = new NetbackModel(Xen, Store);
        configure?.Invoke(Netback);
        Netback.Create();
        Platform = new XenPlatform(Xen, Memory, Xen);
        if (!Platform.Initialize(4, &HypervisorModel.Translate)) throw new InvalidOperationException($"platform: {Platform.Error}");
        var o = options ?? XenNetfrontOptions.Default;
        if (options == null) o.ConnectTimeoutMilliseconds = 2000;
        Device = new XenNetfrontDevice(Platform, o);
    }

    public XenRig Connected()
    {
        if (!Device.Connect()) throw new InvalidOperationException($"connect: {Device.Error}");
        return this;
    }

    /// <summary>What the kernel's idle loop does: let the other side run, scan events, poll the driver.</summary>
    public void Pump()
    {
        Xen.Pump();
        Platform.Events.Scan();
        Device.Poll();
    }

    /// <summary>Runs the other side and the driver, with virtual time passing, until the driver's teardown ends (bounded).</summary>
    public void PumpUntilClosed(int maxMilliseconds = 20_000)
    {
        for (int ms = 0; ms < maxMilliseconds && Device.Lifecycle != XenNetfrontLifecycle.Closed; ms += 10)
        {
            Xen.NowMilliseconds += 10;
            Pump();
        }
    }

    public bool Send(byte[] frame)
    {
        if (!Device.TryReserveTransmit(out TransmitBuffer buffer)) return false;
        frame.CopyTo(buffer.Span);
        Device.Transmit(buffer, frame.Length, ChecksumOffload.None);
        return true;
    }

    public List<byte[]> ReceiveAll()
    {
        var frames = new List<byte[]>();
        while (Device.TryReceive(out ReceivedFrame frame))
        {
            frames.Add(frame.Span.ToArray());
            Device.Release(frame);
        }
        return frames;
    }

    /// <summary>
    /// Every write into guest memory nobody was entitled to (see <see cref="GuestMemory.Audit"/>: canaries in
    /// free pages, beside every allocation and in allocation tails; receive pages holding exactly what the
    /// netback's grant copies put there), and every grant copy through a grant that was not a receive page
    /// the frontend posted. Empty when memory is intact.
    /// </summary>
    public List<string> MemoryFaults()
    {
        var faults = Memory.Audit();
        foreach (var copy in Xen.GrantCopies)
        {
            if (copy.Reference < Cosmos.Drivers.Xen.Spec.GrantTableOp.ReservedEntries)
                faults.Add($"grant copy through reserved grant {copy.Reference}");
            if (!Netback.RxGrantsSeen.Contains(copy.Reference))
                faults.Add($"grant copy through grant {copy.Reference}, which no receive request named");
        }
        return faults;
    }

    public static byte[] Frame(int length, int seed)
    {
        var frame = new byte[length];
        new Random(seed).NextBytes(frame);
        frame[12] = 0x88; frame[13] = 0xB5; // local experimental EtherType: nothing parses it
        return frame;
    }

    public void Dispose() => Memory.Dispose();
}
