using System.Buffers.Binary;
using Cosmos.Hal.Network;
using Cosmos.HostTests.NetModel;
using Cosmos.Net.Interface;
using Cosmos.Net.Wire;
using CsCheck;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>
/// IPv4 reassembly (RFC 791, RFC 815) within its limits, with RFC 5722's caution about overlaps: fuzzed with CsCheck
/// (any fragmentation, order and duplication of a datagram gives back exactly that datagram; a contradicting
/// overlap never yields bytes the sender did not send; random fragments never break the limits), and end to end
/// through the interface (a fragmented UDP echo and ping are answered).
/// </summary>
public sealed class Ipv4ReassemblyTests
{
    private static readonly Ipv4Address Src = new(10, 0, 0, 2), Dst = new(10, 0, 0, 1);

    private record Fragment(int Offset, bool More, byte[] Bytes);

    /// <summary>Cuts <paramref name="data"/> at the given points (rounded down to 8 bytes) into fragments.</summary>
    private static List<Fragment> Cut(byte[] data, IEnumerable<int> cuts)
    {
        var points = cuts.Select(c => c / 8 * 8).Where(c => c > 0 && c < data.Length).Distinct().Order().ToList();
        var result = new List<Fragment>();
        int start = 0;
        foreach (int p in points.Append(data.Length))
        {
            result.Add(new Fragment(start, p < data.Length, data[start..p]));
            start = p;
        }
        return result;
    }

    private static ReassemblyResult Feed(Ipv4Reassembly r, Fragment f, long now, out byte[]? whole, ushort id = 7)
    {
        ReassemblyResult result = r.Add(Src, Dst, 17, id, f.Offset, f.More, f.Bytes, now, out Span<byte> datagram);
        whole = result == ReassemblyResult.Complete ? datagram.ToArray() : null;
        return result;
    }

    [Fact]
    public void OutOfOrderFragmentsComeBackWhole()
    {
        var r = new Ipv4Reassembly();
        byte[] data = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();
        var pieces = Cut(data, [1480, 2960]);
        Assert.Equal(ReassemblyResult.Incomplete, Feed(r, pieces[2], 0, out _));
        Assert.Equal(ReassemblyResult.Incomplete, Feed(r, pieces[0], 0, out _));
        Assert.Equal(ReassemblyResult.Incomplete, Feed(r, pieces[0], 0, out _)); // an exact duplicate is harmless
        Assert.Equal(ReassemblyResult.Complete, Feed(r, pieces[1], 0, out byte[]? whole));
        Assert.Equal(data, whole);
        Assert.Equal(0, r.InProgress);
    }

    [Theory]
    [InlineData(0, 16, true, 8, 16, true, 1)]      // 8..16 rewritten with other bytes
    [InlineData(8, 16, false, 16, 16, true, 0)]    // data past a known end
    [InlineData(16, 8, false, 0, 32, true, 0)]     // a last fragment at 24 after data up to 32
    [InlineData(16, 8, false, 16, 16, false, 0)]   // two last fragments with different ends
    public void AContradictingOverlapDropsTheDatagram(int offsetA, int lengthA, bool moreA, int offsetB, int lengthB, bool moreB, byte changed)
    {
        var r = new Ipv4Reassembly();
        byte[] data = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        var a = new Fragment(offsetA, moreA, data[offsetA..(offsetA + lengthA)]);
        byte[] bytesB = data[offsetB..(offsetB + lengthB)];
        bytesB[0] ^= changed;
        var b = new Fragment(offsetB, moreB, bytesB);
        Assert.Equal(ReassemblyResult.Incomplete, Feed(r, a, 0, out _));
        Assert.Equal(ReassemblyResult.Dropped, Feed(r, b, 0, out _));
        Assert.Equal(1, r.Inconsistent);
        Assert.Equal(0, r.InProgress);
    }

    [Fact]
    public void LimitsAreKeptAndCounted()
    {
        var r = new Ipv4Reassembly();
        for (ushort id = 0; id < Ipv4Reassembly.MaxDatagrams; id++)
            Assert.Equal(ReassemblyResult.Incomplete, Feed(r, new Fragment(0, true, new byte[8]), 0, out _, id));
        Assert.Equal(ReassemblyResult.Dropped, Feed(r, new Fragment(0, true, new byte[8]), 0, out _, 99));
        Assert.Equal(1, r.NoSlot);
        // Past the size cap: the fragment and its datagram go.
        Assert.Equal(ReassemblyResult.Dropped, Feed(r, new Fragment(Ipv4Reassembly.MaxDatagramSize - 8, true, new byte[16]), 0, out _, 1));
        Assert.Equal(1, r.TooLarge);
        Assert.Equal(Ipv4Reassembly.MaxDatagrams - 1, r.InProgress);
        // Non-final fragments must be multiples of 8 bytes; empty ones carry nothing.
        Assert.Equal(ReassemblyResult.Dropped, Feed(r, new Fragment(0, true, new byte[12]), 0, out _, 2));
        Assert.Equal(ReassemblyResult.Dropped, Feed(r, new Fragment(8, false, []), 0, out _, 2));
        Assert.Equal(2, r.Malformed);
        r.Expire(Ipv4Reassembly.TimeoutMs - 1);
        Assert.Equal(Ipv4Reassembly.MaxDatagrams - 1, r.InProgress);
        r.Expire(Ipv4Reassembly.TimeoutMs);
        Assert.Equal(0, r.InProgress);
        Assert.Equal(Ipv4Reassembly.MaxDatagrams - 1, r.TimedOut);
    }

