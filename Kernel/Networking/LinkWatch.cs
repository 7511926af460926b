using Cosmos.Drivers.VirtioNet;
using Cosmos.Hal.Diagnostics;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols;

namespace Cosmos.Kernel.Networking
{
    /// <summary>
    /// Follows one interface's link (issue 17 item 4): the driver re-reads the status field on every configuration-change
    /// notification (virtio 1.2 §5.1.4, §4.1.4.5) and counts changes of the link bit; this turns them into log lines and
    /// acts on the link's return. While the link is down the driver drops and counts what the stack sends
    /// (<see cref="VirtioNetDevice.TxDroppedLinkDown"/>), so nothing is held. When it comes back the interface's address
    /// may be stale for the rest of the LAN (a switch port moved, a peer's ARP cache expired): it is announced with a
    /// gratuitous ARP (RFC 5227 §3), and a DHCP lease is re-checked with an early REQUEST (RFC 2131 §4.4.5: a renewal);
    /// a static address simply continues. The decision is <see cref="LinkTransitions"/>, which host tests run.
    /// </summary>
    public struct LinkWatch
    {
        private LinkTransitions _transitions;
        private long _downAtMs, _droppedAtDown;

        /// <summary>Looks at <paramref name="service"/>'s adapter, logs a change and re-announces the address on the link's return.</summary>
        public void Poll(InterfaceService service, long nowMs)
        {
            VirtioNetDevice device = service.Adapter.Virtio;
            if (device == null || !device.IsOperational) return;
            LinkEvent e = _transitions.Observe(device.LinkUp, device.LinkChanges);
            if (e == LinkEvent.None) return;
            if (e == LinkEvent.Down)
            {
                _downAtMs = nowMs;
                _droppedAtDown = device.TxDroppedLinkDown;
                Log.BeginNotice(service.LogName);
                Log.Write("link down (configuration change; ");
                Log.Decimal(device.LinkChanges);
                Log.Write(" link changes so far); transmission paused, frames sent meanwhile are dropped and counted");
                Log.End();
                return;
            }
            Log.BeginNotice(service.LogName);
            Log.Write(e == LinkEvent.Up ? "link up after " : "link down and up again within ");
            Log.Decimal(e == LinkEvent.Up ? nowMs - _downAtMs : 0);
            Log.Write(" ms; ");
            Log.Decimal(device.TxDroppedLinkDown - (e == LinkEvent.Up ? _droppedAtDown : device.TxDroppedLinkDown));
            Log.Write(" frames dropped while down; ");
            NetworkInterface nif = service.Interface;
            if (nif.IsConfigured)
            {
                nif.AnnounceAddress();
                Log.Write("gratuitous ARP for ");
                NetworkHost.WriteAddress(nif.Address);
                if (nif.Dhcp != null && nif.Dhcp.State == DhcpState.Bound)
                {
                    nif.Dhcp.RenewNow();
                    Log.Write(", DHCP lease re-checked (REQUEST)");
                }
                else if (nif.Dhcp == null) Log.Write(", static address kept");
            }
            else Log.Write("no address yet (DHCP goes on)");
            Log.End();
        }

        /// <summary>For the idle report: queue interrupts that found no work, link changes and frames dropped while down, over every virtio-net adapter.</summary>
        public static void WriteIdleCounters()
        {
            long empty = 0, changes = 0, dropped = 0;
            for (int i = 0; i < Devices.NetworkDevices.Count; i++)
            {
                VirtioNetDevice device = Devices.NetworkDevices.Get(i).Virtio;
                if (device == null) continue;
                empty += device.EmptyInterrupts;
                changes += device.LinkChanges;
                dropped += device.TxDroppedLinkDown;
            }
            Log.Write(" empty-interrupts=");
            Log.Decimal(empty);
            Log.Write(" link-changes=");
            Log.Decimal(changes);
            Log.Write(" tx-link-down=");
            Log.Decimal(dropped);
        }
    }
}
