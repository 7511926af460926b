using Cosmos.Conformance;

namespace Cosmos.TestRunner.Conformance;

/// <summary>
/// The two sides of the conformance suite (Tests/Conformance): its cases run here on .NET, and the transcript
/// the kernel printed (test=conformance: "CONF case: line"), compared case by case, line by line.
/// </summary>
public static class ConformanceTranscripts
{
    public const string KernelLinePrefix = "CONF ";
    public const string KernelEndPrefix = "CONF-END ";

    public sealed record CaseTranscript(string Case, List<string> Lines);

    /// <summary>Runs the cases on .NET, in suite order (all, or those whose name starts with the prefix, less those
    /// whose name starts with the exclusion).</summary>
    public static List<CaseTranscript> RunOnHost(string? prefix = null, string? exclude = null)
    {
        var result = new List<CaseTranscript>();
        var byCase = new Dictionary<string, CaseTranscript>();
        CaseList cases = ConformanceSuite.All();
        for (int i = 0; i < cases.Count; i++)
        {
            string name = cases.NameAt(i);
            if (!ConformanceSuite.Selected(name, prefix, exclude)) continue;
            var transcript = new CaseTranscript(name, []);
            result.Add(transcript);
            byCase[name] = transcript;
        }
        // The cases catch what they provoke; a debugger-free run on .NET is the reference.
        ConformanceSuite.Run(cases, (name, line) => byCase[name].Lines.Add(line), prefix, exclude);
        return result;
    }

    /// <summary>The kernel's transcript from its serial log, in the order the cases ran.</summary>
    public static List<CaseTranscript> ParseKernel(string log)
    {
        var result = new List<CaseTranscript>();
        var byCase = new Dictionary<string, CaseTranscript>();
        foreach (string raw in log.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (!line.StartsWith(KernelLinePrefix, StringComparison.Ordinal)) continue;
            string rest = line[KernelLinePrefix.Length..];
            int colon = rest.IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0) continue;
            string name = rest[..colon];
            if (!byCase.TryGetValue(name, out CaseTranscript? t))
            {
                t = new CaseTranscript(name, []);
                byCase[name] = t;
                result.Add(t);
            }
            t.Lines.Add(rest[(colon + 2)..]);
        }
        return result;
    }

    /// <summary>How many cases the kernel said it ran (its CONF-END line), or -1 without one.</summary>
    public static int KernelCaseCount(string log)
    {
        foreach (string raw in log.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith(KernelEndPrefix, StringComparison.Ordinal) && int.TryParse(line[KernelEndPrefix.Length..], out int n)) return n;
        }
        return -1;
    }

    /// <summary>One outcome per case of the host's suite: identical transcripts pass; the first difference is the detail.</summary>
    public static List<(string Name, bool Passed, string Detail)> Compare(IReadOnlyList<CaseTranscript> host, IReadOnlyList<CaseTranscript> kernel)
    {
        var outcomes = new List<(string, bool, string)>();
        var kernelByCase = kernel.ToDictionary(k => k.Case);
        foreach (CaseTranscript h in host)
        {
            string name = $"conformance {h.Case}";
            if (!kernelByCase.TryGetValue(h.Case, out CaseTranscript? k))
            {
                outcomes.Add((name, false, "not in the kernel's transcript (the case did not run, or the kernel stopped before it)"));
                continue;
            }
            outcomes.Add((name, h.Lines.SequenceEqual(k.Lines), Difference(h.Lines, k.Lines)));
        }
        foreach (CaseTranscript k in kernel.Where(k => host.All(h => h.Case != k.Case)))
            outcomes.Add(($"conformance {k.Case}", false, "in the kernel's transcript but not a case of the suite on .NET"));
        return outcomes;
    }

    /// <summary>"" when equal, else where and how the transcripts first differ.</summary>
    public static string Difference(IReadOnlyList<string> host, IReadOnlyList<string> kernel)
    {
        int n = Math.Min(host.Count, kernel.Count);
        for (int i = 0; i < n; i++)
            if (host[i] != kernel[i])
                return $"line {i + 1}: kernel \"{kernel[i]}\", .NET \"{host[i]}\"";
        if (host.Count == kernel.Count) return "";
        return host.Count > kernel.Count
            ? $"line {n + 1}: kernel's transcript ends, .NET has \"{host[n]}\" ({host.Count - n} more lines)"
            : $"line {n + 1}: kernel has \"{kernel[n]}\" past the end of .NET's ({kernel.Count - n} more lines)";
    }
}
