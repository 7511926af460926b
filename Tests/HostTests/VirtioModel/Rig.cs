using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Drivers.Virtio.Transport;
using Cosmos.Drivers.VirtioNet;
using Cosmos.Drivers.VirtioNet.Spec;
using Cosmos.Hal.Network;

namespace Cosmos.HostTests.VirtioModel;

/// <summary>The real driver, unchanged, wired to the device model through a fake PCI function.</summary>
public sealed unsafe class Rig : IDisposable
{
    public readonly GuestMemory Memory = new(32);
    public readonly VirtioNetModel Model;
    public readonly FakeVirtioPci Pci;
    public readonly IVirtioTransport Transport;
    public readonly VirtioNetDevice Driver;
    private int _interruptsSeen;

    public static readonly ulong QemuLikeFeatures =
        VirtioFeatures.Bit(NetFeatures.Mac) | VirtioFeatures.Bit(NetFeatures.Status) | VirtioFeatures.Bit(NetFeatures.MergeableRxBuffers) |
        VirtioFeatures.Bit(NetFeatures.Checksum) | VirtioFeatures.Bit(NetFeatures.GuestChecksum) |
        VirtioFeatures.Bit(VirtioFeatures.EventIndex) | VirtioFeatures.Bit(VirtioFeatures.IndirectDescriptors) |
        VirtioFeatures.Bit(VirtioFeatures.AnyLayout) | VirtioFeatures.Bit(VirtioFeatures.Version1) |
        VirtioFeatures.Bit(NetFeatures.ControlQueue) | VirtioFeatures.Bit(NetFeatures.GuestTso4) | VirtioFeatures.Bit(NetFeatures.ControlRx);

    public Rig(string transport, ulong? features = null, VirtioNetOptions? options = null, Action<VirtioNetModel>? configure = null)
    {
        bool legacy = transport == "legacy";
        ulong offered = features ?? QemuLikeFeatures;
        if (legacy) offered &= ~VirtioFeatures.Bit(VirtioFeatures.Version1);
        Model = new VirtioNetModel(Memory, offered);
        configure?.Invoke(Model);
        Pci = new FakeVirtioPci(Model, legacy: legacy, modern: !legacy);
        Transport = legacy ? LegacyPciTransport.TryCreate(Pci) : ModernPciTransport.TryCreate(Pci);
        Driver = new VirtioNetDevice(Transport, Memory, options ?? VirtioNetOptions.Default);
    }

    public Rig Started()
    {
        if (!Driver.Initialize()) throw new InvalidOperationException($"initialisation failed: {Driver.Error}");
        return this;
    }

    /// <summary>What the kernel's interrupt path and idle loop do: take the interrupt, poll.</summary>
    public void Pump()
    {
        if (Model.Interrupts != _interruptsSeen)
        {
            _interruptsSeen = Model.Interrupts;
            Driver.HandleInterrupt();
        }
        Driver.Poll();
    }

    public bool Send(byte[] frame, ChecksumOffload? checksum = null)
    {
        if (!Driver.TryReserveTransmit(out TransmitBuffer buffer)) return false;
        frame.CopyTo(buffer.Span);
        Driver.Transmit(buffer, frame.Length, checksum ?? ChecksumOffload.None);
        return true;
    }

    public byte[]? ReceiveOne(out bool checksumVerified)
    {
        checksumVerified = false;
        if (!Driver.TryReceive(out ReceivedFrame frame)) return null;
        byte[] copy = frame.Span.ToArray();
        checksumVerified = frame.ChecksumVerified;
        Driver.Release(frame);
        return copy;
    }

    public byte[]? ReceiveOne() => ReceiveOne(out _);

    /// <summary>
    /// Every write into guest memory nobody was entitled to (<see cref="GuestMemory.Audit"/>): canaries in free
    /// pages, beside every allocation and in allocation tails; receive buffers holding exactly what the device
    /// wrote. Valid while the driver completes no receive checksum in place. Empty when memory is intact.
    /// </summary>
    public List<string> MemoryFaults() => Memory.Audit();

    public static byte[] Frame(int sequence, int length)
    {
        var f = new byte[length];
        for (int i = 0; i < length; i++) f[i] = (byte)(sequence * 13 + i * 5);
        f[12] = 0x88; f[13] = 0xB5;
        BitConverter.TryWriteBytes(f.AsSpan(14), sequence);
        return f;
    }

    public static int SizeFor(int sequence) => 60 + sequence * 7919 % 1455;

    public void Dispose() => Memory.Dispose();
}
