using System.Runtime.InteropServices;
using Cosmos.Hal.Memory;

namespace Cosmos.HostTests.VirtioModel;

/// <summary>Raised when a device model is asked to touch guest memory the driver never gave it.</summary>
public sealed class GuestMemoryFault(string message) : Exception(message);

/// <summary>
/// Simulated guest RAM for device models. "Physical" addresses start at <see cref="PhysicalBase"/>, far from
/// the host pointers, so a driver that hands a device a virtual address is caught. Allocation is per page
/// with a bitmap; every device access is range-checked against the allocations that are live.
///
/// Memory is also guarded against writes that bypass those checks (a driver writing through its own
/// pointers, a model writing through a mapped page): every page nobody owns holds a canary pattern, every
/// allocation has a free (canary) page on each side, and the tail of an allocation's last page past the
/// bytes asked for holds the canary too. Device models put data into guest buffers with
/// <see cref="DeviceWrite"/>, which keeps a shadow of what the device wrote into each allocation it wrote to.
/// <see cref="Audit"/> then lists every canary byte that changed and every byte of such an allocation that
/// differs from its shadow (valid where the driver itself never writes into those buffers, as for receive
/// buffers without checksum completion: they come zeroed and only the device fills them).
/// </summary>
public sealed unsafe class GuestMemory : IDmaAllocator, IDisposable
{
    public const ulong PhysicalBase = 0x4000_0000;
    private const int PageSize = 4096;
    /// <summary>Free pages kept as canaries past the highest allocation, so a write just beyond it lands in one.</summary>
    private const int CanaryMargin = 8;
    private readonly byte* _base;
    private readonly int _pages;
    private readonly bool[] _used;
    private int _canaryPages;  // pages below this hold the canary when free; above it they are still zero
    private readonly Dictionary<int, Allocation> _allocations = new();  // by first page
    private readonly Allocation?[] _owner;                              // by page
    private readonly List<string> _faults = new();

    private sealed class Allocation
    {
        public int First, Pages;
        public ulong Requested;
        public byte[]? DeviceShadow;   // what the device wrote, over the requested bytes (zero elsewhere)
    }

    /// <summary>The pattern of every free page, and of allocation tails: no 0x00 or 0xFF, different at every offset of a page.</summary>
    private static readonly byte[] Canary = MakeCanary();

    private static byte[] MakeCanary()
    {
        var page = new byte[PageSize];
        uint x = 0x2545F491;
        for (int i = 0; i < PageSize; i++)
        {
            x = x * 1103515245 + 12345;
            page[i] = (byte)(1 + (x >> 16) % 254);
        }
        return page;
    }

    public int PagesInUse => _used.Count(u => u);

    public GuestMemory(int megabytes = 16)
    {
        _pages = megabytes * 256;
        _base = (byte*)NativeMemory.AllocZeroed((nuint)_pages * PageSize);
        _used = new bool[_pages];
        _owner = new Allocation[_pages];
    }

    private Span<byte> Page(int page) => new(_base + (long)page * PageSize, PageSize);

    /// <summary>Fills free pages up to <paramref name="end"/> with the canary, after checking nobody wrote into them while they were still zero.</summary>
    private void ExtendCanaries(int end)
    {
        end = Math.Min(end, _pages);
        for (; _canaryPages < end; _canaryPages++)
        {
            if (_used[_canaryPages]) continue;
            Span<byte> page = Page(_canaryPages);
            int written = page.IndexOfAnyExcept((byte)0);
            if (written >= 0) _faults.Add($"page {_canaryPages} (never allocated) was written at offset {written}");
            Canary.CopyTo(page);
        }
    }

    private static void FillCanary(Span<byte> range, int phase)
    {
        for (int done = 0; done < range.Length;)
        {
            ReadOnlySpan<byte> pattern = Canary.AsSpan((phase + done) % PageSize);
            int n = Math.Min(pattern.Length, range.Length - done);
            pattern[..n].CopyTo(range.Slice(done, n));
            done += n;
        }
    }

    private bool IsFree(int page) => page < 0 || page >= _pages || !_used[page];

    public DmaRegion Allocate(ulong bytes, ulong alignment)
    {
        int count = (int)Math.Max(1, (bytes + PageSize - 1) / PageSize);
        int align = (int)Math.Max(1, alignment / PageSize);
        for (int start = 0; start + count <= _pages; start += align)
        {
            // The pages on either side stay free: a write just outside the allocation hits a canary.
            bool free = IsFree(start - 1) && IsFree(start + count);
            for (int p = start; p < start + count && free; p++) free = !_used[p];
            if (!free) continue;
            ExtendCanaries(start + count + 1 + CanaryMargin);
            var allocation = new Allocation { First = start, Pages = count, Requested = Math.Min(bytes, (ulong)count * PageSize) };
            for (int p = start; p < start + count; p++) { _used[p] = true; _owner[p] = allocation; }
            byte* virt = _base + (long)start * PageSize;
            var all = new Span<byte>(virt, count * PageSize);
            all.Clear();
            int tail = (int)Math.Min(bytes, (ulong)all.Length);
            FillCanary(all[tail..], tail % PageSize);
            _allocations[start] = allocation;
            return new DmaRegion(virt, PhysicalBase + (ulong)start * PageSize, (ulong)count * PageSize);
        }
        return default;
    }

