using Cosmos.Hal.Io;

namespace Cosmos.Hal.Pci
{
    /// <summary>
    /// A function's MSI-X capability and vector table (PCI Local Bus spec 3.0 §6.8.2): each entry is a message
    /// address, message data and a mask bit; the table lives in a BAR given by the capability.
    /// </summary>
    public sealed class MsixTable
    {
        private const int MessageControl = 2, TableOffsetAndBir = 4;
        private const ushort EnableBit = 1 << 15, FunctionMask = 1 << 14;
        private const int EntrySize = 16;

        private readonly IPciFunction _pci;
        private readonly int _capability;
        private readonly IDeviceRegisters _table;
        public int Size { get; }

        private MsixTable(IPciFunction pci, int capability, IDeviceRegisters table, int size)
        {
            _pci = pci;
            _capability = capability;
            _table = table;
            Size = size;
        }

        public static MsixTable TryCreate(IPciFunction pci)
        {
            for (int i = 0; i < pci.CapabilityCountValue; i++)
            {
                PciCapability cap = pci.GetCapability(i);
                if (cap.Id != PciCapabilityIds.Msix) continue;
                int size = (pci.Read16(cap.Offset + MessageControl) & 0x7FF) + 1;
                uint tableRegister = pci.Read32(cap.Offset + TableOffsetAndBir);
                int bar = (int)(tableRegister & 7);
                if (bar > 5) return null;
                IDeviceRegisters table = pci.MapBar(bar, tableRegister & ~7u, (ulong)(size * EntrySize));
                return table == null ? null : new MsixTable(pci, cap.Offset, table, size);
            }
            return null;
        }

        /// <summary>Programs entry <paramref name="index"/> with a message and unmasks it.</summary>
        public void SetEntry(int index, ulong address, uint data)
        {
            int at = index * EntrySize;
            _table.Write32(at + 12, 1);                 // mask while changing (§6.8.2.9)
            _table.Write32(at + 0, (uint)address);
            _table.Write32(at + 4, (uint)(address >> 32));
            _table.Write32(at + 8, data);
            _table.Write32(at + 12, 0);                 // unmask
        }

        public void Enable()
        {
            ushort control = _pci.Read16(_capability + MessageControl);
            _pci.Write16(_capability + MessageControl, (ushort)((control | EnableBit) & ~FunctionMask));
        }

        public void Disable()
        {
            ushort control = _pci.Read16(_capability + MessageControl);
            _pci.Write16(_capability + MessageControl, (ushort)(control & ~EnableBit));
        }
    }
}
