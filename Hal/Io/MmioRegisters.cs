using Cosmos.Hal.Cpu;

namespace Cosmos.Hal.Io
{
    /// <summary>
    /// Memory-mapped registers. Each access is one call into cpu.asm, so the compiler can neither cache
    /// nor merge device accesses. The BAR must lie in the identity-mapped first 4 GiB.
    /// </summary>
    public sealed class MmioRegisters : IDeviceRegisters
    {
        private readonly nuint _base;
        private readonly ulong _length;
        public long OutOfRangeAccesses;

        public MmioRegisters(ulong physicalBase, ulong length)
        {
            _base = (nuint)physicalBase;
            _length = length;
        }

        public ulong Length => _length;

        private bool Check(int offset, int width)
        {
            if (offset >= 0 && (ulong)offset + (ulong)width <= _length) return true;
            OutOfRangeAccesses++;
            return false;
        }

        public byte Read8(int offset) => Check(offset, 1) ? CpuNative.MmioRead8(_base + (nuint)offset) : (byte)0xFF;
        public ushort Read16(int offset) => Check(offset, 2) ? CpuNative.MmioRead16(_base + (nuint)offset) : (ushort)0xFFFF;
        public uint Read32(int offset) => Check(offset, 4) ? CpuNative.MmioRead32(_base + (nuint)offset) : 0xFFFFFFFF;
        public void Write8(int offset, byte value) { if (Check(offset, 1)) CpuNative.MmioWrite8(_base + (nuint)offset, value); }
        public void Write16(int offset, ushort value) { if (Check(offset, 2)) CpuNative.MmioWrite16(_base + (nuint)offset, value); }
        public void Write32(int offset, uint value) { if (Check(offset, 4)) CpuNative.MmioWrite32(_base + (nuint)offset, value); }
    }
}
