using Cosmos.Hal.Interrupts;
using Xunit;

namespace Cosmos.HostTests.ExceptionHandling;

/// <summary>DIV and IDIV encodings (Intel SDM Vol. 2A), with the divisor in a register or in memory.</summary>
public sealed unsafe class DivideErrorDecoderTests
{
    private static DivideErrorDecoder.Cause Classify(byte[] code, Action<ulong[]> setRegisters, ulong rip = 0x1000)
    {
        var regs = new ulong[16];
        setRegisters(regs);
        fixed (byte* c = code)
        fixed (ulong* r = regs)
            return DivideErrorDecoder.Classify(c, r, rip);
    }

    [Theory]
    [InlineData(new byte[] { 0xF7, 0xF9 }, 1)]                  // idiv ecx
    [InlineData(new byte[] { 0x48, 0xF7, 0xF9 }, 1)]            // idiv rcx
    [InlineData(new byte[] { 0x41, 0xF7, 0xF8 }, 8)]            // idiv r8d
    [InlineData(new byte[] { 0x49, 0xF7, 0xFF }, 15)]           // idiv r15
    [InlineData(new byte[] { 0xF7, 0xF6 }, 6)]                  // div esi
    public void RegisterDivisor(byte[] code, int register)
    {
        Assert.Equal(DivideErrorDecoder.Cause.DivideByZero, Classify(code, r => r[register] = 0));
        Assert.Equal(DivideErrorDecoder.Cause.Overflow, Classify(code, r => r[register] = ulong.MaxValue));
    }

    [Fact]
    public void ThirtyTwoBitDivisorIgnoresTheUpperHalf() =>
        Assert.Equal(DivideErrorDecoder.Cause.DivideByZero, Classify([0xF7, 0xF9], r => r[1] = 0xFFFF_FFFF_0000_0000));

    [Fact]
    public void ByteDivisorInAh() // F6 /7 with rm 4 and no REX: AH
        => Assert.Equal(DivideErrorDecoder.Cause.DivideByZero, Classify([0xF6, 0xFC], r => r[0] = 0x00FF));

    [Fact]
    public void MemoryDivisors()
    {
        long* cell = stackalloc long[4];
        cell[1] = 0;
        cell[2] = -1;
        ulong baseAddress = (ulong)cell;
        // idiv dword [rbp + 8] (mod 1, disp8)
        Assert.Equal(DivideErrorDecoder.Cause.DivideByZero, Classify([0xF7, 0x7D, 0x08], r => r[5] = baseAddress));
        // idiv qword [rsp + 16] (SIB, base rsp, no index)
        Assert.Equal(DivideErrorDecoder.Cause.Overflow, Classify([0x48, 0xF7, 0x7C, 0x24, 0x10], r => r[4] = baseAddress));
        // idiv qword [rax + rcx*8] (SIB with index)
        Assert.Equal(DivideErrorDecoder.Cause.Overflow, Classify([0x48, 0xF7, 0x3C, 0xC8], r => { r[0] = baseAddress; r[1] = 2; }));
        // idiv dword [rip + disp32]: relative to the next instruction (6 bytes long here)
        ulong rip = baseAddress + 8 - 6;
        Assert.Equal(DivideErrorDecoder.Cause.DivideByZero, Classify([0xF7, 0x3D, 0, 0, 0, 0], _ => { }, rip));
    }

    [Fact]
    public void OtherInstructionsAreUnknown() => Assert.Equal(DivideErrorDecoder.Cause.Unknown, Classify([0xF7, 0xD8], _ => { })); // neg eax
}
