using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace KeyValueServer
{
    /// <summary>
    /// One client: reads what arrives, runs every complete command in it (a pipelined batch at once), and writes all
    /// their replies in one write. A protocol error is answered with -ERR and ends the connection, as Redis does.
    /// </summary>
    public sealed class Connection
    {
        private const int MaxBuffer = 32 * 1024 * 1024;
        private readonly TcpClient _client;
        private readonly Commands _commands;
        private byte[] _buffer = new byte[16384];
        private int _start, _end;

        public Connection(TcpClient client, Store store)
        {
            _client = client;
            _commands = new Commands(store);
        }

        public async Task ServeAsync()
        {
            var arguments = new Arguments();
            var replies = new RespWriter();
            try
            {
                using (_client)
                {
                    NetworkStream stream = _client.GetStream();
                    while (true)
                    {
                        if (_end == _buffer.Length && !MakeRoom()) return;
                        int n = await stream.ReadAsync(_buffer.AsMemory(_end, _buffer.Length - _end));
                        if (n == 0) return;
                        _end += n;
                        bool open = true;
                        replies.Clear();
                        while (open)
                        {
                            int position = _start;
                            ParseResult result = RespReader.TryParse(_buffer, ref position, _end, arguments, out string error);
                            if (result == ParseResult.Incomplete) break;
                            if (result == ParseResult.Error)
                            {
                                replies.Error("ERR " + error);
                                open = false;
                                break;
                            }
                            _start = position;
                            // One keyspace for every client: on .NET the clients' tasks run on several threads at once,
                            // in the kernel on one; the lock makes each command atomic on both.
                            lock (_commands.Store) open = _commands.Execute(arguments, replies);
                        }
                        if (replies.Length > 0) await stream.WriteAsync(replies.Buffer.AsMemory(0, replies.Length));
                        if (!open) return;
                        if (_start == _end) _start = _end = 0;
                    }
                }
            }
            catch (IOException) { }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
        }

        /// <summary>Moves the unread part to the front, or grows the buffer for a long command; false past the limit.</summary>
        private bool MakeRoom()
        {
            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
                return true;
            }
            if (_buffer.Length >= MaxBuffer) return false;
            var larger = new byte[_buffer.Length * 2];
            Array.Copy(_buffer, larger, _end);
            _buffer = larger;
            return true;
        }
    }
}
