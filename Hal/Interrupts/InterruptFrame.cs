namespace Cosmos.Hal.Interrupts
{
    /// <summary>
    /// What Kernel/Boot/cpu.asm's isr_common pushes, lowest address first: the general registers, the
    /// vector and error code, then the CPU's own frame (SDM Vol. 3A §6.14.1, 64-bit interrupt stack frame).
    /// </summary>
    public struct InterruptFrame
    {
        public ulong R15, R14, R13, R12, R11, R10, R9, R8, Rbp, Rdi, Rsi, Rdx, Rcx, Rbx, Rax;
        public ulong Vector, ErrorCode;
        public ulong Rip, Cs, Rflags, Rsp, Ss;
    }
}
