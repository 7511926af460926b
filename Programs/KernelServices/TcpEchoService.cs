using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace KernelServices
{
    /// <summary>TCP echo (RFC 862): each connection gets back what it sends until it closes its side.</summary>
    public sealed class TcpEchoService
    {
        private const int BufferSize = 16 * 1024;
        private readonly int _port;
        private readonly ServiceCounters _counters;

        public TcpEchoService(int port, ServiceCounters counters)
        {
            _port = port;
            _counters = counters;
        }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var listener = new TcpListener(IPAddress.Any, _port);
            listener.Start();
            try
            {
                while (true)
                {
                    TcpClient client = await listener.AcceptTcpClientAsync(cancellationToken);
                    _counters.TcpConnection();
                    // Each connection has its own task; the accept loop goes straight back to waiting.
                    _ = EchoAsync(client, cancellationToken);
                }
            }
            finally
            {
                listener.Stop();
            }
        }

        private async Task EchoAsync(TcpClient client, CancellationToken cancellationToken)
        {
            using (client)
            {
                client.NoDelay = true;
                NetworkStream stream = client.GetStream();
                byte[] buffer = new byte[BufferSize];
                try
                {
                    while (true)
                    {
                        int n = await stream.ReadAsync(buffer.AsMemory(), cancellationToken);
                        if (n == 0) break;
                        await stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                        _counters.TcpEchoBytes(n);
                    }
                }
                catch (IOException)
                {
                    // The peer reset the connection: nothing more to echo.
                }
            }
        }
    }
}
