using Cosmos.Hal.Io;

namespace Cosmos.Drivers.Xen.Platform
{
    /// <summary>
    /// The Xen platform PCI device's (5853:0001) unplug protocol (docs/misc/hvm-emulated-unplug.pandoc), on
    /// the fixed I/O ports 0x10-0x13: check the magic, say who we are when the protocol version asks for it,
    /// then ask the device model to remove its emulated NICs so the guest uses only the PV one.
    /// </summary>
    public static class EmulatedDeviceUnplug
    {
        public const ushort BasePort = 0x10;
        public const int PortCount = 4;
        public const ushort Magic = 0x49D2;
        public const ushort BlacklistedMagic = 0xD249;
        /// <summary>A product number of our own; the pandoc lists the numbers in use (1 = Citrix PV drivers, Linux 3).</summary>
        public const ushort ProductNumber = 0xC05;
        public const uint BuildNumber = 1;

        public const ushort UnplugIdeDisks = 1 << 0;
        public const ushort UnplugNics = 1 << 1;

        public enum Outcome { Unplugged, NoProtocol, Blacklisted }

        public static Outcome UnplugNetworkCards(IDeviceRegisters ports, out int protocolVersion)
        {
            protocolVersion = -1;
            // Step 1: magic at 0x10 (two bytes); anything else: no unplug protocol, do nothing.
            if (ports.Read16(0) != Magic) return Outcome.NoProtocol;
            // Step 2: protocol version at 0x12 (one byte); 0 skips the identification.
            protocolVersion = ports.Read8(2);
            if (protocolVersion != 0)
            {
                ports.Write16(2, ProductNumber); // step 3
                ports.Write32(0, BuildNumber);   // step 4
                if (ports.Read16(0) != Magic) return Outcome.Blacklisted; // step 5: 0xd249 means "do not load"
            }
            ports.Write16(0, UnplugNics); // step 6: bit 1, all emulated NICs
            return Outcome.Unplugged;
        }
    }
}
