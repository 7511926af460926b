using System;

namespace Cosmos.Net.Services.Http
{
    /// <summary>
    /// Parses one request head (RFC 9112 §2-§6, RFC 9110 §5) from the start of a span: a pure function of the
    /// bytes, called again from the start when more arrive. It reads only inside the span, allocates nothing and
    /// throws nothing; it reports a broken rule as soon as it is seen, so garbage is refused before its head ends.
    /// Accepted beyond the strict grammar, as RFC 9112 §2.2 allows: empty lines before the request line, and a bare
    /// LF as a line end. Refused where the RFCs let a server choose: obs-fold, duplicate or list Content-Length,
    /// Transfer-Encoding (chunked gets 501: bodies are read by Content-Length only), doubled spaces in the request line.
    /// </summary>
    public static class HttpRequestParser
    {
        /// <summary>Where the parse stopped when the bytes ran out, which decides the status of a head too large for the buffer.</summary>
        private enum Part : byte { RequestLine, Target, Fields }

        public static HttpParseResult Parse(ReadOnlySpan<byte> input, out HttpRequest request)
        {
            request = default;
            // A head is at most MaxHeadBytes wherever the span ends, so the answer never depends on how much follows.
            if (input.Length > HttpLimits.MaxHeadBytes) input = input.Slice(0, HttpLimits.MaxHeadBytes);
            int n = input.Length;
            int p = 0;

            // Empty lines before the request line are ignored (RFC 9112 §2.2).
            while (p < n && (input[p] == HttpAscii.Cr || input[p] == HttpAscii.Lf))
            {
                if (input[p] == HttpAscii.Lf) { p++; continue; }
                if (p + 1 >= n) return OutOfBytes(n, Part.RequestLine, ref request);
                if (input[p + 1] != HttpAscii.Lf) return Reject(ref request, HttpRejection.BareCarriageReturn);
                p += 2;
            }

            // method = token
            int methodStart = p;
            while (p < n && input[p] != HttpAscii.Sp)
            {
                if (!HttpAscii.IsTchar(input[p]) || p - methodStart >= HttpLimits.MaxMethodLength)
                    return Reject(ref request, p == methodStart && (input[p] == HttpAscii.Htab) ? HttpRejection.BadRequestLine : HttpRejection.BadMethod);
                p++;
            }
            if (p >= n) return OutOfBytes(n, Part.RequestLine, ref request);
            if (p == methodStart) return Reject(ref request, HttpRejection.BadRequestLine);
            request.Method = MethodOf(input.Slice(methodStart, p - methodStart));
            p++;

            // request-target: visible ASCII except '#' (a fragment is never sent, RFC 9112 §3.2)
            int targetStart = p;
            while (p < n && input[p] != HttpAscii.Sp)
            {
                byte b = input[p];
                if (b == HttpAscii.Cr || b == HttpAscii.Lf) return Reject(ref request, HttpRejection.BadRequestLine); // no version (HTTP/0.9)
                if (b <= 0x20 || b >= 0x7F || b == '#') return Reject(ref request, HttpRejection.BadTarget);
                if (p - targetStart >= HttpLimits.MaxTargetLength) return Reject(ref request, HttpRejection.TargetTooLong);
                p++;
            }
            if (p >= n) return OutOfBytes(n, Part.Target, ref request);
            if (p == targetStart) return Reject(ref request, HttpRejection.BadRequestLine);
            request.TargetStart = targetStart;
            request.TargetLength = p - targetStart;
            p++;

            // HTTP-version = "HTTP/" DIGIT "." DIGIT (case-sensitive, RFC 9112 §2.3), then CRLF or LF
            const string prefix = "HTTP/";
            if (p < n && input[p] == HttpAscii.Sp) return Reject(ref request, HttpRejection.BadRequestLine); // a doubled space
            for (int i = 0; i < 8; i++)
            {
                if (p + i >= n) return OutOfBytes(n, Part.RequestLine, ref request);
                byte b = input[p + i];
                bool ok = i < 5 ? b == prefix[i] : i == 6 ? b == '.' : HttpAscii.IsDigit(b);
                if (!ok) return Reject(ref request, HttpRejection.BadVersion);
            }
            if (input[p + 5] != '1') return Reject(ref request, HttpRejection.VersionNotSupported);
            request.MinorVersion = (byte)(input[p + 7] == '0' ? 0 : 1);
            p += 8;
            HttpRejection lineEnd = LineEnd(input, ref p, out bool more);
            if (more) return OutOfBytes(n, Part.RequestLine, ref request);
            if (lineEnd != HttpRejection.None) return Reject(ref request, lineEnd == HttpRejection.BadFieldValue ? HttpRejection.BadRequestLine : lineEnd);

            HttpRejection targetForm = CheckTarget(input, ref request);
            if (targetForm != HttpRejection.None) return Reject(ref request, targetForm);

            // field-line = field-name ":" OWS field-value OWS, until the empty line
            int hosts = 0, lengths = 0;
            bool close = false, keepAlive = false, transferEncoding = false, chunkedLast = false;
            while (true)
            {
                if (p >= n) return OutOfBytes(n, Part.Fields, ref request);
                byte first = input[p];
                if (first == HttpAscii.Cr || first == HttpAscii.Lf)
                {
                    HttpRejection end = LineEnd(input, ref p, out bool needMore);
                    if (needMore) return OutOfBytes(n, Part.Fields, ref request);
                    if (end != HttpRejection.None) return Reject(ref request, end);
                    break;
                }
                if (first == HttpAscii.Sp || first == HttpAscii.Htab) return Reject(ref request, HttpRejection.ObsoleteLineFolding);

                int nameStart = p;
                while (p < n && input[p] != ':')
                {
                    byte b = input[p];
                    if (b == HttpAscii.Sp || b == HttpAscii.Htab) return Reject(ref request, HttpRejection.WhitespaceBeforeColon);
                    if (!HttpAscii.IsTchar(b)) return Reject(ref request, HttpRejection.BadFieldName);
                    p++;
                }
                if (p >= n) return OutOfBytes(n, Part.Fields, ref request);
                if (p == nameStart) return Reject(ref request, HttpRejection.BadFieldName);
                ReadOnlySpan<byte> name = input.Slice(nameStart, p - nameStart);
                p++;

                int valueStart = p;
                while (p < n && input[p] != HttpAscii.Cr && input[p] != HttpAscii.Lf)
                {
                    if (!HttpAscii.IsFieldValueByte(input[p])) return Reject(ref request, HttpRejection.BadFieldValue);
                    p++;
                }
                int valueEnd = p;
                HttpRejection fieldEnd = LineEnd(input, ref p, out bool fieldMore);
                if (fieldMore) return OutOfBytes(n, Part.Fields, ref request);
                if (fieldEnd != HttpRejection.None) return Reject(ref request, fieldEnd);
                if (++request.FieldCount > HttpLimits.MaxFieldCount) return Reject(ref request, HttpRejection.TooManyFields);
                ReadOnlySpan<byte> value = HttpAscii.TrimWhitespace(input.Slice(valueStart, valueEnd - valueStart));

                if (HttpAscii.EqualsIgnoreCase(name, "host"))
                {
                    if (++hosts > 1) return Reject(ref request, HttpRejection.DuplicateHost);
                    for (int i = 0; i < value.Length; i++)
                        if (!HttpAscii.IsHostByte(value[i])) return Reject(ref request, HttpRejection.BadHost);
                }
                else if (HttpAscii.EqualsIgnoreCase(name, "content-length"))
                {
                    if (++lengths > 1) return Reject(ref request, HttpRejection.DuplicateContentLength);
                    if (value.Length == 0 || value.Length > 18) return Reject(ref request, HttpRejection.BadContentLength);
                    long length = 0;
                    for (int i = 0; i < value.Length; i++)
                    {
                        if (!HttpAscii.IsDigit(value[i])) return Reject(ref request, HttpRejection.BadContentLength);
                        length = length * 10 + (value[i] - '0');
                    }
                    request.ContentLength = length;
                }
                else if (HttpAscii.EqualsIgnoreCase(name, "transfer-encoding"))
                {
                    transferEncoding = true;
                    ReadOnlySpan<byte> last = LastListElement(value);
                    if (last.Length > 0) chunkedLast = HttpAscii.EqualsIgnoreCase(last, "chunked");
                }
                else if (HttpAscii.EqualsIgnoreCase(name, "connection"))
                {
                    ConnectionOptions(value, ref close, ref keepAlive);
                }
                else if (HttpAscii.EqualsIgnoreCase(name, "expect"))
                {
                    if (HttpAscii.EqualsIgnoreCase(value, "100-continue")) request.ExpectContinue = true;
                }
            }
            request.HeadLength = p;

            if (request.MinorVersion >= 1 && hosts == 0) return Reject(ref request, HttpRejection.MissingHost);
            if (transferEncoding)
            {
                if (lengths > 0) return Reject(ref request, HttpRejection.TransferEncodingWithContentLength);
                return Reject(ref request, chunkedLast ? HttpRejection.ChunkedNotSupported : HttpRejection.BadTransferEncoding);
            }
            if (request.ContentLength > HttpLimits.MaxRequestBody) return Reject(ref request, HttpRejection.ContentTooLarge);
            request.KeepAlive = !close && (request.MinorVersion >= 1 || keepAlive);
            return HttpParseResult.Complete;
        }

