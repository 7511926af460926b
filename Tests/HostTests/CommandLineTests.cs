using Cosmos.Hal.Config;
using Xunit;

namespace Cosmos.HostTests;

public class CommandLineTests
{
    [Fact]
    public void ReadsValuesAndFlags()
    {
        var line = new CommandLine("test=all net.ip=10.0.2.15/24 verbose".AsSpan());
        Assert.True(line.TryGet("test", out var test));
        Assert.Equal("all", test.ToString());
        Assert.Equal("10.0.2.15/24", line.Get("net.ip").ToString());
        Assert.True(line.Has("verbose"));
        Assert.Equal("", line.Get("verbose").ToString());
        Assert.False(line.Has("missing"));
        Assert.Equal("fallback", line.Get("missing", "fallback".AsSpan()).ToString());
    }

    [Fact]
    public void LaterWordWinsAndPrefixesDoNotMatch()
    {
        var line = new CommandLine("exit=no  exit=after-boot test.fault=ud".AsSpan());
        Assert.True(line.Is("exit", "after-boot"));
        Assert.False(line.Has("test"));   // "test.fault" is a different key
        Assert.False(line.Has("exi"));
    }

    [Theory]
    [InlineData("n=42", 42)]
    [InlineData("n=", -1)]
    [InlineData("n=4x", -1)]
    [InlineData("n=-3", -1)]
    [InlineData("n=1234567890123456789", -1)]
    [InlineData("", -1)]
    public void IntegersFallBackWhenMalformed(string text, long expected)
    {
        Assert.Equal(expected, new CommandLine(text.AsSpan()).GetInteger("n", -1));
    }

    [Fact]
    public void ControlCharactersSeparateWords()
    {
        var line = CommandLine.FromAscii("a=1\tb=2\nc=3\0d=4"u8);
        Assert.Equal("1", line.Get("a").ToString());
        Assert.Equal("2", line.Get("b").ToString());
        Assert.Equal("3", line.Get("c").ToString());
        Assert.Equal("4", line.Get("d").ToString());
    }

    [Fact]
    public void LongLinesAreCutAtTheLimit()
    {
        string longLine = "k=" + new string('x', 5000);
        var line = new CommandLine(longLine.AsSpan());
        Assert.Equal(CommandLine.MaxLength, line.Text.Length);
    }
}
