using System.Runtime.InteropServices;

namespace Cosmos.HostTests.ExceptionHandling;

/// <summary>
/// The built kernel (iso/cosmos-net.elf) mapped into this process at its link address, so the kernel's own
/// decoders of ilc's unwind and EH data (pointer code over the linked image) run here unchanged, with its
/// symbol map (iso/cosmos-net.sym) to name what they find. Mapped once per test run and never unmapped.
/// </summary>
public static unsafe class KernelImage
{
    private static readonly Lazy<Image> s_image = new(Load);

    public sealed class Image
    {
        public required string ElfPath { get; init; }
        public required ulong EhFrameHeader { get; init; }
        public required Dictionary<ulong, List<string>> SymbolsAt { get; init; }
        public required SortedList<ulong, (ulong Size, string Name)> Sized { get; init; }

        public bool IsMethodTable(ulong address) => SymbolsAt.TryGetValue(address, out var names) && names.Any(n => n.StartsWith("_ZTV", StringComparison.Ordinal));

        public string? MethodAt(ulong address)
        {
            int lo = 0, hi = Sized.Count - 1, best = -1;
            while (lo <= hi)
            {
                int mid = (lo + hi) / 2;
                if (Sized.Keys[mid] <= address) { best = mid; lo = mid + 1; } else hi = mid - 1;
            }
            if (best < 0) return null;
            var (size, name) = Sized.Values[best];
            return address < Sized.Keys[best] + size ? name : null;
        }

        public ulong AddressOf(string symbol) => SymbolsAt.First(kv => kv.Value.Contains(symbol)).Key;
    }

    public static Image Get() => s_image.Value;

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cosmos.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern nint mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    private const int ProtRead = 1, ProtWrite = 2, MapPrivate = 0x02, MapAnonymous = 0x20, MapFixedNoReplace = 0x100000;

    private static Image Load()
    {
        string elf = Path.Combine(RepoRoot(), "iso", "cosmos-net.elf");
        string sym = Path.ChangeExtension(elf, ".sym");
        if (!File.Exists(elf) || !File.Exists(sym))
            throw new InvalidOperationException($"{elf} or its symbol map is missing: build the kernel first (dotnet build)");
        byte[] file = File.ReadAllBytes(elf);
        fixed (byte* f = file)
        {
            // ELF64 header (System V gABI): program headers at e_phoff (0x20), e_phentsize (0x36), e_phnum (0x38).
            ulong phoff = *(ulong*)(f + 0x20);
            int phentsize = *(ushort*)(f + 0x36), phnum = *(ushort*)(f + 0x38);
            for (int i = 0; i < phnum; i++)
            {
                byte* ph = f + phoff + (ulong)(i * phentsize);
                if (*(uint*)ph != 1) continue; // PT_LOAD
                ulong offset = *(ulong*)(ph + 8), vaddr = *(ulong*)(ph + 16), filesz = *(ulong*)(ph + 32), memsz = *(ulong*)(ph + 40);
                ulong start = vaddr & ~0xFFFUL, end = (vaddr + memsz + 0xFFF) & ~0xFFFUL;
                nint got = mmap((nint)start, (nuint)(end - start), ProtRead | ProtWrite, MapPrivate | MapAnonymous | MapFixedNoReplace, -1, 0);
                if (got != (nint)start)
                    throw new InvalidOperationException($"cannot map the kernel at 0x{start:x} in the test process (errno {Marshal.GetLastPInvokeError()})");
                new ReadOnlySpan<byte>(f + offset, (int)filesz).CopyTo(new Span<byte>((void*)vaddr, (int)filesz));
            }
        }
        var at = new Dictionary<ulong, List<string>>();
        var sized = new SortedList<ulong, (ulong, string)>();
        foreach (string line in File.ReadLines(sym))
        {
            string[] parts = line.Split(' ');
            if (parts.Length != 3 || !ulong.TryParse(parts[0], System.Globalization.NumberStyles.HexNumber, null, out ulong address)) continue;
            ulong size = ulong.Parse(parts[1], System.Globalization.NumberStyles.HexNumber);
            if (!at.TryGetValue(address, out var names)) at[address] = names = [];
            names.Add(parts[2]);
            if (size != 0) sized[address] = (size, parts[2]);
        }
        return new Image { ElfPath = elf, EhFrameHeader = at.First(kv => kv.Value.Contains("__eh_frame_hdr_start")).Key, SymbolsAt = at, Sized = sized };
    }
}
