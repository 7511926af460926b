using System;
using Cosmos.Hal.Cpu;

namespace Cosmos.Hal.Config
{
    /// <summary>
    /// QEMU's firmware configuration device through its x86 I/O ports (QEMU docs/specs/fw_cfg.rst):
    /// selector at 0x510 (16-bit), data at 0x511. Used to read <c>opt/kernel/cmdline</c>, so the test
    /// runner can give every boot of the same ISO its own options.
    /// </summary>
    public static class FwCfg
    {
        private const ushort SelectorPort = 0x510;
        private const ushort DataPort = 0x511;
        private const ushort SignatureKey = 0x0000;
        private const ushort FileDirectoryKey = 0x0019;
        private const int FileNameLength = 56;

        public static bool IsPresent()
        {
            CpuNative.OutWord(SelectorPort, SignatureKey);
            return CpuNative.InByte(DataPort) == 'Q' && CpuNative.InByte(DataPort) == 'E'
                && CpuNative.InByte(DataPort) == 'M' && CpuNative.InByte(DataPort) == 'U';
        }

        /// <summary>Reads a named file into <paramref name="destination"/>; returns its size, or -1 if absent.</summary>
        public static int ReadFile(string name, Span<byte> destination)
        {
            if (!IsPresent()) return -1;
            CpuNative.OutWord(SelectorPort, FileDirectoryKey);
            uint count = ReadBigEndian32();
            Span<byte> entryName = stackalloc byte[FileNameLength];
            for (uint i = 0; i < count && i < 4096; i++)
            {
                uint size = ReadBigEndian32();
                ushort select = (ushort)((CpuNative.InByte(DataPort) << 8) | CpuNative.InByte(DataPort));
                CpuNative.InByte(DataPort); CpuNative.InByte(DataPort); // reserved
                for (int c = 0; c < FileNameLength; c++) entryName[c] = CpuNative.InByte(DataPort);
                if (!NameEquals(entryName, name)) continue;
                CpuNative.OutWord(SelectorPort, select);
                int n = (int)Math.Min(size, (uint)destination.Length);
                for (int b = 0; b < n; b++) destination[b] = CpuNative.InByte(DataPort);
                return n;
            }
            return -1;
        }

        private static uint ReadBigEndian32()
        {
            uint v = 0;
            for (int i = 0; i < 4; i++) v = (v << 8) | CpuNative.InByte(DataPort);
            return v;
        }

        private static bool NameEquals(ReadOnlySpan<byte> entry, string name)
        {
            if (name.Length >= entry.Length) return false;
            for (int i = 0; i < name.Length; i++) if (entry[i] != name[i]) return false;
            return entry[name.Length] == 0;
        }
    }
}
