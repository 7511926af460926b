namespace Cosmos.Net.Services.Http
{
    /// <summary>What happened to the bytes given to <see cref="HttpRequestParser.Parse"/>.</summary>
    public enum HttpParseResult : byte
    {
        /// <summary>No complete head yet, and nothing wrong so far: wait for more bytes.</summary>
        Incomplete,
        /// <summary>A complete, valid head of <see cref="HttpRequest.HeadLength"/> bytes.</summary>
        Complete,
        /// <summary>The request breaks a rule (<see cref="HttpRequest.Rejection"/>); answer its status and close.</summary>
        Rejected,
    }

    /// <summary>
    /// A parsed request head. Positions are offsets into the span that was parsed, so the struct holds no
    /// reference and copies freely; nothing is allocated.
    /// </summary>
    public struct HttpRequest
    {
        /// <summary>Set as soon as the method is read, even when a later part is rejected (a HEAD's error has no body).</summary>
        public HttpMethod Method;
        /// <summary>1 for HTTP/1.1 (and 1.x above it, answered as 1.1, RFC 9110 §6.2), 0 for HTTP/1.0.</summary>
        public byte MinorVersion;
        public int TargetStart, TargetLength;
        /// <summary>The path of an origin-form or absolute-form target, without the query; empty means "/".</summary>
        public int PathStart, PathLength;
        /// <summary>Bytes from the first byte given (leading empty lines included) to the end of the empty line after the fields.</summary>
        public int HeadLength;
        /// <summary>The body's length from Content-Length, 0 without it.</summary>
        public long ContentLength;
        /// <summary>The connection persists after the response (RFC 9112 §9.3): HTTP/1.1 without "close", or HTTP/1.0 with "keep-alive".</summary>
        public bool KeepAlive;
        /// <summary>Expect: 100-continue was sent.</summary>
        public bool ExpectContinue;
        public int FieldCount;
        public HttpRejection Rejection;
    }
}
