namespace Cosmos.TestRunner.Bench;

/// <summary>
/// A part of the README that a benchmark rewrites with its latest run: everything between
/// <c>&lt;!-- NAME:start --&gt;</c> and <c>&lt;!-- NAME:end --&gt;</c>. Text outside the markers is left as it is.
/// </summary>
public static class ReadmeSection
{
    /// <summary>Replaces the section's body; false (and nothing written) when the README lacks its markers.</summary>
    public static bool Replace(string repoRoot, string name, string body)
    {
        string readme = Path.Combine(repoRoot, "README.md");
        string text = File.ReadAllText(readme);
        string start = $"<!-- {name}:start -->", end = $"<!-- {name}:end -->";
        int a = text.IndexOf(start, StringComparison.Ordinal), b = text.IndexOf(end, StringComparison.Ordinal);
        if (a < 0 || b < a) return false;
        File.WriteAllText(readme, text[..a] + $"{start}\n{body.TrimEnd()}\n{end}" + text[(b + end.Length)..]);
        return true;
    }
}
