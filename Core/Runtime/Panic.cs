using Internal.Runtime;
using System.Runtime.CompilerServices;

namespace System.Runtime
{
    /// <summary>
    /// The last resort: prints a readable report on the serial console and ends the machine.
    /// It allocates nothing, so it works with a broken heap. The kernel installs a symbol lookup
    /// (addresses to method and type names) and the exit routine once it has them.
    /// </summary>
    public static unsafe class Panic
    {
        private const ushort Com1 = 0x3F8;

        /// <summary>Finds the symbol containing an address; writes its name into the buffer and returns its length and start.</summary>
        public static delegate*<nuint, char*, int, nuint*, int> SymbolLookup;

        /// <summary>Ends the run (isa-debug-exit under QEMU); installed by the kernel.</summary>
        public static delegate*<int, void> Exit;

        /// <summary>Exit status of a panic, as the runner sees it.</summary>
        public const int FailureStatus = 0x11;

        private static bool s_inPanic;

        public static void WriteChar(char c)
        {
            if (c == '\n') WriteByte((byte)'\r');
            WriteByte((byte)(c < 128 ? c : '?'));
        }

        private static void WriteByte(byte b)
        {
            // Wait (bounded) for the UART's transmit holding register to empty (16550: LSR bit 5).
            for (int spin = 0; spin < 100000 && (Native.InByte(Com1 + 5) & 0x20) == 0; spin++) { }
            Native.OutByte(Com1, b);
        }

        public static void Write(string s)
        {
            if (s == null) { Write("(null)"); return; }
            for (int i = 0; i < s.Length; i++) WriteChar(s[i]);
        }

        public static void Write(ReadOnlySpan<char> s)
        {
            for (int i = 0; i < s.Length; i++) WriteChar(s[i]);
        }

        public static void WriteHex(ulong value, int digits = 16)
        {
            Write("0x");
            for (int i = digits - 1; i >= 0; i--)
            {
                int d = (int)((value >> (i * 4)) & 0xF);
                WriteChar((char)(d < 10 ? '0' + d : 'a' + d - 10));
            }
        }

        /// <summary>"0x" and as many hex digits as the value needs.</summary>
        public static void WriteHexMinimal(ulong value)
        {
            int digits = 1;
            for (ulong v = value >> 4; v != 0; v >>= 4) digits++;
            WriteHex(value, digits);
        }

        public static void WriteDecimal(long value)
        {
            char* buf = stackalloc char[24];
            int n = Number.FormatDecimal(value, buf, 24);
            for (int i = 0; i < n; i++) WriteChar(buf[i]);
        }

        /// <summary>Writes "name+0xoffset" for an address when the symbol map knows it.</summary>
        public static bool WriteSymbol(nuint address)
        {
            if (SymbolLookup == null) return false;
            char* name = stackalloc char[160];
            nuint start;
            int len = SymbolLookup(address, name, 160, &start);
            if (len <= 0) return false;
            for (int i = 0; i < len; i++) WriteChar(name[i]);
            if (address != start) { Write("+"); WriteHexMinimal(address - start); }
            return true;
        }

        /// <summary>Begins a panic report; a panic inside a panic stops at once.</summary>
        public static void Begin()
        {
            if (s_inPanic)
            {
                Write("\n*** PANIC while panicking; stopping\n");
                End();
            }
            s_inPanic = true;
            Write("\n*** PANIC: ");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void End()
        {
            Write("\n*** END PANIC\n");
            if (Exit != null) Exit(FailureStatus);
            Native.HaltForever();
        }

        public static void Fail(string message)
        {
            Begin();
            Write(message);
            End();
        }

        public static void OutOfMemory(nuint requested)
        {
            Begin();
            Write("out of memory allocating ");
            WriteDecimal((long)requested);
            Write(" bytes");
            End();
        }
    }
}
