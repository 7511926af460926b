using System.Net;
using System.Net.Sockets;
using Cosmos.TestRunner.Tap;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>
/// The tap lane's environment on this machine: a namespace with the tap, dnsmasq and tcpdump comes up, sockets
/// made for it really live inside it, and Dispose leaves nothing behind. Needs root and /dev/net/tun, like the
/// lane (COSMOS_SKIP_TAP=1 leaves both out on machines without them).
/// </summary>
public class TapNetworkTests
{
    private static bool Skipped => Environment.GetEnvironmentVariable("COSMOS_SKIP_TAP") == "1";

    [Fact]
    public void ComesUp_WithTheTapAndItsServers_AndLeavesNothingBehind()
    {
        if (Skipped) return;
        Assert.Null(TapNetwork.MissingPrerequisites());
        string work = Path.Combine(Path.GetTempPath(), $"tap-test-{Environment.ProcessId}");
        string name;
        using (var tap = new TapNetwork("unit", work))
        {
            name = tap.Namespace.Name;
            Assert.Contains(name, Host.Run("ip", ["netns", "list"], TimeSpan.FromSeconds(10)).Output);
            string link = tap.Namespace.Run("ip", ["-o", "addr", "show", "dev", TapNetwork.TapName], TimeSpan.FromSeconds(10)).Output;
            Assert.Contains($"{TapNetwork.HostAddress}/{TapNetwork.PrefixLength}", link);
            Assert.Contains("dnsmasq", Host.Run("ip", ["netns", "pids", name], TimeSpan.FromSeconds(10)).Output.Split('\n')
                .Where(p => p.Trim().Length > 0).Select(p => File.ReadAllText($"/proc/{p.Trim()}/comm").Trim()));

            // A socket made for the namespace binds its address, which the machine's own namespace does not have.
            using Socket inside = tap.Namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            inside.Bind(new IPEndPoint(TapNetwork.HostAddress, 0));
            using var outside = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            Assert.Throws<SocketException>(() => outside.Bind(new IPEndPoint(TapNetwork.HostAddress, 0)));
        }
        Assert.DoesNotContain(name, Host.Run("ip", ["netns", "list"], TimeSpan.FromSeconds(10)).Output);
        Assert.False(File.Exists($"/var/run/netns/{name}"));
        Directory.Delete(work, recursive: true);
    }
}
