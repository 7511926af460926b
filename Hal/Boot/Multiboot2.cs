using System;

namespace Cosmos.Hal.Boot
{
    public struct MemoryRegion
    {
        public ulong Base;
        public ulong Length;
        public uint Type; // 1 = available RAM (multiboot2 §3.6.8)
        public bool IsAvailable => Type == 1;
    }

    public struct BootModule
    {
        public ulong Start;
        public ulong End;
        public int NameOffset; // into the info block
        public int NameLength;
    }

    /// <summary>
    /// Reads the multiboot2 boot information (spec 1.0 §3.6): the command line, the modules GRUB
    /// loaded (our symbol map) and the memory map. Pure parsing over bytes, so host tests run it too.
    /// Malformed input (a tag running past the block, a size below 8) stops the walk, never overruns.
    /// </summary>
    public sealed class Multiboot2Info
    {
        public const uint BootloaderMagic = 0x36D76289;
        private const uint TagEnd = 0, TagCommandLine = 1, TagModule = 3, TagMemoryMap = 6;

        public const int MaxRegions = 64;
        public const int MaxModules = 8;

        public MemoryRegion[] Regions = new MemoryRegion[MaxRegions];
        public int RegionCount;
        public BootModule[] Modules = new BootModule[MaxModules];
        public int ModuleCount;
        public int CommandLineOffset = -1;
        public int CommandLineLength;
        public int TotalSize;
        public bool Malformed;
        /// <summary>Where the walk stopped on malformed input (offset, tag type, tag size), for the boot log.</summary>
        public int MalformedOffset;
        public uint MalformedTagType, MalformedTagSize;

        public static Multiboot2Info Parse(ReadOnlySpan<byte> info)
        {
            var result = new Multiboot2Info();
            if (info.Length < 8) { result.Malformed = true; return result; }
            int total = (int)ReadU32(info, 0);
            if (total < 8 || total > info.Length) { result.Malformed = true; total = Math.Min(Math.Max(total, 8), info.Length); }
            result.TotalSize = total;
            int offset = 8;
            while (offset + 8 <= total)
            {
                uint type = ReadU32(info, offset);
                uint size = ReadU32(info, offset + 4);
                if (type == TagEnd) break;
                if (size < 8 || size > (uint)(total - offset))
                {
                    result.Malformed = true;
                    result.MalformedOffset = offset;
                    result.MalformedTagType = type;
                    result.MalformedTagSize = size;
                    break;
                }
                int body = offset + 8;
                int bodyLength = (int)size - 8;
                switch (type)
                {
                    case TagCommandLine:
                        result.CommandLineOffset = body;
                        result.CommandLineLength = StringLength(info.Slice(body, bodyLength));
                        break;
                    case TagModule when bodyLength >= 8 && result.ModuleCount < MaxModules:
                        result.Modules[result.ModuleCount++] = new BootModule
                        {
                            Start = ReadU32(info, body),
                            End = ReadU32(info, body + 4),
                            NameOffset = body + 8,
                            NameLength = StringLength(info.Slice(body + 8, bodyLength - 8)),
                        };
                        break;
                    case TagMemoryMap when bodyLength >= 8:
                    {
                        int entrySize = (int)ReadU32(info, body);
                        if (entrySize < 24) { result.Malformed = true; break; }
                        for (int e = body + 8; e + 24 <= body + bodyLength && result.RegionCount < MaxRegions; e += entrySize)
                        {
                            result.Regions[result.RegionCount++] = new MemoryRegion
                            {
                                Base = ReadU64(info, e),
                                Length = ReadU64(info, e + 8),
                                Type = ReadU32(info, e + 16),
                            };
                        }
                        break;
                    }
                }
                offset += (int)((size + 7) & ~7u); // tags are 8-byte aligned
            }
            return result;
        }

        private static int StringLength(ReadOnlySpan<byte> s)
        {
            for (int i = 0; i < s.Length; i++) if (s[i] == 0) return i;
            return s.Length;
        }

        private static uint ReadU32(ReadOnlySpan<byte> b, int o) =>
            (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));

        private static ulong ReadU64(ReadOnlySpan<byte> b, int o) => ReadU32(b, o) | ((ulong)ReadU32(b, o + 4) << 32);
    }
}
