using System;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols.Tcp;

namespace Cosmos.Net.Services.Http
{
    /// <summary>
    /// HTTP/1.1 on port 80 (RFC 9110, RFC 9112). Connections persist (HTTP/1.0 ones only with "Connection:
    /// keep-alive"); pipelined requests are answered in order, at most <see cref="HttpLimits.MaxRequestsPerTurn"/>
    /// per connection per turn; "Connection: close" is answered, then the connection closed. GET and HEAD of "/"
    /// (the status page) and "/hello"; 404 for other paths, 405 with Allow for other methods, and the parser's
    /// refusals (400, 413, 414, 431, 501, 505) answered and closed. Request bodies are read by Content-Length and
    /// discarded. Idle connections close after <see cref="HttpLimits.IdleTimeoutMs"/>; a request head must arrive
    /// within <see cref="HttpLimits.HeadTimeoutMs"/> (else 408). As many connections as the TCP endpoint has.
    /// </summary>
    public sealed class HttpServer
    {
        public const ushort Port = 80;
        private readonly TcpListenerQueue _listener;
        private readonly HttpSite _site;
        private readonly HttpConnection[] _connections = new HttpConnection[TcpEndpoint.MaxConnections];
        private readonly HttpBufferPool _pool;
        private readonly byte[] _head = new byte[256];
        private readonly byte[] _body = new byte[HttpLimits.MaxBodyBytes];   // response bodies, and request bodies discarded

        public long Accepted, Requests, Rejected, Responses2xx, Responses4xx, Responses5xx;
        public long IdleCloses, HeadTimeouts, StalledAborts, PoolWaits, Refused;

        public HttpServer(NetworkInterface networkInterface, IStatusPage page)
        {
            // The accept backlog bounds the handshakes that may complete between two of our turns; SYNs beyond it are
            // dropped (the client retries). Every connection the endpoint can hold may be waiting to be accepted.
            _listener = networkInterface.Tcp.Listen(Port, TcpEndpoint.MaxConnections);
            _site = new HttpSite(page);
            // Buffers only for connections in the middle of a request head: half the connections, 8 to 64 of them.
            _pool = new HttpBufferPool(Math.Max(8, Math.Min(64, TcpEndpoint.MaxConnections / 2)), HttpLimits.MaxHeadBytes);
        }

        public bool IsListening => _listener != null;
        /// <summary>Connections the TCP listener refused because its backlog was full when their handshakes completed.</summary>
        public long ListenerRefused => _listener == null ? 0 : _listener.Refused;
        public HttpBufferPool Buffers => _pool;

        public int OpenConnections => _open;

        // Slots in use, so a turn with no HTTP client skips the walk over every slot (one per TCP connection the stack
        // can hold): the walk was 1.5 % of the guest's time during a TCP echo that had nothing to do with HTTP.
        private int _open;

        /// <summary>One service turn at <paramref name="nowMs"/> (the stack's clock); true if anything happened.</summary>
        public bool Poll(long nowMs)
        {
            if (_listener == null) return false;
            bool busy = AcceptWaiting(nowMs);
            for (int i = 0; _open > 0 && i < _connections.Length; i++)
                if (_connections[i].InUse) busy |= Serve(ref _connections[i], nowMs);
            return busy;
        }

        private bool AcceptWaiting(long nowMs)
        {
            bool any = false;
            for (TcpConnection c; (c = _listener.Accept()) != null;)
            {
                any = true;
                int free = -1;
                for (int i = 0; i < _connections.Length; i++)
                {
                    // The stack hands out pooled connection objects: one still in a slot was freed and reused.
                    if (_connections[i].Tcp == c) Detach(ref _connections[i]);
                    if (free < 0 && !_connections[i].InUse) free = i;
                }
                if (free < 0) { Refused++; c.Abort(); continue; } // cannot happen: one slot per TCP connection
                Accepted++;
                _connections[free].Attach(c, nowMs);
                _open++;
            }
            return any;
        }

