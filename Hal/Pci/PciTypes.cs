using Cosmos.Hal.Io;

namespace Cosmos.Hal.Pci
{
    public enum PciBarKind : byte { None, Io, Memory32, Memory64 }

    public struct PciBar
    {
        public PciBarKind Kind;
        public bool Prefetchable;
        public ulong Address;
        public ulong Size;
    }

    public struct PciCapability
    {
        public byte Id;
        public byte Offset;
    }

    /// <summary>Capability IDs (PCI Local Bus spec 3.0, Appendix H).</summary>
    public static class PciCapabilityIds
    {
        public const byte Msi = 0x05;
        public const byte Vendor = 0x09;
        public const byte Msix = 0x11;
    }

    /// <summary>
    /// What a driver needs of its PCI function: configuration space, BARs, capabilities. PciDevice is the
    /// real one; host tests put a device model behind it.
    /// </summary>
    public interface IPciFunction
    {
        ushort VendorId { get; }
        ushort DeviceId { get; }
        byte Read8(int offset);
        ushort Read16(int offset);
        uint Read32(int offset);
        void Write8(int offset, byte value);
        void Write16(int offset, ushort value);
        void Write32(int offset, uint value);
        PciBar GetBar(int index);
        int CapabilityCountValue { get; }
        PciCapability GetCapability(int index);
        IDeviceRegisters MapBar(int index, ulong offset, ulong length);
        void EnableBusMastering();
    }
}
