using System;

namespace Cosmos.Hal.Boot
{
    /// <summary>
    /// The PVH boot information (Xen public header arch-x86/hvm/start_info.h; QEMU's -kernel uses the same ABI
    /// for an ELF with the PHYS32_ENTRY note): struct hvm_start_info, its module list and its e820-style memory
    /// map (version 1). Converted into a <see cref="Multiboot2Info"/> so the rest of the boot is the same.
    /// </summary>
    public static unsafe class PvhStartInfo
    {
        public const uint Magic = 0x336EC578;      // XEN_HVM_START_MAGIC_VALUE
        public const int StructSize = 56;

        public static Multiboot2Info Parse(byte* info, out ReadOnlySpan<byte> commandLine)
        {
            var result = new Multiboot2Info { TotalSize = StructSize };
            commandLine = default;
            uint version = *(uint*)(info + 4);
            uint modules = *(uint*)(info + 12);
            ulong modlist = *(ulong*)(info + 16);
            ulong cmdline = *(ulong*)(info + 24);
            if (cmdline != 0)
            {
                byte* p = (byte*)cmdline;
                int n = 0;
                while (n < 1024 && p[n] != 0) n++;
                commandLine = new ReadOnlySpan<byte>(p, n);
            }
            for (uint m = 0; m < modules && result.ModuleCount < Multiboot2Info.MaxModules; m++)
            {
                byte* e = (byte*)modlist + m * 32;        // struct hvm_modlist_entry
                ulong start = *(ulong*)e, size = *(ulong*)(e + 8);
                result.Modules[result.ModuleCount++] = new BootModule { Start = start, End = start + size, NameOffset = 0, NameLength = 0 };
            }
            if (version >= 1)
            {
                ulong memmap = *(ulong*)(info + 40);
                uint entries = *(uint*)(info + 48);
                for (uint i = 0; i < entries && result.RegionCount < Multiboot2Info.MaxRegions; i++)
                {
                    byte* e = (byte*)memmap + i * 24;     // struct hvm_memmap_table_entry (e820 types: 1 = RAM)
                    result.Regions[result.RegionCount++] = new MemoryRegion { Base = *(ulong*)e, Length = *(ulong*)(e + 8), Type = *(uint*)(e + 16) };
                }
            }
            else
            {
                result.Malformed = true; // no memory map before version 1
            }
            return result;
        }
    }
}
