using System;
using Cosmos.Hal.Config;
using Cosmos.Hal.Diagnostics;
using Cosmos.Hal.Network;
using Cosmos.Hal.Timers;
using Cosmos.Kernel.Devices;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols;
using Cosmos.Net.Services;
using Cosmos.Net.Wire;

namespace Cosmos.Kernel.Networking
{
    /// <summary>
    /// Brings the network up on the primary NIC (DHCP, or <c>net.ip=a.b.c.d/n net.gw=a.b.c.d</c>), starts the
    /// services, pings the gateway once bound, and runs the service loop.
    /// </summary>
    public static class NetworkService
    {
        public static NetworkInterface Interface { get; private set; }
        public static UdpEchoService UdpEcho { get; private set; }
        public static TcpEchoService TcpEcho { get; private set; }
        public static ConcurrentEchoService ConcurrentEcho { get; private set; }
        public static HttpStatusServer Http { get; private set; }
        public static BenchStatsService BenchStats { get; private set; }
        public static DnsResolver Dns { get; private set; }
        private static char[] s_resolveName;
        private static bool s_resolveStarted, s_resolveReported;
        private static bool s_announced;
        private static ushort s_pingSequence;
        private static long s_nextPingMs;
        private static int s_pingsLeft;
        private static int s_renewalsLogged;
        private static long s_lastActivityMs;
        private static bool s_idleReported;

        public static bool Start(CommandLine options)
        {
            INetworkDevice device = NetworkDevices.Primary;
            if (device == null) return false;
            if (NetworkDevices.VirtioNet != null) NetworkDevices.VirtioNet.DeferNotifications = true; // flushed once per service turn
            if (NetworkDevices.XenNet != null) NetworkDevices.XenNet.DeferNotifications = true;
            long heapBefore = System.Runtime.Allocator.LiveBytes;
            var nif = new NetworkInterface(device, TcpBufferBlocks());
            long stackBytes = System.Runtime.Allocator.LiveBytes - heapBefore;
            nif.Icmp.MicrosecondClock = MicrosecondsNow;
            nif.Tcp.MicrosecondClock = MicrosecondsNow;
            bool rdrand = SupplyTcpSecret(nif);
            Log.Begin("net");
            Log.Write("TCP: ");
            Log.Decimal(Cosmos.Net.Protocols.Tcp.TcpEndpoint.MaxConnections);
            Log.Write(" connections, buffer pool ");
            Log.Decimal(nif.Tcp.Buffers.TotalBytes / 1024);
            Log.Write(" KiB; the interface took ");
            Log.Decimal(stackBytes / 1024);
            Log.Write(" KiB of heap in all; ISN secret from ");
            Log.Write(rdrand ? "RDRAND" : "the TSC (no RDRAND)");
            Log.End();
            Interface = nif;
            UdpEcho = new UdpEchoService(nif);
            TcpEcho = new TcpEchoService(nif);
            ConcurrentEcho = new ConcurrentEchoService(nif);
            Http = new HttpStatusServer(nif, new StatusPage());
            BenchStats = new BenchStatsService(nif);
            Dns = new DnsResolver(nif, 53530);
            if (options.TryGet("net.resolve", out var resolve) && resolve.Length > 0)
            {
                s_resolveName = new char[resolve.Length];
                resolve.CopyTo(s_resolveName);
            }

            if (options.TryGet("net.ip", out var ipText) && TryParseCidr(ipText, out Ipv4Address address, out int prefix))
            {
                Ipv4Address.TryParse(options.Get("net.gw"), out Ipv4Address gateway);
                nif.Configure(address, prefix, gateway, default);
                Log.Begin("net");
                Log.Write("static address ");
                WriteAddress(address);
                Log.Write('/');
                Log.Decimal(prefix);
                Log.Write(" gateway ");
                WriteAddress(gateway);
                Log.End();
            }
            else
            {
                nif.Dhcp = new DhcpClient(nif, (uint)Clock.Nanoseconds);
                nif.Dhcp.RenewAfterMsOverride = options.GetInteger("net.dhcp-renew-ms", 0);
                Log.Line("net", "DHCP: discovering");
            }
            s_pingsLeft = (int)options.GetInteger("net.ping-count", 3);
            return true;
        }

        private static long MicrosecondsNow() => Clock.Microseconds;

        /// <summary>
        /// The TCP buffer pool: half of the memory still free when the network starts, less 1 MiB kept for the rest of
        /// the kernel, between 512 KiB and 4 MiB (README "Memory"). In 16 MiB that is the full 4 MiB.
        /// </summary>
        private static int TcpBufferBlocks()
        {
            const long Block = Cosmos.Net.Protocols.Tcp.TcpBufferPool.BlockSize;
            long free = (long)Cosmos.Hal.Memory.PhysicalMemory.Pages.FreePages * 4096;
            long bytes = free / 2 - (1L << 20);
            if (bytes < 512L << 10) bytes = 512L << 10;
            if (bytes > 4L << 20) bytes = 4L << 20;
            return (int)(bytes / Block);
        }

