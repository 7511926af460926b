using System.Buffers.Binary;
using System.Text;
using Cosmos.Hal.Boot;
using CsCheck;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>The boot-information parser against blocks laid out per the multiboot2 spec 1.0 §3.6.</summary>
public class Multiboot2Tests
{
    /// <summary>Builds a boot information block: command line, one module, a memory map, end tag.</summary>
    internal static byte[] BuildInfo(string commandLine = "test=all", string moduleName = "symbols")
    {
        var tags = new List<byte[]>
        {
            Tag(1, Encoding.ASCII.GetBytes(commandLine + "\0")),
            Tag(3, [.. U32(0x200000), .. U32(0x210000), .. Encoding.ASCII.GetBytes(moduleName + "\0")]),
            Tag(6, [.. U32(24), .. U32(0),
                    .. U64(0), .. U64(0x9FC00), .. U32(1), .. U32(0),
                    .. U64(0x100000), .. U64(0x7EE0000), .. U32(1), .. U32(0),
                    .. U64(0xFFFC0000), .. U64(0x40000), .. U32(2), .. U32(0)]),
            Tag(0, []),
        };
        var body = new List<byte>();
        foreach (byte[] t in tags)
        {
            body.AddRange(t);
            while (body.Count % 8 != 0) body.Add(0);
        }
        return [.. U32((uint)(body.Count + 8)), .. U32(0), .. body];
    }

    private static byte[] Tag(uint type, byte[] payload) => [.. U32(type), .. U32((uint)(payload.Length + 8)), .. payload];
    private static byte[] U32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); return b; }
    private static byte[] U64(ulong v) { var b = new byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(b, v); return b; }

    [Fact]
    public void ParsesCommandLineModuleAndMemoryMap()
    {
        byte[] info = BuildInfo();
        Multiboot2Info parsed = Multiboot2Info.Parse(info);
        Assert.False(parsed.Malformed);
        Assert.Equal("test=all", Encoding.ASCII.GetString(info, parsed.CommandLineOffset, parsed.CommandLineLength));
        Assert.Equal(1, parsed.ModuleCount);
        Assert.Equal(0x200000UL, parsed.Modules[0].Start);
        Assert.Equal(0x210000UL, parsed.Modules[0].End);
        Assert.Equal("symbols", Encoding.ASCII.GetString(info, parsed.Modules[0].NameOffset, parsed.Modules[0].NameLength));
        Assert.Equal(3, parsed.RegionCount);
        Assert.True(parsed.Regions[1].IsAvailable);
        Assert.Equal(0x100000UL, parsed.Regions[1].Base);
        Assert.Equal(0x7EE0000UL, parsed.Regions[1].Length);
        Assert.False(parsed.Regions[2].IsAvailable);
    }

    [Fact]
    public void TagPastTheEndIsReportedNotFollowed()
    {
        byte[] info = BuildInfo();
        // Make the first tag (the command line) claim more bytes than the block holds.
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(12), 100_000);
        Multiboot2Info parsed = Multiboot2Info.Parse(info);
        Assert.True(parsed.Malformed);
        Assert.Equal(8, parsed.MalformedOffset);
        Assert.Equal(1u, parsed.MalformedTagType);
        Assert.Equal(0, parsed.RegionCount);
    }

    [Fact]
    public void TotalSizeLargerThanTheBufferIsClamped()
    {
        byte[] info = BuildInfo();
        BinaryPrimitives.WriteUInt32LittleEndian(info, (uint)info.Length + 4096);
        Multiboot2Info parsed = Multiboot2Info.Parse(info);
        Assert.True(parsed.Malformed);
        Assert.Equal(3, parsed.RegionCount); // the tags inside the real buffer still parse
    }

    [Fact]
    public void RandomCorruptionNeverThrowsOrOverruns()
    {
        byte[] valid = BuildInfo();
        Gen.Select(Gen.Int[0, valid.Length - 1].Array[1, 12], Gen.Byte.Array[12], Gen.Int[0, valid.Length])
            .Sample((positions, values, cut) =>
            {
                byte[] mutated = valid.ToArray();
                for (int i = 0; i < positions.Length; i++) mutated[positions[i]] = values[i];
                Multiboot2Info parsed = Multiboot2Info.Parse(mutated.AsSpan(0, cut));
                Assert.InRange(parsed.RegionCount, 0, Multiboot2Info.MaxRegions);
                Assert.InRange(parsed.ModuleCount, 0, Multiboot2Info.MaxModules);
                if (parsed.CommandLineOffset >= 0)
                    Assert.True(parsed.CommandLineOffset + parsed.CommandLineLength <= cut);
                for (int m = 0; m < parsed.ModuleCount; m++)
                    Assert.True(parsed.Modules[m].NameOffset + parsed.Modules[m].NameLength <= cut);
            }, iter: 20_000);
    }
}
