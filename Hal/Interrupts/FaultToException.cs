using Internal.Runtime.ExceptionHandling;
using Cosmos.Hal.Cpu;

namespace Cosmos.Hal.Interrupts
{
    /// <summary>
    /// Turns a CPU fault in managed code into the .NET exception it means, as NativeAOT's runtime does with
    /// the signals of the same faults: a read or write through a null reference (a page fault below 4 KiB:
    /// page 0 is unmapped and ilc checks accesses at larger offsets itself) becomes a NullReferenceException,
    /// a divide error a DivideByZeroException, or an OverflowException when the divisor was not zero
    /// (int.MinValue / -1, <see cref="DivideErrorDecoder"/>). The handler edits the interrupt frame so that iretq resumes on
    /// the faulting code's own stack in Kernel/Boot/eh.asm's RhpThrowHwEx, which dispatches it like a throw
    /// at the faulting instruction.
    /// Everything else stays a panic (<see cref="CpuExceptionReport"/>): faults outside managed code, faults
    /// inside an interrupt handler, other page faults (a wild pointer, a stack overflow on a guard page: .NET
    /// does not let code catch those either), double faults and the rest.
    /// </summary>
    public static unsafe class FaultToException
    {
        private const int DivideError = 0;
        private const int PageFault = 14;
        private const ulong NullPageEnd = 0x1000;

        private static bool DivisorWasNotZero(InterruptFrame* f)
        {
            ulong* registers = stackalloc ulong[16];
            registers[0] = f->Rax; registers[1] = f->Rcx; registers[2] = f->Rdx; registers[3] = f->Rbx;
            registers[4] = f->Rsp; registers[5] = f->Rbp; registers[6] = f->Rsi; registers[7] = f->Rdi;
            registers[8] = f->R8; registers[9] = f->R9; registers[10] = f->R10; registers[11] = f->R11;
            registers[12] = f->R12; registers[13] = f->R13; registers[14] = f->R14; registers[15] = f->R15;
            return DivideErrorDecoder.Classify((byte*)f->Rip, registers, f->Rip) == DivideErrorDecoder.Cause.Overflow;
        }

        /// <summary>True when the frame now resumes into the exception dispatcher.</summary>
        public static bool TryRedirect(InterruptFrame* frame)
        {
            if (InterruptTable.HandlerDepth != 0) return false;
            int code;
            switch ((int)frame->Vector)
            {
                case DivideError:
                    // Only managed code is decoded (checked below before anything is changed).
                    code = CodeLookup.IsManagedCode(frame->Rip) && DivisorWasNotZero(frame)
                        ? (int)ExceptionDispatch.HardwareFault.Overflow
                        : (int)ExceptionDispatch.HardwareFault.DivideByZero;
                    break;
                case PageFault:
                    if (CpuNative.ReadCr2() >= NullPageEnd) return false;
                    code = (int)ExceptionDispatch.HardwareFault.NullReference;
                    break;
                default: return false;
            }
            ulong rip = frame->Rip, rsp = frame->Rsp;
            if (CodeLookup.IsInLeafHelper(rip))
            {
                // A write barrier or memory helper: rsp is untouched there, so its managed caller is at [rsp].
                rip = *(ulong*)rsp;
                rsp += 8;
                code |= (int)ExceptionDispatch.HardwareFault.AtReturnAddress;
                if (!CodeLookup.IsManagedCode(rip - 1)) return false;
            }
            else if (!CodeLookup.IsManagedCode(rip)) return false;
            frame->Rdi = (ulong)code;
            frame->Rsi = rip;
            frame->Rsp = rsp;
            frame->Rip = CodeLookup.Known.ThrowHardwareFault;
            return true;
        }
    }
}
