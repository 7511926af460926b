using Cosmos.Hal.Cpu;

namespace Cosmos.Hal.Pci
{
    /// <summary>
    /// PCI configuration mechanism #1 (PCI Local Bus spec 3.0 §3.2.2.3.2): address to 0xCF8, data at 0xCFC.
    /// Covers the first 256 bytes of each function's configuration space.
    /// </summary>
    public static class PciConfigSpace
    {
        private const ushort AddressPort = 0xCF8;
        private const ushort DataPort = 0xCFC;

        private static uint Address(int bus, int device, int function, int offset) =>
            0x80000000u | ((uint)bus << 16) | ((uint)device << 11) | ((uint)function << 8) | ((uint)offset & 0xFC);

        public static uint Read32(int bus, int device, int function, int offset)
        {
            CpuNative.OutDword(AddressPort, Address(bus, device, function, offset));
            return CpuNative.InDword(DataPort);
        }

        public static ushort Read16(int bus, int device, int function, int offset) =>
            (ushort)(Read32(bus, device, function, offset) >> ((offset & 2) * 8));

        public static byte Read8(int bus, int device, int function, int offset) =>
            (byte)(Read32(bus, device, function, offset) >> ((offset & 3) * 8));

        public static void Write32(int bus, int device, int function, int offset, uint value)
        {
            CpuNative.OutDword(AddressPort, Address(bus, device, function, offset));
            CpuNative.OutDword(DataPort, value);
        }

        public static void Write16(int bus, int device, int function, int offset, ushort value)
        {
            CpuNative.OutDword(AddressPort, Address(bus, device, function, offset));
            CpuNative.OutWord((ushort)(DataPort + (offset & 2)), value);
        }

        public static void Write8(int bus, int device, int function, int offset, byte value)
        {
            CpuNative.OutDword(AddressPort, Address(bus, device, function, offset));
            CpuNative.OutByte((ushort)(DataPort + (offset & 3)), value);
        }
    }
}
