using Cosmos.Hal.Network;
using StackInterface = Cosmos.Net.Interface.NetworkInterface;

namespace System.Net.NetworkInformation
{
    /// <summary>One of the kernel's interfaces (netN) as .NET's NetworkInterface; reads the stack's state when asked.</summary>
    internal sealed class KernelNetworkInterface : NetworkInterface
    {
        private readonly int _index;
        private readonly StackInterface _interface;

        public KernelNetworkInterface(int index, StackInterface stackInterface)
        {
            _index = index;
            _interface = stackInterface;
        }

        /// <summary>"net0", "net1", ...: the names the kernel's log, command line (net1.ip=) and status page use.</summary>
        public override string Name => string.Concat("net", _index.ToString());
        /// <summary>As on Linux, where .NET's Id is the interface's name.</summary>
        public override string Id => Name;
        /// <summary>The driver's name ("virtio-net", "xen-netfront").</summary>
        public override string Description => _interface.Device.Name;

        /// <summary>Up when the NIC's link is up and its driver has not stopped it; Down otherwise.</summary>
        public override OperationalStatus OperationalStatus =>
            _interface.Device.IsOperational && _interface.Device.LinkUp ? OperationalStatus.Up : OperationalStatus.Down;

        public override long Speed => -1;
        public override bool IsReceiveOnly => false;
        /// <summary>The stack takes broadcast (ARP, DHCP) but joins no multicast group.</summary>
        public override bool SupportsMulticast => false;
        public override NetworkInterfaceType NetworkInterfaceType => NetworkInterfaceType.Ethernet;

        public override PhysicalAddress GetPhysicalAddress()
        {
            byte[] bytes = new byte[6];
            _interface.Mac.CopyTo(bytes);
            return new PhysicalAddress(bytes);
        }

        public override IPInterfaceProperties GetIPProperties() => new KernelIPInterfaceProperties(_interface);
        public override IPInterfaceStatistics GetIPStatistics() => new KernelInterfaceStatistics(_interface.Device).AsInterfaceStatistics();
        public override IPv4InterfaceStatistics GetIPv4Statistics() => new KernelInterfaceStatistics(_interface.Device);

        public override bool Supports(NetworkInterfaceComponent networkInterfaceComponent) =>
            networkInterfaceComponent == NetworkInterfaceComponent.IPv4;
    }
}