        private static HttpParseResult Reject(ref HttpRequest request, HttpRejection rejection)
        {
            request.Rejection = rejection;
            request.KeepAlive = false;
            return HttpParseResult.Rejected;
        }

        /// <summary>The bytes ran out: wait for more, unless the buffer is already as large as a head may be.</summary>
        private static HttpParseResult OutOfBytes(int length, Part part, ref HttpRequest request)
        {
            if (length < HttpLimits.MaxHeadBytes) return HttpParseResult.Incomplete;
            return Reject(ref request, part == Part.Fields ? HttpRejection.HeadTooLarge
                : part == Part.Target ? HttpRejection.TargetTooLong : HttpRejection.BadRequestLine);
        }

        /// <summary>At a CR or LF: consumes CRLF or a bare LF; a CR followed by anything else is a bare CR.</summary>
        private static HttpRejection LineEnd(ReadOnlySpan<byte> input, ref int p, out bool needMore)
        {
            needMore = false;
            if (p >= input.Length) { needMore = true; return HttpRejection.None; }
            if (input[p] == HttpAscii.Lf) { p++; return HttpRejection.None; }
            if (input[p] != HttpAscii.Cr) return HttpRejection.BadFieldValue;
            if (p + 1 >= input.Length) { needMore = true; return HttpRejection.None; }
            if (input[p + 1] != HttpAscii.Lf) return HttpRejection.BareCarriageReturn;
            p += 2;
            return HttpRejection.None;
        }

