using System;
using Cosmos.Hal.Network;
using Cosmos.Net.Protocols;
using Cosmos.Net.Sockets;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Interface
{
    /// <summary>
    /// One IPv4 interface on one NIC: its addresses, the ARP cache, the route to the gateway, and the input
    /// path (Ethernet, ARP, IPv4, then ICMP/UDP by protocol). Single-threaded: the idle loop calls
    /// <see cref="Poll"/>, which drains the NIC and runs the timers. Nothing on the packet path allocates.
    /// </summary>
    public sealed unsafe class NetworkInterface
    {
        private readonly INetworkDevice _device;
        private MacAddress _mac;
        private static readonly MacAddress BroadcastMac = new MacAddress(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF });
        private ushort _nextIpId = 1;
        private long _nowMs;
        private long _lastArpExpiry;

        public readonly ArpCache Arp = new ArpCache();
        /// <summary>Next hops being resolved and the frames waiting for them: one request per next hop, retried with backoff.</summary>
        public readonly ArpResolver Resolver = new ArpResolver(MaxFrame);
        /// <summary>IPv4 datagrams being put back together from fragments (RFC 791), within fixed limits.</summary>
        public readonly Ipv4Reassembly Reassembly = new Ipv4Reassembly();
        public NetworkCounters Counters;
        public Ipv4Address Address { get; private set; }
        public int PrefixLength { get; private set; }
        public Ipv4Address Gateway { get; private set; }
        public Ipv4Address DnsServer { get; private set; }
        public bool IsConfigured => !Address.IsAny;
        public INetworkDevice Device => _device;
        public MacAddress Mac => _mac;
        public long NowMs => _nowMs;

        public readonly IcmpEndpoint Icmp;
        public readonly UdpEndpoint Udp;
        public readonly Protocols.Tcp.TcpEndpoint Tcp;
        public DhcpClient Dhcp;

        public NetworkInterface(INetworkDevice device) : this(device, Protocols.Tcp.TcpEndpoint.DefaultBufferBlocks) { }

        /// <summary>An interface whose TCP buffers come from a pool of <paramref name="tcpBufferBlocks"/> 2 KiB blocks.</summary>
        public NetworkInterface(INetworkDevice device, int tcpBufferBlocks)
        {
            _device = device;
            _mac = device.Mac;
            Icmp = new IcmpEndpoint(this);
            Udp = new UdpEndpoint(this);
            Tcp = new Protocols.Tcp.TcpEndpoint(this, (uint)device.Mac.B5 << 24 | device.Mac.B4, tcpBufferBlocks);
        }

        /// <summary>Sets the address (static or from DHCP) and announces it with a gratuitous ARP (RFC 5227 §3).</summary>
        public void Configure(Ipv4Address address, int prefixLength, Ipv4Address gateway, Ipv4Address dns)
        {
            bool changed = address != Address;
            Address = address;
            PrefixLength = prefixLength;
            Gateway = gateway;
            DnsServer = dns;
            if (changed && !address.IsAny) SendArp(ArpPacket.Request, BroadcastMac, default, address);
        }

        /// <summary>
        /// Takes the device's MAC as the interface's own, for frames and ARP from now on, when it differs: a device that
        /// took over after a detach (a new Xen vif) may carry another. True if the address changed.
        /// </summary>
        public bool AdoptDeviceMac()
        {
            MacAddress now = _device.Mac;
            if (now.SameAs(_mac)) return false;
            _mac = now;
            return true;
        }

        /// <summary>Announces the address again with a gratuitous ARP request (RFC 5227 §3), e.g. when the link returns.</summary>
        public void AnnounceAddress() { if (!Address.IsAny) SendArp(ArpPacket.Request, BroadcastMac, default, Address); }

        public Ipv4Address SubnetBroadcast => new Ipv4Address(Address.Value | (PrefixLength == 0 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu << (32 - PrefixLength))));

        /// <summary>Drains received frames, runs timers; returns true if any frame was handled.</summary>
        public bool Poll(long nowMs)
        {
            _nowMs = nowMs;
            _device.Poll();
            bool any = false;
            for (int budget = 0; budget < 256 && _device.TryReceive(out ReceivedFrame frame); budget++)
            {
                any = true;
                Counters.FramesIn++;
                Input(frame.Span, frame.ChecksumVerified);
                _device.Release(frame);
            }
            if (nowMs - _lastArpExpiry >= 1000)
            {
                _lastArpExpiry = nowMs;
                Arp.Expire(nowMs);
                Reassembly.Expire(nowMs);
            }
            ServeResolver();
            Dhcp?.Poll(nowMs);
            Tcp.Poll(nowMs);
            return any;
        }

        // ---- input ----

        private void Input(Span<byte> bytes, bool checksumVerified)
        {
            if (!EthernetFrame.TryParse(bytes, out EthernetFrame frame)) { Counters.FramesMalformed++; return; }
            switch (frame.EtherType.Value)
            {
                case EtherType.Arp: InputArp(frame.Payload); break;
                case EtherType.Ipv4: InputIpv4(frame.Payload, checksumVerified); break;
                default: Counters.UnknownEtherType++; break;
            }
        }

        private void InputArp(Span<byte> payload)
        {
            Counters.ArpIn++;
            if (!ArpPacket.TryParse(payload, out ArpPacket packet)) { Counters.ArpMalformed++; return; }
            ArpRepr arp = ArpRepr.Parse(in packet);
            Ipv4Address sender = arp.SenderProtocol;
            bool forUs = IsConfigured && arp.TargetProtocol == Address;
            // RFC 826 "merge": refresh a known sender; learn it when the packet is for us.
            if (!sender.IsAny && (forUs || Arp.TryGet(sender, _nowMs, out _))) Arp.Update(sender, arp.SenderHardware, _nowMs);
            if (forUs && arp.Operation == ArpPacket.Request) SendArp(ArpPacket.Reply, arp.SenderHardware, arp.SenderHardware, sender);
            if (!sender.IsAny && Arp.TryGet(sender, _nowMs, out _))
            {
                Resolver.Answered(sender);
                ServeResolver();
            }
        }

        private void InputIpv4(Span<byte> payload, bool checksumVerified)
        {
            Counters.Ipv4In++;
            Ipv4Error error = Ipv4Packet.TryParse(payload, out Ipv4Packet packet);
            if (error != Ipv4Error.None)
            {
                if (error == Ipv4Error.BadChecksum) Counters.Ipv4BadChecksum++; else Counters.Ipv4Malformed++;
                return;
            }
            Ipv4Repr ip = Ipv4Repr.Parse(in packet);
            Ipv4Address destination = ip.Destination;
            bool forUs = destination == Address || destination.IsBroadcast || (IsConfigured && destination == SubnetBroadcast)
                || (!IsConfigured && ip.Protocol == IpProtocol.Udp); // DHCP offers may be unicast to the offered address
            if (!forUs) { Counters.Ipv4NotForUs++; return; }
            // RFC 1122 §3.2.1.3: a source address of 0, broadcast, a subnet broadcast, multicast or loopback names no
            // host; such a packet is silently discarded (an answer would go to everyone, or nowhere).
            Ipv4Address source = ip.Source;
            if (source.IsAny || source.IsBroadcast || source.IsMulticast || source.IsLoopback || (IsConfigured && source == SubnetBroadcast))
            {
                Counters.Ipv4BadSource++;
                return;
            }
            if (ip.TimeToLive == 0) { Counters.Ipv4Malformed++; return; }     // a TTL of 0 must never have been forwarded to us
            if (packet.IsFragment)
            {
                Counters.Ipv4Fragments++;
                ReassemblyResult result = Reassembly.Add(source, destination, ip.Protocol, ip.Identification,
                    ip.FragmentOffset, ip.MoreFragments, packet.Payload, _nowMs, out Span<byte> whole);
                if (result == ReassemblyResult.Dropped) Counters.Ipv4FragmentsDropped++;
                if (result != ReassemblyResult.Complete) return;
                Counters.Ipv4Reassembled++;
                Deliver(ip.Protocol, source, destination, whole, checksumVerified: false); // the NIC saw only pieces
                return;
            }
            Deliver(ip.Protocol, source, destination, packet.Payload, checksumVerified);
        }

        private void Deliver(byte protocol, Ipv4Address source, Ipv4Address destination, Span<byte> payload, bool checksumVerified)
        {
            switch (protocol)
            {
                case IpProtocol.Icmp: Icmp.Input(source, destination, payload); break;
                case IpProtocol.Udp: Udp.Input(source, destination, payload, checksumVerified); break;
                case IpProtocol.Tcp when IsConfigured && destination == Address: Tcp.Input(source, destination, payload, checksumVerified, _nowMs); break;
                default: Counters.Ipv4UnknownProtocol++; break;
            }
        }

        // ---- output ----

        public const int MaxFrame = 1514;
        public const int Ipv4PayloadOffset = EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength;
        public const int MaxIpv4Payload = MaxFrame - Ipv4PayloadOffset;

        /// <summary>A transmit buffer reserved for one IPv4 packet; write the payload, then <see cref="CommitIpv4"/>.</summary>
        public ref struct OutgoingIpv4
        {
            public TransmitBuffer Buffer;
            public Span<byte> Payload;
            public Ipv4Address Destination;
            public Ipv4Address Source;
            public byte Protocol;
        }

        public bool TryBeginIpv4(Ipv4Address destination, byte protocol, out OutgoingIpv4 packet)
        {
            packet = default;
            if (!_device.TryReserveTransmit(out TransmitBuffer buffer)) { Counters.TransmitBusy++; return false; }
            packet.Buffer = buffer;
            packet.Payload = buffer.Span.Slice(Ipv4PayloadOffset, MaxIpv4Payload);
            packet.Destination = destination;
            packet.Source = Address;
            packet.Protocol = protocol;
            return true;
        }

        public void CancelIpv4(ref OutgoingIpv4 packet) => _device.CancelTransmit(packet.Buffer);

        /// <summary>
        /// IPv4 payload bytes (transport header included) one packet may carry when the NIC segments TCP for us
        /// (TSO), or 0 when it cannot or checksums are not offloaded (TSO's partial checksums need the NIC).
        /// </summary>
        public int MaxSegmentationPayload => _device.MaxSegmentationFrame > 0 && _device.CanOffloadTransmitChecksum
            ? Math.Min(_device.MaxSegmentationFrame, EthernetFrame.HeaderLength + 65535) - Ipv4PayloadOffset : 0; // the IPv4 total length is 16 bits

        /// <summary>
        /// A large transmit buffer for a TCP packet the NIC will cut into segments, when the NIC can and the next hop's
        /// MAC is known (large frames are never held for ARP); false otherwise, and the caller sends MTU-sized segments.
        /// </summary>
        public bool TryBeginSegmentedIpv4(Ipv4Address destination, out OutgoingIpv4 packet)
        {
            packet = default;
            if (MaxSegmentationPayload == 0 || !TryNextHopMac(destination, out _)) return false;
            if (!_device.TryReserveLargeTransmit(out TransmitBuffer buffer)) return false;
            packet.Buffer = buffer;
            packet.Payload = buffer.Span.Slice(Ipv4PayloadOffset, MaxSegmentationPayload);
            packet.Destination = destination;
            packet.Source = Address;
            packet.Protocol = IpProtocol.Tcp;
            return true;
        }

        /// <summary>Sends a packet begun with <see cref="TryBeginSegmentedIpv4"/>: the NIC cuts it into segments of <paramref name="segmentSize"/> payload bytes.</summary>
        public void CommitSegmentedIpv4(ref OutgoingIpv4 packet, int payloadLength, int transportHeaderLength, int segmentSize)
        {
            Span<byte> frame = packet.Buffer.Span;
            Ipv4Packet.Emit(frame.Slice(EthernetFrame.HeaderLength), HeaderFor(in packet, payloadLength, _nextIpId));
            int segments = (payloadLength - transportHeaderLength + segmentSize - 1) / segmentSize;
            _nextIpId += (ushort)Math.Max(segments, 1); // the NIC numbers the segments from this ID on
            if (!TryNextHopMac(packet.Destination, out MacAddress mac)) { _device.CancelTransmit(packet.Buffer); return; }
            EthernetFrame.Emit(frame, Ipv4FrameTo(mac));
            int length = Ipv4PayloadOffset + payloadLength;
            Counters.Ipv4Out += Math.Max(segments, 1);
            Counters.SegmentedPackets++;
            _device.TransmitSegmented(packet.Buffer, length, new ChecksumOffload { Start = Ipv4PayloadOffset, Offset = TcpSegment.Field.Checksum },
                new SegmentationOffload { HeaderLength = Ipv4PayloadOffset + transportHeaderLength, SegmentSize = segmentSize });
            Counters.FramesOut++;
        }

        /// <summary>The IPv4 header of an outgoing packet: from our address, not a fragment, and the packet's own ID.</summary>
        private static Ipv4Repr HeaderFor(in OutgoingIpv4 packet, int payloadLength, ushort identification) => new Ipv4Repr
        {
            Source = packet.Source,
            Destination = packet.Destination,
            Protocol = packet.Protocol,
            PayloadLength = payloadLength,
            Identification = identification,
            TimeToLive = Ipv4Repr.DefaultTimeToLive,
            DontFragment = true,
        };

        private EthernetRepr Ipv4FrameTo(MacAddress destination) => new EthernetRepr { Destination = destination, Source = _mac, EtherType = EtherType.Ipv4 };

        /// <summary>The MAC of the next hop toward <paramref name="destination"/>, if the ARP cache has it.</summary>
        private bool TryNextHopMac(Ipv4Address destination, out MacAddress mac)
        {
            Ipv4Address nextHop = destination;
            if (IsConfigured && !nextHop.SameSubnet(Address, PrefixLength) && !Gateway.IsAny) nextHop = Gateway;
            return Arp.TryGet(nextHop, _nowMs, out mac);
        }

        /// <summary>True when the NIC completes UDP/TCP checksums (virtio-net VIRTIO_NET_F_CSUM): emit partial ones.</summary>
        public bool OffloadsTransmitChecksum => _device.CanOffloadTransmitChecksum;

        /// <summary>
        /// Adds the IPv4 and Ethernet headers and sends. The next hop is the destination on the local subnet
        /// (or a broadcast), else the gateway; without its MAC the frame waits in a small queue for ARP.
        /// </summary>
        public void CommitIpv4(ref OutgoingIpv4 packet, int payloadLength) => CommitIpv4(ref packet, payloadLength, -1);

        /// <summary>
        /// As above; <paramref name="transportChecksumOffset"/> (6 for UDP, 16 for TCP) names the checksum field the
        /// NIC must complete when the payload was emitted with a partial checksum, -1 when it is complete.
        /// </summary>
        public void CommitIpv4(ref OutgoingIpv4 packet, int payloadLength, int transportChecksumOffset)
        {
            Span<byte> frame = packet.Buffer.Span;
            Ipv4Packet.Emit(frame.Slice(EthernetFrame.HeaderLength), HeaderFor(in packet, payloadLength, _nextIpId++));
            int length = Ipv4PayloadOffset + payloadLength;
            Counters.Ipv4Out++;
            Ipv4Address nextHop = packet.Destination;
            MacAddress mac;
            if (nextHop.IsBroadcast || (IsConfigured && nextHop == SubnetBroadcast)) mac = BroadcastMac;
            else
            {
                if (IsConfigured && !nextHop.SameSubnet(Address, PrefixLength) && !Gateway.IsAny) nextHop = Gateway;
                if (!Arp.TryGet(nextHop, _nowMs, out mac))
                {
                    Resolver.Hold(nextHop, frame.Slice(0, length), transportChecksumOffset, _nowMs);
                    _device.CancelTransmit(packet.Buffer);
                    ServeResolver();   // the first request for a new next hop goes at once; later frames add none
                    return;
                }
            }
            EthernetFrame.Emit(frame, Ipv4FrameTo(mac));
            var offload = transportChecksumOffset < 0 ? ChecksumOffload.None
                : new ChecksumOffload { Start = Ipv4PayloadOffset, Offset = transportChecksumOffset };
            _device.Transmit(packet.Buffer, length, offload);
            Counters.FramesOut++;
        }

        private void SendArp(ushort operation, MacAddress destinationMac, MacAddress targetMac, Ipv4Address target)
        {
            if (!_device.TryReserveTransmit(out TransmitBuffer buffer)) { Counters.TransmitBusy++; return; }
            Span<byte> payload = EthernetFrame.Emit(buffer.Span, new EthernetRepr { Destination = destinationMac, Source = _mac, EtherType = EtherType.Arp });
            ArpPacket.Emit(payload, new ArpRepr { Operation = operation, SenderHardware = _mac, SenderProtocol = Address, TargetHardware = targetMac, TargetProtocol = target });
            int length = EthernetFrame.HeaderLength + ArpPacket.Length;
            payload.Slice(ArpPacket.Length, EthernetFrame.MinLength - length).Clear(); // pad to the minimum frame
            _device.Transmit(buffer, EthernetFrame.MinLength, ChecksumOffload.None);
            Counters.ArpOut++;
            Counters.FramesOut++;
        }

        // ---- packets waiting for ARP ----

        /// <summary>Sends the ARP requests that are due, and the held frames whose next hop has answered.</summary>
        private void ServeResolver()
        {
            Counters.ArpPendingDropped = Resolver.Dropped;
            if (Resolver.IsIdle) return;
            while (Resolver.NextRequest(_nowMs, out Ipv4Address hop)) SendArp(ArpPacket.Request, BroadcastMac, default, hop);
            while (Resolver.NextToSend(out Ipv4Address hop, out int handle))
            {
                if (!Arp.TryGet(hop, _nowMs, out MacAddress mac)) { Resolver.Unanswered(hop); continue; }
                if (!_device.TryReserveTransmit(out TransmitBuffer buffer)) { Counters.TransmitBusy++; break; }
                ReadOnlySpan<byte> frame = Resolver.Frame(handle);
                frame.CopyTo(buffer.Span);
                EthernetFrame.Emit(buffer.Span, Ipv4FrameTo(mac));
                int offset = Resolver.ChecksumOffset(handle);
                _device.Transmit(buffer, frame.Length, offset < 0 ? ChecksumOffload.None
                    : new ChecksumOffload { Start = Ipv4PayloadOffset, Offset = offset });
                Counters.FramesOut++;
                Resolver.Release(handle);
            }
            Counters.ArpPendingDropped = Resolver.Dropped;
            Counters.ArpResolutionsFailed = Resolver.Failed;
        }

        public int PendingPackets => Resolver.HeldFrames;
    }
}
