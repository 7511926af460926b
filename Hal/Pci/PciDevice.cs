using System;
using Cosmos.Hal.Diagnostics;

namespace Cosmos.Hal.Pci
{
    /// <summary>One PCI function: identity, class, BARs with their sizes, capabilities, INTx routing.</summary>
    public sealed class PciDevice : IPciFunction
    {
        // Configuration header offsets (PCI Local Bus spec 3.0 §6.1).
        public const int VendorIdOffset = 0x00, DeviceIdOffset = 0x02, CommandOffset = 0x04, StatusOffset = 0x06;
        public const int RevisionOffset = 0x08, ClassOffset = 0x09, HeaderTypeOffset = 0x0E, Bar0Offset = 0x10;
        public const int SubsystemIdOffset = 0x2E, CapabilitiesPointerOffset = 0x34, InterruptLineOffset = 0x3C, InterruptPinOffset = 0x3D;
        public const ushort CommandIoSpace = 1 << 0, CommandMemorySpace = 1 << 1, CommandBusMaster = 1 << 2, CommandInterruptDisable = 1 << 10;
        private const ushort StatusCapabilitiesList = 1 << 4;

        public const byte CapabilityMsi = PciCapabilityIds.Msi, CapabilityVendor = PciCapabilityIds.Vendor, CapabilityMsix = PciCapabilityIds.Msix;

        public readonly byte Bus, Device, Function;
        public ushort VendorId { get; private set; }
        public ushort DeviceId { get; private set; }
        public ushort SubsystemId;
        public byte ClassCode, Subclass, ProgIf, Revision, HeaderType;
        public byte InterruptLine, InterruptPin;
        private PciBar[] _bars;

        /// <summary>
        /// The BARs, sized on first use rather than during enumeration: sizing turns the device's decoding off and
        /// on again, and QEMU rebuilds its memory map on each change of the command register (about half a
        /// millisecond per function under TCG, 7 ms for a default machine), so only the functions a driver or the
        /// boot log looks at pay for it.
        /// </summary>
        public PciBar[] Bars
        {
            get
            {
                if (_bars == null)
                {
                    _bars = new PciBar[6];
                    if (HeaderType == 0) SizeBars(6);
                    else if (HeaderType == 1) SizeBars(2); // PCI-to-PCI bridge
                }
                return _bars;
            }
        }
        public PciCapability[] Capabilities = new PciCapability[16];
        public int CapabilityCount;

        public PciDevice(int bus, int device, int function)
        {
            Bus = (byte)bus;
            Device = (byte)device;
            Function = (byte)function;
        }

        public uint Read32(int offset) => PciConfigSpace.Read32(Bus, Device, Function, offset);
        public ushort Read16(int offset) => PciConfigSpace.Read16(Bus, Device, Function, offset);
        public byte Read8(int offset) => PciConfigSpace.Read8(Bus, Device, Function, offset);
        public void Write32(int offset, uint value) => PciConfigSpace.Write32(Bus, Device, Function, offset, value);
        public void Write16(int offset, ushort value) => PciConfigSpace.Write16(Bus, Device, Function, offset, value);
        public void Write8(int offset, byte value) => PciConfigSpace.Write8(Bus, Device, Function, offset, value);

        internal void ReadHeader()
        {
            VendorId = Read16(VendorIdOffset);
            DeviceId = Read16(DeviceIdOffset);
            uint classReg = Read32(0x08);
            Revision = (byte)classReg;
            ProgIf = (byte)(classReg >> 8);
            Subclass = (byte)(classReg >> 16);
            ClassCode = (byte)(classReg >> 24);
            HeaderType = (byte)(Read8(HeaderTypeOffset) & 0x7F);
            SubsystemId = HeaderType == 0 ? Read16(SubsystemIdOffset) : (ushort)0;
            InterruptLine = Read8(InterruptLineOffset);
            InterruptPin = Read8(InterruptPinOffset);
            ReadCapabilities();
        }

        /// <summary>
        /// Sizes each BAR the standard way (write all ones, read back the writable bits, restore) with
        /// I/O and memory decoding off, so the device never responds at a bogus address meanwhile.
        /// </summary>
        private void SizeBars(int count)
        {
            ushort command = Read16(CommandOffset);
            Write16(CommandOffset, (ushort)(command & ~(CommandIoSpace | CommandMemorySpace)));
            for (int i = 0; i < count; i++)
            {
                int offset = Bar0Offset + i * 4;
                uint original = Read32(offset);
                Write32(offset, 0xFFFFFFFF);
                uint probe = Read32(offset);
                Write32(offset, original);
                if (probe == 0) continue;
                ref PciBar bar = ref _bars[i];
                if ((original & 1) != 0)
                {
                    bar.Kind = PciBarKind.Io;
                    bar.Address = original & 0xFFFFFFFC;
                    bar.Size = (~(probe & 0xFFFFFFFC) + 1) & 0xFFFF;
                    continue;
                }
                bool is64 = ((original >> 1) & 3) == 2;
                bar.Prefetchable = (original & 8) != 0;
                ulong address = original & 0xFFFFFFF0;
                ulong mask = probe & 0xFFFFFFF0;
                if (is64 && i + 1 < count)
                {
                    uint originalHigh = Read32(offset + 4);
                    Write32(offset + 4, 0xFFFFFFFF);
                    uint probeHigh = Read32(offset + 4);
                    Write32(offset + 4, originalHigh);
                    address |= (ulong)originalHigh << 32;
                    mask |= (ulong)probeHigh << 32;
                    bar.Kind = PciBarKind.Memory64;
                    bar.Address = address;
                    bar.Size = ~mask + 1;
                    i++; // the next register is this BAR's upper half
                }
                else
                {
                    bar.Kind = PciBarKind.Memory32;
                    bar.Address = address;
                    bar.Size = (uint)(~(uint)mask + 1);
                }
            }
            Write16(CommandOffset, command);
        }

