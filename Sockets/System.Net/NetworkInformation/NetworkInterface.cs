using Cosmos.Sockets;

namespace System.Net.NetworkInformation
{
    /// <summary>
    /// .NET's NetworkInterface: the kernel's interfaces (net0, net1, ... in the order their NICs were found), each with
    /// its link state, hardware address, IPv4 configuration (DHCP's or the command line's) and its NIC's counters, so a
    /// program can show where it is on the network with the same source it runs on .NET. The kernel has no loopback
    /// interface, so none is listed; before the network is up the list is empty.
    /// </summary>
    public abstract class NetworkInterface
    {
        /// <summary>Every interface the kernel brought up, a new snapshot each call (as on .NET).</summary>
        public static NetworkInterface[] GetAllNetworkInterfaces()
        {
            if (!SocketHost.IsInstalled) return new NetworkInterface[0];
            var routes = SocketHost.Routes;
            var all = new NetworkInterface[routes.Count];
            for (int i = 0; i < all.Length; i++) all[i] = new KernelNetworkInterface(i, routes[i]);
            return all;
        }

        /// <summary>True when an interface other than loopback is up (.NET's rule; here: up and holding an address).</summary>
        public static bool GetIsNetworkAvailable()
        {
            NetworkInterface[] all = GetAllNetworkInterfaces();
            for (int i = 0; i < all.Length; i++)
                if (all[i].OperationalStatus == OperationalStatus.Up && all[i].NetworkInterfaceType != NetworkInterfaceType.Loopback) return true;
            return false;
        }

        public virtual string Id => throw NotImplemented();
        public virtual string Name => throw NotImplemented();
        public virtual string Description => throw NotImplemented();
        public virtual OperationalStatus OperationalStatus => throw NotImplemented();
        /// <summary>Bits per second, or -1 when the NIC does not say (virtio-net reports no speed unless it offers SPEED_DUPLEX).</summary>
        public virtual long Speed => throw NotImplemented();
        public virtual bool IsReceiveOnly => throw NotImplemented();
        public virtual bool SupportsMulticast => throw NotImplemented();
        public virtual NetworkInterfaceType NetworkInterfaceType => throw NotImplemented();
        public virtual PhysicalAddress GetPhysicalAddress() => throw NotImplemented();
        public virtual IPInterfaceProperties GetIPProperties() => throw NotImplemented();
        public virtual IPInterfaceStatistics GetIPStatistics() => throw NotImplemented();
        public virtual IPv4InterfaceStatistics GetIPv4Statistics() => throw NotImplemented();
        public virtual bool Supports(NetworkInterfaceComponent networkInterfaceComponent) => throw NotImplemented();

        /// <summary>.NET's base class throws this, with this message, for a member a derived class did not override.</summary>
        private static NotImplementedException NotImplemented() =>
            new NotImplementedException("This method is not implemented by this class.");
    }
}
