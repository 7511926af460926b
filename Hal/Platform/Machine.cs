using Cosmos.Hal.Cpu;

namespace Cosmos.Hal.Platform
{
    /// <summary>
    /// Ending a run. Under QEMU with <c>-device isa-debug-exit,iobase=0xf4,iosize=0x04</c> a write of v to
    /// port 0xf4 makes QEMU exit with status (v &lt;&lt; 1) | 1, so the runner learns how the kernel ended.
    /// Without that device the write is ignored and the CPU halts.
    /// </summary>
    public static class Machine
    {
        public const ushort DebugExitPort = 0xF4;
        public const byte SuccessCode = 0x10;  // QEMU exits with 33
        public const byte FailureCode = 0x11;  // QEMU exits with 35

        public static void Exit(int code)
        {
            CpuNative.OutDword(DebugExitPort, (uint)code);
            CpuNative.HaltForever();
        }
    }
}
