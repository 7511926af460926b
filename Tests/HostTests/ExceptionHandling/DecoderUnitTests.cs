using Internal.Runtime.ExceptionHandling;
using Xunit;

namespace Cosmos.HostTests.ExceptionHandling;

/// <summary>The decoders on inputs written here from the specifications, independent of ilc.</summary>
public sealed unsafe class DecoderUnitTests
{
    // DWARF 5 §7.6, Tables 7.4 and 7.5.
    [Theory]
    [InlineData(new byte[] { 2 }, 2UL)]
    [InlineData(new byte[] { 127 }, 127UL)]
    [InlineData(new byte[] { 0x80, 1 }, 128UL)]
    [InlineData(new byte[] { 0x81, 1 }, 129UL)]
    [InlineData(new byte[] { 0x82, 1 }, 130UL)]
    [InlineData(new byte[] { 0xB9, 0x64 }, 12857UL)]
    public void Uleb128(byte[] bytes, ulong expected)
    {
        fixed (byte* b = bytes)
        {
            byte* p = b;
            Assert.Equal(expected, DwarfEncoding.ReadUleb128(ref p));
            Assert.Equal(bytes.Length, (int)(p - b));
        }
    }

    [Theory]
    [InlineData(new byte[] { 2 }, 2L)]
    [InlineData(new byte[] { 0x7E }, -2L)]
    [InlineData(new byte[] { 0xFF, 0 }, 127L)]
    [InlineData(new byte[] { 0x81, 0x7F }, -127L)]
    [InlineData(new byte[] { 0x80, 1 }, 128L)]
    [InlineData(new byte[] { 0x80, 0x7F }, -128L)]
    public void Sleb128(byte[] bytes, long expected)
    {
        fixed (byte* b = bytes)
        {
            byte* p = b;
            Assert.Equal(expected, DwarfEncoding.ReadSleb128(ref p));
            Assert.Equal(bytes.Length, (int)(p - b));
        }
    }

