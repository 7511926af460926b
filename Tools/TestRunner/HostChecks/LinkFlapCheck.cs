using System.Net;
using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;
using Cosmos.TestRunner.Peers;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// Link down and up from QEMU's monitor (issue 17 item 4) on a boot with QEMU's own virtio-net on the raw peer's datagram
/// backend: <c>set_link n0 off</c> makes QEMU clear VIRTIO_NET_S_LINK_UP in the device's status field and send a
/// configuration-change notification (hw/net/virtio-net.c, the link-status callback; virtio 1.2 §5.1.4), and QEMU's net
/// layer then carries no frame either way. From outside: pings answered before, none while down, answered again after up;
/// the kernel's lines for both changes; frames it sent while down dropped and counted by its driver; and (from the pcap,
/// <see cref="FromPcap"/>) its gratuitous ARP after the link's return.
/// </summary>
public static class LinkFlapCheck
{
    /// <summary>The netdev the raw peer's boots name (QEMU's set_link takes the netdev's id and also changes its NIC peer).</summary>
    public const string Netdev = "n0";

    public static PeerCheck Run(string bootName) => async (peer, log, cancel) =>
    {
        var results = new List<(string, bool, string)>();
        int before = await Pings(peer, 1, 3, TimeSpan.FromSeconds(3), cancel);
        results.Add(("pings answered before the link goes down", before == 3, $"{before}/3"));
        QmpClient qmp;
        try { qmp = await QmpClient.ConnectAsync(QmpClient.SocketFor(bootName), TimeSpan.FromSeconds(10), cancel); }
        catch (IOException e) { results.Add(("QMP reachable", false, e.Message)); return results; }
        using (qmp)
        {
            int mark = log.Count;
            qmp.SetLink(Netdev, up: false);
            string? down = await log.WaitAsync(@"net: link down \(configuration change", mark, TimeSpan.FromSeconds(15), cancel);
            results.Add(("the kernel logged the link going down (configuration-change interrupt)", down != null, down ?? "no 'net: link down' line within 15 s"));
            int whileDown = await Pings(peer, 10, 3, TimeSpan.FromSeconds(1), cancel);
            results.Add(("no ping answered while the link is down", whileDown == 0, $"{whileDown}/3 answered"));
            // The kernel pings its gateway (the peer) once a second: those are the frames it sends while down.
            await Task.Delay(TimeSpan.FromSeconds(2), cancel);
            mark = log.Count;
            qmp.SetLink(Netdev, up: true);
            string? up = await log.WaitAsync(@"net: link up after \d+ ms; \d+ frames dropped while down; gratuitous ARP for 10\.0\.3\.15, static address kept", mark,
                TimeSpan.FromSeconds(15), cancel);
            results.Add(("the kernel logged the link's return and re-announced its address", up != null, up ?? "no 'net: link up ... gratuitous ARP' line within 15 s"));
            long dropped = up == null ? -1 : long.Parse(System.Text.RegularExpressions.Regex.Match(up, @"(\d+) frames dropped").Groups[1].Value);
            results.Add(("frames the kernel sent while down were dropped and counted", dropped >= 1, $"{dropped} dropped"));
            int after = await Pings(peer, 20, 3, TimeSpan.FromSeconds(3), cancel);
            results.Add(("pings answered after the link is back", after == 3, $"{after}/3"));
        }
        // The idle report then counts the two link changes.
        string? idle = await log.WaitAsync(@"net: idle: .* link-changes=2 ", 0, TimeSpan.FromSeconds(20), cancel);
        results.Add(("the idle report counts 2 link changes", idle != null, idle ?? "no idle line with link-changes=2 within 20 s"));
        return results;
    };

