namespace Cosmos.Hal.Pci
{
    /// <summary>
    /// Enumerates the PCI functions reachable from the host bridges: bus 0 (or bus N for each function N of a
    /// multi-function host bridge at 00:00), and the secondary bus of every PCI-to-PCI bridge found on the way
    /// (PCI-to-PCI Bridge Architecture Specification 1.2, §3.2.5.3). Under TCG a config access is cheap, but in
    /// a nested Xen guest every one traps, and the 8,192 probes of a brute-force scan of 256 buses took 7 s.
    /// </summary>
    public static class PciBus
    {
        public const int MaxDevices = 64;
        private const int SecondaryBusOffset = 0x19;
        private const byte BridgeClass = 0x06, PciToPciSubclass = 0x04;
        private static PciDevice[] s_devices = new PciDevice[MaxDevices];
        private static int s_count;
        private static bool[] s_busScanned = new bool[256];

        public static int Count => s_count;
        public static int BusesScanned { get; private set; }
        public static PciDevice Get(int index) => s_devices[index];

        public static void Enumerate()
        {
            s_count = 0;
            BusesScanned = 0;
            for (int i = 0; i < 256; i++) s_busScanned[i] = false;
            // No host bridge at 00:00.0 means no PCI at all (a Xen PVH guest).
            if (PciConfigSpace.Read16(0, 0, 0, PciDevice.VendorIdOffset) == 0xFFFF) return;
            bool multipleHostBridges = (PciConfigSpace.Read8(0, 0, 0, PciDevice.HeaderTypeOffset) & 0x80) != 0;
            if (!multipleHostBridges) { ScanBus(0); return; }
            for (int function = 0; function < 8; function++)
                if (PciConfigSpace.Read16(0, 0, function, PciDevice.VendorIdOffset) != 0xFFFF) ScanBus(function);
        }

        private static void ScanBus(int bus)
        {
            if (s_busScanned[bus]) return; // a misconfigured bridge loop must not recurse forever
            s_busScanned[bus] = true;
            BusesScanned++;
            for (int device = 0; device < 32; device++)
            {
                if (PciConfigSpace.Read16(bus, device, 0, PciDevice.VendorIdOffset) == 0xFFFF) continue;
                bool multiFunction = (PciConfigSpace.Read8(bus, device, 0, PciDevice.HeaderTypeOffset) & 0x80) != 0;
                for (int function = 0; function < (multiFunction ? 8 : 1); function++)
                {
                    if (PciConfigSpace.Read16(bus, device, function, PciDevice.VendorIdOffset) == 0xFFFF) continue;
                    if (s_count == MaxDevices) return;
                    var d = new PciDevice(bus, device, function);
                    d.ReadHeader();
                    s_devices[s_count++] = d;
                    if (d.ClassCode == BridgeClass && d.Subclass == PciToPciSubclass && d.HeaderType == 1)
                    {
                        int secondary = PciConfigSpace.Read8(bus, device, function, SecondaryBusOffset);
                        if (secondary != 0) ScanBus(secondary);
                    }
                }
            }
        }

        public static PciDevice Find(ushort vendor, ushort deviceId)
        {
            for (int i = 0; i < s_count; i++)
                if (s_devices[i].VendorId == vendor && s_devices[i].DeviceId == deviceId) return s_devices[i];
            return null;
        }
    }
}
