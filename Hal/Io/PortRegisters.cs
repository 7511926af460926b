using Cosmos.Hal.Cpu;

namespace Cosmos.Hal.Io
{
    /// <summary>Registers in x86 I/O-port space (e.g. a PCI I/O BAR).</summary>
    public sealed class PortRegisters : IDeviceRegisters
    {
        private readonly ushort _base;
        private readonly int _length;
        public long OutOfRangeAccesses;

        public PortRegisters(ushort basePort, int length)
        {
            _base = basePort;
            _length = length;
        }

        public ulong Length => (ulong)_length;

        private bool Check(int offset, int width)
        {
            if (offset >= 0 && offset + width <= _length) return true;
            OutOfRangeAccesses++;
            return false;
        }

        public byte Read8(int offset) => Check(offset, 1) ? CpuNative.InByte((ushort)(_base + offset)) : (byte)0xFF;
        public ushort Read16(int offset) => Check(offset, 2) ? CpuNative.InWord((ushort)(_base + offset)) : (ushort)0xFFFF;
        public uint Read32(int offset) => Check(offset, 4) ? CpuNative.InDword((ushort)(_base + offset)) : 0xFFFFFFFF;
        public void Write8(int offset, byte value) { if (Check(offset, 1)) CpuNative.OutByte((ushort)(_base + offset), value); }
        public void Write16(int offset, ushort value) { if (Check(offset, 2)) CpuNative.OutWord((ushort)(_base + offset), value); }
        public void Write32(int offset, uint value) { if (Check(offset, 4)) CpuNative.OutDword((ushort)(_base + offset), value); }
    }
}
