using System;
using Cosmos.Hal.Cpu;
using Cosmos.Hal.Diagnostics;

namespace Cosmos.Kernel.SelfTests
{
    /// <summary>
    /// Deliberate failures (<c>test.fault=...</c>), so the runner can prove every kind of fault ends in a
    /// readable panic and a failure exit code instead of a hang or a silent reboot.
    /// </summary>
    internal static unsafe class FaultInjection
    {
        public static void Trigger(ReadOnlySpan<char> kind)
        {
            Log.Begin("test");
            Log.Write("triggering fault: ");
            Log.Write(kind);
            Log.End();
            if (kind.SequenceEqual("divide")) DivideByZero(0);
            else if (kind.SequenceEqual("divide-asm")) CpuNative.FaultDivide();
            else if (kind.SequenceEqual("ud")) CpuNative.FaultInvalidOpcode();
            else if (kind.SequenceEqual("gp")) CpuNative.FaultGeneralProtection();
            else if (kind.SequenceEqual("pf")) TouchUnmapped();
            else if (kind.SequenceEqual("df")) CpuNative.FaultDouble();
            else if (kind.SequenceEqual("throw")) ThrowManaged();
            else if (kind.SequenceEqual("nullref")) NullDereference(null);
            else if (kind.SequenceEqual("irq-nullref")) FaultInInterruptHandler();
            else if (kind.SequenceEqual("stack-overflow")) Recurse(0);
            else if (kind.SequenceEqual("throw-inner")) ThrowWithInnerExceptions();
            else Log.Line("test", "unknown fault kind; continuing");
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static int DivideByZero(int zero) => 1000 / zero;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void TouchUnmapped()
        {
            // Above the 4 GiB identity map: not present.
            CpuNative.MmioWrite64(unchecked((nuint)0x0000_0010_0000_0000UL), 1);
        }

        private sealed class Holder { public int Value; }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static int NullDereference(Holder h) => h.Value;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void ThrowManaged() => throw new InvalidOperationException("deliberate test exception");

        private static Holder s_none;

        /// <summary>A handler on legacy IRQ 5's vector that reads through a null reference, raised in software.</summary>
        private static void FaultInInterruptHandler()
        {
            Cosmos.Hal.Interrupts.InterruptTable.SetHandler(Cosmos.Hal.Interrupts.InterruptTable.IrqBase + 5, &NullInInterruptHandler);
            CpuNative.RaiseSoftwareIrq(5);
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void NullInInterruptHandler(Cosmos.Hal.Interrupts.InterruptFrame* frame) => s_none.Value = (int)frame->Vector;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static int Recurse(int depth)
        {
            Span<byte> pad = stackalloc byte[256];
            pad[depth & 255] = (byte)depth;
            return Recurse(depth + 1) + pad[depth & 255]; // not a tail call: every frame stays
        }

        private static void ThrowWithInnerExceptions()
        {
            try
            {
                try { ThrowInnermost(); }
                catch (FormatException e) { throw new ArgumentException("middle", "p", e); }
            }
            catch (ArgumentException e) { throw new InvalidOperationException("outer", e); }
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void ThrowInnermost() => throw new FormatException("innermost");
    }
}
