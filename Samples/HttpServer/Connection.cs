using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace HttpServer
{
    /// <summary>
    /// One client connection: requests one after another (pipelined ones too), keep-alive unless the client asks to
    /// close, an idle timeout, and a status for every malformed request (then the connection closes).
    /// </summary>
    public sealed class Connection
    {
        private readonly TcpClient _client;
        private readonly Site _site;
        private readonly byte[] _buffer = new byte[Limits.MaxHeaderSection + Limits.MaxBody];
        private int _filled;

        public Connection(TcpClient client, Site site)
        {
            _client = client;
            _site = site;
        }

        public async Task ServeAsync()
        {
            _site.Connections++;
            _site.Open++;
            try
            {
                using (_client)
                {
                    NetworkStream stream = _client.GetStream();
                    while (await ServeOneAsync(stream)) { }
                }
            }
            catch (IOException) { }          // the client reset the connection
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
            finally
            {
                _site.Open--;
            }
        }

        /// <summary>Reads and answers one request; false when the connection is to close.</summary>
        private async Task<bool> ServeOneAsync(NetworkStream stream)
        {
            int headerEnd;
            while ((headerEnd = IndexOfBlankLine(_buffer, _filled)) < 0)
            {
                if (_filled >= Limits.MaxHeaderSection)
                {
                    await SendAsync(stream, Response.Error(431), false, false);
                    return false;
                }
                if (!await FillAsync(stream)) return false;
            }
            if (headerEnd > Limits.MaxHeaderSection)
            {
                await SendAsync(stream, Response.Error(431), false, false);
                return false;
            }
            int status = Request.TryParse(_buffer, headerEnd, out Request request);
            if (status != 0)
            {
                await SendAsync(stream, Response.Error(status), false, false);
                return false;
            }
            int bodyStart = headerEnd + 4;
            while (_filled - bodyStart < request.ContentLength)
                if (!await FillAsync(stream)) return false;
            request.Body = new byte[request.ContentLength];
            Array.Copy(_buffer, bodyStart, request.Body, 0, request.ContentLength);
            // What follows may already be the next (pipelined) request: keep it.
            int consumed = bodyStart + request.ContentLength;
            Array.Copy(_buffer, consumed, _buffer, 0, _filled - consumed);
            _filled -= consumed;

            Response response = _site.Handle(request);
            bool keepAlive = request.KeepAlive;
            await SendAsync(stream, response, keepAlive, request.Method == "HEAD");
            return keepAlive;
        }

        /// <summary>Reads more; false at the end of the stream or after the idle timeout.</summary>
        private async Task<bool> FillAsync(NetworkStream stream)
        {
            if (_filled == _buffer.Length) return false;
            using var idle = new CancellationTokenSource(Limits.IdleTimeoutMs);
            try
            {
                int n = await stream.ReadAsync(_buffer.AsMemory(_filled), idle.Token);
                if (n == 0) return false;
                _filled += n;
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        private static async Task SendAsync(NetworkStream stream, Response response, bool keepAlive, bool headOnly)
        {
            await stream.WriteAsync(response.Head(keepAlive));
            if (!headOnly && response.Body.Length > 0) await stream.WriteAsync(response.Body);
        }

        private static int IndexOfBlankLine(byte[] buffer, int length)
        {
            for (int i = 0; i + 3 < length; i++)
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') return i;
            return -1;
        }
    }
}
