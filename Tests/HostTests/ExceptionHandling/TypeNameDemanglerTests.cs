using System.Runtime;
using Xunit;

namespace Cosmos.HostTests.ExceptionHandling;

public sealed class TypeNameDemanglerTests
{
    private const string Modules = "Cosmos_Kernel Cosmos_Hal Cosmos_Net S_P_CoreLib";

    private static string Demangle(string symbol)
    {
        Span<char> into = stackalloc char[160];
        return into[..TypeNameDemangler.Demangle(symbol, into, Modules)].ToString();
    }

    [Theory]
    [InlineData("S_P_CoreLib_System_InvalidOperationException", "System.InvalidOperationException")]
    [InlineData("S_P_CoreLib_System_Collections_Generic_KeyNotFoundException", "System.Collections.Generic.KeyNotFoundException")]
    [InlineData("Cosmos_Kernel_Cosmos_Conformance_ConformanceException", "Cosmos.Conformance.ConformanceException")]
    [InlineData("Cosmos_Hal_Cosmos_Hal_Pci_PciBar", "Cosmos.Hal.Pci.PciBar")]
    [InlineData("String", "System.String")]
    [InlineData("Object", "System.Object")]
    [InlineData("Boxed_Int32", "System.Int32")]
    [InlineData("Boxed_Cosmos_Hal_Cosmos_Hal_Boot_MemoryRegion", "Cosmos.Hal.Boot.MemoryRegion")]
    [InlineData("__Array<String>", "System.String[]")]
    [InlineData("__Array<S_P_CoreLib_System_Exception>", "System.Exception[]")]
    [InlineData("S_P_CoreLib_System_Func_2<Int32__Int32>", "System.Func.2<Int32__Int32>")]
    [InlineData("Unknown_Module_Type", "Unknown.Module.Type")]
    public void Names(string symbol, string expected) => Assert.Equal(expected, Demangle(symbol));

    [Fact]
    public void LongestPrefixWins()
    {
        Span<char> into = stackalloc char[64];
        int n = TypeNameDemangler.Demangle("Cosmos_Net_Cosmos_Net_Wire_X", into, "Cosmos Cosmos_Net");
        Assert.Equal("Cosmos.Net.Wire.X", into[..n].ToString());
    }
}
