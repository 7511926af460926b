using System.Runtime.InteropServices;
using System.Text;
using Cosmos.Hal.Diagnostics;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>The panic symbol map: "address size name" lines as the build's nm step writes them.</summary>
public sealed unsafe class SymbolTableTests : IDisposable
{
    private const string Map =
        "0000000000101000 0 _start\n" +
        "0000000000102000 0000000000000040 S_P_CoreLib_System_String__Concat\n" +
        "0000000000102040 0000000000000020 Cosmos_Kernel_Program__Main\n" +
        "0000000000113c40 0 _ZTV48__Array<Cosmos_Hal_Cosmos_Hal_Boot_MemoryRegion>\n" +
        "garbage line without an address\n" +
        "0000000000200000 0000000000000010 last_symbol"; // no trailing newline

    private readonly byte* _text;
    private readonly int _length;

    public SymbolTableTests()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(Map);
        _length = bytes.Length;
        _text = (byte*)NativeMemory.Alloc((nuint)_length);
        bytes.CopyTo(new Span<byte>(_text, _length));
    }

    public void Dispose() => NativeMemory.Free(_text);

    private string Lookup(ulong address, out ulong start)
    {
        var table = new SymbolTable(_text, _length);
        Span<char> name = stackalloc char[160];
        int n = table.Lookup(address, name, out start);
        return name[..n].ToString();
    }

    [Fact]
    public void CountsOnlyLinesWithAnAddress() => Assert.Equal(5, new SymbolTable(_text, _length).Count);

    [Fact]
    public void FindsTheSymbolContainingAnAddress()
    {
        Assert.Equal("Cosmos_Kernel_Program__Main", Lookup(0x102050, out ulong start));
        Assert.Equal(0x102040UL, start);
        Assert.Equal("S_P_CoreLib_System_String__Concat", Lookup(0x102000, out _));
    }

    [Fact]
    public void SizedSymbolsDoNotClaimAddressesPastTheirEnd() => Assert.Equal("", Lookup(0x102060, out _));

    [Fact]
    public void UnsizedSymbolsCoverUpTo64KiB()
    {
        Assert.Equal("_start", Lookup(0x101010, out _));
        Assert.Equal("", Lookup(0x113c40 + 0x20000, out _));
    }

    [Fact]
    public void MethodTableNamesAreShownWithoutTheManglingPrefix() =>
        Assert.Equal("__Array<Cosmos_Hal_Cosmos_Hal_Boot_MemoryRegion>", Lookup(0x113c40, out _));

    [Fact]
    public void AddressesBelowEverySymbolFindNothing() => Assert.Equal("", Lookup(0x1000, out _));

    [Fact]
    public void TheLastLineWithoutNewlineIsRead() => Assert.Equal("last_symbol", Lookup(0x200008, out _));

    [Fact]
    public void NamesAreCutToTheBuffer()
    {
        var table = new SymbolTable(_text, _length);
        Span<char> name = stackalloc char[6];
        Assert.Equal(6, table.Lookup(0x102000, name, out _));
        Assert.Equal("S_P_Co", name.ToString());
    }
}
