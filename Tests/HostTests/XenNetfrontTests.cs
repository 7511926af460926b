using System.Runtime.InteropServices;
using Cosmos.Drivers.Xen.Spec;
using Cosmos.Drivers.XenNetfront;
using Cosmos.Drivers.XenNetfront.Spec;
using Cosmos.Hal.Network;
using Cosmos.HostTests.XenModel;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>The netfront, unchanged, against the netback and xenstored models: handshake, traffic, wrap, closing, hostility.</summary>
public class XenNetfrontTests
{
    [Fact]
    public void Handshake_WritesTheNetifKeys_AndBothEndsReachConnected()
    {
        using var rig = new XenRig().Connected();
        var nb = rig.Netback;
        Assert.True(nb.Connected);
        Assert.Equal("4", nb.FrontendKey("state"));
        Assert.Equal("4", rig.Store.Get($"{nb.Backend}/state"));
        Assert.Equal("1", nb.FrontendKey("request-rx-copy"));
        Assert.Equal("1", nb.FrontendKey("feature-rx-notify"));
        Assert.Equal("1", nb.FrontendKey("feature-sg"));
        Assert.Equal("1", nb.FrontendKey("multi-queue-num-queues"));
        Assert.Equal(rig.Device.EventChannel.ToString(), nb.FrontendKey("event-channel"));
        Assert.True(rig.Xen.IsBound(rig.Device.EventChannel));
        Assert.Equal(new MacAddress(nb.Mac), rig.Device.Mac);
        // The ring references are grants to domain 0 of the ring pages, writable.
        uint txRef = uint.Parse(nb.FrontendKey("tx-ring-ref")!);
        Assert.True(txRef >= GrantTableOp.ReservedEntries);
        Assert.Empty(nb.Violations);
        Assert.Equal(0, rig.Device.Xenbus.TransactionRetries);
    }

    [Fact]
    public void Handshake_LeavesOutFeatureKeysTheBackendDoesNotOffer()
    {
        using var rig = new XenRig(nb => { nb.OfferScatterGather = false; nb.OfferMultiQueue = 0; }).Connected();
        Assert.Null(rig.Netback.FrontendKey("feature-sg"));
        Assert.Null(rig.Netback.FrontendKey("multi-queue-num-queues"));
        Assert.False(rig.Device.UsingScatterGather);
    }

    [Fact]
    public void Handshake_RetriesTheTransactionOnEagain()
    {
        using var rig = new XenRig();
        rig.Store.ForceEagainCommits = 2;
        rig.Connected();
        Assert.Equal(2, rig.Store.EagainsSent);
        Assert.Equal(2, rig.Device.Xenbus.TransactionRetries);
        Assert.Equal("1", rig.Netback.FrontendKey("request-rx-copy"));
    }

    [Fact]
    public void Handshake_GivesUpWithAClearErrorWhenTheBackendNeverAnswers()
    {
        using var rig = new XenRig(nb => nb.StayInitialising = true);
        long started = rig.Xen.NowMilliseconds;
        Assert.False(rig.Device.Connect());
        Assert.Contains("never reached InitWait", rig.Device.Error);
        Assert.Contains("Initialising(1)", rig.Device.Error);
        Assert.InRange(rig.Xen.NowMilliseconds - started, 2000, 2100); // bounded by the timeout, in virtual time
        Assert.Equal("6", rig.Netback.FrontendKey("state"));             // Closed, so nobody waits for us
    }

    [Fact]
    public void Handshake_FailsCleanlyWhenTheBackendNeverConnects()
    {
        using var rig = new XenRig(nb => nb.NeverConnect = true);
        Assert.False(rig.Device.Connect());
        Assert.Contains("never reached Connected", rig.Device.Error);
        Assert.False(rig.Device.IsOperational);
    }

