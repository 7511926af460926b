using System.Buffers.Binary;

namespace Cosmos.HostTests.Fuzz;

/// <summary>
/// Structure-aware mutations of Ethernet frames, then checksum repair, so that mutated frames get past the
/// checksums into the later parsers (IPv4 options and lengths, UDP, TCP options, ICMP, DHCP options, DNS
/// names). The mutations are byte-level (bit flips, byte sets, truncation, extension, insertion, deletion,
/// splicing another frame) and field-level (the lengths, offsets, counts and option areas of each header,
/// found from the frame as it is now, however broken); a mutation that grows or shrinks a header usually
/// adjusts the length fields that cover it, so the result is varied but often consistent. The checksum
/// repair is written here from RFC 791, 768, 793 and 792 (not the stack's own code, so a wrong checksum in
/// the stack shows up as lost coverage rather than being mirrored).
/// </summary>
public static class FrameMutator
{
    private const int Ip = 14;  // IPv4 header offset in an Ethernet II frame

    public static byte[] Mutate(byte[] seed, Random rng, IReadOnlyList<byte[]> others)
    {
        byte[] f = seed.ToArray();
        int count = rng.Next(10) switch { < 4 => 1, < 7 => 2, < 9 => 3, _ => 5 };
        for (int k = 0; k < count; k++)
            f = rng.Next(100) < 35 ? ByteLevel(f, rng, others) : FieldLevel(f, rng);
        return f;
    }

    // ---- byte level ----

    private static readonly byte[] Interesting = [0x00, 0x01, 0x02, 0x04, 0x05, 0x06, 0x0F, 0x10, 0x3F, 0x40, 0x7F, 0x80, 0xC0, 0xFE, 0xFF];

    private static byte Value(Random rng) => rng.Next(2) == 0 ? Interesting[rng.Next(Interesting.Length)] : (byte)rng.Next(256);

    private static byte[] ByteLevel(byte[] f, Random rng, IReadOnlyList<byte[]> others)
    {
        switch (rng.Next(8))
        {
            case 0 when f.Length > 0: f[rng.Next(f.Length)] ^= (byte)(1 << rng.Next(8)); return f;
            case 1 when f.Length > 0: f[rng.Next(f.Length)] = Value(rng); return f;
            case 2: return f[..rng.Next(f.Length + 1)];                                    // truncate
            case 3: return [.. f, .. RandomBytes(rng, 1 + rng.Next(64))];                   // extend
            case 4: return Insert(f, rng.Next(f.Length + 1), RandomBytes(rng, 1 + rng.Next(16)));
            case 5 when f.Length > 0:                                                       // delete a range
            {
                int at = rng.Next(f.Length);
                return Remove(f, at, 1 + rng.Next(Math.Min(16, f.Length - at)));
            }
            case 6 when f.Length > 0:                                                       // duplicate a range
            {
                int at = rng.Next(f.Length), n = 1 + rng.Next(Math.Min(16, f.Length - at));
                return Insert(f, rng.Next(f.Length + 1), f.AsSpan(at, n).ToArray());
            }
            case 7 when others.Count > 0:                                                   // splice another frame's tail
            {
                byte[] o = others[rng.Next(others.Count)];
                int cut = rng.Next(f.Length + 1), from = rng.Next(o.Length + 1);
                return [.. f.AsSpan(0, cut), .. o.AsSpan(from)];
            }
            default: return f;
        }
    }

    // ---- field level ----

    private static byte[] FieldLevel(byte[] f, Random rng)
    {
        if (f.Length < Ip + 20) return ByteLevel(f, rng, []);
        if (rng.Next(20) == 0) { Write16(f, 12, rng.Next(3) switch { 0 => 0x0806, 1 => 0x0800, _ => (ushort)rng.Next(0x10000) }); return f; }
        if (Read16(f, 12) != 0x0800) return ByteLevel(f, rng, []);
        int ihl = (f[Ip] & 0xF) * 4;
        int t = Ip + ihl;
        byte protocol = f[Ip + 9];
        bool transportThere = ihl >= 20 && t <= f.Length;
        int choice = rng.Next(100);
        if (choice < 30 || !transportThere) return Ipv4Field(f, rng);
        return protocol switch
        {
            17 => Udp(f, rng, t),
            6 => Tcp(f, rng, t),
            1 => Icmp(f, rng, t),
            _ => Ipv4Field(f, rng),
        };
    }

