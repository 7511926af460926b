using System.Runtime.CompilerServices;

namespace System.Runtime
{
    /// <summary>
    /// The few machine instructions the runtime itself needs, as tiny assembly routines in
    /// Kernel/Boot/cpu.asm. RuntimeImport makes each a plain direct call (no transition frame).
    /// </summary>
    internal static unsafe class Native
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_outb")]
        internal static extern void OutByte(ushort port, byte value);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_inb")]
        internal static extern byte InByte(ushort port);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_outd")]
        internal static extern void OutDword(ushort port, uint value);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_halt_forever")]
        internal static extern void HaltForever();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_read_rsp")]
        internal static extern nuint ReadStackPointer();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_mfence")]
        internal static extern void MemoryBarrier();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "memset")]
        internal static extern void* MemSet(void* destination, int value, nuint count);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "memmove")]
        internal static extern void* MemMove(void* destination, void* source, nuint count);
    }
}
