using System;
using System.IO;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

// The client side of System.Net.Sockets, checked the same way in the kernel and on .NET: the runner starts a TCP echo
// server and a UDP echo server on the host and passes where they are; each check prints one line "check NAME: RESULT"
// whose RESULT is the same on both (the runner compares the two transcripts), and Main returns 0 only if all passed.
//   SocketClient HOST TCP-ECHO-PORT UDP-ECHO-PORT CLOSED-PORT
if (args.Length != 4 || !IPAddress.TryParse(args[0], out IPAddress host)
    || !int.TryParse(args[1], out int tcpPort) || !int.TryParse(args[2], out int udpPort) || !int.TryParse(args[3], out int closedPort))
{
    Console.WriteLine("usage: SocketClient HOST TCP-ECHO-PORT UDP-ECHO-PORT CLOSED-PORT");
    return 2;
}

int failed = 0;
void Report(string name, string result, string expected)
{
    bool ok = result == expected;
    if (!ok) failed++;
    Console.WriteLine("check " + name + ": " + result + (ok ? "" : " (expected " + expected + ")"));
}

// TCP: connect, send 200,000 bytes in pieces while reading the echo, compare.
{
    using var client = new TcpClient();
    await client.ConnectAsync(host, tcpPort);
    client.NoDelay = true;
    NetworkStream stream = client.GetStream();
    var data = new byte[200_000];
    for (int i = 0; i < data.Length; i++) data[i] = (byte)(i * 7 + i / 251);
    Task writer = Task.Run(async () =>
    {
        for (int at = 0; at < data.Length; at += 10_000) await stream.WriteAsync(data.AsMemory(at, 10_000));
    });
    var back = new byte[data.Length];
    int got = 0;
    while (got < back.Length)
    {
        int n = await stream.ReadAsync(back.AsMemory(got));
        if (n == 0) break;
        got += n;
    }
    await writer;
    bool same = got == data.Length;
    for (int i = 0; same && i < got; i++) same = back[i] == data[i];
    Report("tcp echo of 200000 bytes", got + " bytes, " + (same ? "identical" : "different"), "200000 bytes, identical");
    Report("tcp endpoints", (((IPEndPoint)client.Client.RemoteEndPoint).Port == tcpPort) + " " + client.Connected, "True True");
    client.Client.Shutdown(SocketShutdown.Send);
    int end = await stream.ReadAsync(new byte[16]);
    Report("tcp end of stream after shutdown", end.ToString(), "0");
}

// TCP: a port nobody listens on is refused.
try
{
    using var refused = new TcpClient();
    await refused.ConnectAsync(host, closedPort);
    Report("tcp connect to a closed port", "connected", "SocketException 10061 True Connection refused");
}
catch (SocketException e)
{
    // The code as a number: Enum.ToString gives no names in the kernel (no reflection data; see the README).
    Report("tcp connect to a closed port", "SocketException " + (int)e.SocketErrorCode + " " + (e.SocketErrorCode == SocketError.ConnectionRefused) + " " + e.Message,
        "SocketException 10061 True Connection refused");
}

// A read that waits longer than its token allows is canceled.
{
    using var quiet = new TcpClient();
    await quiet.ConnectAsync(new IPEndPoint(host, tcpPort));
    using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
    try
    {
#pragma warning disable CA2022 // the read is meant to wait for bytes that never come; its count does not matter
        await quiet.GetStream().ReadAsync(new byte[10], timeout.Token);
#pragma warning restore CA2022
        Report("tcp read canceled by its token", "completed", "OperationCanceledException");
    }
    catch (OperationCanceledException)
    {
        Report("tcp read canceled by its token", "OperationCanceledException", "OperationCanceledException");
    }
}

// Several connections at once, with Task.WhenAll.
{
    async Task<string> RoundTrip(int i)
    {
        using var c = new TcpClient();
        await c.ConnectAsync(host, tcpPort);
        NetworkStream s = c.GetStream();
        byte[] message = System.Text.Encoding.ASCII.GetBytes("hello " + i);
        await s.WriteAsync(message);
        var reply = new byte[message.Length];
        int got = 0;
        while (got < reply.Length) got += await s.ReadAsync(reply.AsMemory(got));
        return System.Text.Encoding.ASCII.GetString(reply);
    }
    var tasks = new Task<string>[8];
    for (int i = 0; i < tasks.Length; i++) tasks[i] = RoundTrip(i);
    string[] replies = await Task.WhenAll(tasks);
    Report("8 tcp connections at once", string.Join(",", replies), "hello 0,hello 1,hello 2,hello 3,hello 4,hello 5,hello 6,hello 7");
}

