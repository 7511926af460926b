using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace KernelServices
{
    /// <summary>UDP echo (RFC 862): every datagram goes back to its sender unchanged.</summary>
    public sealed class UdpEchoService
    {
        private readonly int _port;
        private readonly ServiceCounters _counters;

        public UdpEchoService(int port, ServiceCounters counters)
        {
            _port = port;
            _counters = counters;
        }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            using var udp = new UdpClient(_port);
            while (true)
            {
                UdpReceiveResult datagram = await udp.ReceiveAsync(cancellationToken);
                try
                {
                    await udp.SendAsync(datagram.Buffer, datagram.Buffer.Length, datagram.RemoteEndPoint);
                    _counters.UdpEcho();
                }
                catch (SocketException)
                {
                    // A sender we cannot answer (no route, no ARP reply) costs its datagram, not the service.
                }
            }
        }
    }
}
