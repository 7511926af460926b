using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Cosmos.Net.Services.Http;

namespace Cosmos.HostTests.Http;

/// <summary>One request head kept in the repository, and what parsing it must give.</summary>
public sealed record HttpCorpusEntry(string Name, string Description, HttpParseResult Result, HttpRejection Rejection, byte[] Bytes)
{
    public override string ToString() => $"http/{Name}.http";
}

/// <summary>
/// The HTTP fuzzing corpus, Tests/HostTests/Corpus/http/*.http: requests real clients send (curl, wrk, HttpClient,
/// socat's HTTP/1.0), edge cases the RFCs name, and one file per way of being refused. Format: lines starting with
/// '#' are comments, the first of them a description; "# expect: complete", "# expect: incomplete" or
/// "# expect: &lt;HttpRejection name&gt;". The rest is the request with its line breaks written as escapes:
/// \r \n \t \\ and \xNN stand for bytes; the file's own line breaks are not part of the request.
/// </summary>
public static class HttpCorpus
{
    public static string Root() => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", "Corpus", "http"));

    private static string ThisFile([CallerFilePath] string path = "") => path;

    public static List<HttpCorpusEntry> Load() =>
        Directory.EnumerateFiles(Root(), "*.http").Order(StringComparer.Ordinal)
            .Select(path => Parse(Path.GetFileNameWithoutExtension(path), File.ReadAllText(path))).ToList();

    public static HttpCorpusEntry Parse(string name, string text)
    {
        string? description = null, expect = null;
        var bytes = new List<byte>();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("# expect:", StringComparison.Ordinal)) expect = line["# expect:".Length..].Trim();
            else if (line.StartsWith('#')) description ??= line[1..].Trim();
            else Unescape(line, bytes);
        }
        if (expect == null) throw new InvalidDataException($"http/{name}.http has no '# expect:' line");
        (HttpParseResult result, HttpRejection rejection) = expect switch
        {
            "complete" => (HttpParseResult.Complete, HttpRejection.None),
            "incomplete" => (HttpParseResult.Incomplete, HttpRejection.None),
            _ => (HttpParseResult.Rejected, Enum.Parse<HttpRejection>(expect)),
        };
        return new HttpCorpusEntry(name, description ?? "", result, rejection, bytes.ToArray());
    }

    private static void Unescape(string line, List<byte> bytes)
    {
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c != '\\') { bytes.Add((byte)c); continue; }
            char e = line[++i];
            switch (e)
            {
                case 'r': bytes.Add(13); break;
                case 'n': bytes.Add(10); break;
                case 't': bytes.Add(9); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case 'x': bytes.Add(byte.Parse(line.AsSpan(i + 1, 2), NumberStyles.HexNumber)); i += 2; break;
                default: throw new InvalidDataException($"unknown escape \\{e}");
            }
        }
    }

    /// <summary>The escaped text of <paramref name="bytes"/> (for a found input to be kept as a corpus file).</summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (byte b in bytes)
        {
            switch (b)
            {
                case 13: text.Append("\\r"); break;
                case 10: text.Append("\\n\n"); break;
                case 9: text.Append("\\t"); break;
                case (byte)'\\': text.Append("\\\\"); break;
                default:
                    if (b >= 32 && b < 127 && !(b == '#' && (text.Length == 0 || text[^1] == '\n'))) text.Append((char)b);
                    else text.Append($"\\x{b:x2}");
                    break;
            }
        }
        return text.ToString();
    }
}
