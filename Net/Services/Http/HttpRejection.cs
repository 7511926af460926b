namespace Cosmos.Net.Services.Http
{
    /// <summary>Why a request was refused: the rule it broke, from which its status follows (<see cref="HttpRejections.Status"/>).</summary>
    public enum HttpRejection : byte
    {
        None,
        // 400 Bad Request
        /// <summary>A CR not followed by LF (RFC 9112 §2.2).</summary>
        BareCarriageReturn,
        /// <summary>Not "method SP request-target SP HTTP-version" (RFC 9112 §3): a missing part, or doubled spaces.</summary>
        BadRequestLine,
        /// <summary>A method that is not a token, or longer than <see cref="HttpLimits.MaxMethodLength"/>.</summary>
        BadMethod,
        /// <summary>A target with a control, space, non-ASCII byte or '#', or in a form its method may not use (RFC 9112 §3.2).</summary>
        BadTarget,
        /// <summary>Not "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3).</summary>
        BadVersion,
        /// <summary>A field name that is not a token, or empty (RFC 9110 §5.1).</summary>
        BadFieldName,
        /// <summary>Whitespace between a field name and its colon (RFC 9112 §5.1: MUST reject with 400).</summary>
        WhitespaceBeforeColon,
        /// <summary>A field line that begins with whitespace: obs-fold, or whitespace before the first field (RFC 9112 §5.2, §2.2).</summary>
        ObsoleteLineFolding,
        /// <summary>A control character (NUL among them) in a field value (RFC 9110 §5.5).</summary>
        BadFieldValue,
        /// <summary>An HTTP/1.1 request without Host (RFC 9112 §3.2).</summary>
        MissingHost,
        /// <summary>More than one Host field line (RFC 9112 §3.2).</summary>
        DuplicateHost,
        /// <summary>A Host value that is not uri-host [":" port] (RFC 9112 §3.2, RFC 3986 §3.2.2).</summary>
        BadHost,
        /// <summary>A Content-Length that is not 1*DIGIT, or a list (RFC 9110 §8.6).</summary>
        BadContentLength,
        /// <summary>Two Content-Length field lines (RFC 9110 §8.6 lets a recipient reject them; we do, even when equal).</summary>
        DuplicateContentLength,
        /// <summary>Transfer-Encoding together with Content-Length (RFC 9112 §6.3: a smuggling attempt; rejected).</summary>
        TransferEncodingWithContentLength,
        /// <summary>A Transfer-Encoding whose final coding is not chunked (RFC 9112 §6.3: MUST respond 400 and close).</summary>
        BadTransferEncoding,
        // 413, 414, 431, 501, 505
        /// <summary>A body longer than <see cref="HttpLimits.MaxRequestBody"/> (413 Content Too Large).</summary>
        ContentTooLarge,
        /// <summary>A target longer than <see cref="HttpLimits.MaxTargetLength"/> (414 URI Too Long).</summary>
        TargetTooLong,
        /// <summary>More than <see cref="HttpLimits.MaxFieldCount"/> field lines (431).</summary>
        TooManyFields,
        /// <summary>A head that does not fit in <see cref="HttpLimits.MaxHeadBytes"/> (431).</summary>
        HeadTooLarge,
        /// <summary>A chunked request body: this server reads bodies by Content-Length only (501 Not Implemented, RFC 9112 §6.1).</summary>
        ChunkedNotSupported,
        /// <summary>An HTTP major version other than 1 (505).</summary>
        VersionNotSupported,
    }

    public static class HttpRejections
    {
        /// <summary>The status code a request refused for <paramref name="rejection"/> is answered with.</summary>
        public static int Status(HttpRejection rejection)
        {
            switch (rejection)
            {
                case HttpRejection.None: return 200;
                case HttpRejection.ContentTooLarge: return HttpStatus.ContentTooLarge;
                case HttpRejection.TargetTooLong: return HttpStatus.UriTooLong;
                case HttpRejection.TooManyFields:
                case HttpRejection.HeadTooLarge: return HttpStatus.RequestHeaderFieldsTooLarge;
                case HttpRejection.ChunkedNotSupported: return HttpStatus.NotImplemented;
                case HttpRejection.VersionNotSupported: return HttpStatus.HttpVersionNotSupported;
                default: return HttpStatus.BadRequest;
            }
        }
    }
}