    [Fact]
    public void Traffic_BothWays_ThroughManyRingWraps_ArrivesIntactAndInOrder()
    {
        using var rig = new XenRig().Connected();
        var sizes = new Random(7);
        var sent = new List<byte[]>();
        var expectedIn = new List<byte[]>();
        var received = new List<byte[]>();
        for (int i = 0; i < 3000; i++)
        {
            var outFrame = XenRig.Frame(sizes.Next(60, 1515), i);
            while (!rig.Send(outFrame)) rig.Pump();
            sent.Add(outFrame);
            var inFrame = XenRig.Frame(sizes.Next(60, 1515), 100_000 + i);
            rig.Netback.ToDeliver.Enqueue(inFrame);
            expectedIn.Add(inFrame);
            if (i % 7 == 0) { rig.Pump(); received.AddRange(rig.ReceiveAll()); }
        }
        for (int i = 0; i < 50 && (received.Count < expectedIn.Count || rig.Netback.Transmitted.Count < sent.Count); i++)
        {
            rig.Device.Flush();
            rig.Pump();
            received.AddRange(rig.ReceiveAll());
        }
        Assert.Empty(rig.Netback.Violations);
        Assert.Equal(sent.Count, rig.Netback.Transmitted.Count);
        for (int i = 0; i < sent.Count; i++) Assert.Equal(sent[i], rig.Netback.Transmitted[i]);
        Assert.Equal(expectedIn.Count, received.Count);
        for (int i = 0; i < expectedIn.Count; i++) Assert.Equal(expectedIn[i], received[i]);
        Assert.True(rig.Device.TransmitRing.RequestProducerPrivate > 10 * 256, "the transmit ring wrapped many times");
        Assert.True(rig.Device.IsOperational);
        Assert.Equal(0, rig.Device.TransmitBuffersOutstanding);
        Assert.Equal(0, rig.Device.ReceiveBuffersLent);
        Assert.Equal(3000, rig.Device.Counters.RxFrames);
        Assert.Empty(rig.MemoryFaults());
    }

    [Fact]
    public void Transmit_RequestsNeverCrossAPage_AndUseReadOnlyGrants()
    {
        using var rig = new XenRig().Connected();
        for (int i = 0; i < 600; i++) { while (!rig.Send(XenRig.Frame(1514, i))) rig.Pump(); }
        rig.Pump();
        Assert.Empty(rig.Netback.Violations); // the model flags a request whose offset + size passes 4096
        // A transmit grant is read-only: the backend may not write through it.
        var fault = Assert.Throws<GrantFault>(() => TryWriteThroughFirstTxGrant(rig));
        Assert.Contains("read-only", fault.Message);
    }

    private static unsafe void TryWriteThroughFirstTxGrant(XenRig rig)
    {
        // A grant the transmit requests used: the model's Xen must refuse write access through it.
        Assert.Equal(128, rig.Netback.TxGrantsSeen.Count); // 256 buffers of 2 KiB, one grant per page
        rig.Xen.CheckGrant(0, rig.Netback.TxGrantsSeen.First(), write: true);
    }

    [Fact]
    public void Receive_MultiSlotPackets_AreAssembled_AndExtraInfoSlotsSkipped()
    {
        using var rig = new XenRig(nb => { nb.RxSlotLimit = 1000; nb.RxExtraInfo = true; }).Connected();
        var frames = Enumerable.Range(0, 600).Select(i => XenRig.Frame(900 + i % 600, i)).ToList();
        var received = new List<byte[]>();
        foreach (var f in frames)
        {
            rig.Netback.ToDeliver.Enqueue(f);
            rig.Pump();
            received.AddRange(rig.ReceiveAll());
        }
        Assert.Equal(frames.Count, received.Count);
        for (int i = 0; i < frames.Count; i++) Assert.Equal(frames[i], received[i]);
        Assert.True(rig.Device.MultiSlotFrames > 0);
        Assert.Equal(600, rig.Device.ExtraInfoSlots);
        Assert.True(rig.Device.IsOperational, rig.Device.Error);
        Assert.Empty(rig.MemoryFaults());
    }

