using System;
using System.Runtime;
using Cosmos.Hal.Config;
using Cosmos.Hal.Diagnostics;
using Cosmos.Hal.Network;
using Cosmos.Hal.Timers;
using Cosmos.Kernel.Devices;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols;
using Cosmos.Net.Routing;
using Cosmos.Net.Services;
using Cosmos.Net.Services.Http;
using Cosmos.Net.Wire;

namespace Cosmos.Kernel.Networking
{
    /// <summary>
    /// Brings the network up on every adapter (one <see cref="InterfaceService"/> each: net0, net1, ...), routes
    /// what the kernel itself originates (<see cref="RouteTable"/>: by subnet, else the default route; the
    /// default can be named with <c>net.default=netN</c>), and runs the service loop. "net: ready" is logged when
    /// net0 has its address.
    /// </summary>
    public static class NetworkService
    {
        private static InterfaceService[] s_interfaces = new InterfaceService[0];
        public static RouteTable Routes { get; } = new RouteTable();
        public static int Count => s_interfaces.Length;
        public static InterfaceService Get(int index) => s_interfaces[index];
        /// <summary>net0's interface (older callers; the first adapter).</summary>
        public static NetworkInterface Interface => s_interfaces.Length > 0 ? s_interfaces[0].Interface : null;
        public static DnsResolver Dns { get; private set; }
        /// <summary>The kernel's own services each interface runs (<see cref="ServiceSelection"/>).</summary>
        public static ServiceSelection Services { get; private set; }
        private static char[] s_resolveName;
        private static bool s_resolveStarted, s_resolveReported;
        private static bool s_announced;
        private static long s_lastActivityMs;
        private static bool s_idleReported;

        public static bool Start(CommandLine options)
        {
            int count = NetworkDevices.Count;
            if (count == 0) return false;
            var page = new StatusPage();
            // The TCP buffer pool is sized once from the memory free now and shared out among the interfaces.
            int tcpBlocksEach = InterfaceService.TcpBufferBlocks() / count;
            Services = ServiceSelectionOption.Read(options, Hosting.ApplicationHost.Present ? ServiceSelection.None : ServiceSelection.All);
            s_interfaces = new InterfaceService[count];
            for (int i = 0; i < count; i++)
            {
                NetworkAdapter adapter = NetworkDevices.Get(i);
                if (adapter.Virtio != null) adapter.Virtio.DeferNotifications = true; // flushed once per service turn
                if (adapter.Xen != null) adapter.Xen.DeferNotifications = true;
                s_interfaces[i] = new InterfaceService(adapter, options, page, tcpBlocksEach, Services);
                Routes.Add(s_interfaces[i].Interface);
            }
            ReadOnlySpan<char> defaultRoute = options.Get("net.default");
            if (defaultRoute.Length == 4 && defaultRoute.StartsWith("net") && defaultRoute[3] >= '0' && defaultRoute[3] < '0' + count)
                Routes.DefaultInterface = defaultRoute[3] - '0';
            if (options.TryGet("net.resolve", out var resolve) && resolve.Length > 0)
            {
                s_resolveName = new char[resolve.Length];
                resolve.CopyTo(s_resolveName);
            }
            return true;
        }

        private static long s_allocationsAtIdleCollection;

        // Profile: TSC cycles spent in service turns that did work, and the frames those turns received.
        private static ulong s_busyCycles;
        private static long s_framesAtProfileStart, s_busyCyclesReported;
        private static long s_haltsAtProfileStart, s_interruptsAtProfileStart, s_kicksAtProfileStart;

