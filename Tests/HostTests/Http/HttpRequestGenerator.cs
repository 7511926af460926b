using System.Text;
using Cosmos.Net.Services.Http;

namespace Cosmos.HostTests.Http;

/// <summary>A generated request, what it is, and what parsing it must give (a defect names its one rejection).</summary>
public sealed record GeneratedRequest(byte[] Bytes, int HeadLength, string Method, string Path, int MinorVersion, long ContentLength,
    bool KeepAlive, HttpRejection Expected, string Defect);

/// <summary>
/// Builds requests from RFC 9112's grammar, written here independently of the parser: valid ones (methods, the
/// target forms, versions, CRLF or bare-LF lines, leading empty lines, random fields and values, Connection
/// options, a Content-Length body), or with exactly one defect whose rejection is known. The parser must agree
/// on every one: the whole head, the method, path, version, body length and persistence, or that one rejection.
/// </summary>
public static class HttpRequestGenerator
{
    private const string Tchars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string PathChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@%/";
    private const string HostChars = "abcdefghijklmnopqrstuvwxyz0123456789-.";

    public static readonly string[] Defects =
    [
        "none", "none", "none", "no-host", "two-hosts", "bad-host", "obs-fold", "space-first-field", "space-before-colon",
        "ctl-in-value", "bare-cr-in-value", "bad-content-length", "two-content-lengths", "chunked", "te-and-cl", "te-gzip",
        "too-large-body", "version-2", "bad-version", "target-too-long", "bad-target-byte", "bad-method", "double-space",
        "too-many-fields", "colon-less-field", "http09",
    ];

    private static string Token(Random r, int min, int max)
    {
        var s = new StringBuilder();
        int n = r.Next(min, max + 1);
        for (int i = 0; i < n; i++) s.Append(Tchars[r.Next(Tchars.Length)]);
        return s.ToString();
    }

    private static string FieldValue(Random r)
    {
        var s = new StringBuilder();
        int n = r.Next(0, 40);
        for (int i = 0; i < n; i++)
        {
            int kind = r.Next(20);
            char c = kind == 0 ? ' ' : kind == 1 ? '\t' : kind == 2 ? (char)r.Next(0x80, 0x100) : (char)r.Next(0x21, 0x7F);
            s.Append(c);
        }
        return s.ToString();
    }