    [Theory]
    [InlineData(NetbackHostility.RxIdNotPosted, "not posted")]
    [InlineData(NetbackHostility.RxDuplicateId, "in the slot of another request")]
    [InlineData(NetbackHostility.RxLengthPastPage, "runs past its page")]
    [InlineData(NetbackHostility.RxProducerAhead, "rsp_prod runs past")]
    public void HostileReceive_StopsTheDevice_WithoutTouchingOtherMemory(NetbackHostility hostility, string expected)
    {
        using var rig = new XenRig(nb => { nb.Hostility = hostility; nb.HostileAfterFrames = 5; }).Connected();
        var received = new List<byte[]>();
        for (int i = 0; i < 40 && rig.Device.IsOperational; i++)
        {
            rig.Netback.ToDeliver.Enqueue(XenRig.Frame(200, i));
            rig.Pump();
            received.AddRange(rig.ReceiveAll());
            rig.Pump();
        }
        Assert.False(rig.Device.IsOperational);
        Assert.Contains(expected, rig.Device.Error);
        Assert.InRange(received.Count, 5, 6);
        // What was handed to the stack is exactly what the netback delivered, read from the page it went into.
        for (int i = 0; i < received.Count; i++) Assert.Equal(XenRig.Frame(200, i), received[i]);
        Assert.Equal(1, rig.Device.Counters.DeviceErrors);
        // Stopped: nothing more is taken or given.
        Assert.False(rig.Device.TryReceive(out _));
        Assert.False(rig.Device.TryReserveTransmit(out _));
        // And it closes the connection: Closing, the backend unmaps and says Closing, Closed, every grant ended.
        rig.PumpUntilClosed();
        Assert.True(rig.Device.StoppedOnFault);
        Assert.Equal(XenNetfrontLifecycle.Closed, rig.Device.Lifecycle);
        Assert.Equal("6", rig.Netback.FrontendKey("state"));
        Assert.Equal(0, rig.Device.GrantsStillHeld);
        // And no memory was written that nobody was entitled to write: canaries around and between every
        // allocation intact, receive pages holding exactly the netback's grant copies, which all went through
        // grants of posted receive pages.
        Assert.True(rig.Netback.FramesDelivered > 5);
        Assert.NotEmpty(rig.Xen.GrantCopies);
        Assert.Empty(rig.MemoryFaults());
    }

    [Theory]
    [InlineData(NetbackHostility.TxIdNotInFlight, "not in flight")]
    [InlineData(NetbackHostility.TxBadStatus, "status 7")]
    public void HostileTransmitResponses_StopTheDevice(NetbackHostility hostility, string expected)
    {
        using var rig = new XenRig(nb => { nb.Hostility = hostility; nb.HostileAfterFrames = 3; }).Connected();
        for (int i = 0; i < 20 && rig.Device.IsOperational; i++)
        {
            rig.Send(XenRig.Frame(100, i));
            rig.Pump();
        }
        Assert.False(rig.Device.IsOperational);
        Assert.Contains(expected, rig.Device.Error);
        Assert.Empty(rig.MemoryFaults());
    }

    [Fact]
    public void BackendThatCloses_StopsTheDevice_AndTheFrontendFollowsToClosed()
    {
        using var rig = new XenRig().Connected();
        rig.Send(XenRig.Frame(100, 1));
        rig.Pump();
        rig.Netback.CloseFromBackend();
        for (int i = 0; i < 5; i++) rig.Pump();
        Assert.False(rig.Device.IsOperational);
        Assert.True(rig.Device.BackendClosed);
        Assert.Contains("Closing(5)", rig.Device.Error);
        Assert.Equal("6", rig.Netback.FrontendKey("state"));
    }

    [Fact]
    public void OrderlyClose_RevokesEveryGrant_OnceTheBackendHasLetGo()
    {
        using var rig = new XenRig().Connected();
        int before = rig.Platform.Grants.Available;
        rig.Device.Close(1000);
        Assert.Equal("6", rig.Netback.FrontendKey("state"));
        Assert.Equal("6", rig.Store.Get($"{rig.Netback.Backend}/state"));
        Assert.Equal(0, rig.Device.GrantsStillHeld);
        Assert.True(rig.Platform.Grants.Available > before);
        Assert.Equal(rig.Platform.Grants.Capacity - GrantTableOp.ReservedEntries, rig.Platform.Grants.Available);
    }

