using System.Runtime.CompilerServices;
using System.Text;

namespace Cosmos.HostTests.Fuzz;

/// <summary>One input kept in the repository: an Ethernet frame, what it is, and the parser stages it must reach.</summary>
public sealed record CorpusEntry(string Parser, string Name, string Description, Stage Expected, byte[] Frame)
{
    public string RelativePath => $"{Parser}/{Name}.hex";
    public override string ToString() => RelativePath;
}

/// <summary>
/// The fuzzing corpus, Tests/HostTests/Corpus/&lt;parser&gt;/*.hex: one Ethernet frame per file, named for the
/// innermost parser it is aimed at. Format: comment lines starting with '#' (a description, then
/// "# stages: ..." with the <see cref="Stage"/> names the frame must reach, exactly), then the frame in hex,
/// 16 bytes a line. Valid packets of each kind, edge cases, and inputs that once found a bug live here; the
/// replay test checks each one's stages and the fuzz tests start from them.
/// </summary>
public static class Corpus
{
    /// <summary>Tests/HostTests/Corpus in the source tree (found from this file's own path, fixed at compile time).</summary>
    public static string Root() => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", "Corpus"));

    private static string ThisFile([CallerFilePath] string path = "") => path;

    public static List<CorpusEntry> Load()
    {
        var entries = new List<CorpusEntry>();
        string root = Root();
        foreach (string path in Directory.EnumerateFiles(root, "*.hex", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string parser = Path.GetFileName(Path.GetDirectoryName(path)!);
            entries.Add(Parse(parser, Path.GetFileNameWithoutExtension(path), File.ReadAllText(path)));
        }
        return entries;
    }

    public static CorpusEntry Parse(string parser, string name, string text)
    {
        var description = new List<string>();
        Stage? expected = null;
        var hex = new StringBuilder();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("# stages:", StringComparison.Ordinal)) expected = FrameDissector.Parse(line["# stages:".Length..]);
            else if (line.StartsWith('#')) description.Add(line.TrimStart('#').Trim());
            else hex.Append(line.Replace(" ", ""));
        }
        if (expected == null) throw new InvalidDataException($"{parser}/{name}.hex has no '# stages:' line");
        return new CorpusEntry(parser, name, string.Join(" ", description), expected.Value, Convert.FromHexString(hex.ToString()));
    }

    public static string Format(CorpusEntry e)
    {
        var text = new StringBuilder();
        foreach (string line in Wrap(e.Description, 100)) text.Append("# ").Append(line).Append('\n');
        text.Append("# stages: ").Append(FrameDissector.Format(e.Expected)).Append('\n');
        for (int at = 0; at < e.Frame.Length; at += 16)
        {
            var row = e.Frame.AsSpan(at, Math.Min(16, e.Frame.Length - at));
            text.Append(string.Join(' ', row.ToArray().Select(b => b.ToString("x2")))).Append('\n');
        }
        return text.ToString();
    }

    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new StringBuilder();
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width) { yield return line.ToString(); line.Clear(); }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }
}