    /// <summary>
    /// The same on the tap lane with a DHCP address (dnsmasq): after the link's return the kernel must re-check its lease with
    /// an early REQUEST (its "DHCP lease renewed (1)" line, and a second DHCPACK for its MAC in dnsmasq's log), and the host's
    /// pings must stop while down and come back after.
    /// </summary>
    public static TapCheck Dhcp(string bootName) => async (tap, log, cancel) =>
    {
        var results = new List<(string, bool, string)>();
        string? bound = await log.WaitAsync(@"net: DHCP bound \d+\.\d+\.\d+\.\d+", 0, TimeSpan.FromSeconds(30), cancel);
        results.Add(("DHCP bound", bound != null, bound ?? "no DHCP bound line within 30 s"));
        if (bound == null) return results;
        string kernel = System.Text.RegularExpressions.Regex.Match(bound, @"bound (\d+\.\d+\.\d+\.\d+)").Groups[1].Value;
        int HostPings(int count, int waitSeconds)
        {
            var r = tap.Namespace.Run("ping", ["-c", count.ToString(), "-i", "0.3", "-W", waitSeconds.ToString(), kernel], TimeSpan.FromSeconds(count * (waitSeconds + 1) + 10), allowFailure: true);
            var m = System.Text.RegularExpressions.Regex.Match(r.Output, @"(\d+) (?:packets )?received");
            return m.Success ? int.Parse(m.Groups[1].Value) : -1;
        }
        int AcksInDnsmasqLog() => File.Exists(tap.DnsmasqLog)
            ? System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(tap.DnsmasqLog), $@"DHCPACK\(\S+\) {kernel} {TapChecks.KernelMac}", System.Text.RegularExpressions.RegexOptions.IgnoreCase).Count : -1;
        int before = HostPings(3, 3);
        results.Add(("pings from the host answered before", before == 3, $"{before}/3"));
        int acksBefore = AcksInDnsmasqLog();
        QmpClient qmp;
        try { qmp = await QmpClient.ConnectAsync(QmpClient.SocketFor(bootName), TimeSpan.FromSeconds(10), cancel); }
        catch (IOException e) { results.Add(("QMP reachable", false, e.Message)); return results; }
        using (qmp)
        {
            int mark = log.Count;
            qmp.SetLink(Netdev, up: false);
            string? down = await log.WaitAsync(@"net: link down \(configuration change", mark, TimeSpan.FromSeconds(15), cancel);
            results.Add(("the kernel logged the link going down", down != null, down ?? "no 'net: link down' line within 15 s"));
            int whileDown = HostPings(2, 1);
            results.Add(("no ping from the host answered while down", whileDown == 0, $"{whileDown}/2"));
            mark = log.Count;
            qmp.SetLink(Netdev, up: true);
            string? up = await log.WaitAsync($@"net: link up after \d+ ms; \d+ frames dropped while down; gratuitous ARP for {System.Text.RegularExpressions.Regex.Escape(kernel)}, DHCP lease re-checked \(REQUEST\)", mark,
                TimeSpan.FromSeconds(15), cancel);
            results.Add(("the kernel logged the return, re-announced its address and re-checked its lease", up != null, up ?? "no 'net: link up ... DHCP lease re-checked' line within 15 s"));
            string? renewed = await log.WaitAsync($@"net: DHCP lease renewed \(1\): {System.Text.RegularExpressions.Regex.Escape(kernel)}", mark, TimeSpan.FromSeconds(20), cancel);
            results.Add(("the lease was renewed after the return (REQUEST answered by ACK)", renewed != null, renewed ?? "no 'DHCP lease renewed (1)' line within 20 s"));
        }
        int acksAfter = AcksInDnsmasqLog();
        results.Add(("dnsmasq acknowledged the kernel's REQUEST after the return", acksAfter == acksBefore + 1 && acksBefore >= 1, $"DHCPACKs for {kernel}: {acksBefore} before, {acksAfter} after"));
        int after = HostPings(3, 3);
        results.Add(("pings from the host answered after", after == 3, $"{after}/3"));
        return results;
    };

    private static async Task<int> Pings(RawIpPeer peer, ushort first, int count, TimeSpan timeout, CancellationToken cancel)
    {
        int answered = 0;
        for (int i = 0; i < count; i++) if (await peer.PingAsync((ushort)(first + i), timeout, cancel)) answered++;
        return answered;
    }

    /// <summary>
    /// The pcap (QEMU's filter-dump on n0, which sees only frames QEMU's net layer carried, so none while the link was down):
    /// the kernel's gratuitous ARP requests (sender and target address both its own, RFC 5227 §3) must number at least two,
    /// the one when the address was set and the one after the link's return.
    /// </summary>
    public static List<(string Name, bool Passed, string Detail)> FromPcap(string path)
    {
        int gratuitous = 0;
        var kernel = RawIpPeer.KernelAddress;
        using var device = new CaptureFileReaderDevice(path);
        device.Open();
        while (device.GetNextPacket(out PacketCapture raw) == GetPacketStatus.PacketRead)
        {
            RawCapture frame = raw.GetPacket();
            if (Packet.ParsePacket(frame.LinkLayerType, frame.Data).Extract<ArpPacket>() is { } arp && arp.Operation == ArpOperation.Request &&
                arp.SenderProtocolAddress.Equals(kernel) && arp.TargetProtocolAddress.Equals(kernel))
                gratuitous++;
        }
        return [("the kernel's gratuitous ARP at start-up and again after the link's return", gratuitous >= 2, $"{gratuitous} gratuitous ARP requests for {kernel}")];
    }
}
