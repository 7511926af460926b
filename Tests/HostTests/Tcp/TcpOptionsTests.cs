using Cosmos.Net.Wire;
using CsCheck;
using PacketDotNet;
using Xunit;

namespace Cosmos.HostTests.Tcp;

/// <summary>The TCP options on the wire (RFC 7323, RFC 2018, RFC 6691): emitted 4-byte aligned, read back, cross-checked with PacketDotNet.</summary>
public sealed class TcpOptionsTests
{
    private static readonly Ipv4Address A = new(10, 0, 0, 1), B = new(10, 0, 0, 2);

    [Fact]
    public void SynOptionsAreLaidOutAsLinuxDoesAndPacketDotNetReadsThem()
    {
        var o = new TcpOptions { Mss = 1460, HasWindowScale = true, WindowScale = 7, SackPermitted = true, HasTimestamps = true, TsVal = 0x01020304, TsEcr = 0 };
        Assert.Equal(20, o.Length);
        var buffer = new byte[80];
        var syn = new TcpRepr { SourcePort = 40000, DestinationPort = 80, Sequence = 1, Flags = TcpFlags.Syn, Window = 65535, Options = o };
        int length = TcpSegment.Emit(buffer, in syn, A, B);
        Assert.Equal(40, length);
        // MSS, SACK-permitted + timestamps, NOP + window scale (Linux's order).
        Assert.Equal(new byte[] { 2, 4, 0x05, 0xB4, 4, 2, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0, 1, 3, 3, 7 }, buffer[20..40]);
        var tcp = new TcpPacket(new PacketDotNet.Utils.ByteArraySegment(buffer, 0, length));
        Assert.Equal(40, tcp.DataOffset * 4);
        var kinds = tcp.OptionsCollection.Select(x => x.Kind).ToList();
        Assert.Contains(PacketDotNet.Tcp.OptionTypes.MaximumSegmentSize, kinds);
        Assert.Contains(PacketDotNet.Tcp.OptionTypes.WindowScaleFactor, kinds);
        Assert.Contains(PacketDotNet.Tcp.OptionTypes.SelectiveAcknowledgmentPermitted, kinds);
        Assert.Contains(PacketDotNet.Tcp.OptionTypes.Timestamp, kinds);

        Assert.True(TcpSegment.TryParse(buffer.AsSpan(0, length), A, B, false, out TcpSegment parsed));
        TcpOptions back = TcpRepr.Parse(in parsed).Options;
        Assert.Equal(1460, back.Mss);
        Assert.True(back.HasWindowScale);
        Assert.Equal(7, back.WindowScale);
        Assert.True(back.SackPermitted);
        Assert.True(back.HasTimestamps);
        Assert.Equal(0x01020304u, back.TsVal);
        Assert.Equal(0u, back.TsEcr);
    }

    [Fact]
    public void SackBlocksTakeWhatRoomTheTimestampsLeave()
    {
        var o = new TcpOptions { HasTimestamps = true, TsVal = 5, TsEcr = 6 };
        for (uint i = 0; i < 4; i++) Assert.True(o.AddSackBlock(1000 + i * 100, 1050 + i * 100));
        Assert.False(o.AddSackBlock(1, 2));
        Assert.Equal(3, o.SackRoom);                 // RFC 2018 §3: three blocks beside timestamps
        Assert.Equal(40, o.Length);                  // 12 + 4 + 3 * 8
        var bytes = new byte[40];
        Assert.Equal(40, o.Write(bytes));
        TcpOptions back = TcpOptions.Parse(bytes);
        Assert.Equal(3, back.SackBlockCount);
        Assert.Equal(1000u, back.SackStart(0));
        Assert.Equal(1250u, back.SackEnd(2));
        Assert.Equal(6u, back.TsEcr);

        var alone = new TcpOptions();
        for (uint i = 0; i < 4; i++) alone.AddSackBlock(i * 10, i * 10 + 5);
        Assert.Equal(4, alone.SackRoom);
        Assert.Equal(36, alone.Length);
        Assert.Equal(4, TcpOptions.Parse(bytes.AsSpan(0, alone.Write(bytes))).SackBlockCount);
    }

    [Theory]
    [InlineData(new byte[] { 3, 3, 15 }, 14)]          // RFC 7323 §2.3: a shift above 14 is used as 14
    [InlineData(new byte[] { 1, 1, 3, 3, 2 }, 2)]
    public void WindowScaleIsReadAndClamped(byte[] options, int shift)
    {
        TcpOptions o = TcpOptions.Parse(options);
        Assert.True(o.HasWindowScale);
        Assert.Equal(shift, o.WindowScale);
    }

    [Theory]
    [InlineData(new byte[] { 8, 9, 0, 0, 0, 1, 0, 0, 0 })]   // timestamps of the wrong length
    [InlineData(new byte[] { 5, 9, 0, 0, 0, 1, 0, 0, 0 })]   // a SACK option that is no whole block
    [InlineData(new byte[] { 2, 1 })]                        // a length below 2
    [InlineData(new byte[] { 4 })]                           // a kind with no room for its length
    public void MalformedOptionsEndTheWalk(byte[] options)
    {
        TcpOptions o = TcpOptions.Parse(options);
        Assert.False(o.HasTimestamps);
        Assert.Equal(0, o.SackBlockCount);
        Assert.Equal(0, o.Mss);
    }

    [Fact]
    public void AnythingWrittenReadsBackTheSame()
    {
        Gen.Select(Gen.Bool, Gen.Byte[0, 14], Gen.Bool, Gen.Bool, Gen.UInt, Gen.UInt, Gen.UInt.Array[0, 8])
            .Select(Gen.UShort, (t, mss) => (t, mss))
            .Sample(x =>
            {
                var ((ws, shift, sackOk, ts, val, ecr, edges), mss) = x;
                var o = new TcpOptions { Mss = mss, HasWindowScale = ws, WindowScale = shift, SackPermitted = sackOk, HasTimestamps = ts, TsVal = val, TsEcr = ecr };
                for (int i = 0; i + 1 < edges.Length; i += 2) o.AddSackBlock(edges[i], edges[i + 1]);
                var bytes = new byte[TcpOptions.MaxLength];
                int n = o.Write(bytes);
                Assert.Equal(o.Length, n);
                Assert.True(n % 4 == 0 && n <= TcpOptions.MaxLength);
                TcpOptions back = TcpOptions.Parse(bytes.AsSpan(0, n));
                Assert.Equal(mss, back.Mss);
                Assert.Equal(ws, back.HasWindowScale);
                if (ws) Assert.Equal(shift, back.WindowScale);
                Assert.Equal(sackOk, back.SackPermitted);
                Assert.Equal(ts, back.HasTimestamps);
                if (ts) { Assert.Equal(val, back.TsVal); Assert.Equal(ecr, back.TsEcr); }
                int blocks = Math.Min(o.SackBlockCount, o.SackRoom);
                Assert.Equal(blocks, back.SackBlockCount);
                for (int i = 0; i < blocks; i++) { Assert.Equal(o.SackStart(i), back.SackStart(i)); Assert.Equal(o.SackEnd(i), back.SackEnd(i)); }
            });
    }

    [Fact]
    public void ParsingRandomBytesNeverThrows()
    {
        Gen.Byte.Array[0, 40].Sample(bytes => { _ = TcpOptions.Parse(bytes); });
    }
}