    [Fact]
    public void DriverLayouts_MatchNetifH()
    {
        Assert.Equal(12, Marshal.SizeOf<NetifTxRequest>());
        Assert.Equal(4, (int)Marshal.OffsetOf<NetifTxRequest>(nameof(NetifTxRequest.Offset)));
        Assert.Equal(8, (int)Marshal.OffsetOf<NetifTxRequest>(nameof(NetifTxRequest.Id)));
        Assert.Equal(10, (int)Marshal.OffsetOf<NetifTxRequest>(nameof(NetifTxRequest.Size)));
        Assert.Equal(8, Marshal.SizeOf<NetifRxRequest>());
        Assert.Equal(4, (int)Marshal.OffsetOf<NetifRxRequest>(nameof(NetifRxRequest.GrantRef)));
        Assert.Equal(8, Marshal.SizeOf<NetifRxResponse>());
        Assert.Equal(6, (int)Marshal.OffsetOf<NetifRxResponse>(nameof(NetifRxResponse.Status)));
        Assert.Equal(256, SharedRingLayout.Size(12));
        Assert.Equal(256, SharedRingLayout.Size(8));
        Assert.Equal(24, Marshal.SizeOf<AddToPhysmap>());
        Assert.Equal(16, (int)Marshal.OffsetOf<AddToPhysmap>(nameof(AddToPhysmap.GuestFrame)));
        Assert.Equal(8, (int)Marshal.OffsetOf<HvmParam>(nameof(HvmParam.Value)));
        Assert.Equal(12, (int)Marshal.OffsetOf<GrantQuerySize>(nameof(GrantQuerySize.Status)));
        Assert.Equal(12, Marshal.SizeOf<EventChannelBindInterdomain>());
        Assert.Equal(8, (int)Marshal.OffsetOf<EventChannelBindInterdomain>(nameof(EventChannelBindInterdomain.LocalPort)));
    }
}

/// <summary>The network stack over the netfront: what the kernel runs on Xen, checked on the wire with PacketDotNet.</summary>
public class XenNetfrontStackTests
{
    [Fact]
    public void Stack_AnswersArpPingAndUdpEcho_OverTheNetfront()
    {
        using var rig = new XenRig().Connected();
        var nif = new Cosmos.Net.Interface.NetworkInterface(rig.Device);
        var guestIp = new Cosmos.Net.Wire.Ipv4Address(192, 168, 77, 81);
        nif.Configure(guestIp, 24, default, default);
        var echo = new Cosmos.Net.Services.UdpEchoService(nif);
        var peerMac = PhysicalAddressOf("02:00:00:00:00:01");
        var guestMac = new System.Net.NetworkInformation.PhysicalAddress(rig.Netback.Mac);
        var peerIp = System.Net.IPAddress.Parse("192.168.77.1");
        var guestAddress = System.Net.IPAddress.Parse("192.168.77.81");
        long now = 1000;
        void Step() { now += 5; rig.Xen.Pump(); rig.Platform.Events.Scan(); nif.Poll(now); echo.Poll(); rig.Device.Flush(); rig.Xen.Pump(); }

        // ARP request for the guest, then an ICMP echo request and a UDP datagram to port 7.
        var arp = new PacketDotNet.EthernetPacket(peerMac, PhysicalAddressOf("ff:ff:ff:ff:ff:ff"), PacketDotNet.EthernetType.Arp)
        {
            PayloadPacket = new PacketDotNet.ArpPacket(PacketDotNet.ArpOperation.Request, PhysicalAddressOf("00:00:00:00:00:00"), guestAddress, peerMac, peerIp),
        };
        rig.Netback.ToDeliver.Enqueue(arp.Bytes);
        var icmp = new PacketDotNet.IcmpV4Packet(new PacketDotNet.Utils.ByteArraySegment(new byte[16])) { TypeCode = PacketDotNet.IcmpV4TypeCode.EchoRequest, Id = 7, Sequence = 1 };
        var ping = new PacketDotNet.EthernetPacket(peerMac, guestMac, PacketDotNet.EthernetType.IPv4)
        {
            PayloadPacket = new PacketDotNet.IPv4Packet(peerIp, guestAddress) { PayloadPacket = icmp },
        };
        icmp.UpdateIcmpChecksum();
        ((PacketDotNet.IPv4Packet)ping.PayloadPacket).UpdateIPChecksum();
        rig.Netback.ToDeliver.Enqueue(ping.Bytes);
        var udp = new PacketDotNet.UdpPacket(40000, 7) { PayloadData = System.Text.Encoding.ASCII.GetBytes("over the netfront") };
        var ip = new PacketDotNet.IPv4Packet(peerIp, guestAddress) { PayloadPacket = udp };
        var datagram = new PacketDotNet.EthernetPacket(peerMac, guestMac, PacketDotNet.EthernetType.IPv4) { PayloadPacket = ip };
        udp.UpdateUdpChecksum();
        ip.UpdateIPChecksum();
        rig.Netback.ToDeliver.Enqueue(datagram.Bytes);
        for (int i = 0; i < 20; i++) Step();

        var replies = rig.Netback.Transmitted.Select(b => PacketDotNet.Packet.ParsePacket(PacketDotNet.LinkLayers.Ethernet, b)).ToList();
        Assert.Contains(replies, p => p.Extract<PacketDotNet.ArpPacket>() is { Operation: PacketDotNet.ArpOperation.Response } a && a.SenderProtocolAddress.Equals(guestAddress));
        var pong = replies.Select(p => p.Extract<PacketDotNet.IcmpV4Packet>()).Single(p => p != null);
        Assert.Equal(PacketDotNet.IcmpV4TypeCode.EchoReply, pong.TypeCode);
        Assert.True(pong.ValidIcmpChecksum);
        var back = replies.Select(p => p.Extract<PacketDotNet.UdpPacket>()).Single(p => p != null);
        Assert.Equal("over the netfront", System.Text.Encoding.ASCII.GetString(back.PayloadData));
        Assert.True(back.ValidUdpChecksum);
        Assert.Empty(rig.Netback.Violations);
    }