    /// <summary>Any fragmentation of a datagram, shuffled, with exact duplicates and a second, different fragmentation mixed in, gives it back.</summary>
    [Fact]
    public void AnyConsistentFragmentationReassemblesExactly()
    {
        Gen.Select(Gen.Int[1, Ipv4Reassembly.MaxDatagramSize], Gen.Int[0, 20_000].Array[0, 12], Gen.Int[0, 20_000].Array[0, 6], Gen.Int)
            .Sample((size, cuts, otherCuts, seed) =>
            {
                var random = new Random(seed);
                byte[] data = new byte[size];
                random.NextBytes(data);
                var fragments = Cut(data, cuts.Select(c => c % size));
                var others = Cut(data, otherCuts.Select(c => c % size)).Where(_ => random.Next(2) == 0);
                var all = fragments.Concat(others).Concat(fragments.Where(_ => random.Next(4) == 0)).OrderBy(_ => random.Next()).ToList();
                var r = new Ipv4Reassembly();
                int completions = 0;
                foreach (Fragment f in all)
                {
                    ReassemblyResult result = Feed(r, f, 0, out byte[]? got);
                    Assert.NotEqual(ReassemblyResult.Dropped, result);
                    if (result == ReassemblyResult.Complete) { completions++; Assert.Equal(data, got); }
                }
                Assert.True(completions >= 1);
            }, iter: 2000);
    }

    /// <summary>
    /// Fragments of a datagram plus a forged one that changes a byte. A forgery that arrives after the true bytes of
    /// that place never gets in (the datagram is dropped or delivered true); one that arrives first, unseen by any
    /// contradiction, can only be delivered whole, never mixed with a rewrite of bytes already taken.
    /// </summary>
    [Fact]
    public void AContradictionNeverYieldsForeignBytes()
    {
        Gen.Select(Gen.Int[16, 4000], Gen.Int[0, 4000].Array[1, 8], Gen.Int[0, 3999], Gen.Int[1, 200], Gen.Int)
            .Sample((size, cuts, at, length, seed) =>
            {
                var random = new Random(seed);
                byte[] data = new byte[size];
                random.NextBytes(data);
                var fragments = Cut(data, cuts.Select(c => c % size));
                int offset = at % size / 8 * 8;
                int end = Math.Min(size, offset + Math.Max(8, length / 8 * 8));
                byte[] forged = data[offset..end];
                int flipped = random.Next(forged.Length);
                forged[flipped] ^= (byte)(1 + random.Next(255));
                var forgery = new Fragment(offset, end < size, forged);
                int position = random.Next(fragments.Count + 1);
                fragments.Insert(position, forgery);
                byte[] alternative = (byte[])data.Clone();
                forged.CopyTo(alternative, offset);
                // Was the true byte at the forged place already held by the reassembly the forgery joined? (A reassembly
                // ends when it completes or is dropped; fragments after that start a new one, which knows nothing.)
                int place = offset + flipped;
                var r = new Ipv4Reassembly();
                bool trueHeld = false, forgeryJoinedTrue = false, forgeryTaken = false;
                foreach (Fragment f in fragments)
                {
                    bool isForgery = ReferenceEquals(f, forgery);
                    if (isForgery) forgeryJoinedTrue = trueHeld;
                    ReassemblyResult result = Feed(r, f, 0, out byte[]? got);
                    if (isForgery && result != ReassemblyResult.Dropped) forgeryTaken = true;
                    if (!isForgery && result == ReassemblyResult.Incomplete && f.Offset <= place && place < f.Offset + f.Bytes.Length) trueHeld = true;
                    if (result != ReassemblyResult.Incomplete) trueHeld = false;
                    if (result != ReassemblyResult.Complete) continue;
                    if (got!.AsSpan().SequenceEqual(data)) continue;
                    Assert.True(forgeryTaken && !forgeryJoinedTrue, "forged bytes were delivered after the true ones had arrived in the same reassembly");
                    Assert.Equal(alternative, got);
                }
            }, iter: 5000);
    }

