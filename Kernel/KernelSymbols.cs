using System;
using System.Runtime;
using Cosmos.Hal.Boot;
using Cosmos.Hal.Diagnostics;

namespace Cosmos.Kernel
{
    /// <summary>Finds the symbol map GRUB loaded (module "symbols") and lets panics name addresses.</summary>
    internal static unsafe class KernelSymbols
    {
        private static SymbolTable s_table;

        /// <summary>
        /// GRUB names the module "symbols"; a direct boot (qemu -kernel kernel.elf -initrd kernel.sym) passes it
        /// unnamed as the first module.
        /// </summary>
        public static void Load(Multiboot2Info info, nuint bootInfo, bool acceptUnnamedFirstModule)
        {
            for (int m = 0; m < info.ModuleCount; m++)
            {
                BootModule module = info.Modules[m];
                bool named = module.NameLength > 0 && IsSymbols(new ReadOnlySpan<byte>((byte*)bootInfo + module.NameOffset, module.NameLength));
                if (!named && !(acceptUnnamedFirstModule && m == 0 && module.NameLength == 0)) continue;
                s_table = new SymbolTable((byte*)module.Start, (int)(module.End - module.Start));
                Panic.SymbolLookup = &Lookup;
                if (s_table.ModulePrefixes != null) TypeNames.ModulePrefixes = s_table.ModulePrefixes;
                return;
            }
        }

        private static bool IsSymbols(ReadOnlySpan<byte> name)
        {
            const string expected = "symbols";
            if (name.Length != expected.Length) return false;
            for (int i = 0; i < expected.Length; i++) if (name[i] != expected[i]) return false;
            return true;
        }

        private static int Lookup(nuint address, char* name, int capacity, nuint* start)
        {
            int n = s_table.Lookup(address, new Span<char>(name, capacity), out ulong symbolStart);
            *start = (nuint)symbolStart;
            return n;
        }

        public static int Count => s_table == null ? 0 : s_table.Count;

        public static void LogSummary()
        {
            Log.Begin("symbols");
            if (s_table == null) { Log.Write("no symbol map module: panics will show raw addresses"); }
            else { Log.Decimal(s_table.Count); Log.Write(" symbols loaded for panic reports"); }
            Log.End();
        }
    }
}
