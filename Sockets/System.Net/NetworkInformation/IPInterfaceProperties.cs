using Cosmos.Net.Wire;
using StackInterface = Cosmos.Net.Interface.NetworkInterface;

namespace System.Net.NetworkInformation
{
    /// <summary>.NET's IPInterfaceProperties: an interface's addresses, gateways and DNS servers.</summary>
    public abstract class IPInterfaceProperties
    {
        public abstract UnicastIPAddressInformationCollection UnicastAddresses { get; }
        public abstract GatewayIPAddressInformationCollection GatewayAddresses { get; }
        public abstract IPAddressCollection DnsAddresses { get; }
        public abstract IPAddressCollection DhcpServerAddresses { get; }
        public abstract string DnsSuffix { get; }
        public abstract bool IsDnsEnabled { get; }
        public abstract bool IsDynamicDnsEnabled { get; }
    }

    /// <summary>
    /// A snapshot of one kernel interface's IPv4 configuration, taken when the program asks (as .NET's on Linux): the
    /// address and prefix (none before DHCP has bound or without net.ip=), the gateway, and the DNS server DHCP named.
    /// </summary>
    internal sealed class KernelIPInterfaceProperties : IPInterfaceProperties
    {
        private readonly UnicastIPAddressInformationCollection _unicast = new UnicastIPAddressInformationCollection();
        private readonly GatewayIPAddressInformationCollection _gateways = new GatewayIPAddressInformationCollection();
        private readonly IPAddressCollection _dns = new IPAddressCollection();
        private readonly IPAddressCollection _dhcp = new IPAddressCollection();

        public KernelIPInterfaceProperties(StackInterface stackInterface)
        {
            if (stackInterface.IsConfigured)
                _unicast.InternalAdd(new KernelUnicastAddress(new IPAddress(stackInterface.Address), stackInterface.PrefixLength));
            if (!stackInterface.Gateway.IsAny) _gateways.InternalAdd(new KernelGatewayAddress(new IPAddress(stackInterface.Gateway)));
            if (!stackInterface.DnsServer.IsAny) _dns.InternalAdd(new IPAddress(stackInterface.DnsServer));
            if (stackInterface.Dhcp != null && !stackInterface.Dhcp.Server.IsAny) _dhcp.InternalAdd(new IPAddress(stackInterface.Dhcp.Server));
        }

        public override UnicastIPAddressInformationCollection UnicastAddresses => _unicast;
        public override GatewayIPAddressInformationCollection GatewayAddresses => _gateways;
        public override IPAddressCollection DnsAddresses => _dns;
        public override IPAddressCollection DhcpServerAddresses => _dhcp;
        /// <summary>The kernel keeps no DNS search domain.</summary>
        public override string DnsSuffix => string.Empty;
        public override bool IsDnsEnabled => !_dns.IsEmpty;
        /// <summary>As on Linux, where .NET cannot tell.</summary>
        public override bool IsDynamicDnsEnabled => throw KernelInterfaceStatistics.Unavailable();
    }

    /// <summary>.NET's UnicastIPAddressInformation: an address of the interface with its prefix.</summary>
    public abstract class UnicastIPAddressInformation
    {
        public abstract IPAddress Address { get; }
        /// <summary>The subnet mask as an address (255.255.255.0 for a /24).</summary>
        public abstract IPAddress IPv4Mask { get; }
        public virtual int PrefixLength => throw new NotImplementedException("This method is not implemented by this class.");
    }

    internal sealed class KernelUnicastAddress : UnicastIPAddressInformation
    {
        private readonly IPAddress _address;
        private readonly int _prefixLength;

        public KernelUnicastAddress(IPAddress address, int prefixLength)
        {
            _address = address;
            _prefixLength = prefixLength;
        }

        public override IPAddress Address => _address;
        public override IPAddress IPv4Mask => new IPAddress(new Ipv4Address(_prefixLength == 0 ? 0u : 0xFFFFFFFFu << (32 - _prefixLength)));
        public override int PrefixLength => _prefixLength;
    }

    /// <summary>.NET's GatewayIPAddressInformation.</summary>
    public abstract class GatewayIPAddressInformation
    {
        public abstract IPAddress Address { get; }
    }

    internal sealed class KernelGatewayAddress : GatewayIPAddressInformation
    {
        private readonly IPAddress _address;
        public KernelGatewayAddress(IPAddress address) => _address = address;
        public override IPAddress Address => _address;
    }
}
