using System;

namespace Cosmos.Net.Services.Http
{
    /// <summary>The resources the server has.</summary>
    public enum HttpResource : byte
    {
        /// <summary>No such path: 404.</summary>
        None,
        /// <summary>"/": the kernel's status page (text/plain, about 1.5 KiB, written fresh for each request).</summary>
        StatusPage,
        /// <summary>"/hello": a fixed 14-byte body for benchmarks ("Hello, world!\n").</summary>
        Hello,
    }

    /// <summary>Maps a request path to a resource and writes its body. Paths match exactly and case-sensitively; the query is ignored.</summary>
    public sealed class HttpSite
    {
        public const string HelloPath = "/hello";
        public const string HelloBody = "Hello, world!\n";
        private readonly IStatusPage _statusPage;

        public HttpSite(IStatusPage statusPage) { _statusPage = statusPage; }

        public static HttpResource Find(ReadOnlySpan<byte> path)
        {
            if (path.Length == 0 || HttpAscii.Matches(path, "/")) return HttpResource.StatusPage;
            if (HttpAscii.Matches(path, HelloPath)) return HttpResource.Hello;
            return HttpResource.None;
        }

        /// <summary>Writes the resource's body; returns its length.</summary>
        public int WriteBody(HttpResource resource, Span<byte> destination)
        {
            var w = new AsciiWriter(destination);
            if (resource == HttpResource.StatusPage) _statusPage?.Write(ref w);
            else if (resource == HttpResource.Hello) w.Write(HelloBody);
            return w.Length;
        }
    }
}