        private bool Serve(ref HttpConnection conn, long now)
        {
            TcpConnection c = conn.Tcp;
            if (!conn.Owns(c, Port)) { Detach(ref conn); return false; } // reset, or aborted: the stack freed it
            bool busy = false;
            conn.WaitingForSendSpace = false;
            bool turnUsedUp = false;
            for (int answered = 0; ;)
            {
                if (answered == HttpLimits.MaxRequestsPerTurn) { turnUsedUp = true; break; }
                if (conn.BodyRemaining > 0)
                {
                    // The body of the request just answered: buffered bytes first, then straight from TCP.
                    int buffered = (int)Math.Min(conn.BodyRemaining, conn.Pending);
                    int n = buffered > 0 ? buffered : c.Read(_body.AsSpan(0, (int)Math.Min(conn.BodyRemaining, _body.Length)));
                    if (n == 0) break;
                    conn.Start += buffered;
                    conn.BodyRemaining -= n;
                    conn.LastActivityMs = now;
                    busy = true;
                    continue;
                }
                if (conn.Lease < 0)
                {
                    if (c.Available == 0) break;
                    if (!_pool.TryLease(out conn.Lease)) { PoolWaits++; break; }
                    conn.Start = conn.End = 0;
                }
                Span<byte> buffer = _pool.Buffer(conn.Lease);
                if (conn.Start > 0)
                {
                    buffer.Slice(conn.Start, conn.Pending).CopyTo(buffer);
                    conn.End -= conn.Start;
                    conn.Start = 0;
                }
                if (c.Available > 0 && conn.End < buffer.Length)
                {
                    if (conn.Pending == 0) conn.HeadStartedMs = now;
                    int n = c.Read(buffer.Slice(conn.End));
                    conn.End += n;
                    conn.LastActivityMs = now;
                    busy = true;
                }
                if (conn.Pending == 0) { ReturnLease(ref conn); break; }

                HttpParseResult result = HttpRequestParser.Parse(buffer.Slice(conn.Start, conn.Pending), out HttpRequest request);
                if (result == HttpParseResult.Incomplete) break;
                if (result == HttpParseResult.Rejected)
                {
                    if (!Respond(c, HttpRejections.Status(request.Rejection), HttpResource.None, request.Method, HttpConnectionOption.Close))
                    {
                        conn.WaitingForSendSpace = true;
                        break;
                    }
                    Rejected++;
                    c.Close();
                    Detach(ref conn);
                    return true;
                }

                ReadOnlySpan<byte> path = buffer.Slice(conn.Start + request.PathStart, request.PathLength);
                HttpResource resource = HttpSite.Find(path);
                int status = resource == HttpResource.None ? HttpStatus.NotFound
                    : request.Method == HttpMethod.Get || request.Method == HttpMethod.Head ? HttpStatus.Ok
                    : HttpStatus.MethodNotAllowed;
                // A client that waits for 100 (Continue) may or may not send its body after a final status (RFC 9110
                // §10.1.1): the next request's start is unknowable, so the connection ends with this response.
                bool close = !request.KeepAlive || (request.ExpectContinue && request.ContentLength > 0);
                HttpConnectionOption option = close ? HttpConnectionOption.Close
                    : request.MinorVersion == 0 ? HttpConnectionOption.KeepAlive : HttpConnectionOption.Persist;
                if (!Respond(c, status, resource, request.Method, option)) { conn.WaitingForSendSpace = true; break; }
                Requests++;
                answered++;
                busy = true;
                conn.LastActivityMs = now;
                if (close)
                {
                    c.Close();
                    Detach(ref conn);
                    return true;
                }
                conn.Start += request.HeadLength;
                conn.BodyRemaining = request.ContentLength;
                conn.HeadStartedMs = now; // the next pipelined head, if its bytes are here, is timed from now
            }
            if (turnUsedUp) return true; // more may be waiting: the next turn goes on, before any close or timer
            return EndOfTurn(ref conn, c, now) | busy;
        }

        /// <summary>The peer's close, and the timers: idle, slow head, a peer that stopped reading.</summary>
        private bool EndOfTurn(ref HttpConnection conn, TcpConnection c, long now)
        {
            if (conn.WaitingForSendSpace)
            {
                if (now - conn.LastActivityMs < HttpLimits.IdleTimeoutMs) return false;
                StalledAborts++; // its responses have not drained for the idle timeout: the peer is not reading
                c.Abort();
                Detach(ref conn);
                return true;
            }
            if (c.IsReadClosed)
            {
                // Every byte before the peer's FIN has been read and every complete request answered; what is left is
                // at most part of a request that can no longer complete.
                c.Close();
                Detach(ref conn);
                return true;
            }
            bool headPending = conn.Pending > 0 && conn.BodyRemaining == 0;
            if (headPending)
            {
                if (now - conn.HeadStartedMs < HttpLimits.HeadTimeoutMs) return false;
                HeadTimeouts++;
                // RFC 9110 §15.5.9: a 408 says the server closes rather than wait longer.
                if (Respond(c, HttpStatus.RequestTimeout, HttpResource.None, HttpMethod.None, HttpConnectionOption.Close)) c.Close();
                else c.Abort();
                Detach(ref conn);
                return true;
            }
            if (c.Available > 0) return false; // waiting for a pooled buffer, not idle
            if (now - conn.LastActivityMs < HttpLimits.IdleTimeoutMs) return false;
            IdleCloses++;
            c.Close();
            Detach(ref conn);
            return true;
        }

        /// <summary>Writes one whole response, or nothing when the send buffer cannot take it all yet.</summary>
        private bool Respond(TcpConnection c, int status, HttpResource resource, HttpMethod method, HttpConnectionOption option)
        {
            int bodyLength = status == HttpStatus.Ok ? _site.WriteBody(resource, _body) : HttpResponseWriter.WriteErrorBody(_body, status);
            int headLength = HttpResponseWriter.WriteHead(_head, status, bodyLength, option);
            bool sendBody = method != HttpMethod.Head; // RFC 9110 §9.3.2: the same head, no content
            int total = headLength + (sendBody ? bodyLength : 0);
            if (c.SendSpace < total) return false;
            c.Write(_head.AsSpan(0, headLength));
            if (sendBody) c.Write(_body.AsSpan(0, bodyLength));
            if (status < 300) Responses2xx++; else if (status < 500) Responses4xx++; else Responses5xx++;
            return true;
        }

        private void ReturnLease(ref HttpConnection conn)
        {
            if (conn.Lease >= 0) _pool.Return(conn.Lease);
            conn.Lease = -1;
            conn.Start = conn.End = 0;
        }

        private void Detach(ref HttpConnection conn)
        {
            if (conn.Tcp == null) return;
            ReturnLease(ref conn);
            conn.Tcp = null;
            _open--;
        }
    }
}
