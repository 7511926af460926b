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
    /// The network host, an instance the composition root (<see cref="Program"/>) makes once: it brings the network up
    /// on every adapter (one <see cref="InterfaceService"/> each: net0, net1, ...) with the kernel's own services the
    /// command line selects, routes what the kernel itself originates (<see cref="RouteTable"/>: by subnet, else the
    /// default route; the default can be named with <c>net.default=netN</c>), and runs the service loop, whose idle
    /// periods the <see cref="IdleReport"/> logs. "net: ready" is logged when net0 has its address. An application
    /// image drives the same loop from its event loop (Hosting/NetworkEventLoop.cs).
    /// </summary>
    public sealed class NetworkHost
    {
        private readonly InterfaceService[] _interfaces;
        private readonly IdleReport _idle;
        private readonly CommandLine _options;
        public RouteTable Routes { get; } = new RouteTable();
        public int Count => _interfaces.Length;
        public InterfaceService Get(int index) => _interfaces[index];
        /// <summary>True once net0 has its address ("net: ready" was logged).</summary>
        public bool Announced => _announced;
        public DnsResolver Dns { get; private set; }
        /// <summary>The kernel's own services each interface runs (<see cref="ServiceSelection"/>).</summary>
        public ServiceSelection Services { get; }
        private readonly char[] _resolveName;
        private bool _resolveStarted, _resolveReported;
        private long _announcedAtMs;
        private bool _announced;

        /// <summary>
        /// An interface on every adapter the kernel found, with the kernel's own services <c>services=</c> names, or
        /// <paramref name="defaultServices"/> when the command line names none. Null when there is no adapter.
        /// </summary>
        public static NetworkHost Start(CommandLine options, ServiceSelection defaultServices)
        {
            if (NetworkDevices.Count == 0) return null;
            return new NetworkHost(options, ServiceSelectionOption.Read(options, defaultServices));
        }

        private NetworkHost(CommandLine options, ServiceSelection services)
        {
            _options = options;
            Services = services;
            int count = NetworkDevices.Count;
            var page = new StatusPage(this);
            // The TCP buffer pool is sized once from the memory free now and shared out among the interfaces.
            int tcpBlocksEach = InterfaceService.TcpBufferBlocks() / count;
            _interfaces = new InterfaceService[count];
            for (int i = 0; i < count; i++)
            {
                NetworkAdapter adapter = NetworkDevices.Get(i);
                adapter.Device.DeferNotifications = true; // flushed once per service turn (Poll)
                _interfaces[i] = new InterfaceService(adapter, options, page, tcpBlocksEach, Services);
                Routes.Add(_interfaces[i].Interface);
            }
            ReadOnlySpan<char> defaultRoute = options.Get("net.default");
            if (defaultRoute.Length == 4 && defaultRoute.StartsWith("net") && defaultRoute[3] >= '0' && defaultRoute[3] < '0' + count)
                Routes.DefaultInterface = defaultRoute[3] - '0';
            if (options.TryGet("net.resolve", out var resolve) && resolve.Length > 0)
            {
                _resolveName = new char[resolve.Length];
                resolve.CopyTo(_resolveName);
            }
            _idle = new IdleReport(_interfaces, options.Has("debug.tcp"));
            DeviceRecovery.Configure(options);
        }

        /// <summary>One turn of the service loop over every interface; true if anything happened.</summary>
        public bool Poll()
        {
            ulong turnStart = Cosmos.Hal.Cpu.CpuNative.ReadTimeStampCounter();
            long now = Clock.Milliseconds;
            bool busy = false;
            for (int i = 0; i < _interfaces.Length; i++) busy |= _interfaces[i].Poll(now);
            NetworkDevices.ReportStoppedDevices();
            DeviceRecovery.Poll(now);
            for (int i = 0; i < _interfaces.Length; i++) AnnounceAfterReattach(_interfaces[i]);
            NetworkDevices.WatchTransmit(now);
            ulong tsc = Cosmos.Hal.Cpu.CpuNative.ReadTimeStampCounter();
            for (int i = 0; i < _interfaces.Length; i++)
            {
                InterfaceService nic = _interfaces[i];
                if (nic.BenchStats != null) busy |= nic.BenchStats.Poll(tsc - NetworkDevices.IdleCycles, Clock.TscFrequency, nic.UdpEchoed);
                nic.Interface.Device.Flush();
            }
            if (busy) _idle.AddBusyCycles(Cosmos.Hal.Cpu.CpuNative.ReadTimeStampCounter() - turnStart);
            for (int i = 0; i < _interfaces.Length; i++) _interfaces[i].AfterPoll(now);
            if (_interfaces[0].Announced && !_announced)
            {
                _announced = true;
                Log.NoticeLine("net", ReadyLine(Services));
            }
            Resolve(now);
            _idle.Observe(now, busy, _announced);
            // gc.stress: serving packets allocates nothing, so the allocation count would never start a collection
            // under load; in that mode every busy turn ends with one instead, while buffers, queues and connections
            // are in use (the verifier runs after each).
            if (busy && GarbageCollector.StressInterval > 0) GC.Collect();
            return busy;
        }

        /// <summary>
        /// A new device took over after a detach (a Xen vif attached anew): the bridge and the peers' caches may point
        /// nowhere, so the address is announced (gratuitous ARP, RFC 5227 §3) and a DHCP lease re-checked early (RFC 2131
        /// §4.4.5), as after a link's return (<see cref="LinkWatch"/>).
        /// </summary>
        private static void AnnounceAfterReattach(InterfaceService service)
        {
            NetworkAdapter adapter = service.Adapter;
            if (!adapter.AnnouncePending) return;
            adapter.AnnouncePending = false;
            NetworkInterface nif = service.Interface;
            bool newMac = nif.AdoptDeviceMac();
            Log.BeginNotice(service.LogName);
            Log.Write("back on a new device: ");
            if (newMac)
            {
                Log.Write("its MAC ");
                WriteMac(nif.Mac);
                Log.Write(" taken, ");
            }
            if (nif.IsConfigured)
            {
                nif.AnnounceAddress();
                Log.Write("address ");
                WriteAddress(nif.Address);
                Log.Write(" kept, gratuitous ARP sent");
                if (nif.Dhcp != null && nif.Dhcp.State == DhcpState.Bound)
                {
                    nif.Dhcp.RenewNow();
                    Log.Write(", DHCP lease re-checked (REQUEST)");
                }
            }
            else Log.Write("no address yet (DHCP goes on)");
            Log.End();
        }

        private static string ReadyLine(ServiceSelection services)
        {
            if (services == ServiceSelection.None) return "ready (the kernel's own services are off: services=none)";
            string line = "ready:";
            if ((services & ServiceSelection.Echo) != 0) line = string.Concat(line, " UDP echo and TCP echo on port 7");
            if ((services & ServiceSelection.Http) != 0) line = string.Concat(line, (services & ServiceSelection.Echo) != 0 ? "," : "", " HTTP status page on port 80");
            if ((services & ServiceSelection.Stats) != 0) line = string.Concat(line, services != ServiceSelection.Stats ? "," : "", " the benchmark's statistics on UDP 7007");
            return line;
        }

        /// <summary>
        /// net.resolve=NAME: one A lookup once net0 has its address (net.dns=a.b.c.d[:port] picks the server, else
        /// the one DHCP named), sent by the interface the route table gives for the server.
        /// </summary>
        private void Resolve(long now)
        {
            if (_resolveName == null || !_announced || _resolveReported) return;
            if (!_resolveStarted)
            {
                // The route to the server is chosen once, so wait (up to 5 s after net0's address) for every interface
                // to have its address: a server on net1's subnet reached before net1's DHCP lease would go out net0.
                if (_announcedAtMs == 0) _announcedAtMs = now;
                if (!AllConfigured() && now - _announcedAtMs < 5000) return;
                Ipv4Address server = _interfaces[0].Interface.DnsServer;
                ushort port = DnsMessage.Port;
                ReadOnlySpan<char> text = _options.Get("net.dns");
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
                NetworkInterface route = Routes.Lookup(server) ?? _interfaces[0].Interface;
                _resolveStarted = true;
                Dns = new DnsResolver(route, 53530) { Server = server, ServerPort = port };
                Dns.Start(_resolveName, now);
            }
            Dns.Poll(now);
            if (Dns.State == DnsResult.Pending) return;
            _resolveReported = true;
            Log.Begin("dns");
            Log.Write(new ReadOnlySpan<char>(_resolveName));
            if (Dns.State == DnsResult.Resolved) { Log.Write(" -> "); WriteAddress(Dns.Address); }
            else { Log.Write(": not resolved (response code "); Log.Decimal(Dns.ResponseCode); Log.Write(')'); }
            Log.End();
        }

        private bool AllConfigured()
        {
            for (int i = 0; i < _interfaces.Length; i++) if (!_interfaces[i].Interface.IsConfigured) return false;
            return true;
        }

        /// <summary>Logs a MAC address as six colon-separated hex bytes.</summary>
        internal static void WriteMac(MacAddress address)
        {
            Span<byte> mac = stackalloc byte[6];
            address.CopyTo(mac);
            for (int i = 0; i < 6; i++) { if (i > 0) Log.Write(':'); Log.Hex(mac[i], 2); }
        }

        public static void WriteAddress(Ipv4Address address)
        {
            Span<char> text = stackalloc char[16];
            int n = address.Format(text);
            Log.Write(text.Slice(0, n));
        }

        /// <summary>Serves forever: the kernel's idle loop once the network is up.</summary>
        public void Run()
        {
            while (true)
            {
                if (!Poll()) NetworkDevices.WaitForWork();
            }
        }
    }
}
