using Cosmos.Net.Interface;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Routing
{
    /// <summary>
    /// Which interface a packet the kernel originates leaves by (RFC 1812 §5.2.4.3's longest match, for a host):
    /// the configured interface whose own subnet holds the destination, the longest prefix winning; otherwise
    /// the default route, which is the interface named by <see cref="DefaultInterface"/> when set, else the first
    /// configured interface that has a gateway. Replies need no lookup: a service answers on the interface the
    /// request came in by.
    /// </summary>
    public sealed class RouteTable
    {
        public const int MaxInterfaces = 8;
        private readonly NetworkInterface[] _interfaces = new NetworkInterface[MaxInterfaces];
        private int _count;

        /// <summary>Index of the interface that carries the default route, or -1 for "the first with a gateway".</summary>
        public int DefaultInterface = -1;

        public int Count => _count;
        public NetworkInterface this[int index] => _interfaces[index];

        public bool Add(NetworkInterface networkInterface)
        {
            if (_count == MaxInterfaces) return false;
            _interfaces[_count++] = networkInterface;
            return true;
        }

        /// <summary>The interface for <paramref name="destination"/>, or null when no route reaches it.</summary>
        public NetworkInterface Lookup(Ipv4Address destination)
        {
            NetworkInterface best = null;
            int bestPrefix = -1;
            for (int i = 0; i < _count; i++)
            {
                NetworkInterface nif = _interfaces[i];
                if (!nif.IsConfigured || nif.PrefixLength <= bestPrefix) continue;
                uint mask = nif.PrefixLength == 0 ? 0 : 0xFFFFFFFFu << (32 - nif.PrefixLength);
                if ((destination.Value & mask) != (nif.Address.Value & mask)) continue;
                best = nif;
                bestPrefix = nif.PrefixLength;
            }
            return best ?? DefaultRoute();
        }

        /// <summary>The interface of the default route, or null when no configured interface has a gateway.</summary>
        public NetworkInterface DefaultRoute()
        {
            if (DefaultInterface >= 0 && DefaultInterface < _count)
            {
                NetworkInterface chosen = _interfaces[DefaultInterface];
                return chosen.IsConfigured && !chosen.Gateway.IsAny ? chosen : null;
            }
            for (int i = 0; i < _count; i++)
                if (_interfaces[i].IsConfigured && !_interfaces[i].Gateway.IsAny) return _interfaces[i];
            return null;
        }
    }
}