    [Fact]
    public void UdpSocket_PeekShowsTheDatagramInPlace_AndConsumeMovesOn()
    {
        using var rig = new XenRig().Connected();
        var nif = new Cosmos.Net.Interface.NetworkInterface(rig.Device);
        nif.Configure(new Cosmos.Net.Wire.Ipv4Address(192, 168, 77, 81), 24, default, default);
        var socket = nif.Udp.Bind(9);
        var guestMac = new System.Net.NetworkInformation.PhysicalAddress(rig.Netback.Mac);
        for (int i = 0; i < 3; i++)
        {
            var udp = new PacketDotNet.UdpPacket((ushort)(40000 + i), 9) { PayloadData = System.Text.Encoding.ASCII.GetBytes($"datagram {i}") };
            var ip = new PacketDotNet.IPv4Packet(System.Net.IPAddress.Parse("192.168.77.1"), System.Net.IPAddress.Parse("192.168.77.81")) { PayloadPacket = udp };
            var frame = new PacketDotNet.EthernetPacket(PhysicalAddressOf("02:00:00:00:00:01"), guestMac, PacketDotNet.EthernetType.IPv4) { PayloadPacket = ip };
            udp.UpdateUdpChecksum();
            ip.UpdateIPChecksum();
            rig.Netback.ToDeliver.Enqueue(frame.Bytes);
        }
        for (int i = 0; i < 5; i++) { rig.Xen.Pump(); rig.Platform.Events.Scan(); nif.Poll(1000 + i); }
        Assert.Equal(3, socket.Queued);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(socket.TryPeek(out ReadOnlySpan<byte> payload, out _, out ushort port));
            Assert.Equal($"datagram {i}", System.Text.Encoding.ASCII.GetString(payload));
            Assert.Equal(40000 + i, port);
            Assert.True(socket.TryPeek(out ReadOnlySpan<byte> again, out _, out _)); // peeking twice shows the same one
            Assert.Equal(payload.Length, again.Length);
            socket.Consume();
        }
        Assert.False(socket.TryPeek(out _, out _, out _));
        Assert.Equal(0, socket.Queued);
        socket.Consume(); // on an empty queue: nothing happens
        Assert.Equal(0, socket.Queued);
    }

    private static System.Net.NetworkInformation.PhysicalAddress PhysicalAddressOf(string text) =>
        System.Net.NetworkInformation.PhysicalAddress.Parse(text.Replace(':', '-').ToUpperInvariant());
}
