using System.Text.RegularExpressions;

namespace Cosmos.TestRunner.Soak;

/// <summary>
/// The kernel's idle report ("net: idle: rx-lent=0 tx-outstanding=0 ... heap=N ...", Kernel/Networking/NetworkService.cs
/// ReportIdle), read as name=value pairs, and the soak's rule for comparing one taken after the load with one taken before.
/// </summary>
public sealed class IdleReport
{
    /// <summary>
    /// Values that describe what is held now (buffers lent or in flight, queued datagrams and held frames, connections and
    /// their records, the TCP buffer pool, socket operations): each must be back exactly where it was before the load.
    /// The rest of the line (frames, echoes, interrupts, allocations since boot) counts history and only grows.
    /// </summary>
    public static readonly string[] HeldResources =
        ["rx-lent", "tx-outstanding", "udp-queued", "arp-pending", "tcp", "tcp-time-wait", "tcp-pool-free", "socket-ops-waiting", "loop-ready", "loop-timers"];

    /// <summary>
    /// How far the live heap (bytes reachable after the idle report's collection) may be from its value before the load.
    /// The packet path allocates nothing, but a few things the kernel keeps are made at run time and stay: ARP cache entries
    /// for the host, a DHCP renewal's message, TCP's TIME_WAIT table growing to its high-water mark, the status page's text.
    /// Each is bounded and none grows with the load's length, so the difference must stay within this whatever the soak's
    /// length; a leak per packet or per connection would pass it within seconds (a 30-minute soak moves over a million packets).
    /// </summary>
    public const long HeapToleranceBytes = 64 * 1024;

    public IReadOnlyDictionary<string, string> Fields { get; }
    public string Line { get; }

    private IdleReport(string line, Dictionary<string, string> fields)
    {
        Line = line;
        Fields = fields;
    }

    /// <summary>The report in a log line, or null when the line is not one.</summary>
    public static IdleReport? Parse(string line)
    {
        int at = line.IndexOf("net: idle: ", StringComparison.Ordinal);
        if (at < 0) return null;
        var fields = new Dictionary<string, string>();
        foreach (Match m in Regex.Matches(line[(at + 11)..], @"([a-z0-9-]+)=(\S+)")) fields.TryAdd(m.Groups[1].Value, m.Groups[2].Value);
        return fields.Count == 0 ? null : new IdleReport(line, fields);
    }

    public long Number(string name) => Fields.TryGetValue(name, out string? v) && long.TryParse(v.Split('/')[0], out long n) ? n : -1;

    /// <summary>
    /// Every held resource of <paramref name="before"/> equal in <paramref name="after"/> (a field missing from both is not
    /// compared; missing from one is a difference), and the heap within <see cref="HeapToleranceBytes"/>.
    /// </summary>
    public static List<(string Name, bool Passed, string Detail)> Compare(IdleReport before, IdleReport after, long heapTolerance = HeapToleranceBytes)
    {
        var results = new List<(string, bool, string)>();
        foreach (string name in HeldResources)
        {
            bool inBefore = before.Fields.TryGetValue(name, out string? b), inAfter = after.Fields.TryGetValue(name, out string? a);
            if (!inBefore && !inAfter) continue;
            results.Add(($"idle after the soak: {name} back to its value before", inBefore && inAfter && a == b, $"before {b ?? "absent"}, after {a ?? "absent"}"));
        }
        long heapBefore = before.Number("heap"), heapAfter = after.Number("heap");
        bool heapOk = heapBefore > 0 && heapAfter > 0 && Math.Abs(heapAfter - heapBefore) <= heapTolerance;
        results.Add(($"idle after the soak: live heap within {heapTolerance / 1024} KiB of its value before", heapOk,
            $"before {heapBefore} B, after {heapAfter} B ({heapAfter - heapBefore:+#;-#;0} B); allocations since boot {before.Number("allocs")} -> {after.Number("allocs")}, collections {before.Number("gcs")} -> {after.Number("gcs")}"));
        return results;
    }

    /// <summary>True when every held resource matches and the heap is within tolerance (the soak waits for such a report).</summary>
    public static bool Settled(IdleReport before, IdleReport after, long heapTolerance = HeapToleranceBytes) => Compare(before, after, heapTolerance).All(r => r.Passed);
}