    /// <summary>Random fragments (keys, offsets, lengths, flags): nothing throws, the limits hold, and time clears everything.</summary>
    [Fact]
    public void RandomFragmentsKeepTheLimits()
    {
        Gen.Select(Gen.UShort[0, 6], Gen.Int[0, 8191], Gen.Bool, Gen.Int[0, 1600]).Array[1, 200].Sample(fragments =>
        {
            var r = new Ipv4Reassembly();
            long now = 0;
            foreach (var (id, unit, more, length) in fragments)
            {
                now += 10;
                ReassemblyResult result = r.Add(Src, Dst, 17, id, unit * 8, more, new byte[length], now, out Span<byte> whole);
                if (result == ReassemblyResult.Complete) Assert.InRange(whole.Length, 1, Ipv4Reassembly.MaxDatagramSize);
                Assert.InRange(r.InProgress, 0, Ipv4Reassembly.MaxDatagrams);
            }
            r.Expire(now + Ipv4Reassembly.TimeoutMs);
            Assert.Equal(0, r.InProgress);
        }, iter: 2000);
    }

    /// <summary>Fragments of an IPv4 packet as a sender would put them on the wire (Ethernet frames).</summary>
    private static IEnumerable<byte[]> FragmentFrames(byte protocol, byte[] transport, int fragmentSize, ushort id, MacAddress to, MacAddress from, bool reverse)
    {
        var frames = new List<byte[]>();
        for (int offset = 0; offset < transport.Length; offset += fragmentSize)
        {
            int length = Math.Min(fragmentSize, transport.Length - offset);
            bool more = offset + length < transport.Length;
            var frame = new byte[14 + 20 + length];
            EthernetFrame.Emit(frame, new EthernetRepr { Destination = to, Source = from, EtherType = EtherType.Ipv4 });
            Ipv4Packet.Emit(frame.AsSpan(14), new Ipv4Repr
            {
                Source = Src, Destination = Dst, Protocol = protocol, PayloadLength = length, Identification = id,
                TimeToLive = 64, MoreFragments = more, FragmentOffset = offset,
            });
            transport.AsSpan(offset, length).CopyTo(frame.AsSpan(34));
            frames.Add(frame);
        }
        if (reverse) frames.Reverse();
        return frames;
    }

    /// <summary>Regression: fragments were dropped (no reassembly), so a UDP echo or ping sent in pieces went unanswered.</summary>
    [Fact]
    public void AFragmentedUdpEchoAndPingAreAnswered()
    {
        using var device = new LinkDevice(1);
        using var peer = new LinkDevice(2);
        var link = new Link(device, peer, 3);
        var nif = new NetworkInterface(device);
        nif.Configure(Dst, 24, default, default);
        nif.Arp.Update(Src, peer.Mac, 0);
        var echo = new Cosmos.Net.Services.UdpEchoService(nif);
        link.Step();
        while (peer.TryReceive(out ReceivedFrame announcement)) peer.Release(announcement);

        byte[] payload = Enumerable.Range(0, 1400).Select(i => (byte)(i * 3)).ToArray();
        var udp = new byte[8 + payload.Length];
        payload.CopyTo(udp, 8);
        UdpDatagram.Emit(udp, new UdpRepr { SourcePort = 40000, DestinationPort = 7, PayloadLength = payload.Length }, Src, Dst);
        foreach (byte[] f in FragmentFrames(IpProtocol.Udp, udp, 512, 0x1234, device.Mac, peer.Mac, reverse: true)) device.Deliver(f);

        byte[] ping = new byte[8 + 1000];
        IcmpPacket.Emit(ping, new IcmpRepr { Type = IcmpPacket.EchoRequest, Identifier = 1, Sequence = 1 }, new byte[1000]);
        foreach (byte[] f in FragmentFrames(IpProtocol.Icmp, ping, 400, 0x1235, device.Mac, peer.Mac, reverse: false)) device.Deliver(f);

        for (int i = 0; i < 3; i++) { nif.Poll(10 + i); echo.Poll(); }
        link.Step();
        var answers = new List<byte[]>();
        while (peer.TryReceive(out ReceivedFrame answer)) { answers.Add(answer.Span.ToArray()); peer.Release(answer); }
        Assert.Equal(2, nif.Counters.Ipv4Reassembled);
        Assert.Contains(answers, a => a[23] == IpProtocol.Udp && a.AsSpan(42).SequenceEqual(payload));
        Assert.Contains(answers, a => a[23] == IpProtocol.Icmp && a[34] == IcmpPacket.EchoReply && a.Length == 34 + 1008);
    }
}