    public static GeneratedRequest Generate(Random r, string defect)
    {
        string eol = r.Next(10) == 0 ? "\n" : "\r\n";
        var head = new StringBuilder();
        int leading = r.Next(8) == 0 ? r.Next(1, 3) : 0;
        for (int i = 0; i < leading; i++) head.Append(r.Next(2) == 0 ? "\r\n" : "\n");

        string[] methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
        string method = r.Next(6) == 0 ? Token(r, 1, 12) : methods[r.Next(methods.Length)];
        if (defect == "bad-method") method = method[..(method.Length / 2)] + "/()\"<>@"[r.Next(7)] + method[(method.Length / 2)..];

        var path = new StringBuilder("/");
        int pathLength = defect == "target-too-long" ? HttpLimits.MaxTargetLength + r.Next(1, 500) : r.Next(0, 60);
        for (int i = 1; i < pathLength; i++) path.Append(PathChars[r.Next(PathChars.Length)]);
        if (defect == "target-too-long") while (path.Length <= HttpLimits.MaxTargetLength) path.Append('a');
        string query = r.Next(4) == 0 ? "?q=" + Token(r, 0, 10).Replace("#", "") : "";
        string host = string.Concat(Enumerable.Range(0, r.Next(1, 20)).Select(_ => HostChars[r.Next(HostChars.Length)]));
        if (r.Next(3) == 0) host += ":" + r.Next(1, 65536);
        string target = r.Next(8) == 0 ? $"http://{host}{path}{query}" : $"{path}{query}";
        if (defect == "bad-target-byte")
        {
            char bad = "\x01\x7f#\x80\xff"[r.Next(5)];
            int at = r.Next(1, target.Length + 1);
            target = target[..at] + bad + target[at..];
        }

        int minor = r.Next(5) == 0 ? 0 : 1;
        string version = minor == 0 ? "HTTP/1.0" : r.Next(10) == 0 ? $"HTTP/1.{r.Next(2, 10)}" : "HTTP/1.1";
        if (defect == "version-2") version = $"HTTP/{r.Next(2, 10)}.{r.Next(10)}";
        if (defect == "bad-version") version = new[] { "http/1.1", "HTTP/1", "HTTP/1.", "HTTP1.1", "HTTP/x.1", "HTTP/1.1x" }[r.Next(6)];

        string sp = defect == "double-space" ? "  " : " ";
        head.Append(method).Append(r.Next(2) == 0 ? sp : " ").Append(target).Append(sp == "  " ? "  " : " ").Append(version).Append(eol);
        if (defect == "http09") { head.Length -= version.Length + 1 + eol.Length; head.Append(eol); }

        var fields = new List<string>();
        bool needHost = minor == 1 || r.Next(2) == 0 || defect is "two-hosts" or "bad-host";
        if (defect == "no-host") { needHost = false; if (minor == 0) { minor = 1; head.Replace("HTTP/1.0", "HTTP/1.1"); version = "HTTP/1.1"; } }
        if (needHost) fields.Add($"{(r.Next(3) == 0 ? "host" : "Host")}:{(r.Next(4) == 0 ? "" : " ")}{host}");
        if (defect == "two-hosts") fields.Add($"Host: {host}");
        if (defect == "bad-host") fields[0] = $"Host: {host[..(host.Length / 2)]}x{" /@?\"<>"[r.Next(7)]}x{host[(host.Length / 2)..]}"; // inside, not trimmable

        int others = defect == "too-many-fields" ? HttpLimits.MaxFieldCount + 1 + r.Next(0, 5) : r.Next(0, 8);
        for (int i = 0; i < others; i++)
        {
            if (defect == "too-many-fields") { fields.Add($"X-{i}: {i}"); continue; } // short, so the head stays under 4 KiB
            string name = Token(r, 1, 20);
            string lower = name.ToLowerInvariant();
            if (lower is "host" or "content-length" or "transfer-encoding" or "connection" or "expect") name = "X-" + name;
            fields.Add($"{name}:{(r.Next(2) == 0 ? " " : "")}{FieldValue(r)}");
        }

        bool close = false, keepAliveOption = false;
        if (r.Next(4) == 0)
        {
            string[] options = ["close", "Close", "keep-alive", "Keep-Alive", "TE", "Upgrade", "x"];
            var chosen = Enumerable.Range(0, r.Next(1, 4)).Select(_ => options[r.Next(options.Length)]).ToList();
            close = chosen.Any(o => o.Equals("close", StringComparison.OrdinalIgnoreCase));
            keepAliveOption = chosen.Any(o => o.Equals("keep-alive", StringComparison.OrdinalIgnoreCase));
            fields.Add("Connection: " + string.Join(r.Next(2) == 0 ? ", " : ",", chosen));
        }

        long contentLength = 0;
        bool hasBody = (r.Next(5) == 0 || defect is "two-content-lengths" or "te-and-cl")
                       && defect is not ("bad-content-length" or "too-large-body" or "chunked" or "te-gzip");
        if (hasBody)
        {
            contentLength = r.Next(0, 200);
            fields.Add($"Content-Length: {contentLength}");
        }
        if (defect == "bad-content-length") fields.Add("Content-Length: " + new[] { "1a", "-1", "", "+5", "5, 5", "0x10", "1 2", "99999999999999999999" }[r.Next(8)]);
        if (defect == "two-content-lengths") fields.Add($"Content-Length: {contentLength}");
        if (defect == "too-large-body") fields.Add($"Content-Length: {HttpLimits.MaxRequestBody + 1 + r.Next(1000)}");
        if (defect == "chunked") fields.Add("Transfer-Encoding: " + (r.Next(2) == 0 ? "chunked" : "gzip, chunked"));
        if (defect == "te-and-cl") fields.Add("Transfer-Encoding: chunked");
        if (defect == "te-gzip") fields.Add("Transfer-Encoding: " + (r.Next(2) == 0 ? "gzip" : "chunked, gzip"));

