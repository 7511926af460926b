using System;
using Cosmos.Hal.Cpu;

namespace Cosmos.Hal.Console
{
    /// <summary>
    /// COM1 (16550 UART at 0x3F8), 115200 8N1: the kernel's console and the test runner's channel.
    /// Writes are synchronous and allocation-free so they work from interrupt handlers and panics.
    /// </summary>
    public static unsafe class SerialConsole
    {
        private const ushort Port = 0x3F8;
        private const ushort LineStatus = Port + 5;
        private const byte TransmitEmpty = 0x20;

        public static void Initialize()
        {
            CpuNative.OutByte(Port + 1, 0x00);  // no UART interrupts
            CpuNative.OutByte(Port + 3, 0x80);  // DLAB on
            CpuNative.OutByte(Port + 0, 0x01);  // divisor 1: 115200 baud
            CpuNative.OutByte(Port + 1, 0x00);
            CpuNative.OutByte(Port + 3, 0x03);  // 8 bits, no parity, one stop bit, DLAB off
            CpuNative.OutByte(Port + 2, 0xC7);  // FIFO on, cleared, 14-byte threshold
            CpuNative.OutByte(Port + 4, 0x03);  // DTR, RTS
        }

        private const ushort DebugPort = 0xE9;
        private static bool s_debugPortOnly;

        /// <summary>
        /// A Xen PVH guest has no UART; Xen prints what a guest writes to port 0xE9 on its own console as
        /// "(dN) ..." (xen/arch/x86/hvm/hvm.c, hvm_print_line), which dom0 reads with "xl dmesg".
        /// </summary>
        public static void UseDebugPort() => s_debugPortOnly = true;

        // The debug port takes whole lines: one OUT per character is one VM exit per character (an idle line of
        // 330 characters, 330 exits), and a PVH guest in the Xen lane was found stopped by a triple fault at the
        // instruction after such an OUT with its IDT, GDT, TSS and stack intact (the cause not found; see the
        // README's Xen lane section). Xen prints a line only at its newline anyway (hvm_print_line), so nothing
        // is shown later than before. Lines longer than the buffer go out in pieces.
        private const int LineCapacity = 256;
        private struct LineBuffer { public fixed byte Bytes[LineCapacity]; }
        private static LineBuffer s_line;
        private static int s_lineLength;
        private const ulong InterruptFlag = 1UL << 9;

        private static void WriteDebugPort(byte b)
        {
            // Interrupt handlers log too: the buffer is touched with interrupts off, so a line is never torn.
            bool interrupts = (CpuNative.ReadFlags() & InterruptFlag) != 0;
            if (interrupts) CpuNative.DisableInterrupts();
            fixed (byte* line = s_line.Bytes)
            {
                line[s_lineLength++] = b;
                if (b == (byte)'\n' || s_lineLength == LineCapacity)
                {
                    CpuNative.OutBytes(DebugPort, line, (ulong)s_lineLength);
                    s_lineLength = 0;
                }
            }
            if (interrupts) CpuNative.EnableInterrupts();
        }

        public static void WriteByte(byte b)
        {
            if (s_debugPortOnly) { WriteDebugPort(b); return; }
            // Bounded wait: a missing or stuck UART must not hang the kernel.
            for (int spin = 0; spin < 100000 && (CpuNative.InByte(LineStatus) & TransmitEmpty) == 0; spin++) { }
            CpuNative.OutByte(Port, b);
        }

        public static void Write(char c)
        {
            if (c == '\n') WriteByte((byte)'\r');
            WriteByte(c < 128 ? (byte)c : (byte)'?');
        }

        /// <summary>Text as UTF-8 (Write replaces anything outside ASCII with '?'), for output compared with .NET's.</summary>
        public static void WriteUtf8(ReadOnlySpan<char> s)
        {
            Span<byte> encoded = stackalloc byte[4];
            for (int i = 0; i < s.Length; i++)
            {
                int n = char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? 2 : 1;
                int count = System.Text.Encoding.UTF8.GetBytes(s.Slice(i, n), encoded);
                for (int k = 0; k < count; k++)
                {
                    if (encoded[k] == (byte)'\n') WriteByte((byte)'\r');
                    WriteByte(encoded[k]);
                }
                i += n - 1;
            }
        }

        public static void Write(string s)
        {
            if (s == null) return;
            for (int i = 0; i < s.Length; i++) Write(s[i]);
        }

        public static void Write(ReadOnlySpan<char> s)
        {
            for (int i = 0; i < s.Length; i++) Write(s[i]);
        }

        public static void WriteAscii(ReadOnlySpan<byte> s)
        {
            for (int i = 0; i < s.Length; i++) Write((char)s[i]);
        }

        public static void WriteLine(string s) { Write(s); Write('\n'); }
        public static void WriteLine() => Write('\n');

        public static void WriteDecimal(long value)
        {
            char* buf = stackalloc char[24];
            int n = Number.FormatDecimal(value, buf, 24);
            Write(new ReadOnlySpan<char>(buf, n));
        }

        public static void WriteUnsigned(ulong value)
        {
            char* buf = stackalloc char[24];
            int n = Number.FormatUnsigned(value, buf, 24);
            Write(new ReadOnlySpan<char>(buf, n));
        }

        /// <summary>Hex without prefix, zero-padded to at least <paramref name="digits"/>.</summary>
        public static void WriteHex(ulong value, int digits = 1)
        {
            char* buf = stackalloc char[16];
            int n = Number.FormatHex(value, digits, false, buf, 16);
            Write(new ReadOnlySpan<char>(buf, n));
        }
    }
}