        /// <summary>One turn of the service loop over every interface; true if anything happened.</summary>
        public static bool Poll()
        {
            if (s_interfaces.Length == 0) return false;
            ulong turnStart = Cosmos.Hal.Cpu.CpuNative.ReadTimeStampCounter();
            long now = Clock.Milliseconds;
            bool busy = false;
            for (int i = 0; i < s_interfaces.Length; i++) busy |= s_interfaces[i].Poll(now);
            NetworkDevices.ReportStoppedDevices();
            NetworkDevices.WatchTransmit(now);
            ulong tsc = Cosmos.Hal.Cpu.CpuNative.ReadTimeStampCounter();
            for (int i = 0; i < s_interfaces.Length; i++)
            {
                InterfaceService nic = s_interfaces[i];
                if (nic.BenchStats != null) busy |= nic.BenchStats.Poll(tsc - NetworkDevices.IdleCycles, Clock.TscFrequency, nic.UdpEchoed);
                nic.Interface.Device.Flush();
            }
            if (busy) s_busyCycles += Cosmos.Hal.Cpu.CpuNative.ReadTimeStampCounter() - turnStart;
            for (int i = 0; i < s_interfaces.Length; i++) s_interfaces[i].AfterPoll(now);
            if (s_interfaces[0].Announced && !s_announced)
            {
                s_announced = true;
                Log.NoticeLine("net", ReadyLine(Services));
            }
            Resolve(now);
            ReportIdle(now, busy);
            // gc.stress: serving packets allocates nothing, so the allocation count would never start a collection
            // under load; in that mode every busy turn ends with one instead, while buffers, queues and connections
            // are in use (the verifier runs after each).
            if (busy && GarbageCollector.StressInterval > 0) GC.Collect();
            return busy;
        }

        private static string ReadyLine(ServiceSelection services) => services switch
        {
            ServiceSelection.All => "ready: UDP echo and TCP echo on port 7, HTTP status page on port 80",
            ServiceSelection.None => "ready (the kernel's own services are off: services=none)",
            _ => string.Concat("ready: ", (services & ServiceSelection.Echo) != 0 ? "UDP echo and TCP echo on port 7; " : "",
                (services & ServiceSelection.Http) != 0 ? "HTTP status page on port 80; " : "",
                (services & ServiceSelection.Stats) != 0 ? "statistics on UDP 7007" : ""),
        };

        /// <summary>The idle report's counters, summed over every interface in one pass (nothing allocated).</summary>
        private struct Totals
        {
            public long UdpQueued, ArpPending, Tcp, RxFrames, Echoed, TxBusy, RxDropped, Interrupts, Kicks;
            public long TimeWait, PoolFree, PoolTotal, SynNoRecord, SynNoMemory, RxNoMemory;

            public static Totals Now()
            {
                var t = new Totals();
                for (int i = 0; i < s_interfaces.Length; i++)
                {
                    InterfaceService s = s_interfaces[i];
                    NetworkInterface nif = s.Interface;
                    ref readonly Cosmos.Hal.Network.NetworkDeviceCounters d = ref nif.Device.Counters;
                    t.UdpQueued += nif.Udp.QueuedDatagrams;
                    t.ArpPending += nif.PendingPackets;
                    t.Tcp += nif.Tcp.ActiveConnections;
                    t.TimeWait += nif.Tcp.TimeWaitConnections;
                    t.PoolFree += nif.Tcp.Buffers.FreeBlocks;
                    t.PoolTotal += nif.Tcp.Buffers.TotalBlocks;
                    t.SynNoRecord += nif.Tcp.NoConnectionSlot;
                    t.SynNoMemory += nif.Tcp.NoBufferMemory;
                    t.RxNoMemory += nif.Tcp.DroppedNoMemory;
                    t.RxFrames += d.RxFrames;
                    t.Echoed += s.UdpEchoed;
                    t.TxBusy += d.TxBusy;
                    t.RxDropped += d.RxDropped;
                    t.Interrupts += d.Interrupts;
                    t.Kicks += d.Notifications;
                }
                return t;
            }
        }

