using System;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols.Tcp;

namespace Cosmos.Net.Services
{
    /// <summary>Fills the status page's body.</summary>
    public interface IStatusPage
    {
        void Write(ref AsciiWriter writer);
    }

    /// <summary>
    /// A minimal HTTP/1.1 server on port 80 (RFC 9112): reads a request head, answers GET with the status page
    /// (text/plain), anything else with 405, then closes the connection.
    /// </summary>
    public sealed class HttpStatusServer
    {
        public const ushort Port = 80;
        private const int MaxClients = 8;
        private const int RequestLimit = 4096;
        private readonly TcpListenerQueue _listener;
        private readonly IStatusPage _page;
        private readonly TcpClientSlots _clients;
        private readonly byte[][] _requests = new byte[MaxClients][];
        private readonly int[] _requestLength = new int[MaxClients];
        private readonly byte[] _response = new byte[8192];
        private readonly byte[] _body = new byte[6144];
        public long Requests, BadRequests;

        public HttpStatusServer(NetworkInterface networkInterface, IStatusPage page)
        {
            _listener = networkInterface.Tcp.Listen(Port);
            _clients = new TcpClientSlots(_listener, MaxClients);
            _page = page;
            for (int i = 0; i < MaxClients; i++) _requests[i] = new byte[RequestLimit];
        }

        public bool IsListening => _listener != null;

        public bool Poll()
        {
            if (_listener == null) return false;
            bool busy = false;
            for (int slot; (slot = _clients.AcceptNext()) >= 0;) _requestLength[slot] = 0;
            for (int i = 0; i < MaxClients; i++)
            {
                TcpConnection c = _clients.Live(i);
                if (c == null) continue;
                int room = RequestLimit - _requestLength[i];
                int n = c.Read(_requests[i].AsSpan(_requestLength[i], room));
                _requestLength[i] += n;
                busy |= n > 0;
                ReadOnlySpan<byte> request = _requests[i].AsSpan(0, _requestLength[i]);
                if (EndOfHead(request) < 0)
                {
                    if (_requestLength[i] == RequestLimit || c.IsReadClosed) { BadRequests++; Respond(c, 400, "Bad Request"); _clients.Release(i); }
                    continue;
                }
                Requests++;
                bool isGet = request.Length > 4 && request[0] == 'G' && request[1] == 'E' && request[2] == 'T' && request[3] == ' ';
                if (isGet) Respond(c, 200, "OK"); else Respond(c, 405, "Method Not Allowed");
                _clients.Release(i);
                busy = true;
            }
            return busy;
        }

        private static int EndOfHead(ReadOnlySpan<byte> r)
        {
            for (int i = 3; i < r.Length; i++)
                if (r[i - 3] == '\r' && r[i - 2] == '\n' && r[i - 1] == '\r' && r[i] == '\n') return i + 1;
            return -1;
        }

        private void Respond(TcpConnection c, int status, string reason)
        {
            var body = new AsciiWriter(_body);
            if (status == 200) _page.Write(ref body);
            else { body.Write(reason); body.Write('\n'); }
            var head = new AsciiWriter(_response);
            head.Write("HTTP/1.1 ");
            head.Write(status);
            head.Write(' ');
            head.Write(reason);
            head.Write("\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Length: ");
            head.Write(body.Length);
            head.Write("\r\nConnection: close\r\nServer: cosmos-net\r\n\r\n");
            int headLength = head.Length;
            _body.AsSpan(0, body.Length).CopyTo(_response.AsSpan(headLength));
            int total = headLength + body.Length;
            int written = c.Write(_response.AsSpan(0, total)); // 8 KiB fits the 32 KiB send buffer of a new connection
            if (written < total) c.Abort(); else c.Close();
        }
    }
}
