using System;
using Cosmos.Hal.Config;
using Cosmos.Hal.Diagnostics;
using Cosmos.Hal.Timers;
using Cosmos.Kernel.Devices;
using Cosmos.Net.Interface;
using Cosmos.Net.Protocols;
using Cosmos.Net.Services;
using Cosmos.Net.Services.Http;
using Cosmos.Net.Wire;

namespace Cosmos.Kernel.Networking
{
    /// <summary>
    /// One interface of the stack (netN) on one adapter, with its address (DHCP by default, or
    /// <c>netN.ip=a.b.c.d/n netN.gw=a.b.c.d</c>; for net0 also the older <c>net.ip</c>/<c>net.gw</c>), its own
    /// services (UDP and TCP echo, HTTP, the benchmark's statistics port), and its gateway pings. Its log lines
    /// start with "net" for net0 (as they always have) and "netN" for the others.
    /// </summary>
    public sealed class InterfaceService
    {
        public int Index { get; }
        public string LogName { get; }
        public NetworkAdapter Adapter { get; }
        public NetworkInterface Interface { get; }
        public UdpEchoService UdpEcho { get; }
        public TcpEchoService TcpEcho { get; }
        /// <summary>Echo for many clients at once (port 9007): the tap lane's 200 concurrent connections.</summary>
        public ConcurrentEchoService ConcurrentEcho { get; }
        /// <summary>Echoed UDP datagrams (0 without the echo service).</summary>
        public long UdpEchoed => UdpEcho?.Echoed ?? 0;
        public HttpServer Http { get; }
        public BenchStatsService BenchStats { get; }
        public bool Announced { get; private set; }
        private ushort _pingSequence;
        private long _nextPingMs;
        private int _pingsLeft;
        private int _renewalsLogged;
        private LinkWatch _link; // issue 17 item 4: link down/up through configuration changes (LinkWatch.cs)

        public InterfaceService(NetworkAdapter adapter, CommandLine options, IStatusPage page, int tcpBufferBlocks, ServiceSelection services)
        {
            Index = adapter.Index;
            LogName = Index == 0 ? "net" : string.Concat("net", ((char)('0' + Index)).ToString());
            Adapter = adapter;
            long heapBefore = System.Runtime.Allocator.LiveBytes;
            var nif = new NetworkInterface(adapter.Device, tcpBufferBlocks);
            long stackBytes = System.Runtime.Allocator.LiveBytes - heapBefore;
            nif.Icmp.MicrosecondClock = MicrosecondsNow;
            nif.Tcp.MicrosecondClock = MicrosecondsNow;
            bool rdrand = SupplyTcpSecret(nif);
            Log.Begin(LogName);
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
            // Services not selected stay null and bind no port.
            if ((services & ServiceSelection.Echo) != 0)
            {
                UdpEcho = new UdpEchoService(nif);
                TcpEcho = new TcpEchoService(nif);
                ConcurrentEcho = new ConcurrentEchoService(nif);
            }
            if ((services & ServiceSelection.Http) != 0) Http = new HttpServer(nif, page);
            if ((services & ServiceSelection.Stats) != 0) BenchStats = new BenchStatsService(nif);

            if (Option(options, "ip", out ReadOnlySpan<char> ipText) && TryParseCidr(ipText, out Ipv4Address address, out int prefix))
            {
                Option(options, "gw", out ReadOnlySpan<char> gatewayText);
                Ipv4Address.TryParse(gatewayText, out Ipv4Address gateway);
                nif.Configure(address, prefix, gateway, default);
                Log.Begin(LogName);
                Log.Write("static address ");
                NetworkHost.WriteAddress(address);
                Log.Write('/');
                Log.Decimal(prefix);
                Log.Write(" gateway ");
                NetworkHost.WriteAddress(gateway);
                Log.End();
            }
            else
            {
                nif.Dhcp = new DhcpClient(nif, (uint)Clock.Nanoseconds + (uint)Index * 7919);
                nif.Dhcp.RenewAfterMsOverride = Option(options, "dhcp-renew-ms", out ReadOnlySpan<char> renew) ? ParseNumber(renew) : 0;
                Log.Line(LogName, "DHCP: discovering");
            }
            _pingsLeft = Option(options, "ping-count", out ReadOnlySpan<char> pings) ? (int)ParseNumber(pings) : 3;
        }

        private static long MicrosecondsNow() => Clock.Microseconds;

