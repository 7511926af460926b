using Cosmos.Hal.Network;
using Cosmos.Net.Wire;
using Cosmos.TestRunner.HostChecks;
using CsCheck;
using Xunit;

namespace Cosmos.HostTests;

public class DnsDhcpTests
{
    private static byte[] Query(string name, ushort id)
    {
        var buffer = new byte[512];
        int length = DnsMessage.EmitQuery(buffer, id, name);
        return buffer[..length];
    }

    [Fact]
    public void QueryEncodesLabels()
    {
        byte[] q = Query("cosmos.test", 0x1234);
        Assert.Equal(new byte[] { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 6, (byte)'c', (byte)'o', (byte)'s', (byte)'m', (byte)'o', (byte)'s', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0, 0, 1, 0, 1 }, q);
        Assert.Equal(0, DnsMessage.EmitQuery(new byte[512], 1, "bad..name"));
        Assert.Equal(0, DnsMessage.EmitQuery(new byte[512], 1, new string('a', 64) + ".test"));
    }

    [Fact]
    public void ReadsACompressedAnswer()
    {
        byte[] reply = TestDnsServer.Reply(Query("cosmos.test", 77))!;
        Assert.True(DnsMessage.TryParseAnswer(reply, 77, out Ipv4Address address, out int code));
        Assert.Equal(0, code);
        Assert.Equal(new Ipv4Address(192, 0, 2, 7), address);
        Assert.False(DnsMessage.TryParseAnswer(reply, 78, out _, out _)); // another query's answer
    }

    [Fact]
    public void NxDomainIsAnAnswerWithoutAnAddress()
    {
        byte[] reply = TestDnsServer.Reply(Query("nowhere.test", 5))!;
        Assert.False(DnsMessage.TryParseAnswer(reply, 5, out _, out int code));
        Assert.Equal(3, code);
    }

    [Fact]
    public void TruncatedAndMutatedRepliesNeverThrow()
    {
        byte[] reply = TestDnsServer.Reply(Query("cosmos.test", 9))!;
        Gen.Select(Gen.Int[0, reply.Length], Gen.Int[0, reply.Length - 1].Array[0, 6], Gen.Byte.Array[6]).Sample((cut, positions, values) =>
        {
            byte[] mutated = reply.ToArray();
            for (int i = 0; i < positions.Length; i++) mutated[positions[i]] = values[i];
            DnsMessage.TryParseAnswer(mutated.AsSpan(0, cut), 9, out _, out _);
        }, iter: 20_000);
    }

    /// <summary>A DISCOVER as the client sends it.</summary>
    private static DhcpRepr Discover(MacAddress mac, uint transactionId) => new()
    {
        Operation = DhcpMessage.BootRequest, TransactionId = transactionId, Broadcast = true, ClientHardware = mac, ClientIdentifier = mac,
        MessageType = DhcpMessageType.Discover, RequestParameters = true,
    };

    [Fact]
    public void DhcpDiscoverIsWhatPacketDotNetExpects()
    {
        var buffer = new byte[600];
        var mac = new MacAddress(new byte[] { 0x52, 0x54, 0, 0x12, 0x34, 0x56 });
        int length = DhcpMessage.Emit(buffer, Discover(mac, 0xCAFEF00D));
        var dhcp = new PacketDotNet.DhcpV4Packet(new PacketDotNet.Utils.ByteArraySegment(buffer, 0, length), null);
        Assert.Equal(PacketDotNet.DhcpV4MessageType.Discover, dhcp.MessageType);
        Assert.Equal(0xCAFEF00D, dhcp.TransactionId);
        Assert.Equal("525400123456", dhcp.ClientHardwareAddress.ToString());
        Assert.True(length >= 300);
    }

    [Fact]
    public void DhcpOfferParses()
    {
        var buffer = new byte[600];
        var mac = new MacAddress(new byte[] { 2, 0, 0, 0, 0, 1 });
        int length = DhcpMessage.Emit(buffer, Discover(mac, 42));
        buffer[0] = 2;                                       // BOOTREPLY
        new Ipv4Address(10, 0, 2, 15).Write(buffer, 16);     // yiaddr
        int at = DhcpMessage.OptionsOffset;
        byte[] options = [53, 1, DhcpMessageType.Offer, 54, 4, 10, 0, 2, 2, 51, 4, 0, 1, 0x51, 0x80, 1, 4, 255, 255, 255, 0, 3, 4, 10, 0, 2, 2, 255];
        options.CopyTo(buffer, at);
        Assert.True(DhcpMessage.TryParse(buffer.AsSpan(0, length), out DhcpMessage message));
        Assert.True(DhcpRepr.TryParse(in message, out DhcpRepr offer));
        Assert.Equal(DhcpMessageType.Offer, offer.MessageType);
        Assert.Equal(new Ipv4Address(10, 0, 2, 15), offer.YourAddress);
        Assert.Equal(new Ipv4Address(10, 0, 2, 2), offer.ServerIdentifier);
        Assert.Equal(86400u, offer.LeaseSeconds);
        Assert.Equal(new Ipv4Address(255, 255, 255, 0), offer.SubnetMask);
        // An option that runs past the end is rejected, not read beyond.
        buffer[at + options.Length - 1] = 3; buffer[at + options.Length] = 200;
        Assert.True(DhcpMessage.TryParse(buffer.AsSpan(0, at + options.Length + 2), out message));
        Assert.False(DhcpRepr.TryParse(in message, out _));
    }
}
