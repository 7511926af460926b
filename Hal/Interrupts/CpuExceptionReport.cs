using System.Runtime;
using Cosmos.Hal.Cpu;

namespace Cosmos.Hal.Interrupts
{
    /// <summary>
    /// Turns a CPU exception into a readable panic: name, vector, error code, RIP with the managed
    /// method's name from the symbol map, RSP, CR2 for page faults, then ends the run with a failure code.
    /// </summary>
    public static unsafe class CpuExceptionReport
    {
        // SDM Vol. 3A §6.3.1, Table 6-1.
        public static string NameOf(int vector) => vector switch
        {
            0 => "divide error (#DE)",
            1 => "debug (#DB)",
            2 => "non-maskable interrupt (NMI)",
            3 => "breakpoint (#BP)",
            4 => "overflow (#OF)",
            5 => "bound range exceeded (#BR)",
            6 => "invalid opcode (#UD)",
            7 => "device not available (#NM)",
            8 => "double fault (#DF)",
            10 => "invalid TSS (#TS)",
            11 => "segment not present (#NP)",
            12 => "stack-segment fault (#SS)",
            13 => "general protection fault (#GP)",
            14 => "page fault (#PF)",
            16 => "x87 floating-point error (#MF)",
            17 => "alignment check (#AC)",
            18 => "machine check (#MC)",
            19 => "SIMD floating-point exception (#XM)",
            20 => "virtualization exception (#VE)",
            21 => "control protection exception (#CP)",
            _ => "reserved CPU exception",
        };

        public static void Report(InterruptFrame* f)
        {
            int vector = (int)f->Vector;
            Panic.Begin();
            Panic.Write("CPU exception ");
            Panic.Write(NameOf(vector));
            Panic.Write("\n  vector ");
            Panic.WriteDecimal(vector);
            Panic.Write("  error code ");
            Panic.WriteHex(f->ErrorCode, 4);
            if (vector == 14)
            {
                Panic.Write("  CR2 ");
                Panic.WriteHex(CpuNative.ReadCr2());
                Panic.Write((f->ErrorCode & 1) != 0 ? " (protection" : " (not present");
                Panic.Write((f->ErrorCode & 2) != 0 ? ", write)" : ", read)");
                ulong cr2 = CpuNative.ReadCr2();
                if (cr2 < 4096) Panic.Write(InterruptTable.HandlerDepth != 0
                    ? "\n  null reference inside an interrupt handler (not turned into an exception there)"
                    : "\n  null reference: a field or element accessed through a null object");
                int guard = StackGuards.Find(cr2);
                if (guard >= 0)
                {
                    Panic.Write("\n  stack overflow: the ");
                    Panic.Write(StackGuards.NameOf(guard));
                    Panic.Write(" ran into its guard page");
                }
            }
            if (vector != 14 && InterruptTable.HandlerDepth != 0) Panic.Write("\n  inside an interrupt handler");
            Panic.Write("\n  RIP ");
            Panic.WriteHex(f->Rip);
            Panic.Write(" ");
            if (!Panic.WriteSymbol((nuint)f->Rip)) Panic.Write("(no symbol)");
            Panic.Write("\n  RSP ");
            Panic.WriteHex(f->Rsp);
            Panic.Write("  RFLAGS ");
            Panic.WriteHex(f->Rflags, 8);
            Panic.Write("  CS ");
            Panic.WriteHex(f->Cs, 4);
            Panic.Write("\n  RAX ");
            Panic.WriteHex(f->Rax);
            Panic.Write("  RBX ");
            Panic.WriteHex(f->Rbx);
            Panic.Write("  RCX ");
            Panic.WriteHex(f->Rcx);
            Panic.Write("  RDX ");
            Panic.WriteHex(f->Rdx);
            Panic.Write("\n  RSI ");
            Panic.WriteHex(f->Rsi);
            Panic.Write("  RDI ");
            Panic.WriteHex(f->Rdi);
            Panic.Write("  RBP ");
            Panic.WriteHex(f->Rbp);
            WriteBacktrace(f->Rbp);
            Panic.End();
        }

        /// <summary>Frame-pointer walk (ilc keeps RBP frames); bounded and stops at anything implausible.</summary>
        private static void WriteBacktrace(ulong rbp)
        {
            Panic.Write("\n  backtrace:");
            ulong imageStart = CpuNative.KernelImageStart(), imageEnd = CpuNative.KernelImageEnd();
            for (int depth = 0; depth < 12; depth++)
            {
                if (rbp < 0x1000 || (rbp & 7) != 0 || rbp >= 0x100000000UL) break;
                ulong ret = *(ulong*)(rbp + 8);
                if (ret < imageStart || ret >= imageEnd) break;
                Panic.Write("\n    ");
                Panic.WriteHex(ret);
                Panic.Write(" ");
                Panic.WriteSymbol((nuint)ret);
                ulong next = *(ulong*)rbp;
                if (next <= rbp) break;
                rbp = next;
            }
        }
    }
}
