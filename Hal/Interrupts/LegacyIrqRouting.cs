using System;
using Cosmos.Hal.Diagnostics;
using Cosmos.Hal.Pci;

namespace Cosmos.Hal.Interrupts
{
    /// <summary>
    /// PCI INTx through the legacy PIC. The firmware routed each function's INTx pin to an ISA IRQ and
    /// wrote it into the Interrupt Line register (PCI Local Bus spec 3.0 §6.2.4); we listen on that line.
    /// PCI lines are shared and level-triggered (the firmware sets them level in the PIIX ELCR), so a line
    /// may carry several handlers, each of which must check (and clear) its own device's status before the
    /// EOI and say whether the interrupt was its device's.
    ///
    /// A level-triggered line that nobody clears fires again as soon as it is acknowledged: the CPU would
    /// do nothing else for ever. So a line that fires <see cref="UnclaimedLimit"/> times in a row without any
    /// handler claiming it is masked and reported once (Linux does the same in note_interrupt(): "irq N:
    /// nobody cared"). Work on that line then waits for the timer tick that wakes the idle loop.
    /// </summary>
    public static unsafe class LegacyIrqRouting
    {
        public const int HandlersPerLine = 4;
        public const int UnclaimedLimit = 10_000;
        private static Func<bool>[] s_handlers = new Func<bool>[16 * HandlersPerLine];
        private static int[] s_unclaimedInARow = new int[16];
        private static bool s_installed;

        /// <summary>Lines masked because they kept firing with nobody claiming them (bit per IRQ).</summary>
        public static ushort StormMaskedLines { get; private set; }

        /// <summary>Routes the device's INTx to <paramref name="handler"/>; returns the IRQ line, or -1 if it has none.</summary>
        public static int Attach(PciDevice device, Func<bool> handler)
        {
            if (device.InterruptPin == 0 || device.InterruptLine >= 16) return -1;
            return AttachLine(device.InterruptLine, handler) ? device.InterruptLine : -1;
        }

        public static bool AttachLine(int irq, Func<bool> handler)
        {
            if (irq < 0 || irq >= 16 || irq == 2) return false; // IRQ 2 is the cascade
            if (!s_installed)
            {
                for (int line = 1; line < 16; line++)
                    if (line != 2) InterruptTable.SetHandler(InterruptTable.IrqBase + line, &OnIrq);
                s_installed = true;
            }
            for (int slot = 0; slot < HandlersPerLine; slot++)
            {
                ref Func<bool> h = ref s_handlers[irq * HandlersPerLine + slot];
                if (h != null) continue;
                h = handler;
                s_unclaimedInARow[irq] = 0;
                StormMaskedLines &= (ushort)~(1 << irq);
                Pic.Unmask(irq);
                return true;
            }
            return false;
        }

        public static void Detach(int irq, Func<bool> handler)
        {
            if (irq < 0 || irq >= 16) return;
            bool any = false;
            for (int slot = 0; slot < HandlersPerLine; slot++)
            {
                ref Func<bool> h = ref s_handlers[irq * HandlersPerLine + slot];
                if ((object)h == handler) h = null;
                any |= h != null;
            }
            if (!any) Pic.Mask(irq);
        }

        private static void OnIrq(InterruptFrame* frame)
        {
            int irq = (int)frame->Vector - InterruptTable.IrqBase;
            bool claimed = false;
            for (int slot = 0; slot < HandlersPerLine; slot++)
            {
                Func<bool> h = s_handlers[irq * HandlersPerLine + slot];
                if (h != null && h()) claimed = true; // every handler runs: two devices may both be asserting
            }
            if (claimed) { s_unclaimedInARow[irq] = 0; return; }
            if (++s_unclaimedInARow[irq] < UnclaimedLimit) return;
            Pic.Mask(irq);
            StormMaskedLines |= (ushort)(1 << irq);
            Log.BeginNotice("pic");
            Log.Write("irq ");
            Log.Decimal(irq);
            Log.Write(": ");
            Log.Decimal(UnclaimedLimit);
            Log.Write(" interrupts in a row that no handler claimed; line masked (devices on it are served on the timer tick)");
            Log.End();
        }
    }
}
