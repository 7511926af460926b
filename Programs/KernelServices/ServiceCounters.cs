using System.Threading;

namespace KernelServices
{
    /// <summary>What the services have done, shown on the status page (Interlocked: on .NET the tasks run on many threads).</summary>
    public sealed class ServiceCounters
    {
        private long _udpEchoed, _tcpConnections, _tcpBytesEchoed, _httpRequests;

        public long UdpEchoed => Interlocked.Read(ref _udpEchoed);
        public long TcpConnections => Interlocked.Read(ref _tcpConnections);
        public long TcpBytesEchoed => Interlocked.Read(ref _tcpBytesEchoed);
        public long HttpRequests => Interlocked.Read(ref _httpRequests);

        public void UdpEcho() => Interlocked.Increment(ref _udpEchoed);
        public void TcpConnection() => Interlocked.Increment(ref _tcpConnections);
        public void TcpEchoBytes(int count) => Interlocked.Add(ref _tcpBytesEchoed, count);
        public void HttpRequest() => Interlocked.Increment(ref _httpRequests);
    }
}