        /// <summary>
        /// RFC 6528's secret for TCP's initial sequence numbers: 128 bits from RDRAND where the CPU has it; otherwise
        /// the TSC now and at the first instruction, hashed with the MAC (the TSC's low bits after device start-up are
        /// the only unpredictability a CPU without RDRAND offers: far less than 128 bits).
        /// </summary>
        private static bool SupplyTcpSecret(NetworkInterface nif)
        {
            if (Cosmos.Hal.Cpu.CpuNative.TryReadRandom(out ulong k0) && Cosmos.Hal.Cpu.CpuNative.TryReadRandom(out ulong k1))
            {
                nif.Tcp.SetSecret(k0, k1);
                return true;
            }
            Span<byte> mac = stackalloc byte[8];
            nif.Mac.CopyTo(mac);
            ulong now = Cosmos.Hal.Cpu.CpuNative.ReadTimeStampCounter(), boot = Cosmos.Hal.Cpu.CpuNative.BootTimeStampCounter();
            ulong a = Cosmos.Net.Security.SipHash.Hash(now, boot, mac);
            ulong b = Cosmos.Net.Security.SipHash.Hash(a, Cosmos.Hal.Cpu.CpuNative.ReadTimeStampCounter(), mac);
            nif.Tcp.SetSecret(a, b);
            return false;
        }

        private static bool TryParseCidr(ReadOnlySpan<char> text, out Ipv4Address address, out int prefix)
        {
            prefix = 24;
            int slash = text.IndexOf('/');
            if (slash >= 0)
            {
                prefix = 0;
                for (int i = slash + 1; i < text.Length; i++)
                {
                    if (text[i] < '0' || text[i] > '9') { address = default; return false; }
                    prefix = prefix * 10 + (text[i] - '0');
                }
                if (prefix > 32) { address = default; return false; }
                text = text.Slice(0, slash);
            }
            return Ipv4Address.TryParse(text, out address);
        }

        // Profile: TSC cycles spent in service turns that did work, and the frames those turns received.
        private static ulong s_busyCycles;
        private static long s_framesAtProfileStart, s_busyCyclesReported;
        private static long s_haltsAtProfileStart, s_interruptsAtProfileStart, s_kicksAtProfileStart;

        /// <summary>One turn of the service loop; true if anything happened.</summary>
        public static bool Poll()
        {
            NetworkInterface nif = Interface;
            if (nif == null) return false;
            ulong turnStart = Cosmos.Hal.Cpu.CpuNative.ReadTimeStampCounter();
            long now = Clock.Milliseconds;
            bool busy = nif.Poll(now);
            busy |= UdpEcho.Poll();
            busy |= TcpEcho.Poll();
            busy |= ConcurrentEcho.Poll();
            busy |= Http.Poll();
            ulong tsc = Cosmos.Hal.Cpu.CpuNative.ReadTimeStampCounter();
            busy |= BenchStats.Poll(tsc - NetworkDevices.IdleCycles, Clock.TscFrequency, UdpEcho.Echoed);
            nif.Device.Flush();
            if (busy) s_busyCycles += Cosmos.Hal.Cpu.CpuNative.ReadTimeStampCounter() - turnStart;
            if (nif.IsConfigured && !s_announced)
            {
                s_announced = true;
                Log.Begin("net");
                Log.Write(nif.Dhcp != null ? "DHCP bound " : "configured ");
                WriteAddress(nif.Address);
                Log.Write('/');
                Log.Decimal(nif.PrefixLength);
                Log.Write(" gateway ");
                WriteAddress(nif.Gateway);
                Log.Write(" dns ");
                WriteAddress(nif.DnsServer);
                if (nif.Dhcp != null) { Log.Write(" lease "); Log.Decimal(nif.Dhcp.LeaseSeconds); Log.Write(" s"); }
                Log.End();
                Log.NoticeLine("net", "ready: UDP echo and TCP echo on port 7, HTTP status page on port 80");
                s_nextPingMs = now;
            }
            PingGateway(nif, now);
            Resolve(nif, now);
            ReportIdle(nif, now, busy);
            if (nif.Dhcp != null && nif.Dhcp.Renewals != s_renewalsLogged)
            {
                s_renewalsLogged = nif.Dhcp.Renewals;
                Log.Begin("net");
                Log.Write("DHCP lease renewed (");
                Log.Decimal(s_renewalsLogged);
                Log.Write("): ");
                WriteAddress(nif.Address);
                Log.End();
            }
            return busy;
        }

        private static void PingGateway(NetworkInterface nif, long now)
        {
            if (!s_announced || nif.Gateway.IsAny) return;
            if (nif.Icmp.LastReplySequence == s_pingSequence && s_pingSequence != 0)
            {
                Log.Begin("net");
                Log.Write("ping ");
                WriteAddress(nif.Icmp.LastReplyFrom);
                Log.Write(": reply seq ");
                Log.Decimal(s_pingSequence);
                Log.Write(" time ");
                Log.Decimal(nif.Icmp.LastRoundTripUs);
                Log.Write(" us");
                Log.End();
                nif.Icmp.LastReplySequence = -1;
            }
            if (s_pingsLeft <= 0 || now < s_nextPingMs) return;
            s_pingsLeft--;
            s_nextPingMs = now + 1000;
            nif.Icmp.SendEchoRequest(nif.Gateway, ++s_pingSequence);
        }

