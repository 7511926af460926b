using System;
using System.Runtime;
using System.Runtime.InteropServices;
using Cosmos.Hal.Cpu;

namespace Cosmos.Hal.Interrupts
{
    /// <summary>
    /// The IDT and the managed side of every interrupt. Vectors 0-31 are CPU exceptions: each ends in
    /// <see cref="CpuExceptionReport"/> (a panic). Vectors 32-47 are the legacy PIC's IRQs 0-15; later
    /// vectors are free for MSI/MSI-X. Handlers are plain function pointers so dispatch allocates nothing.
    /// </summary>
    public static unsafe class InterruptTable
    {
        public const int IrqBase = 32;
        public const int VectorCount = 256;

        private struct HandlerTable
        {
            public fixed ulong Handlers[VectorCount];
            public fixed ulong Counts[VectorCount];
        }

        private static HandlerTable s_table;

        public static void Install()
        {
            CpuNative.InstallTss();
            CpuNative.InstallIdt();
        }

        /// <summary>Registers the handler for a vector (replacing any earlier one).</summary>
        public static void SetHandler(int vector, delegate*<InterruptFrame*, void> handler)
        {
            s_table.Handlers[vector] = (ulong)handler;
        }

        public static ulong CountFor(int vector) => s_table.Counts[vector];

        [UnmanagedCallersOnly(EntryPoint = "InterruptDispatch")]
        private static void Dispatch(InterruptFrame* frame)
        {
            int vector = (int)frame->Vector;
            s_table.Counts[vector & 0xFF]++;
            if (vector < IrqBase)
            {
                // A null dereference or a divide by zero in managed code resumes as a .NET exception there.
                if (FaultToException.TryRedirect(frame)) return;
                CpuExceptionReport.Report(frame);
                return; // not reached: the report ends the machine
            }
            var handler = (delegate*<InterruptFrame*, void>)s_table.Handlers[vector];
            s_handlerDepth++;
            if (vector < IrqBase + 16)
            {
                // Legacy PIC: a spurious IRQ 7/15 must not be acknowledged (8259A datasheet, "Spurious interrupts").
                if (!Pic.IsSpurious(vector - IrqBase))
                {
                    if (handler != null) handler(frame);
                    Pic.EndOfInterrupt(vector - IrqBase);
                }
            }
            else
            {
                if (handler != null) handler(frame);
                LocalApicEoi?.Invoke();
            }
            s_handlerDepth--;
        }

        private static int s_handlerDepth;

        /// <summary>Interrupt handlers running (nested ones count twice); a CPU fault while one runs is a panic.</summary>
        public static int HandlerDepth => s_handlerDepth;

        /// <summary>For vectors delivered by a local APIC (MSI/MSI-X): the EOI write, set when the APIC is in use.</summary>
        public static Action LocalApicEoi;
    }
}
