namespace Cosmos.Hal.Pci
{
    /// <summary>Enumerates every function on all 256 buses (brute force, so bridges need no special care).</summary>
    public static class PciBus
    {
        public const int MaxDevices = 64;
        private static PciDevice[] s_devices = new PciDevice[MaxDevices];
        private static int s_count;

        public static int Count => s_count;
        public static PciDevice Get(int index) => s_devices[index];

        public static void Enumerate()
        {
            s_count = 0;
            // No host bridge at 00:00.0 means no PCI at all (a Xen PVH guest): skip 8,192 probes that would each trap.
            if (PciConfigSpace.Read16(0, 0, 0, PciDevice.VendorIdOffset) == 0xFFFF) return;
            for (int bus = 0; bus < 256; bus++)
            {
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
