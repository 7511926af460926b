using Cosmos.Hal.Cpu;

namespace Cosmos.Hal.Interrupts
{
    /// <summary>
    /// The legacy 8259A pair: remapped to vectors 32-47, all lines masked until a driver asks.
    /// PCI INTx reaches it through the interrupt line the firmware wrote into config space.
    /// </summary>
    public static class Pic
    {
        private const ushort MasterCommand = 0x20, MasterData = 0x21, SlaveCommand = 0xA0, SlaveData = 0xA1;
        private const byte EndOfInterruptCommand = 0x20;
        private const byte ReadIsr = 0x0B;
        private static ushort s_mask = 0xFFFF;
        public static ulong SpuriousCount;

        public static void Initialize()
        {
            // ICW1: edge triggered, cascade, ICW4 needed. ICW2: vector offsets. ICW3: slave on IRQ2. ICW4: 8086 mode.
            CpuNative.OutByte(MasterCommand, 0x11);
            CpuNative.OutByte(SlaveCommand, 0x11);
            CpuNative.OutByte(MasterData, InterruptTable.IrqBase);
            CpuNative.OutByte(SlaveData, InterruptTable.IrqBase + 8);
            CpuNative.OutByte(MasterData, 0x04);
            CpuNative.OutByte(SlaveData, 0x02);
            CpuNative.OutByte(MasterData, 0x01);
            CpuNative.OutByte(SlaveData, 0x01);
            s_mask = 0xFFFF & ~(1 << 2); // cascade line open, everything else masked
            WriteMask();
        }

        public static void Unmask(int irq) { s_mask &= (ushort)~(1 << irq); WriteMask(); }
        public static void Mask(int irq) { s_mask |= (ushort)(1 << irq); WriteMask(); }

        private static void WriteMask()
        {
            CpuNative.OutByte(MasterData, (byte)s_mask);
            CpuNative.OutByte(SlaveData, (byte)(s_mask >> 8));
        }

        public static void EndOfInterrupt(int irq)
        {
            if (irq >= 8) CpuNative.OutByte(SlaveCommand, EndOfInterruptCommand);
            CpuNative.OutByte(MasterCommand, EndOfInterruptCommand);
        }

        /// <summary>IRQ 7 or 15 with its in-service bit clear is spurious; the slave's still needs the master's EOI.</summary>
        public static bool IsSpurious(int irq)
        {
            if (irq != 7 && irq != 15) return false;
            ushort command = irq == 7 ? MasterCommand : SlaveCommand;
            CpuNative.OutByte(command, ReadIsr);
            if ((CpuNative.InByte(command) & 0x80) != 0) return false;
            SpuriousCount++;
            if (irq == 15) CpuNative.OutByte(MasterCommand, EndOfInterruptCommand);
            return true;
        }
    }
}
