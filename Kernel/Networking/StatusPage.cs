using System;
using System.Runtime;
using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Drivers.VirtioNet;
using Cosmos.Drivers.VirtioNet.Spec;
using Cosmos.Hal.Network;
using Cosmos.Hal.Timers;
using Cosmos.Kernel.Devices;
using Cosmos.Net.Interface;
using Cosmos.Net.Services;

namespace Cosmos.Kernel.Networking
{
    /// <summary>The HTTP status page: who the kernel is on the network and what its NIC and stack have done.</summary>
    internal sealed class StatusPage : IStatusPage
    {
        public void Write(ref AsciiWriter w)
        {
            NetworkInterface nif = NetworkService.Interface;
            w.Write("Cosmos-net kernel status\n\n");
            w.Write("uptime_ms: "); w.Write(Clock.Milliseconds); w.Write('\n');
            w.Write("mac: "); w.Write(nif.Mac); w.Write('\n');
            w.Write("ipv4: "); w.Write(nif.Address); w.Write('/'); w.Write(nif.PrefixLength); w.Write('\n');
            w.Write("gateway: "); w.Write(nif.Gateway); w.Write('\n');
            w.Write("dns: "); w.Write(nif.DnsServer); w.Write('\n');
            if (nif.Dhcp != null) { w.Write("dhcp_lease_s: "); w.Write(nif.Dhcp.LeaseSeconds); w.Write('\n'); }

            VirtioNetDevice nic = NetworkDevices.VirtioNet;
            w.Write("\nnic: "); w.Write(nif.Device.Name); w.Write('\n');
            if (nic != null)
            {
                w.Write("transport: "); w.Write(nic.Transport.Name); w.Write('\n');
                w.Write("features:");
                for (int bit = 0; bit < 64; bit++)
                {
                    if ((nic.NegotiatedFeatures & (1UL << bit)) == 0) continue;
                    w.Write(' ');
                    string name = NetFeatures.Name(bit) ?? VirtioFeatures.Name(bit);
                    if (name != null) w.Write(name); else w.Write(bit);
                }
                w.Write('\n');
                w.Write("queues: rx "); w.Write(nic.ReceiveQueue.Size); w.Write(" tx "); w.Write(nic.TransmitQueue.Size);
                w.Write(" ("); w.Write(nic.ReceiveQueue.Kind); w.Write(")\n");
                w.Write("interrupts_mode: "); w.Write(nic.Interrupts == InterruptMode.Msix ? "msix" : nic.Interrupts == InterruptMode.Intx ? "intx" : "poll"); w.Write('\n');
            }
            ref readonly NetworkDeviceCounters d = ref nif.Device.Counters;
            w.Line("rx_frames: ", d.RxFrames);
            w.Line("rx_bytes: ", d.RxBytes);
            w.Line("rx_dropped: ", d.RxDropped);
            w.Line("rx_errors: ", d.RxErrors);
            w.Line("tx_frames: ", d.TxFrames);
            w.Line("tx_bytes: ", d.TxBytes);
            w.Line("tx_busy: ", d.TxBusy);
            w.Line("tx_errors: ", d.TxErrors);
            w.Line("interrupts: ", d.Interrupts);
            w.Line("notifications: ", d.Notifications);
            w.Line("device_errors: ", d.DeviceErrors);

            ref NetworkCounters c = ref nif.Counters;
            w.Write("\nstack:\n");
            w.Line("frames_malformed: ", c.FramesMalformed);
            w.Line("arp_in: ", c.ArpIn);
            w.Line("ipv4_in: ", c.Ipv4In);
            w.Line("ipv4_malformed: ", c.Ipv4Malformed);
            w.Line("ipv4_bad_checksum: ", c.Ipv4BadChecksum);
            w.Line("ipv4_fragments: ", c.Ipv4Fragments);
            w.Line("ipv4_fragments_dropped: ", c.Ipv4FragmentsDropped);
            w.Line("ipv4_reassembled: ", c.Ipv4Reassembled);
            w.Line("icmp_echo_answered: ", c.EchoRequestsAnswered);
            w.Line("udp_in: ", c.UdpIn);
            w.Line("udp_no_port: ", c.UdpNoPort);
            w.Line("tcp_segments_in: ", nif.Tcp.SegmentsIn);
            w.Line("tcp_segments_out: ", nif.Tcp.SegmentsOut);
            w.Line("tcp_connections: ", nif.Tcp.ActiveConnections);
            w.Line("tcp_time_wait: ", nif.Tcp.TimeWaitConnections);
            w.Line("tcp_buffer_free_kib: ", (long)nif.Tcp.Buffers.FreeBlocks * Cosmos.Net.Protocols.Tcp.TcpBufferPool.BlockSize / 1024);
            w.Line("heap_live_bytes: ", Allocator.LiveBytes);
        }
    }
}