    public void Free(DmaRegion region)
    {
        int first = (int)((region.Physical - PhysicalBase) / PageSize);
        for (int p = first; p < first + (int)(region.Size / PageSize); p++)
        {
            if (!_used[p]) throw new InvalidOperationException("double free of guest memory");
            _used[p] = false;
            _owner[p] = null;
            Canary.CopyTo(Page(p));   // nobody owns it now
        }
        _allocations.Remove(first);
    }

    /// <summary>The host pointer for a device access of <paramref name="length"/> bytes at a guest-physical address.</summary>
    public byte* Translate(ulong physical, ulong length)
    {
        if (physical < PhysicalBase || physical + length > PhysicalBase + (ulong)_pages * PageSize || physical + length < physical)
            throw new GuestMemoryFault($"device access at 0x{physical:x} (+{length}) is outside guest RAM");
        ulong offset = physical - PhysicalBase;
        for (ulong p = offset / PageSize; p <= (offset + Math.Max(length, 1) - 1) / PageSize; p++)
            if (!_used[p]) throw new GuestMemoryFault($"device access at 0x{physical:x} (+{length}) touches memory the driver never allocated");
        return _base + offset;
    }

    public Span<byte> Span(ulong physical, int length) => new(Translate(physical, (ulong)length), length);

    /// <summary>
    /// A device (or back end) writes <paramref name="data"/> into a buffer the driver gave it: checked like any
    /// device access, it must also stay inside the bytes the driver allocated, and is recorded in the shadow.
    /// </summary>
    public void DeviceWrite(ulong physical, ReadOnlySpan<byte> data)
    {
        byte* target = Translate(physical, (ulong)data.Length);
        Allocation a = _owner[(int)((physical - PhysicalBase) / PageSize)]!;
        ulong offset = physical - PhysicalBase - (ulong)a.First * PageSize;
        if (offset + (ulong)data.Length > a.Requested)
            throw new GuestMemoryFault($"device write at 0x{physical:x} (+{data.Length}) runs past the {a.Requested} bytes allocated");
        a.DeviceShadow ??= new byte[a.Requested];
        data.CopyTo(a.DeviceShadow.AsSpan((int)offset));
        data.CopyTo(new Span<byte>(target, data.Length));
    }

    /// <summary>
    /// Every write nobody was entitled to: changed canary bytes (free pages, the guard page beside each
    /// allocation, allocation tails), and bytes of allocations the device wrote into that differ from what
    /// it wrote. Empty when memory is intact. One line per damaged page or range.
    /// </summary>
    public List<string> Audit()
    {
        var faults = new List<string>(_faults);
        for (int p = 0; p < _pages; p++)
        {
            if (_used[p]) continue;
            Span<byte> page = Page(p);
            int bad = p < _canaryPages ? CanaryDifference(page, 0) : page.IndexOfAnyExcept((byte)0);
            if (bad >= 0) faults.Add($"free page {p} (0x{PhysicalBase + (ulong)p * PageSize:x}) written at offset {bad}: 0x{page[bad]:x2}");
        }
        foreach (Allocation a in _allocations.Values)
        {
            var all = new Span<byte>(_base + (long)a.First * PageSize, a.Pages * PageSize);
            int tail = (int)a.Requested;
            int bad = CanaryDifference(all[tail..], tail % PageSize);
            if (bad >= 0) faults.Add($"tail of the allocation at 0x{PhysicalBase + (ulong)a.First * PageSize:x} ({a.Requested} bytes asked for) written at byte {tail + bad}");
            if (a.DeviceShadow == null) continue;
            Span<byte> owned = all[..tail];
            for (int at = 0; at < tail;)
            {
                int differs = Difference(owned[at..], a.DeviceShadow.AsSpan(at));
                if (differs < 0) break;
                at += differs;
                int end = at;
                while (end < tail && owned[end] != a.DeviceShadow[end]) end++;
                faults.Add($"device-filled allocation at 0x{PhysicalBase + (ulong)a.First * PageSize:x}: bytes {at}..{end - 1} differ from what the device wrote (0x{owned[at]:x2}, expected 0x{a.DeviceShadow[at]:x2})");
                if (faults.Count > 50) return faults;
                at = end;
            }
        }
        return faults;
    }

    /// <summary>The first index where <paramref name="actual"/> differs from the canary taken from offset <paramref name="phase"/> of a page on, or -1.</summary>
    private static int CanaryDifference(ReadOnlySpan<byte> actual, int phase)
    {
        for (int done = 0; done < actual.Length;)
        {
            ReadOnlySpan<byte> expected = Canary.AsSpan((phase + done) % PageSize);
            int n = Math.Min(expected.Length, actual.Length - done);
            int same = actual.Slice(done, n).CommonPrefixLength(expected[..n]);
            if (same < n) return done + same;
            done += n;
        }
        return -1;
    }

    private static int Difference(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected)
    {
        int same = actual.CommonPrefixLength(expected);
        return same == actual.Length ? -1 : same;
    }

    public void Dispose() => NativeMemory.Free(_base);
}
