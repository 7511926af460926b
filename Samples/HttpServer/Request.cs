using System;
using System.Collections.Generic;
using System.Text;

namespace HttpServer
{
    /// <summary>One parsed request: the request line (RFC 9112 §3), the header fields (§5), the body's length (§6.3).</summary>
    public sealed class Request
    {
        public string Method;
        public string Target;
        public string Version;
        public readonly Dictionary<string, string> Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public int ContentLength;
        public byte[] Body = new byte[0];

        public string Path => Target.IndexOf('?') is int q && q >= 0 ? Target.Substring(0, q) : Target;

        /// <summary>Keep-alive is HTTP/1.1's default (RFC 9112 §9.3); "Connection: close" ends it, and HTTP/1.0 needs "keep-alive".</summary>
        public bool KeepAlive
        {
            get
            {
                Headers.TryGetValue("Connection", out string connection);
                connection = connection == null ? "" : connection.ToLowerInvariant();
                if (connection.Contains("close")) return false;
                return Version == "HTTP/1.1" || connection.Contains("keep-alive");
            }
        }

        /// <summary>
        /// Parses the header section (everything before the blank line). Returns the status to answer with when the
        /// request is malformed (400, 414, 505), or 0.
        /// </summary>
        public static int TryParse(byte[] buffer, int headerLength, out Request request)
        {
            request = null;
            string head = Encoding.ASCII.GetString(buffer, 0, headerLength);
            string[] lines = head.Split("\r\n");
            string[] parts = lines[0].Split(' ');
            if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0) return 400;
            if (parts[1].Length > Limits.MaxTargetLength) return 414;
            if (!parts[2].StartsWith("HTTP/1.")) return parts[2].StartsWith("HTTP/") ? 505 : 400;
            for (int i = 0; i < parts[0].Length; i++) if (parts[0][i] < 'A' || parts[0][i] > 'Z') return 400;
            if (parts[1][0] != '/') return 400;
            var r = new Request { Method = parts[0], Target = parts[1], Version = parts[2] };
            for (int i = 1; i < lines.Length; i++)
            {
                string line = lines[i];
                int colon = line.IndexOf(':');
                if (colon <= 0 || line[colon - 1] == ' ' || line[0] == ' ' || line[0] == '\t') return 400; // RFC 9112 §5.1: no space before the colon, no folding
                string name = line.Substring(0, colon);
                string value = line.Substring(colon + 1).Trim();
                if (r.Headers.ContainsKey(name)) r.Headers[name] = r.Headers[name] + ", " + value;
                else r.Headers[name] = value;
            }
            if (r.Version == "HTTP/1.1" && !r.Headers.ContainsKey("Host")) return 400; // RFC 9112 §3.2
            if (r.Headers.ContainsKey("Transfer-Encoding")) return 501;
            if (r.Headers.TryGetValue("Content-Length", out string length))
            {
                if (!int.TryParse(length, out r.ContentLength) || r.ContentLength < 0) return 400;
                if (r.ContentLength > Limits.MaxBody) return 413;
            }
            request = r;
            return 0;
        }
    }

    public static class Limits
    {
        public const int MaxHeaderSection = 8192;
        public const int MaxTargetLength = 2048;
        public const int MaxBody = 65536;
        public const int IdleTimeoutMs = 10_000;
    }
}
