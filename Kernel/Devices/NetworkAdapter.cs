using Cosmos.Drivers.VirtioNet;
using Cosmos.Drivers.XenNetfront;
using Cosmos.Hal.Network;
using Cosmos.Hal.Pci;

namespace Cosmos.Kernel.Devices
{
    /// <summary>
    /// One NIC the kernel brought up: its driver behind <see cref="INetworkDevice"/>, what it is (virtio-net on a
    /// PCI function, or a Xen vif), and its interrupt bookkeeping. Interface N of the stack (netN) runs on
    /// adapter N; adapters are numbered in the order they were found (PCI order, then xenstore's vif order).
    /// </summary>
    public sealed class NetworkAdapter
    {
        public int Index { get; }
        /// <summary>What the stack uses: a <see cref="RestartableNetworkDevice"/>, whose driver recovery may replace.</summary>
        public INetworkDevice Device { get; }
        /// <summary>The device as the stack holds it; its driver is the one in use now.</summary>
        public RestartableNetworkDevice Restartable { get; }
        /// <summary>The virtio-net driver in use now when this adapter is one (null for a Xen vif).</summary>
        public VirtioNetDevice Virtio => Restartable.Driver as VirtioNetDevice;
        /// <summary>The Xen netfront in use now when this adapter is one (null for virtio-net).</summary>
        public XenNetfrontDevice Xen => Restartable.Driver as XenNetfrontDevice;
        /// <summary>Virtio-net: makes and initialises a new driver on the same function with the same options (null when it cannot be restarted).</summary>
        internal System.Func<VirtioNetDevice> CreateDriver;
        /// <summary>Xen: makes a netfront on the given xenbus node and connects it (<see cref="XenReattach"/>).</summary>
        internal System.Func<string, XenNetfrontDevice> ConnectXen;
        /// <summary>Recovery's bookkeeping for this adapter (<see cref="DeviceRecovery"/>).</summary>
        internal RecoveryState Recovery;
        /// <summary>Set when a new driver took over after a detach: the service loop announces the address again, then clears it.</summary>
        internal bool AnnouncePending;
        public PciDevice Pci { get; }
        /// <summary>MSI-X vectors of the virtio-net adapter (-1 when it uses INTx or polls).</summary>
        public int ConfigVector = -1, ReceiveVector = -1;
        /// <summary>The legacy line its INTx is routed to (-1 when none).</summary>
        public int IntxLine = -1;

        /// <summary>Set by the adapter's interrupt; taken (cleared) by the idle loop before it decides to halt.</summary>
        internal volatile bool InterruptPending;

        /// <summary>Set once the kernel has logged that this adapter's driver stopped its device.</summary>
        internal bool StopReported;

        /// <summary>Watches for transmit buffers the device keeps without completing any (see <see cref="TransmitStallWatch"/>).</summary>
        internal TransmitStallWatch TransmitWatch;


        public NetworkAdapter(int index, VirtioNetDevice virtio, PciDevice pci)
        {
            Index = index;
            Restartable = new RestartableNetworkDevice(virtio);
            Device = Restartable;
            Pci = pci;
        }

        public NetworkAdapter(int index, XenNetfrontDevice xen)
        {
            Index = index;
            Restartable = new RestartableNetworkDevice(xen);
            Device = Restartable;
        }

        /// <summary>INTx: true if this adapter raised it (its ISR read, which also lowers the line).</summary>
        public bool OnIntx()
        {
            if (Virtio == null || !Virtio.HandleInterrupt()) return false;
            InterruptPending = true;
            return true;
        }

    }
}