// UDP: send datagrams, receive them back, with their sender.
{
    using var udp = new UdpClient();
    var server = new IPEndPoint(host, udpPort);
    string result = "";
    for (int i = 0; i < 3; i++)
    {
        byte[] datagram = System.Text.Encoding.ASCII.GetBytes("datagram " + i);
        await udp.SendAsync(datagram, datagram.Length, server);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        UdpReceiveResult reply = await udp.ReceiveAsync(wait.Token);
        result += System.Text.Encoding.ASCII.GetString(reply.Buffer) + (reply.RemoteEndPoint.Port == udpPort ? "" : "?") + ";";
    }
    Report("udp echo", result, "datagram 0;datagram 1;datagram 2;");
}

// Addresses and errors that need no network.
Report("IPAddress.Parse", IPAddress.Parse("192.168.1.20").ToString() + " " + IPAddress.Loopback + " " + IPAddress.Any, "192.168.1.20 127.0.0.1 0.0.0.0");
Report("IPEndPoint.Parse", IPEndPoint.Parse("10.1.2.3:8080").ToString(), "10.1.2.3:8080");
Report("IPAddress.TryParse bad", IPAddress.TryParse("300.1.2.3", out _).ToString(), "False");
Report("Dns of an address", (await Dns.GetHostAddressesAsync(host.ToString()))[0].ToString(), host.ToString());
try
{
    new TcpListener(IPAddress.Any, 0).AcceptSocket();
    Report("accept before Start", "returned", "InvalidOperationException");
}
catch (InvalidOperationException)
{
    Report("accept before Start", "InvalidOperationException", "InvalidOperationException");
}

// System.Net.NetworkInformation: what holds for the interface that reaches the echo servers, wherever this runs.
{
    NetworkInterface[] all = NetworkInterface.GetAllNetworkInterfaces();
    NetworkInterface up = null;
    UnicastIPAddressInformation address = null;
    foreach (NetworkInterface nic in all)
    {
        if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback) continue;
        foreach (UnicastIPAddressInformation a in nic.GetIPProperties().UnicastAddresses)
            if (a.Address.AddressFamily == AddressFamily.InterNetwork && up == null) { up = nic; address = a; }
    }
    Report("network available", NetworkInterface.GetIsNetworkAvailable().ToString(), "True");
    Report("an interface up with an IPv4 address", (up != null).ToString(), "True");
    if (up != null)
    {
        Report("its MAC has 6 bytes", up.GetPhysicalAddress().GetAddressBytes().Length.ToString(), "6");
        uint mask = 0;
        foreach (byte b in address.IPv4Mask.GetAddressBytes()) mask = mask << 8 | b;
        uint prefixMask = address.PrefixLength == 0 ? 0 : uint.MaxValue << (32 - address.PrefixLength);
        Report("IPv4Mask agrees with PrefixLength", (mask == prefixMask && address.PrefixLength > 0).ToString(), "True");
        Report("it has received and sent packets", (up.GetIPStatistics().UnicastPacketsReceived > 0 && up.GetIPStatistics().BytesSent > 0).ToString(), "True");
        try
        {
            up.GetIPProperties().UnicastAddresses.Add(address);
            Report("UnicastAddresses.Add", "added", "NotSupportedException");
        }
        catch (NotSupportedException e)
        {
            Report("UnicastAddresses.Add", "NotSupportedException: " + e.Message, "NotSupportedException: The collection is read-only.");
        }
        try
        {
#pragma warning disable CA1416 // on purpose: the check is that Linux's PlatformNotSupportedException comes in the kernel too
            Report("NonUnicastPacketsSent", up.GetIPStatistics().NonUnicastPacketsSent.ToString(), "PlatformNotSupportedException");
#pragma warning restore CA1416
        }
        catch (PlatformNotSupportedException e)
        {
            Report("NonUnicastPacketsSent", "PlatformNotSupportedException: " + e.Message, "PlatformNotSupportedException: The information requested is unavailable on the current platform.");
        }
    }
    Report("PhysicalAddress.Parse", PhysicalAddress.Parse("52-54-00-12-34-5f").ToString() + " " + PhysicalAddress.Parse("525400ABCDEF") + " "
        + PhysicalAddress.Parse("52:54:00:aa:bb:cc").Equals(PhysicalAddress.Parse("525400AABBCC")), "52540012345F 525400ABCDEF True");
    Report("PhysicalAddress.TryParse bad", PhysicalAddress.TryParse("52-54-0", out _).ToString() + " " + PhysicalAddress.TryParse("zz", out _), "False False");
}

Console.WriteLine("checks done: " + failed + " failed");
return failed == 0 ? 0 : 1;
