namespace Cosmos.Hal.Io
{
    /// <summary>
    /// A window of device registers: an I/O-port range or a piece of a memory BAR. Drivers read and write
    /// device registers only through this, so host tests can put a device model behind it. Offsets are
    /// relative to the window; implementations reject (and count) accesses outside it.
    /// </summary>
    public interface IDeviceRegisters
    {
        ulong Length { get; }
        byte Read8(int offset);
        ushort Read16(int offset);
        uint Read32(int offset);
        void Write8(int offset, byte value);
        void Write16(int offset, ushort value);
        void Write32(int offset, uint value);
    }
}
