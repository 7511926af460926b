using Cosmos.TestRunner.Peers;
using Cosmos.TestRunner.Tap;

namespace Cosmos.TestRunner.HostChecks;

/// <summary>
/// What the tap's pcap says about segmentation offloads after the tap checks ran (64 MiB of TCP echo among
/// them). With GUEST_TSO4 in force the host kernel hands QEMU coalesced TCP packets larger than the MTU, so the
/// capture holds IPv4 packets over 1,500 bytes to the kernel; with it declined at negotiation or turned off
/// through the control queue (GUEST_OFFLOADS_SET), the host must segment itself and none may appear.
/// </summary>
public static class OffloadChecks
{
    public enum Receive { Coalesced, Segmented }
    /// <summary>What the kernel sends: packets over the MTU for the device to cut (HOST_TSO4), or only MTU-sized ones.</summary>
    public enum Transmit { Segmentation, MtuSized }

    /// <summary>The tap checks, then the offload checks on the same capture.</summary>
    public static TapCheck After(TapCheck first, Receive expected, Transmit sent = Transmit.Segmentation) => async (tap, log, cancel) =>
    {
        var results = await first(tap, log, cancel);
        results.AddRange(Check(tap, log, expected, sent));
        return results;
    };

    private static List<(string, bool, string)> Check(TapNetwork tap, LogWatcher log, Receive expected, Transmit sent)
    {
        // The tap checks stopped tcpdump already; the file is complete.
        string? kernel = LeasedAddress(log);
        if (kernel == null) return [("offloads: the kernel's address is known", false, "no DHCP bound line")];
        WireCapture c = WireCapture.Read(tap.PcapPath, kernel, checkBothDirections: true);
        string seen = $"{c.LargePacketsToKernel:N0} packets over 1,500 bytes to the kernel, the largest {c.LargestPacketToKernel:N0} bytes";
        string sentSeen = $"{c.LargePacketsFromKernel:N0} packets over 1,500 bytes from the kernel, the largest {c.LargestPacketFromKernel:N0} bytes";
        // tcpdump on the tap sees what the guest handed QEMU before the host kernel cuts it, as it sees the host's
        // coalesced packets before QEMU spreads them over the guest's buffers.
        return
        [
            expected == Receive.Coalesced
                ? ("offloads: the host sent coalesced TCP packets (GUEST_TSO4 in force)", c.LargePacketsToKernel > 0 && c.LargestPacketToKernel <= 65535, seen)
                : ("offloads: the host segmented everything itself (no GUEST_TSO4 in force)", c.LargePacketsToKernel == 0 && c.Frames > 0, seen),
            sent == Transmit.Segmentation
                ? ("offloads: the kernel sent TCP packets for the device to segment (HOST_TSO4 in force)", c.LargePacketsFromKernel > 0 && c.LargestPacketFromKernel <= 65535, sentSeen)
                : ("offloads: the kernel sent only MTU-sized packets (no HOST_TSO4)", c.LargePacketsFromKernel == 0 && c.Frames > 0, sentSeen),
        ];
    }

    private static string? LeasedAddress(LogWatcher log)
    {
        foreach (string line in log.Lines())
        {
            var m = System.Text.RegularExpressions.Regex.Match(line, @"net: DHCP bound (\d+\.\d+\.\d+\.\d+)");
            if (m.Success) return m.Groups[1].Value;
        }
        return null;
    }
}