        private void ReadCapabilities()
        {
            if ((Read16(StatusOffset) & StatusCapabilitiesList) == 0) return;
            int offset = Read8(CapabilitiesPointerOffset) & 0xFC;
            // Bounded: at most 48 entries fit in 256 bytes; a loop in a broken list stops here.
            for (int guard = 0; offset >= 0x40 && guard < 48 && CapabilityCount < Capabilities.Length; guard++)
            {
                Capabilities[CapabilityCount++] = new PciCapability { Id = Read8(offset), Offset = (byte)offset };
                offset = Read8(offset + 1) & 0xFC;
            }
        }

        public int FindCapability(byte id, int startIndex = 0)
        {
            for (int i = startIndex; i < CapabilityCount; i++) if (Capabilities[i].Id == id) return i;
            return -1;
        }

        public PciBar GetBar(int index) => Bars[index];
        public int CapabilityCountValue => CapabilityCount;
        public PciCapability GetCapability(int index) => Capabilities[index];

        /// <summary>Registers inside a BAR: ports for an I/O BAR, MMIO for a memory BAR (below 4 GiB).</summary>
        public Io.IDeviceRegisters MapBar(int index, ulong offset, ulong length)
        {
            PciBar bar = Bars[index];
            if (bar.Kind == PciBarKind.None || offset + length > bar.Size) return null;
            if (bar.Kind == PciBarKind.Io) return new Io.PortRegisters((ushort)(bar.Address + offset), (int)length);
            if (bar.Address + offset + length > Memory.PhysicalMemory.IdentityMappedLimit) return null;
            return new Io.MmioRegisters(bar.Address + offset, length);
        }

        public void EnableBusMastering()
        {
            Write16(CommandOffset, (ushort)(Read16(CommandOffset) | CommandBusMaster | CommandMemorySpace | CommandIoSpace));
        }

        public string ClassName => (ClassCode << 8 | Subclass) switch
        {
            0x0101 => "IDE controller",
            0x0200 => "Ethernet controller",
            0x0600 => "host bridge",
            0x0601 => "ISA bridge",
            0x0604 => "PCI bridge",
            0x0680 => "bridge",
            _ => ClassCode switch
            {
                0x01 => "storage controller",
                0x02 => "network controller",
                0x03 => "display controller",
                0x06 => "bridge",
                0xFF => "unassigned class",
                _ => "device",
            },
        };

        /// <summary>Logs "pci: 00:03.0 1af4:1000 class 02.00.00 Ethernet controller irq 11 (INTA) BAR0 io 0xc000/32 ...".</summary>
        public void LogSummary()
        {
            if (Log.Quiet) return; // the line would size every BAR only to be dropped
            Log.Begin("pci");
            Log.Hex(Bus, 2); Log.Write(':'); Log.Hex(Device, 2); Log.Write('.'); Log.Hex(Function);
            Log.Write(' ');
            Log.Hex(VendorId, 4); Log.Write(':'); Log.Hex(DeviceId, 4);
            Log.Write(" class ");
            Log.Hex(ClassCode, 2); Log.Write('.'); Log.Hex(Subclass, 2); Log.Write('.'); Log.Hex(ProgIf, 2);
            Log.Write(' ');
            Log.Write(ClassName);
            if (InterruptPin != 0)
            {
                Log.Write(" irq ");
                Log.Decimal(InterruptLine);
                Log.Write(" (INT");
                Log.Write((char)('A' + InterruptPin - 1));
                Log.Write(')');
            }
            for (int i = 0; i < 6; i++)
            {
                if (Bars[i].Kind == PciBarKind.None) continue;
                Log.Write(" BAR");
                Log.Decimal(i);
                Log.Write(Bars[i].Kind == PciBarKind.Io ? " io 0x" : Bars[i].Kind == PciBarKind.Memory64 ? " mem64 0x" : " mem32 0x");
                Log.Hex(Bars[i].Address);
                Log.Write('/');
                WriteSize(Bars[i].Size);
            }
            if (CapabilityCount > 0)
            {
                Log.Write(" caps");
                for (int i = 0; i < CapabilityCount; i++) { Log.Write(' '); Log.Hex(Capabilities[i].Id, 2); }
            }
            Log.End();
        }

        private static void WriteSize(ulong size)
        {
            if (size >= 1 << 20 && size % (1 << 20) == 0) { Log.Decimal((long)(size >> 20)); Log.Write("M"); }
            else if (size >= 1 << 10 && size % (1 << 10) == 0) { Log.Decimal((long)(size >> 10)); Log.Write("K"); }
            else Log.Decimal((long)size);
        }
    }
}