        /// <summary>
        /// After 1.5 s without traffic, logs the resources that must be back at their idle values (no leak):
        /// receive buffers lent to the stack, transmit buffers in flight, queued datagrams, packets waiting for
        /// ARP, TCP connections and the heap's live bytes. Once per idle period.
        /// </summary>
        private static void ReportIdle(NetworkInterface nif, long now, bool busy)
        {
            if (busy) { s_lastActivityMs = now; s_idleReported = false; return; }
            if (s_idleReported || !s_announced || now - s_lastActivityMs < 1500) return;
            s_idleReported = true;
            Log.Begin("net");
            Log.Write("idle: rx-lent=");
            Log.Decimal(NetworkDevices.ReceiveBuffersLent);
            Log.Write(" tx-outstanding=");
            Log.Decimal(NetworkDevices.TransmitBuffersOutstanding);
            Log.Write(" udp-queued=");
            Log.Decimal(nif.Udp.QueuedDatagrams);
            Log.Write(" arp-pending=");
            Log.Decimal(nif.PendingPackets);
            Log.Write(" tcp=");
            Log.Decimal(nif.Tcp.ActiveConnections);
            Log.Write(" tcp-time-wait=");
            Log.Decimal(nif.Tcp.TimeWaitConnections);
            Log.Write(" tcp-pool-free=");
            Log.Decimal(nif.Tcp.Buffers.FreeBlocks);
            Log.Write('/');
            Log.Decimal(nif.Tcp.Buffers.TotalBlocks);
            // SYNs dropped for want of a record or a buffer guarantee, and received data dropped for want of a block.
            Log.Write(" tcp-syn-no-record=");
            Log.Decimal(nif.Tcp.NoConnectionSlot);
            Log.Write(" tcp-syn-no-memory=");
            Log.Decimal(nif.Tcp.NoBufferMemory);
            Log.Write(" tcp-rx-no-memory=");
            Log.Decimal(nif.Tcp.DroppedNoMemory);
            Log.Write(" heap=");
            Log.Decimal(System.Runtime.Allocator.LiveBytes);
            Log.Write(" rx-frames=");
            Log.Decimal(nif.Device.Counters.RxFrames);
            Log.Write(" echoed=");
            Log.Decimal(UdpEcho.Echoed);
            // Frames the stack could not send because every transmit buffer was in flight (an ACK lost this way
            // can cost the peer a fast retransmit), and frames the device dropped on receive.
            Log.Write(" tx-busy=");
            Log.Decimal(nif.Device.Counters.TxBusy);
            Log.Write(" rx-dropped=");
            Log.Decimal(nif.Device.Counters.RxDropped);
            // Guest-side cost per received frame since the last idle report: cycles of busy service turns
            // (driver receive and transmit, stack, services) over frames received, and the same in ns.
            long frames = nif.Device.Counters.RxFrames - s_framesAtProfileStart;
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
            ref readonly Cosmos.Hal.Network.NetworkDeviceCounters counters = ref nif.Device.Counters;
            if (frames > 0)
            {
                Log.Write(" per-100-frames: halts=");
                Log.Decimal((NetworkDevices.Halts - s_haltsAtProfileStart) * 100 / frames);
                Log.Write(" interrupts=");
                Log.Decimal((counters.Interrupts - s_interruptsAtProfileStart) * 100 / frames);
                Log.Write(" kicks=");
                Log.Decimal((counters.Notifications - s_kicksAtProfileStart) * 100 / frames);
            }
            s_haltsAtProfileStart = NetworkDevices.Halts;
            s_interruptsAtProfileStart = counters.Interrupts;
            s_kicksAtProfileStart = counters.Notifications;
            s_framesAtProfileStart = nif.Device.Counters.RxFrames;
            s_busyCyclesReported = (long)s_busyCycles;
            Log.End();
        }

        /// <summary>net.resolve=NAME: one A lookup once the address is known (net.dns=a.b.c.d[:port] picks the server).</summary>
        private static void Resolve(NetworkInterface nif, long now)
        {
            if (s_resolveName == null || !s_announced || s_resolveReported) return;
            if (!s_resolveStarted)
            {
                s_resolveStarted = true;
                Dns.Server = nif.DnsServer;
                ReadOnlySpan<char> server = Program.Options.Get("net.dns");
                if (server.Length > 0)
                {
                    int colon = server.IndexOf(':');
                    if (colon > 0)
                    {
                        long port = 0;
                        for (int i = colon + 1; i < server.Length; i++) port = port * 10 + (server[i] - '0');
                        Dns.ServerPort = (ushort)port;
                        server = server.Slice(0, colon);
                    }
                    Ipv4Address.TryParse(server, out Ipv4Address address);
                    Dns.Server = address;
                }
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