        // Shuffle, then put the one defective line (if any) somewhere.
        fields = fields.OrderBy(_ => r.Next()).ToList();
        int where = r.Next(fields.Count + 1);
        if (defect == "obs-fold")
        {
            if (fields.Count == 0) fields.Add("X-Before: fold"); // a fold continues a line
            fields.Insert(Math.Max(Math.Min(where, fields.Count), 1), (r.Next(2) == 0 ? " " : "\t") + FieldValue(r));
        }
        if (defect == "space-first-field") fields.Insert(0, " X-Space: 1");
        if (defect == "space-before-colon") fields.Insert(where, $"{Token(r, 1, 10)}{(r.Next(2) == 0 ? " " : "\t")}: 1");
        if (defect == "ctl-in-value") fields.Insert(where, $"X-Ctl: a{(char)new[] { 0, 1, 8, 11, 12, 27, 31, 127 }[r.Next(8)]}b");
        if (defect == "bare-cr-in-value") fields.Insert(where, "X-Cr: a\rb");
        if (defect == "colon-less-field") fields.Insert(where, Token(r, 1, 10));

        foreach (string f in fields) head.Append(f).Append(eol);
        head.Append(eol);
        byte[] headBytes = Encoding.Latin1.GetBytes(head.ToString());
        byte[] body = new byte[hasBody && contentLength > 0 && defect == "none" ? contentLength : 0];
        r.NextBytes(body);

        HttpRejection expected = defect switch
        {
            "none" => HttpRejection.None,
            "no-host" => HttpRejection.MissingHost,
            "two-hosts" => HttpRejection.DuplicateHost,
            "bad-host" => HttpRejection.BadHost,
            "obs-fold" or "space-first-field" => HttpRejection.ObsoleteLineFolding,
            "space-before-colon" => HttpRejection.WhitespaceBeforeColon,
            "ctl-in-value" => HttpRejection.BadFieldValue,
            "bare-cr-in-value" => HttpRejection.BareCarriageReturn,
            "bad-content-length" => HttpRejection.BadContentLength,
            "two-content-lengths" => HttpRejection.DuplicateContentLength,
            "chunked" => HttpRejection.ChunkedNotSupported,
            "te-and-cl" => HttpRejection.TransferEncodingWithContentLength,
            "te-gzip" => HttpRejection.BadTransferEncoding,
            "too-large-body" => HttpRejection.ContentTooLarge,
            "version-2" => HttpRejection.VersionNotSupported,
            "bad-version" => version is "HTTP/1.1x" ? HttpRejection.BadRequestLine : HttpRejection.BadVersion,
            "target-too-long" => HttpRejection.TargetTooLong,
            "bad-target-byte" => HttpRejection.BadTarget,
            "bad-method" => HttpRejection.BadMethod,
            "double-space" => HttpRejection.BadRequestLine,
            "too-many-fields" => HttpRejection.TooManyFields,
            "colon-less-field" => HttpRejection.BadFieldName,
            "http09" => HttpRejection.BadRequestLine,
            _ => throw new ArgumentException(defect),
        };
        // A valid request whose target form its method may not use is no longer valid; keep OPTIONS/CONNECT to
        // origin or absolute form (both accepted for any method).
        bool keepAlive = !close && (minor == 1 || keepAliveOption);
        string pathOnly = target.StartsWith("http://", StringComparison.Ordinal) ? target[(target.IndexOf('/', 7) is var s && s >= 0 ? s : target.Length)..] : target;
        if (pathOnly.Contains('?')) pathOnly = pathOnly[..pathOnly.IndexOf('?')];
        return new GeneratedRequest([.. headBytes, .. body], headBytes.Length, method, pathOnly, minor, contentLength, keepAlive, expected, defect);
    }
}
