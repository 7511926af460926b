namespace Cosmos.Net.Services.Http
{
    /// <summary>
    /// Every bound the HTTP server keeps, in one place (the README quotes them). A request head must fit in one
    /// pooled buffer; a connection holds such a buffer only while a request head is being read.
    /// </summary>
    public static class HttpLimits
    {
        /// <summary>Bytes of one request head (request line and header section), and of one pooled buffer. Beyond: 431 (or 414 in the target).</summary>
        public const int MaxHeadBytes = 4096;
        /// <summary>Bytes of a request target. Beyond: 414 (RFC 9112 §3.2: servers SHOULD accept at least 8000, but our whole head is 4 KiB).</summary>
        public const int MaxTargetLength = 2048;
        /// <summary>Bytes of a method token; no method we know is longer. Beyond: 400.</summary>
        public const int MaxMethodLength = 32;
        /// <summary>Header field lines in one request. Beyond: 431.</summary>
        public const int MaxFieldCount = 64;
        /// <summary>Content-Length of a request body the server reads and discards to keep the connection. Beyond: 413 and close.</summary>
        public const long MaxRequestBody = 1 << 20;
        /// <summary>A persistent connection with no request in progress is closed after this long (RFC 9112 §9.5).</summary>
        public const long IdleTimeoutMs = 5_000;
        /// <summary>A request head must arrive whole within this long of its first byte; else 408 and close.</summary>
        public const long HeadTimeoutMs = 10_000;
        /// <summary>Pipelined requests answered on one connection in one service turn, so one client cannot starve the rest.</summary>
        public const int MaxRequestsPerTurn = 16;
        /// <summary>Bytes of a response body (the status page is about 1.5 KiB); a longer one is cut here, its Content-Length stays true.</summary>
        public const int MaxBodyBytes = 8192;
    }
}
