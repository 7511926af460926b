namespace Internal.Runtime.CompilerHelpers
{
    /// <summary>
    /// What ilc's startup code for an executable (its <c>StartupCodeMain</c>, exported as <c>__managed__Main</c>)
    /// calls by name: <c>InitializeCommandLineArgs(argc, argv)</c> first, then <c>GetMainMethodArguments()</c> when
    /// the program's <c>Main</c> takes <c>string[] args</c>. Without these two, ilc refuses to compile a <c>Main</c>
    /// with parameters. The kernel hands an application its arguments as UTF-8 strings, argv[0] being the program's
    /// name, as a C runtime would; <c>Main</c> gets the rest, as on .NET.
    /// </summary>
    public static unsafe partial class StartupCodeHelpers
    {
        private static string[] s_commandLineArgs = new string[0];

        /// <summary>argv[0..argc) as UTF-8, NUL-terminated: kept for <see cref="System.Environment.GetCommandLineArgs"/>.</summary>
        public static void InitializeCommandLineArgs(int argc, sbyte** argv)
        {
            if (argc <= 0 || argv == null)
            {
                s_commandLineArgs = new string[0];
                return;
            }
            var all = new string[argc];
            for (int i = 0; i < argc; i++)
            {
                byte* s = (byte*)argv[i];
                int n = 0;
                if (s != null) while (s[n] != 0) n++;
                all[i] = n == 0 ? string.Empty : System.Text.Encoding.UTF8.GetString(new System.ReadOnlySpan<byte>(s, n));
            }
            s_commandLineArgs = all;
        }

        /// <summary>The arguments <c>Main(string[] args)</c> receives: every argument after the program's name.</summary>
        public static string[] GetMainMethodArguments()
        {
            int n = s_commandLineArgs.Length > 0 ? s_commandLineArgs.Length - 1 : 0;
            var args = new string[n];
            for (int i = 0; i < n; i++) args[i] = s_commandLineArgs[i + 1];
            return args;
        }

        /// <summary>The program's name and its arguments (a copy), as <see cref="System.Environment.GetCommandLineArgs"/> returns them.</summary>
        public static string[] GetCommandLineArgs()
        {
            var copy = new string[s_commandLineArgs.Length];
            for (int i = 0; i < copy.Length; i++) copy[i] = s_commandLineArgs[i];
            return copy;
        }
    }
}
