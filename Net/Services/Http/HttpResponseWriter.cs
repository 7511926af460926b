using System;

namespace Cosmos.Net.Services.Http
{
    /// <summary>How a response ends its connection, as its Connection field says (RFC 9112 §9.3, §9.6).</summary>
    public enum HttpConnectionOption : byte
    {
        /// <summary>HTTP/1.1 persistence: no Connection field needed.</summary>
        Persist,
        /// <summary>An HTTP/1.0 client asked to keep the connection: "Connection: keep-alive" confirms it.</summary>
        KeepAlive,
        /// <summary>"Connection: close": the server closes after this response.</summary>
        Close,
    }

    /// <summary>
    /// Writes a response's status line and header section (RFC 9112 §4, §5) into a span. Every response carries
    /// Content-Length (RFC 9110 §8.6), also for HEAD, where it is the length a GET would have had (§9.3.2).
    /// No Date field: the kernel has no clock that knows UTC, and such a server MUST NOT send one (RFC 9110 §6.6.1).
    /// </summary>
    public static class HttpResponseWriter
    {
        public const string ContentType = "text/plain; charset=us-ascii";
        public const string Allow = "GET, HEAD";

        /// <summary>Writes the head; returns its length (the span must hold 256 bytes).</summary>
        public static int WriteHead(Span<byte> destination, int status, int contentLength, HttpConnectionOption connection)
        {
            var w = new AsciiWriter(destination);
            w.Write("HTTP/1.1 ");
            w.Write(status);
            w.Write(' ');
            w.Write(HttpStatus.Reason(status));
            w.Write("\r\nServer: cosmos-net\r\nContent-Type: ");
            w.Write(ContentType);
            w.Write("\r\nContent-Length: ");
            w.Write(contentLength);
            // RFC 9110 §15.5.6: a 405 MUST list the methods the resource supports.
            if (status == HttpStatus.MethodNotAllowed) { w.Write("\r\nAllow: "); w.Write(Allow); }
            if (connection == HttpConnectionOption.Close) w.Write("\r\nConnection: close");
            else if (connection == HttpConnectionOption.KeepAlive) w.Write("\r\nConnection: keep-alive");
            w.Write("\r\n\r\n");
            return w.Length;
        }

        /// <summary>The body of an error response: "404 Not Found\n".</summary>
        public static int WriteErrorBody(Span<byte> destination, int status)
        {
            var w = new AsciiWriter(destination);
            w.Write(status);
            w.Write(' ');
            w.Write(HttpStatus.Reason(status));
            w.Write('\n');
            return w.Length;
        }
    }
}