    private static byte[] Ipv4Field(byte[] f, Random rng)
    {
        int total = Read16(f, Ip + 2);
        switch (rng.Next(9))
        {
            case 0:
            case 1:
            {
                // A new header length; grow or shrink the options area to match (usually), with options that are
                // well formed (NOP, EOL, record route, timestamp) or random bytes.
                int oldIhl = Math.Max(5, f[Ip] & 0xF);
                int newIhl = rng.Next(6) == 0 ? rng.Next(16) : 5 + rng.Next(11);
                f[Ip] = (byte)(0x40 | newIhl);
                if (newIhl < 5 || rng.Next(6) == 0) return f;  // a header length alone, inconsistent
                int delta = (newIhl - oldIhl) * 4;
                int at = Ip + oldIhl * 4;
                if (at > f.Length) return f;
                if (delta > 0) f = Insert(f, at, Ipv4Options(rng, delta));
                else if (delta < 0) f = Remove(f, Ip + newIhl * 4, Math.Min(-delta, f.Length - (Ip + newIhl * 4)));
                if (rng.Next(5) != 0) Write16(f, Ip + 2, (ushort)(total + delta));
                return f;
            }
            case 2: Write16(f, Ip + 2, (ushort)(rng.Next(3) == 0 ? rng.Next(0x10000) : Math.Max(0, total + rng.Next(-24, 25)))); return f;
            case 3: Write16(f, Ip + 2, (ushort)(f.Length - Ip - rng.Next(3))); return f; // total length of what is there, or a little short
            case 4: f[Ip + 9] = rng.Next(4) switch { 0 => 1, 1 => 6, 2 => 17, _ => (byte)rng.Next(256) }; return f;
            case 5: Write16(f, Ip + 6, rng.Next(4) switch { 0 => 0x4000, 1 => 0x2000, 2 => (ushort)rng.Next(0x2000), _ => 0 }); return f; // DF, MF, an offset
            case 6: f[Ip + 8] = rng.Next(3) switch { 0 => 0, 1 => 1, _ => (byte)rng.Next(256) }; return f;
            case 7:
            {
                uint address = rng.Next(4) switch { 0 => 0xFFFFFFFF, 1 => 0x0A00020F, 2 => 0x0A0002FF, _ => (uint)rng.NextInt64(1L << 32) };
                BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(rng.Next(2) == 0 ? Ip + 16 : Ip + 12), address);
                return f;
            }
            default: f[Ip] = (byte)(rng.Next(16) << 4 | (f[Ip] & 0xF)); return f; // version
        }
    }

    private static byte[] Ipv4Options(Random rng, int length)
    {
        var o = new byte[length];
        int at = 0;
        while (at < length)
        {
            int room = length - at;
            switch (rng.Next(5))
            {
                case 0: o[at++] = 1; break;                                // NOP
                case 1: o[at++] = 0; break;                                // EOL (the rest is padding)
                case 2 when room >= 3:                                     // record route: type 7, length, pointer 4
                {
                    int n = 3 + 4 * rng.Next((room - 3) / 4 + 1);
                    o[at] = 7; o[at + 1] = (byte)n; o[at + 2] = 4;
                    at += n;
                    break;
                }
                case 3 when room >= 2:                                     // an option with a random length byte
                    o[at] = (byte)rng.Next(256); o[at + 1] = Value(rng);
                    at += 2;
                    break;
                default: o[at++] = (byte)rng.Next(256); break;
            }
        }
        return o;
    }

    private static byte[] Udp(byte[] f, Random rng, int t)
    {
        if (t + 8 > f.Length) return Ipv4Field(f, rng);
        int length = Read16(f, t + 4);
        int data = t + 8;
        ushort ports = Read16(f, t), portd = Read16(f, t + 2);
        bool dhcp = ports is 67 or 68 || portd is 67 or 68, dns = ports == 53 || portd == 53;
        int choice = rng.Next(100);
        if (dhcp && choice < 60) return Dhcp(f, rng, t, data);
        if (dns && choice < 60) return Dns(f, rng, t, data);
        switch (rng.Next(6))
        {
            case 0: Write16(f, t + 4, (ushort)(rng.Next(3) == 0 ? rng.Next(0x10000) : Math.Max(0, length + rng.Next(-10, 11)))); return f;
            case 1: Write16(f, t + 4, (ushort)(f.Length - t)); return f;
            case 2: Write16(f, t + 6, 0); return f;                                       // no checksum (RFC 768)
            case 3:
            {
                ushort port = rng.Next(5) switch { 0 => 53, 1 => 67, 2 => 68, 3 => 7, _ => (ushort)rng.Next(0x10000) };
                Write16(f, rng.Next(2) == 0 ? t : t + 2, port);
                return f;
            }
            case 4: return Grow(f, rng, t, data + rng.Next(Math.Max(1, f.Length - data + 1)), RandomBytes(rng, 1 + rng.Next(32)));
            default: return Shrink(f, rng, t, data, 1 + rng.Next(32));
        }
    }

    private static byte[] Tcp(byte[] f, Random rng, int t)
    {
        if (t + 20 > f.Length) return Ipv4Field(f, rng);
        int offset = (f[t + 12] >> 4) * 4;
        switch (rng.Next(6))
        {
            case 0:
            case 1:
            {
                // A new options area: well-formed options (MSS, NOP, window scale, SACK permitted, timestamps, EOL) or
                // broken ones (length 0 or 1, running past the header, MSS of the wrong length), padded to 4 bytes.
                byte[] options = TcpOptions(rng);
                int oldLength = Math.Max(0, Math.Min(offset, f.Length - t) - 20);
                f = Remove(f, t + 20, oldLength);
                f = Insert(f, t + 20, options);
                int newOffset = 20 + options.Length;
                f[t + 12] = (byte)((Math.Min(15, newOffset / 4) << 4) | (f[t + 12] & 0xF));
                if (rng.Next(5) != 0) AdjustIpTotal(f, options.Length - oldLength);
                return f;
            }
            case 2: f[t + 12] = (byte)(rng.Next(16) << 4 | (f[t + 12] & 0xF)); return f;  // data offset alone
            case 3: f[t + 13] = (byte)rng.Next(256); return f;                            // flags
            case 4: return Grow(f, rng, t, t + Math.Min(offset, f.Length - t) + rng.Next(Math.Max(1, f.Length - t - offset + 1)), RandomBytes(rng, 1 + rng.Next(64)));
            default: Write16(f, t + 2, rng.Next(3) switch { 0 => 7, 1 => 80, _ => (ushort)rng.Next(0x10000) }); return f;
        }
    }

    private static byte[] TcpOptions(Random rng)
    {
        var o = new List<byte>();
        int n = rng.Next(7);
        for (int i = 0; i < n; i++)
        {
            switch (rng.Next(9))
            {
                case 0: o.AddRange([2, 4, (byte)rng.Next(256), (byte)rng.Next(256)]); break;   // MSS
                case 1: o.Add(1); break;                                                         // NOP
                case 2: o.AddRange([3, 3, (byte)rng.Next(15)]); break;                           // window scale
                case 3: o.AddRange([4, 2]); break;                                               // SACK permitted
                case 4: o.AddRange([8, 10, .. RandomBytes(rng, 8)]); break;                      // timestamps
                case 5: o.Add(0); break;                                                         // EOL
                case 6: o.AddRange([(byte)rng.Next(256), (byte)rng.Next(3)]); break;             // length 0, 1 or 2
                case 7: o.AddRange([2, (byte)rng.Next(256), 5, 0xB4]); break;                    // MSS with any length
                default: o.AddRange([(byte)rng.Next(256), (byte)(2 + rng.Next(60)), .. RandomBytes(rng, rng.Next(8))]); break;
            }
        }
        while (o.Count % 4 != 0) o.Add(rng.Next(3) == 0 ? (byte)rng.Next(256) : (byte)0);
        return o.Count > 40 ? o.GetRange(0, 40).ToArray() : o.ToArray();
    }

    private static byte[] Icmp(byte[] f, Random rng, int t)
    {
        if (t + 4 > f.Length) return Ipv4Field(f, rng);
        switch (rng.Next(4))
        {
            case 0: f[t] = rng.Next(3) switch { 0 => 8, 1 => 0, _ => (byte)rng.Next(256) }; return f;
            case 1: f[t + 1] = (byte)rng.Next(4); return f;
            case 2: return Grow(f, rng, t, t + rng.Next(Math.Max(1, f.Length - t + 1)), RandomBytes(rng, 1 + rng.Next(33))); // odd lengths too
            default: return Shrink(f, rng, t, t + 4, 1 + rng.Next(16));
        }
    }

    // ---- DHCP (RFC 2131 §2, options RFC 2132) ----

    private static byte[] Dhcp(byte[] f, Random rng, int t, int d)
    {
        const int cookie = 236, options = 240;
        if (d + options > f.Length)
        {
            if (rng.Next(2) == 0) return f;
            return Grow(f, rng, t, f.Length, RandomBytes(rng, d + options - f.Length + rng.Next(8)));
        }
        switch (rng.Next(8))
        {
            case 0: f[d + cookie + rng.Next(4)] ^= (byte)(1 << rng.Next(8)); return f;
            case 1: f[d + 1 + rng.Next(2)] = Value(rng); return f;                             // htype, hlen
            case 2: f[d] = (byte)rng.Next(4); return f;                                        // op
            case 3:
            case 4:
            {
                // Insert an option before the one at a random place in the options walk.
                int at = OptionBoundary(f, d + options, rng);
                byte code = rng.Next(3) == 0 ? (byte)rng.Next(256) : DhcpCodes[rng.Next(DhcpCodes.Length)];
                byte[] option = code is 0 or 255 ? [code] : [code, (byte)(rng.Next(4) == 0 ? rng.Next(256) : rng.Next(9)), .. RandomBytes(rng, rng.Next(9))];
                if (code == 53 && option.Length >= 3) { option[1] = 1; option[2] = (byte)(1 + rng.Next(7)); option = option[..3]; }
                return Grow(f, rng, t, at, option);
            }
            case 5:
            {
                // Change the length byte of an option on the walk.
                int at = OptionBoundary(f, d + options, rng);
                if (at + 1 < f.Length && f[at] is not (0 or 255)) f[at + 1] = Value(rng);
                return f;
            }
            case 6:
            {
                // Cut the options short (the end option may go).
                int at = OptionBoundary(f, d + options, rng);
                return Shrink(f, rng, t, at, f.Length - at);
            }
            default: BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(d + 4), rng.Next(2) == 0 ? 0xCAFEF00D : (uint)rng.NextInt64(1L << 32)); return f;
        }
    }

    private static readonly byte[] DhcpCodes = [0, 1, 3, 6, 50, 51, 53, 54, 55, 58, 59, 61, 255];

    /// <summary>The offset of a random option on the options walk (or the end of the walk).</summary>
    private static int OptionBoundary(byte[] f, int at, Random rng)
    {
        var starts = new List<int>();
        while (at < f.Length && starts.Count < 64)
        {
            starts.Add(at);
            byte code = f[at];
            if (code == 255) break;
            if (code == 0) { at++; continue; }
            if (at + 1 >= f.Length) break;
            at += 2 + f[at + 1];
        }
        starts.Add(Math.Min(at, f.Length));
        return starts[rng.Next(starts.Count)];
    }

    // ---- DNS (RFC 1035 §4) ----

    private static byte[] Dns(byte[] f, Random rng, int t, int d)
    {
        if (d + 12 > f.Length) return Grow(f, rng, t, f.Length, RandomBytes(rng, d + 12 - f.Length));
        var names = NameStarts(f, d);
        switch (rng.Next(9))
        {
            case 0: Write16(f, d + 4 + 2 * rng.Next(4), (ushort)(rng.Next(4) == 0 ? rng.Next(0x10000) : rng.Next(4))); return f; // qd/an/ns/ar counts
            case 1: Write16(f, d + 2, (ushort)(rng.Next(3) switch { 0 => 0x8180, 1 => 0x8183, _ => rng.Next(0x10000) })); return f;       // flags, rcode
            case 2 when names.Count > 0:
            {
                // A compression pointer where a name starts: anywhere in the message, at itself (a loop), past the end.
                int at = names[rng.Next(names.Count)];
                int target = rng.Next(3) switch { 0 => at - d, 1 => 12, _ => rng.Next(0x4000) };
                byte[] pointer = [(byte)(0xC0 | target >> 8), (byte)target];
                return rng.Next(2) == 0 ? Grow(f, rng, t, at, pointer) : Overwrite(f, at, pointer);
            }
            case 3 when names.Count > 0:
            {
                // A label length byte: 0, 63, 64 (reserved bits 01), 0x80 (10), past the end.
                int at = names[rng.Next(names.Count)];
                int label = rng.Next(Math.Max(1, LabelsAt(f, at)));
                for (int i = 0; i < label && at < f.Length && f[at] is > 0 and < 64; i++) at += 1 + f[at];
                if (at < f.Length) f[at] = rng.Next(5) switch { 0 => 0, 1 => 63, 2 => 0x40, 3 => 0x80, _ => (byte)rng.Next(256) };
                return f;
            }
            case 4:
            {
                // A name of many labels (the walk is bounded at 128).
                int count = 100 + rng.Next(60);
                var name = new List<byte>();
                for (int i = 0; i < count; i++) name.AddRange([1, (byte)'a']);
                name.Add(0);
                return Grow(f, rng, t, names.Count > 0 ? names[rng.Next(names.Count)] : d + 12, name.ToArray());
            }
            case 5 when names.Count > 1:
            {
                // An answer's fixed part: type, class, TTL, rdlength after its name.
                int at = SkipName(f, names[^1]);
                if (at + 10 <= f.Length)
                {
                    int field = rng.Next(3);
                    if (field == 0) Write16(f, at, (ushort)(rng.Next(2) == 0 ? 1 : rng.Next(0x10000)));
                    else if (field == 1) Write16(f, at + 2, (ushort)(rng.Next(2) == 0 ? 1 : rng.Next(0x10000)));
                    else Write16(f, at + 8, (ushort)(rng.Next(2) == 0 ? 4 : rng.Next(0x10000)));
                }
                return f;
            }
            case 6:
            {
                // Another answer record (A, or another type), name compressed to the question.
                byte[] record = [0xC0, 12, 0, (byte)(rng.Next(2) == 0 ? 1 : 5), 0, 1, 0, 0, 0, 60, 0, 4, .. RandomBytes(rng, 4)];
                Write16(f, d + 6, (ushort)(Read16(f, d + 6) + 1));
                return Grow(f, rng, t, rng.Next(2) == 0 ? f.Length : d + 12 + rng.Next(f.Length - d - 12 + 1), record);
            }
            case 7: Write16(f, d, (ushort)rng.Next(0x10000)); return f; // id (the dissector follows it)
            default: return Shrink(f, rng, t, d + 12, 1 + rng.Next(16));
        }
    }

    /// <summary>Offsets where names start: the question's and each answer's, as far as they can be walked.</summary>
    private static List<int> NameStarts(byte[] f, int d)
    {
        var starts = new List<int>();
        int at = d + 12;
        int questions = Read16(f, d + 4), answers = Read16(f, d + 6);
        for (int q = 0; q < Math.Min(questions, 4) && at < f.Length; q++) { starts.Add(at); at = SkipName(f, at) + 4; }
        for (int a = 0; a < Math.Min(answers, 8) && at < f.Length; a++)
        {
            starts.Add(at);
            at = SkipName(f, at);
            if (at + 10 > f.Length) break;
            at += 10 + Read16(f, at + 8);
        }
        return starts;
    }

    private static int SkipName(byte[] f, int at)
    {
        for (int i = 0; i < 128 && at < f.Length; i++)
        {
            byte b = f[at];
            if (b == 0) return at + 1;
            if ((b & 0xC0) != 0) return at + 2;
            at += 1 + b;
        }
        return Math.Min(at, f.Length);
    }

    private static int LabelsAt(byte[] f, int at)
    {
        int n = 0;
        while (at < f.Length && f[at] is > 0 and < 64 && n < 128) { at += 1 + f[at]; n++; }
        return n + 1;
    }

    // ---- keeping the length fields in step ----

    /// <summary>Inserts bytes inside the transport at <paramref name="at"/>; usually grows the IPv4 total length (and the UDP length) to cover them.</summary>
    private static byte[] Grow(byte[] f, Random rng, int t, int at, byte[] bytes)
    {
        at = Math.Clamp(at, 0, f.Length);
        f = Insert(f, at, bytes);
        if (rng.Next(6) != 0) AdjustIpTotal(f, bytes.Length);
        if (rng.Next(6) != 0 && f[Ip + 9] == 17 && t + 8 <= f.Length) Write16(f, t + 4, (ushort)(Read16(f, t + 4) + bytes.Length));
        return f;
    }

    /// <summary>Removes up to <paramref name="n"/> bytes at or after <paramref name="from"/>; usually shrinks the length fields to match.</summary>
    private static byte[] Shrink(byte[] f, Random rng, int t, int from, int n)
    {
        if (from >= f.Length) return f;
        int at = from + rng.Next(f.Length - from);
        n = Math.Min(n, f.Length - at);
        f = Remove(f, at, n);
        if (rng.Next(6) != 0) AdjustIpTotal(f, -n);
        if (rng.Next(6) != 0 && f.Length > Ip + 9 && f[Ip + 9] == 17 && t + 8 <= f.Length) Write16(f, t + 4, (ushort)(Read16(f, t + 4) - n));
        return f;
    }

    private static void AdjustIpTotal(byte[] f, int delta)
    {
        if (f.Length >= Ip + 4) Write16(f, Ip + 2, (ushort)(Read16(f, Ip + 2) + delta));
    }

    // ---- checksums ----

    /// <summary>
    /// Recomputes the IPv4 header checksum and the UDP, TCP or ICMP checksum wherever the lengths the parsers
    /// use (IHL, total length, UDP length) lie inside the frame, so only the structure decides what parses.
    /// A UDP checksum of 0 (none) is left as it is.
    /// </summary>
    public static void FixChecksums(byte[] f)
    {
        if (f.Length < Ip + 20 || Read16(f, 12) != 0x0800 || f[Ip] >> 4 != 4) return;
        int ihl = (f[Ip] & 0xF) * 4;
        if (ihl < 20 || Ip + ihl > f.Length) return;
        int total = Read16(f, Ip + 2);
        if (total >= ihl && Ip + total <= f.Length)
        {
            int t = Ip + ihl, length = total - ihl;
            Span<byte> transport = f.AsSpan(t, length);
            uint pseudo = Sum(f.AsSpan(Ip + 12, 8)) + f[Ip + 9];
            switch (f[Ip + 9])
            {
                case 17 when length >= 8:
                {
                    int udpLength = Read16(transport, 4);
                    if (udpLength < 8 || udpLength > length || Read16(transport, 6) == 0) break;
                    Write16(transport, 6, 0);
                    ushort sum = Finish(pseudo + (uint)udpLength + Sum(transport[..udpLength]));
                    Write16(transport, 6, sum == 0 ? (ushort)0xFFFF : sum);
                    break;
                }
                case 6 when length >= 20:
                    Write16(transport, 16, 0);
                    Write16(transport, 16, Finish(pseudo + (uint)length + Sum(transport)));
                    break;
                case 1 when length >= 4:
                    Write16(transport, 2, 0);
                    Write16(transport, 2, Finish(Sum(transport)));
                    break;
            }
        }
        Write16(f, Ip + 10, 0);
        Write16(f, Ip + 10, Finish(Sum(f.AsSpan(Ip, ihl))));
    }

    /// <summary>RFC 1071 §4.1, a byte at a time: big-endian 16-bit words, an odd last byte padded with zero.</summary>
    private static uint Sum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2) sum += (uint)(data[i] << 8 | data[i + 1]);
        if ((data.Length & 1) != 0) sum += (uint)data[^1] << 8;
        return sum;
    }

    private static ushort Finish(uint sum)
    {
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    // ---- helpers ----

    private static ushort Read16(ReadOnlySpan<byte> f, int at) => BinaryPrimitives.ReadUInt16BigEndian(f[at..]);
    private static void Write16(Span<byte> f, int at, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(f[at..], value);

    private static byte[] RandomBytes(Random rng, int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }

    private static byte[] Insert(byte[] f, int at, ReadOnlySpan<byte> bytes) => [.. f.AsSpan(0, at), .. bytes, .. f.AsSpan(at)];
    private static byte[] Remove(byte[] f, int at, int n) => [.. f.AsSpan(0, at), .. f.AsSpan(at + n)];

    private static byte[] Overwrite(byte[] f, int at, ReadOnlySpan<byte> bytes)
    {
        if (at + bytes.Length > f.Length) return f;
        bytes.CopyTo(f.AsSpan(at));
        return f;
    }
}