        /// <summary>
        /// The TCP buffer pool of all interfaces together: half of the memory still free when the network starts,
        /// less 1 MiB kept for the rest of the kernel, between 512 KiB and 4 MiB (README "Memory"). In 16 MiB that is
        /// the full 4 MiB; the interfaces share it equally.
        /// </summary>
        public static int TcpBufferBlocks()
        {
            const long Block = Cosmos.Net.Protocols.Tcp.TcpBufferPool.BlockSize;
            long free = (long)Cosmos.Hal.Memory.PhysicalMemory.Pages.FreePages * 4096;
            long bytes = free / 2 - (1L << 20);
            if (bytes < 512L << 10) bytes = 512L << 10;
            if (bytes > 16L << 20) bytes = 16L << 20;
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

        /// <summary><c>netN.NAME</c>, or for net0 also the older <c>net.NAME</c>.</summary>
        private bool Option(CommandLine options, string name, out ReadOnlySpan<char> value)
        {
            Span<char> key = stackalloc char[32];
            int n = 0;
            "net".AsSpan().CopyTo(key); n = 3;
            key[n++] = (char)('0' + Index);
            key[n++] = '.';
            name.AsSpan().CopyTo(key.Slice(n)); n += name.Length;
            if (options.TryGet(key.Slice(0, n), out value) && value.Length > 0) return true;
            if (Index == 0 && options.TryGet(string.Concat("net.", name), out value) && value.Length > 0) return true;
            value = default;
            return false;
        }

        private static long ParseNumber(ReadOnlySpan<char> text)
        {
            long v = 0;
            for (int i = 0; i < text.Length && text[i] >= '0' && text[i] <= '9'; i++) v = v * 10 + (text[i] - '0');
            return v;
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

        /// <summary>One turn: the interface, then its services; true if anything happened.</summary>
        public bool Poll(long now)
        {
            NetworkInterface nif = Interface;
            bool busy = nif.Poll(now);
            if (UdpEcho != null)
            {
                busy |= UdpEcho.Poll();
                busy |= TcpEcho.Poll();
                busy |= ConcurrentEcho.Poll();
            }
            if (Http != null) busy |= Http.Poll(now);
            return busy;
        }

        /// <summary>After the turn: announce the address once it is known, ping the gateway, log lease renewals.</summary>
        public void AfterPoll(long now)
        {
            NetworkInterface nif = Interface;
            if (nif.IsConfigured && !Announced)
            {
                Announced = true;
                Log.Begin(LogName);
                Log.Write(nif.Dhcp != null ? "DHCP bound " : "configured ");
                NetworkHost.WriteAddress(nif.Address);
                Log.Write('/');
                Log.Decimal(nif.PrefixLength);
                Log.Write(" gateway ");
                NetworkHost.WriteAddress(nif.Gateway);
                Log.Write(" dns ");
                NetworkHost.WriteAddress(nif.DnsServer);
                if (nif.Dhcp != null) { Log.Write(" lease "); Log.Decimal(nif.Dhcp.LeaseSeconds); Log.Write(" s"); }
                Log.End();
                _nextPingMs = now;
            }
            PingGateway(now);
            _link.Poll(this, now);
            if (nif.Dhcp != null && nif.Dhcp.Renewals != _renewalsLogged)
            {
                _renewalsLogged = nif.Dhcp.Renewals;
                Log.Begin(LogName);
                Log.Write("DHCP lease renewed (");
                Log.Decimal(_renewalsLogged);
                Log.Write("): ");
                NetworkHost.WriteAddress(nif.Address);
                Log.End();
            }
        }

        private void PingGateway(long now)
        {
            NetworkInterface nif = Interface;
            if (!Announced || nif.Gateway.IsAny) return;
            if (nif.Icmp.LastReplySequence == _pingSequence && _pingSequence != 0)
            {
                Log.Begin(LogName);
                Log.Write("ping ");
                NetworkHost.WriteAddress(nif.Icmp.LastReplyFrom);
                Log.Write(": reply seq ");
                Log.Decimal(_pingSequence);
                Log.Write(" time ");
                Log.Decimal(nif.Icmp.LastRoundTripUs);
                Log.Write(" us");
                Log.End();
                nif.Icmp.LastReplySequence = -1;
            }
            if (_pingsLeft <= 0 || now < _nextPingMs) return;
            _pingsLeft--;
            _nextPingMs = now + 1000;
            nif.Icmp.SendEchoRequest(nif.Gateway, ++_pingSequence);
        }
    }
}
