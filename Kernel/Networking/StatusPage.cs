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
using Cosmos.Net.Services.Http;

namespace Cosmos.Kernel.Networking
{
    /// <summary>The HTTP status page: who the kernel is on the network and what its NIC and stack have done.</summary>
    internal sealed class StatusPage : IStatusPage
    {
        private readonly NetworkHost _host;

        public StatusPage(NetworkHost host) => _host = host;

        /// <summary>
        /// net0 first, in the page's original layout (address, NIC, device and stack counters), then each further
        /// interface as its own block whose keys start with its name ("net1.ipv4: ..."), then the heap.
        /// </summary>
        public void Write(ref AsciiWriter w)
        {
            w.Write("Cosmos-net kernel status\n\n");
            w.Write("uptime_ms: "); w.Write(Clock.Milliseconds); w.Write('\n');
            w.Write("interfaces: "); w.Write(_host.Count); w.Write('\n');
            for (int i = 0; i < _host.Count; i++) WriteInterface(ref w, _host.Get(i));
            w.Write('\n');
            w.Line("heap_live_bytes: ", Allocator.LiveBytes);
            w.Line("heap_allocations: ", Allocator.TotalAllocations);
            w.Line("heap_collections: ", GarbageCollector.Collections);
        }

        private static void Key(ref AsciiWriter w, InterfaceService s, string key)
        {
            if (s.Index > 0) { w.Write(s.LogName); w.Write('.'); }
            w.Write(key);
        }

        private static void Line(ref AsciiWriter w, InterfaceService s, string key, long value)
        {
            Key(ref w, s, key);
            w.Write(value);
            w.Write('\n');
        }

