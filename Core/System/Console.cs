namespace System
{
    /// <summary>
    /// .NET's Console for output: text goes to a writer the kernel installs (the serial console, as UTF-8). Before one
    /// is installed, output is dropped.
    /// </summary>
    public static unsafe class Console
    {
        private static delegate*<ReadOnlySpan<char>, void> s_write;

        /// <summary>Called once by the kernel with the function that puts text on its console.</summary>
        public static void InstallWriter(delegate*<ReadOnlySpan<char>, void> write) => s_write = write;

        public static void Write(ReadOnlySpan<char> value)
        {
            if (s_write != null) s_write(value);
        }

        public static void Write(string value) => Write(value.AsSpan());
        public static void Write(char value) => Write(new ReadOnlySpan<char>(ref value, 1));
        public static void Write(object value) => Write(value?.ToString());
        public static void Write(int value) => Write(value.ToString());
        public static void Write(long value) => Write(value.ToString());
        public static void Write(uint value) => Write(value.ToString());
        public static void Write(ulong value) => Write(value.ToString());
        public static void Write(bool value) => Write(value ? "True" : "False");
        public static void Write(double value) => Write(value.ToString());
        public static void Write(string format, params object[] args) => Write(string.Format(format, args));

        public static void WriteLine() => Write('\n');

        public static void WriteLine(string value)
        {
            Write(value);
            Write('\n');
        }

        public static void WriteLine(ReadOnlySpan<char> value)
        {
            Write(value);
            Write('\n');
        }

        public static void WriteLine(char value) { Write(value); Write('\n'); }
        public static void WriteLine(object value) => WriteLine(value?.ToString());
        public static void WriteLine(int value) => WriteLine(value.ToString());
        public static void WriteLine(long value) => WriteLine(value.ToString());
        public static void WriteLine(uint value) => WriteLine(value.ToString());
        public static void WriteLine(ulong value) => WriteLine(value.ToString());
        public static void WriteLine(bool value) => WriteLine(value ? "True" : "False");
        public static void WriteLine(double value) => WriteLine(value.ToString());
        public static void WriteLine(string format, params object[] args) => WriteLine(string.Format(format, args));
    }
}