    /// <summary>An encoder written from the format's description, independent of the decoder.</summary>
    private static byte[] EncodeUnsigned(uint v) => v switch
    {
        < 1u << 7 => [(byte)(v << 1)],
        < 1u << 14 => [(byte)((v << 2) | 1), (byte)(v >> 6)],
        < 1u << 21 => [(byte)((v << 3) | 3), (byte)(v >> 5), (byte)(v >> 13)],
        < 1u << 28 => [(byte)((v << 4) | 7), (byte)(v >> 4), (byte)(v >> 12), (byte)(v >> 20)],
        _ => [0x0F, (byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24)],
    };

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(127u)]
    [InlineData(128u)]
    [InlineData(16383u)]
    [InlineData(16384u)]
    [InlineData(2097151u)]
    [InlineData(2097152u)]
    [InlineData(268435455u)]
    [InlineData(268435456u)]
    [InlineData(uint.MaxValue)]
    public void NativeAotCompressedUnsigned(uint value)
    {
        byte[] bytes = EncodeUnsigned(value);
        fixed (byte* b = bytes)
        {
            byte* p = b;
            Assert.Equal(value, EhClauseEnumerator.ReadUnsigned(ref p));
            Assert.Equal(bytes.Length, (int)(p - b));
        }
    }

    /// <summary>A CIE ("zR", code alignment 1, data alignment -8, RA column 16, CFA = rsp+8, RA at cfa-8) and an FDE.</summary>
    private static byte[] BuildFrame(byte[] instructions, uint pcRange)
    {
        var cie = new List<byte>();
        cie.AddRange(BitConverter.GetBytes(0u));          // CIE id
        cie.Add(1);                                        // version
        cie.AddRange("zR\0"u8.ToArray());
        cie.Add(1);                                        // code alignment
        cie.Add(0x78);                                     // data alignment -8 (sleb128)
        cie.Add(16);                                       // return address column
        cie.Add(1);                                        // augmentation data length
        cie.Add(0x03);                                     // FDE pointers: udata4, absolute
        cie.AddRange([0x0C, 7, 8, 0x90, 1]);              // def_cfa rsp+8; offset r16 at cfa-8
        while ((cie.Count + 4) % 8 != 0) cie.Add(0);
        var all = new List<byte>();
        all.AddRange(BitConverter.GetBytes((uint)cie.Count));
        all.AddRange(cie);
        int fdeStart = all.Count;
        var fde = new List<byte>();
        fde.AddRange(BitConverter.GetBytes((uint)(fdeStart + 4)));  // back to the CIE from this field
        fde.AddRange(BitConverter.GetBytes(0x1000u));               // pc begin
        fde.AddRange(BitConverter.GetBytes(pcRange));
        fde.Add(0);                                                  // no augmentation data
        fde.AddRange(instructions);
        all.AddRange(BitConverter.GetBytes((uint)fde.Count));
        all.AddRange(fde);
        all.AddRange(BitConverter.GetBytes(0u));
        return all.ToArray();
    }

    [Fact]
    public void CallFrameProgramRowsAndUnwind()
    {
        // push rbp (1 byte); push rbx (1 byte); sub rsp, 16 (4 bytes); mov rbp, rsp: CFA via rbp + 32;
        // remember; CFA rsp + 8 (an epilog); restore.
        byte[] program =
        [
            0x41, 0x0E, 16, 0x86, 2,          // advance 1; def_cfa_offset 16; rbp at cfa-16
            0x41, 0x0E, 24, 0x83, 3,          // advance 1; def_cfa_offset 24; rbx at cfa-24
            0x44, 0x0E, 40,                   // advance 4; def_cfa_offset 40
            0x43, 0x0C, 6, 32,                // advance 3; def_cfa rbp+32
            0x4A, 0x0A, 0x0C, 7, 8,           // advance 10; remember_state; def_cfa rsp+8
            0x41, 0x0B,                       // advance 1; restore_state
        ];
        byte[] frame = BuildFrame(program, 0x40);
        fixed (byte* f = frame)
        {
            byte* fdePtr = f + 4 + *(uint*)f;
            Assert.True(FrameDescription.TryParse(fdePtr, out FrameDescription d));
            Assert.Equal((0x1000UL, 0x1040UL), (d.PcBegin, d.PcEnd));
            (int, long) Cfa(ulong pc)
            {
                Assert.True(CallFrameInterpreter.TryComputeRow(in d, pc, out CallFrameRow r));
                return (r.CfaRegister, r.CfaOffset);
            }
            Assert.Equal((DwarfRegister.Rsp, 8L), Cfa(0x1000));
            Assert.Equal((DwarfRegister.Rsp, 16L), Cfa(0x1001));
            Assert.Equal((DwarfRegister.Rsp, 24L), Cfa(0x1002));
            Assert.Equal((DwarfRegister.Rsp, 40L), Cfa(0x1006));
            Assert.Equal((DwarfRegister.Rbp, 32L), Cfa(0x1009));
            Assert.Equal((DwarfRegister.Rsp, 8L), Cfa(0x1013));
            Assert.Equal((DwarfRegister.Rbp, 32L), Cfa(0x1014));

            // Unwind from 0x1010 with a fake stack: rbp = frame base, saved rbx/rbp/return address above it.
            ulong* stack = stackalloc ulong[8];
            ulong sp = (ulong)stack;
            stack[2] = 0xBBBB;        // rbx at cfa-24
            stack[3] = 0xAAAA;        // rbp at cfa-16
            stack[4] = 0x7777_0000;   // return address at cfa-8
            Assert.True(CallFrameInterpreter.TryComputeRow(in d, 0x1010, out CallFrameRow row));
            var regs = new RegisterSet { Rip = 0x1010, Rsp = sp, Rbp = sp + 8, Rbx = 1, R12 = 12 };
            Assert.True(regs.TryUnwind(in row));
            Assert.Equal(0x7777_0000UL, regs.Rip);
            Assert.Equal(sp + 40, regs.Rsp);
            Assert.Equal(0xAAAAUL, regs.Rbp);
            Assert.Equal(0xBBBBUL, regs.Rbx);
            Assert.Equal(12UL, regs.R12); // no rule: the caller's value is still in the register
        }
    }

    [Fact]
    public void UnknownOpcodesFailInsteadOfGuessing()
    {
        byte[] frame = BuildFrame([0x0F, 2, 0x77, 0x08], 0x10); // DW_CFA_def_cfa_expression
        fixed (byte* f = frame)
        {
            Assert.True(FrameDescription.TryParse(f + 4 + *(uint*)f, out FrameDescription d));
            Assert.False(CallFrameInterpreter.TryComputeRow(in d, 0x1004, out _));
        }
    }
}