        private static HttpMethod MethodOf(ReadOnlySpan<byte> method)
        {
            // Methods are case-sensitive (RFC 9110 §9.1): "get" is some other method.
            if (HttpAscii.Matches(method, "GET")) return HttpMethod.Get;
            if (HttpAscii.Matches(method, "HEAD")) return HttpMethod.Head;
            if (HttpAscii.Matches(method, "OPTIONS")) return HttpMethod.Options;
            if (HttpAscii.Matches(method, "CONNECT")) return HttpMethod.Connect;
            return HttpMethod.Other;
        }

        /// <summary>
        /// The four target forms (RFC 9112 §3.2): origin-form "/path?query"; absolute-form "http://authority/path"
        /// (a server MUST accept it, §3.2.2); authority-form for CONNECT only; "*" for OPTIONS only. Sets the path.
        /// </summary>
        private static HttpRejection CheckTarget(ReadOnlySpan<byte> input, ref HttpRequest request)
        {
            ReadOnlySpan<byte> target = input.Slice(request.TargetStart, request.TargetLength);
            int pathStart;
            if (target[0] == '/') pathStart = 0;
            else if (target.Length == 1 && target[0] == '*')
                return request.Method == HttpMethod.Options ? HttpRejection.None : HttpRejection.BadTarget;
            else if (request.Method == HttpMethod.Connect) return HttpRejection.None;
            else
            {
                int scheme = SchemeLength(target);
                if (scheme == 0) return HttpRejection.BadTarget;
                pathStart = scheme;
                while (pathStart < target.Length && target[pathStart] != '/' && target[pathStart] != '?') pathStart++;
            }
            int pathEnd = pathStart;
            while (pathEnd < target.Length && target[pathEnd] != '?') pathEnd++;
            request.PathStart = request.TargetStart + pathStart;
            request.PathLength = pathEnd - pathStart;
            return HttpRejection.None;
        }

        /// <summary>Length of "http://" or "https://" at the start (any case), or 0.</summary>
        private static int SchemeLength(ReadOnlySpan<byte> target)
        {
            if (target.Length >= 7 && HttpAscii.EqualsIgnoreCase(target.Slice(0, 7), "http://")) return 7;
            if (target.Length >= 8 && HttpAscii.EqualsIgnoreCase(target.Slice(0, 8), "https://")) return 8;
            return 0;
        }

        /// <summary>The last non-empty element of a comma-separated list, trimmed.</summary>
        private static ReadOnlySpan<byte> LastListElement(ReadOnlySpan<byte> value)
        {
            int end = value.Length;
            while (true)
            {
                int start = end;
                while (start > 0 && value[start - 1] != ',') start--;
                ReadOnlySpan<byte> element = HttpAscii.TrimWhitespace(value.Slice(start, end - start));
                if (element.Length > 0 || start == 0) return element;
                end = start - 1;
            }
        }

        /// <summary>The connection options "close" and "keep-alive" in a Connection value (RFC 9110 §7.6.1), any case.</summary>
        private static void ConnectionOptions(ReadOnlySpan<byte> value, ref bool close, ref bool keepAlive)
        {
            int start = 0;
            while (start <= value.Length)
            {
                int end = start;
                while (end < value.Length && value[end] != ',') end++;
                ReadOnlySpan<byte> option = HttpAscii.TrimWhitespace(value.Slice(start, end - start));
                if (HttpAscii.EqualsIgnoreCase(option, "close")) close = true;
                else if (HttpAscii.EqualsIgnoreCase(option, "keep-alive")) keepAlive = true;
                start = end + 1;
            }
        }
    }
}