        /// <summary>
        /// After 1.5 s without traffic, logs the resources that must be back at their idle values (no leak):
        /// receive buffers lent to the stack, transmit buffers in flight, queued datagrams, packets waiting for
        /// ARP, TCP connections and the heap's live bytes. Once per idle period.
        /// </summary>
        private static void ReportIdle(long now, bool busy)
        {
            if (busy) { s_lastActivityMs = now; s_idleReported = false; return; }
            if (s_idleReported || !s_announced || now - s_lastActivityMs < 1500) return;
            s_idleReported = true;
            // Idle is a good time to collect: if anything was allocated since the last idle collection, reclaim it now,
            // so heap= below is the live heap (serving packets allocates nothing, so under steady load this never runs).
            if (Allocator.TotalAllocations != s_allocationsAtIdleCollection)
            {
                GC.Collect();
                s_allocationsAtIdleCollection = Allocator.TotalAllocations;
            }
            Totals t = Totals.Now();
            Log.Begin("net");
            Log.Write("idle: rx-lent=");
            Log.Decimal(NetworkDevices.ReceiveBuffersLent);
            Log.Write(" tx-outstanding=");
            Log.Decimal(NetworkDevices.TransmitBuffersOutstanding);
            Log.Write(" udp-queued=");
            Log.Decimal(t.UdpQueued);
            Log.Write(" arp-pending=");
            Log.Decimal(t.ArpPending);
            Log.Write(" tcp=");
            Log.Decimal(t.Tcp);
            Log.Write(" tcp-time-wait=");
            Log.Decimal(t.TimeWait);
            Log.Write(" tcp-pool-free=");
            Log.Decimal(t.PoolFree);
            Log.Write('/');
            Log.Decimal(t.PoolTotal);
            // SYNs dropped for want of a record or a buffer guarantee, and received data dropped for want of a block.
            Log.Write(" tcp-syn-no-record=");
            Log.Decimal(t.SynNoRecord);
            Log.Write(" tcp-syn-no-memory=");
            Log.Decimal(t.SynNoMemory);
            Log.Write(" tcp-rx-no-memory=");
            Log.Decimal(t.RxNoMemory);
            if (Cosmos.Sockets.SocketHost.IsInstalled)
            {
                // An application's side: socket operations waiting on the network, and the event loop's queues.
                Log.Write(" socket-ops-waiting=");
                Log.Decimal(Cosmos.Sockets.SocketHost.WaitingOperations);
                Log.Write(" loop-ready=");
                Log.Decimal(System.Runtime.EventLoop.ReadyCount);
                Log.Write(" loop-timers=");
                Log.Decimal(System.Runtime.EventLoop.TimerCount);
            }
            Log.Write(" heap=");
            Log.Decimal(Allocator.LiveBytes);
            // Objects allocated since boot and collections run: the packet path allocates nothing, so neither
            // moves while the kernel only serves packets.
            Log.Write(" allocs=");
            Log.Decimal(Allocator.TotalAllocations);
            Log.Write(" gcs=");
            Log.Decimal(GarbageCollector.Collections);
            if (Program.Options.Has("debug.tcp")) WriteConnections();
            long rxFrames = t.RxFrames;
            Log.Write(" rx-frames=");
            Log.Decimal(rxFrames);
            Log.Write(" echoed=");
            Log.Decimal(t.Echoed);
            // Frames the stack could not send because every transmit buffer was in flight (an ACK lost this way
            // can cost the peer a fast retransmit), and frames the device dropped on receive.
            Log.Write(" tx-busy=");
            Log.Decimal(t.TxBusy);
            Log.Write(" rx-dropped=");
            Log.Decimal(t.RxDropped);
            LinkWatch.WriteIdleCounters(); // empty-interrupts= link-changes= tx-link-down= (LinkWatch.cs)
            // Guest-side cost per received frame since the last idle report: cycles of busy service turns
            // (driver receive and transmit, stack, services) over frames received, and the same in ns.
            long frames = rxFrames - s_framesAtProfileStart;
            long cycles = (long)s_busyCycles - s_busyCyclesReported;
            if (frames > 0)
            {
                Log.Write(" cycles-per-frame=");
                Log.Decimal(cycles / frames);
                Log.Write(" ns-per-frame=");
                Log.Decimal((long)((ulong)cycles * 1000 / (Clock.TscFrequency / 1_000_000) / (ulong)frames));
            }
            // The notification path over the same period, per 100 frames: halts of the idle loop, device
            // interrupts taken, and doorbell writes (kicks) the device asked for.
            long interrupts = t.Interrupts, kicks = t.Kicks;
            if (frames > 0)
            {
                Log.Write(" per-100-frames: halts=");
                Log.Decimal((NetworkDevices.Halts - s_haltsAtProfileStart) * 100 / frames);
                Log.Write(" interrupts=");
                Log.Decimal((interrupts - s_interruptsAtProfileStart) * 100 / frames);
                Log.Write(" kicks=");
                Log.Decimal((kicks - s_kicksAtProfileStart) * 100 / frames);
            }
            s_haltsAtProfileStart = NetworkDevices.Halts;
            s_interruptsAtProfileStart = interrupts;
            s_kicksAtProfileStart = kicks;
            s_framesAtProfileStart = rxFrames;
            s_busyCyclesReported = (long)s_busyCycles;
            Log.End();
        }

