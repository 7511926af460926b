namespace Cosmos.Net.Services.Http
{
    /// <summary>The status codes this server sends and their reason phrases (RFC 9110 §15).</summary>
    public static class HttpStatus
    {
        public const int Ok = 200;
        public const int BadRequest = 400;
        public const int NotFound = 404;
        public const int MethodNotAllowed = 405;
        public const int RequestTimeout = 408;
        public const int ContentTooLarge = 413;
        public const int UriTooLong = 414;
        public const int RequestHeaderFieldsTooLarge = 431;   // RFC 6585 §5
        public const int NotImplemented = 501;
        public const int HttpVersionNotSupported = 505;

        public static string Reason(int status)
        {
            switch (status)
            {
                case Ok: return "OK";
                case BadRequest: return "Bad Request";
                case NotFound: return "Not Found";
                case MethodNotAllowed: return "Method Not Allowed";
                case RequestTimeout: return "Request Timeout";
                case ContentTooLarge: return "Content Too Large";
                case UriTooLong: return "URI Too Long";
                case RequestHeaderFieldsTooLarge: return "Request Header Fields Too Large";
                case NotImplemented: return "Not Implemented";
                case HttpVersionNotSupported: return "HTTP Version Not Supported";
                default: return "Unknown";
            }
        }
    }
}
