using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols;
using Cosmos.Net.Wire;
using Cosmos.Sockets;

namespace System.Net
{
    /// <summary>
    /// .NET's Dns, the lookups programs make: a name becomes its IPv4 addresses through the DNS server DHCP gave (an A
    /// query, RFC 1035, three tries a second apart); an address in text is returned as it is. A name with no answer fails
    /// with SocketException(HostNotFound), as on .NET.
    /// </summary>
    public static class Dns
    {
        private static ushort s_nextPort = 53540;

        public static IPAddress[] GetHostAddresses(string hostNameOrAddress) => Socket.Wait(GetHostAddressesAsync(hostNameOrAddress));

        public static Task<IPAddress[]> GetHostAddressesAsync(string hostNameOrAddress) => GetHostAddressesAsync(hostNameOrAddress, CancellationToken.None);

        public static Task<IPAddress[]> GetHostAddressesAsync(string hostNameOrAddress, CancellationToken cancellationToken)
        {
            if (hostNameOrAddress == null) throw new ArgumentNullException(nameof(hostNameOrAddress));
            if (IPAddress.TryParse(hostNameOrAddress, out IPAddress literal)) return Task.FromResult(new[] { literal });
            if (hostNameOrAddress.Length == 0 || hostNameOrAddress.Length > 253)
                throw new ArgumentException("The parameter 'hostNameOrAddress' is not a valid host name or address.", nameof(hostNameOrAddress));
            var routes = SocketHost.Routes;
            Ipv4Address server = default;
            for (int i = 0; i < routes.Count && server.IsAny; i++) server = routes[i].DnsServer;
            if (server.IsAny) return Task.FromException<IPAddress[]>(new SocketException((int)SocketError.TryAgain));
            NetworkInterface route = SocketHost.Route(server);
            DnsResolver resolver = null;
            for (int tries = 0; tries < 64 && (resolver == null || !resolver.HasPort); tries++)
            {
                ushort port = s_nextPort;
                s_nextPort = (ushort)(port >= 53599 ? 53540 : port + 1);
                resolver = new DnsResolver(route, port) { Server = server };
            }
            if (!resolver.HasPort) return Task.FromException<IPAddress[]>(new SocketException((int)SocketError.NoBufferSpaceAvailable));
            if (!resolver.Start(hostNameOrAddress.AsSpan(), SocketHost.NowMs))
            {
                resolver.Close();
                return Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
            }
            return new LookupOperation(resolver).Start(cancellationToken);
        }

        private sealed class LookupOperation : WaitingOperation<IPAddress[]>
        {
            private readonly DnsResolver _resolver;
            public LookupOperation(DnsResolver resolver) { _resolver = resolver; }

            protected override bool Step()
            {
                _resolver.Poll(SocketHost.NowMs);
                if (_resolver.State == DnsResult.Pending) return false;
                if (_resolver.State == DnsResult.Resolved) Succeed(new[] { new IPAddress(_resolver.Address) });
                else Fail(new SocketException((int)SocketError.HostNotFound));
                return true;
            }

            protected override void OnFinished() => _resolver.Close();
        }
    }
}
