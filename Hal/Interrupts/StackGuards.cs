using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cosmos.Hal.Interrupts
{
    /// <summary>
    /// The unmapped 4 KiB pages under each stack (Kernel/Boot/boot.asm unmaps them before kmain): a page fault
    /// on one is a stack overflow, and the report says which stack.
    /// </summary>
    public static class StackGuards
    {
        public const int Count = 4;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "cpu_stack_guard")]
        private static extern ulong GuardPage(int index);

        public static string NameOf(int index) => index switch
        {
            0 => "kernel (boot) stack",
            1 => "double-fault stack (IST1)",
            2 => "CPU-exception stack (IST2)",
            3 => "NMI stack (IST3)",
            _ => "unknown stack",
        };

        public static ulong PageOf(int index) => GuardPage(index);

        /// <summary>The stack whose guard page holds the address, or -1.</summary>
        public static int Find(ulong address)
        {
            for (int i = 0; i < Count; i++)
            {
                ulong page = GuardPage(i);
                if (page != 0 && address >= page && address < page + 4096) return i;
            }
            return -1;
        }
    }
}