        /// <summary>debug.tcp: the first open connections' state and receive-side counters in the idle report.</summary>
        private static void WriteConnections()
        {
            var tcp = s_interfaces[0].Interface.Tcp;
            for (int i = 0; i < tcp.ActiveConnections && i < 3; i++)
            {
                var c = tcp.ActiveConnection(i);
                Log.Write(" [conn ");
                Log.Decimal(c.RemotePort);
                Log.Write(' ');
                Log.Decimal((long)c.State);
                Log.Write(" avail=");
                Log.Decimal(c.Available);
                Log.Write(" rx=");
                Log.Decimal(c.BytesReceived);
                Log.Write(" tx=");
                Log.Decimal(c.BytesSent);
                Log.Write(" paws=");
                Log.Decimal(c.PawsRejected);
                Log.Write(" dup=");
                Log.Decimal(c.DuplicateSegments);
                Log.Write(" nots=");
                Log.Decimal(c.MissingTimestamps);
                Log.Write(" ooo=");
                Log.Decimal(c.OutOfOrderSegments);
                Log.Write(" gen=");
                Log.Decimal(c.Generation);
                Log.Write(']');
            }
        }

        /// <summary>
        /// net.resolve=NAME: one A lookup once net0 has its address (net.dns=a.b.c.d[:port] picks the server, else
        /// the one DHCP named), sent by the interface the route table gives for the server.
        /// </summary>
        private static void Resolve(long now)
        {
            if (s_resolveName == null || !s_announced || s_resolveReported) return;
            if (!s_resolveStarted)
            {
                Ipv4Address server = s_interfaces[0].Interface.DnsServer;
                ushort port = DnsMessage.Port;
                ReadOnlySpan<char> text = Program.Options.Get("net.dns");
                if (text.Length > 0)
                {
                    int colon = text.IndexOf(':');
                    if (colon > 0)
                    {
                        long p = 0;
                        for (int i = colon + 1; i < text.Length; i++) p = p * 10 + (text[i] - '0');
                        port = (ushort)p;
                        text = text.Slice(0, colon);
                    }
                    Ipv4Address.TryParse(text, out server);
                }
                NetworkInterface route = Routes.Lookup(server) ?? s_interfaces[0].Interface;
                s_resolveStarted = true;
                Dns = new DnsResolver(route, 53530) { Server = server, ServerPort = port };
                Dns.Start(s_resolveName, now);
            }
            Dns.Poll(now);
            if (Dns.State == DnsResult.Pending) return;
            s_resolveReported = true;
            Log.Begin("dns");
            Log.Write(new ReadOnlySpan<char>(s_resolveName));
            if (Dns.State == DnsResult.Resolved) { Log.Write(" -> "); WriteAddress(Dns.Address); }
            else { Log.Write(": not resolved (response code "); Log.Decimal(Dns.ResponseCode); Log.Write(')'); }
            Log.End();
        }

        public static void WriteAddress(Ipv4Address address)
        {
            Span<char> text = stackalloc char[16];
            int n = address.Format(text);
            Log.Write(text.Slice(0, n));
        }

        /// <summary>Serves forever: the kernel's idle loop once the network is up.</summary>
        public static void Run()
        {
            while (true)
            {
                if (!Poll()) NetworkDevices.WaitForWork();
            }
        }
    }
}
