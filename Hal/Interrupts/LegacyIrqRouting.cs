using System;
using Cosmos.Hal.Pci;

namespace Cosmos.Hal.Interrupts
{
    /// <summary>
    /// PCI INTx through the legacy PIC. The firmware routed each function's INTx pin to an ISA IRQ and
    /// wrote it into the Interrupt Line register (PCI Local Bus spec 3.0 §6.2.4); we listen on that line.
    /// PCI lines are shared and level-triggered, so a line may carry several handlers, each of which
    /// must check (and clear) its own device's status before the EOI.
    /// </summary>
    public static unsafe class LegacyIrqRouting
    {
        public const int HandlersPerLine = 4;
        private static Action[] s_handlers = new Action[16 * HandlersPerLine];
        private static bool s_installed;

        /// <summary>Routes the device's INTx to <paramref name="handler"/>; returns the IRQ line, or -1 if it has none.</summary>
        public static int Attach(PciDevice device, Action handler)
        {
            if (device.InterruptPin == 0 || device.InterruptLine >= 16) return -1;
            return AttachLine(device.InterruptLine, handler) ? device.InterruptLine : -1;
        }

        public static bool AttachLine(int irq, Action handler)
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
                ref Action h = ref s_handlers[irq * HandlersPerLine + slot];
                if (h != null) continue;
                h = handler;
                Pic.Unmask(irq);
                return true;
            }
            return false;
        }

        public static void Detach(int irq, Action handler)
        {
            if (irq < 0 || irq >= 16) return;
            bool any = false;
            for (int slot = 0; slot < HandlersPerLine; slot++)
            {
                ref Action h = ref s_handlers[irq * HandlersPerLine + slot];
                if ((object)h == handler) h = null;
                any |= h != null;
            }
            if (!any) Pic.Mask(irq);
        }

        private static void OnIrq(InterruptFrame* frame)
        {
            int irq = (int)frame->Vector - InterruptTable.IrqBase;
            for (int slot = 0; slot < HandlersPerLine; slot++)
                s_handlers[irq * HandlersPerLine + slot]?.Invoke();
        }
    }
}