        private void WriteInterface(ref AsciiWriter w, InterfaceService s)
        {
            NetworkInterface nif = s.Interface;
            w.Write('\n');
            Key(ref w, s, "mac: "); w.Write(nif.Mac); w.Write('\n');
            Key(ref w, s, "ipv4: "); w.Write(nif.Address); w.Write('/'); w.Write(nif.PrefixLength); w.Write('\n');
            Key(ref w, s, "gateway: "); w.Write(nif.Gateway); w.Write('\n');
            Key(ref w, s, "dns: "); w.Write(nif.DnsServer); w.Write('\n');
            if (nif.Dhcp != null) Line(ref w, s, "dhcp_lease_s: ", nif.Dhcp.LeaseSeconds);
            Key(ref w, s, "default_route: "); w.Write(_host.Routes.DefaultRoute() == nif ? "yes" : "no"); w.Write('\n');

            VirtioNetDevice nic = s.Adapter.Virtio;
            Key(ref w, s, "nic: "); w.Write(nif.Device.Name); w.Write('\n');
            if (nic != null)
            {
                Key(ref w, s, "transport: "); w.Write(nic.Transport.Name); w.Write('\n');
                Key(ref w, s, "features:");
                for (int bit = 0; bit < 64; bit++)
                {
                    if ((nic.NegotiatedFeatures & (1UL << bit)) == 0) continue;
                    w.Write(' ');
                    string name = NetFeatures.Name(bit) ?? VirtioFeatures.Name(bit);
                    if (name != null) w.Write(name); else w.Write(bit);
                }
                w.Write('\n');
                Key(ref w, s, "queues: rx "); w.Write(nic.ReceiveQueue.Size); w.Write(" tx "); w.Write(nic.TransmitQueue.Size);
                w.Write(" ("); w.Write(nic.ReceiveQueue.Kind); w.Write(")\n");
                Key(ref w, s, "interrupts_mode: "); w.Write(nic.Interrupts == InterruptMode.Msix ? "msix" : nic.Interrupts == InterruptMode.Intx ? "intx" : "poll"); w.Write('\n');
                Key(ref w, s, "link: "); w.Write(nic.LinkUp ? "up" : "down"); w.Write(" (changes "); w.Write(nic.LinkChanges); w.Write(")\n");
                Key(ref w, s, "guest_offloads:");
                for (int bit = 0; bit < 64; bit++)
                    if ((nic.GuestOffloads & (1UL << bit)) != 0) { w.Write(' '); w.Write(NetFeatures.Name(bit)); }
                w.Write('\n');
                Line(ref w, s, "rx_coalesced_frames: ", nic.CoalescedFrames);
                Line(ref w, s, "rx_largest_frame: ", nic.LargestFrame);
            }
            Cosmos.Drivers.XenNetfront.XenNetfrontDevice xen = s.Adapter.Xen;
            if (xen != null)
            {
                // The offloads in use (netif.h) and what they carried: the Xen lane checks these lines.
                Key(ref w, s, "xen_offloads:");
                if (xen.UsingTransmitChecksum) w.Write(" tx-csum");
                if (xen.UsingReceiveChecksum) w.Write(" rx-csum");
                if (xen.UsingTransmitSegmentation) w.Write(" tx-gso");
                if (xen.UsingReceiveSegmentation) w.Write(" rx-gso");
                w.Write('\n');
                Line(ref w, s, "tx_segmented_frames: ", xen.SegmentedFrames);
                Line(ref w, s, "tx_largest_frame: ", xen.LargestTransmit);
                Line(ref w, s, "rx_coalesced_frames: ", xen.CoalescedFrames);
                Line(ref w, s, "rx_csum_blank_frames: ", xen.ChecksumBlankFrames);
                Line(ref w, s, "rx_offload_errors: ", xen.OffloadErrors);
                Line(ref w, s, "rx_multi_slot_frames: ", xen.MultiSlotFrames);
                Line(ref w, s, "rx_largest_frame: ", xen.LargestFrame);
            }
            if (s.Adapter.ConnectXen != null)
            {
                // Detach and reattach (xl network-detach / network-attach): the Xen lane checks these lines.
                ref RecoveryState r = ref s.Adapter.Recovery;
                Cosmos.Drivers.XenNetfront.XenNetfrontDevice vif = s.Adapter.Xen;
                Key(ref w, s, "xen_vif: "); w.Write(vif.Xenbus.NodePath); w.Write(" -> "); w.Write(vif.Xenbus.BackendPath ?? "?");
                w.Write(vif.IsOperational ? " (connected)" : " (down)"); w.Write('\n');
                Line(ref w, s, "xen_detaches: ", r.Detaches);
                Line(ref w, s, "xen_reattaches: ", r.Recoveries);
                Line(ref w, s, "xen_last_detach_ms: ", r.LastDetachMs);
                Line(ref w, s, "xen_tx_dropped_at_detach: ", r.TxDroppedAtDetach);
                Line(ref w, s, "xen_rx_dropped_at_detach: ", r.RxDroppedAtDetach);
                Line(ref w, s, "xen_grants_left_mapped: ", r.GrantsLeftMapped);
                Line(ref w, s, "xen_memory_returned_kib: ", r.MemoryReturnedBytes >> 10);
            }
            ref readonly NetworkDeviceCounters d = ref nif.Device.Counters;
            Line(ref w, s, "rx_frames: ", d.RxFrames);
            Line(ref w, s, "rx_bytes: ", d.RxBytes);
            Line(ref w, s, "rx_dropped: ", d.RxDropped);
            Line(ref w, s, "rx_errors: ", d.RxErrors);
            Line(ref w, s, "tx_frames: ", d.TxFrames);
            Line(ref w, s, "tx_bytes: ", d.TxBytes);
            Line(ref w, s, "tx_busy: ", d.TxBusy);
            Line(ref w, s, "tx_errors: ", d.TxErrors);
            Line(ref w, s, "interrupts: ", d.Interrupts);
            Line(ref w, s, "notifications: ", d.Notifications);
            Line(ref w, s, "device_errors: ", d.DeviceErrors);
            // Driver counters restart with each recovery (a new driver); recoveries are counted here.
            Line(ref w, s, "device_recoveries: ", s.Adapter.Recovery.Recoveries);
            Key(ref w, s, "device_state: ");
            w.Write(nif.Device.IsOperational ? "running" : s.Adapter.Recovery.GaveUp ? "stopped for good" : "stopped");
            w.Write('\n');

            ref NetworkCounters c = ref nif.Counters;
            Line(ref w, s, "frames_malformed: ", c.FramesMalformed);
            Line(ref w, s, "arp_in: ", c.ArpIn);
            Line(ref w, s, "ipv4_in: ", c.Ipv4In);
            Line(ref w, s, "ipv4_malformed: ", c.Ipv4Malformed);
            Line(ref w, s, "ipv4_bad_checksum: ", c.Ipv4BadChecksum);
            Line(ref w, s, "ipv4_bad_source: ", c.Ipv4BadSource);
            Line(ref w, s, "ipv4_fragments: ", c.Ipv4Fragments);
            Line(ref w, s, "ipv4_fragments_dropped: ", c.Ipv4FragmentsDropped);
            Line(ref w, s, "ipv4_reassembled: ", c.Ipv4Reassembled);
            Line(ref w, s, "icmp_echo_answered: ", c.EchoRequestsAnswered);
            Line(ref w, s, "udp_in: ", c.UdpIn);
            Line(ref w, s, "udp_no_port: ", c.UdpNoPort);
            Line(ref w, s, "tcp_segments_in: ", nif.Tcp.SegmentsIn);
            Line(ref w, s, "tcp_segments_out: ", nif.Tcp.SegmentsOut);
            Line(ref w, s, "tcp_segmented_sends: ", nif.Tcp.SegmentedSends);
            Line(ref w, s, "tcp_connections: ", nif.Tcp.ActiveConnections);
            Line(ref w, s, "tcp_time_wait: ", nif.Tcp.TimeWaitConnections);
            Line(ref w, s, "tcp_buffer_free_kib: ", (long)nif.Tcp.Buffers.FreeBlocks * Cosmos.Net.Protocols.Tcp.TcpBufferPool.BlockSize / 1024);
            HttpServer http = s.Http;
            if (http == null) return;
            Line(ref w, s, "http_connections: ", http.OpenConnections);
            Line(ref w, s, "http_requests: ", http.Requests);
            Line(ref w, s, "http_rejected: ", http.Rejected);
            Line(ref w, s, "http_listener_refused: ", http.ListenerRefused);
            Line(ref w, s, "http_idle_closes: ", http.IdleCloses);
            Line(ref w, s, "http_buffers_lent: ", http.Buffers.Lent);
        }
    }
}
