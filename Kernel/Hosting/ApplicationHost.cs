using System;
using System.Runtime;
using System.Runtime.CompilerServices;
using Cosmos.Hal.Config;
using Cosmos.Hal.Diagnostics;
using Cosmos.Hal.Platform;
using Cosmos.Hal.Timers;
using Cosmos.Kernel.Devices;
using Cosmos.Kernel.Networking;

namespace Cosmos.Kernel.Hosting
{
    /// <summary>
    /// Runs the application an image was built with (a project on Cosmos.Sdk: an ordinary C# program whose
    /// <c>Main</c> ilc compiled as the image's entry point; Kernel/Boot/app.asm finds it). The kernel brings the
    /// network up first and waits, within a bound, for net0's address, so the program starts with a working network;
    /// then it calls <c>Main</c> with the words after <c>--</c> on the kernel command line as its arguments. When
    /// <c>Main</c> returns, the machine ends the run: exit code 0 as success, anything else (or an exception the
    /// program did not catch) as failure, each said in one log line.
    /// </summary>
    public static unsafe class ApplicationHost
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "app_entry_address")]
        private static extern nuint EntryAddress();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "app_entry_call")]
        private static extern int CallEntry(int argc, byte** argv);

        /// <summary>The name the program sees as argv[0] (Environment.GetCommandLineArgs()[0]).</summary>
        public const string ProgramName = "app";

        /// <summary>Default bound on the wait for net0's address before Main runs (<c>app.net-wait-ms=</c>).</summary>
        public const long DefaultNetworkWaitMs = 15_000;

        /// <summary>True when the image holds an application.</summary>
        public static bool Present => EntryAddress() != 0;

        public static int ExitCode { get; private set; }

        /// <summary>
        /// Runs Main to its end on the network the composition root brought up (null: no NIC), and ends the run. Does
        /// not return.
        /// </summary>
        public static void Run(CommandLine options, NetworkHost network)
        {
            if (network != null)
            {
                WaitForAddress(options, network);
                NetworkEventLoop.Install(network);
            }
            else Log.NoticeLine("app", "no network device: Main runs without a network");

            string[] words = ApplicationArguments(options.Text);
            Log.Begin("app");
            Log.Write("starting Main with ");
            Log.Decimal(words.Length);
            Log.Write(words.Length == 1 ? " argument" : " arguments");
            Log.End();

            int code;
            try
            {
                code = CallMain(words);
            }
            catch (Exception e)
            {
                Log.BeginNotice("app");
                Log.Write("Main ended with an unhandled exception: ");
                Log.Write(e.ToString());
                Log.End();
                Machine.Exit(Machine.FailureCode);
                return;
            }
            ExitCode = code;
            Log.BeginNotice("app");
            Log.Write("Main returned ");
            Log.Decimal(code);
            Log.End();
            Machine.Exit(code == 0 ? Machine.SuccessCode : Machine.FailureCode);
        }

        /// <summary>Serves (DHCP, ARP, the stack's timers) until net0 is configured or the bound passes.</summary>
        private static void WaitForAddress(CommandLine options, NetworkHost network)
        {
            long bound = DefaultNetworkWaitMs;
            if (options.TryGet("app.net-wait-ms", out ReadOnlySpan<char> text) && long.TryParse(text, out long ms) && ms >= 0) bound = ms;
            long start = Clock.Milliseconds;
            while (!network.Announced)
            {
                if (Clock.Milliseconds - start >= bound)
                {
                    Log.Begin("app");
                    Log.Write("net0 has no address after ");
                    Log.Decimal(bound);
                    Log.Write(" ms (no DHCP answer?); Main starts anyway");
                    Log.End();
                    return;
                }
                if (!network.Poll()) NetworkDevices.WaitForWork();
            }
        }

        /// <summary>The words after a lone <c>--</c> on the command line, split at spaces (no quoting).</summary>
        public static string[] ApplicationArguments(ReadOnlySpan<char> commandLine)
        {
            int start = -1;
            for (int i = 0; i + 2 <= commandLine.Length; i++)
            {
                bool wordStart = i == 0 || commandLine[i - 1] == ' ';
                if (wordStart && commandLine[i] == '-' && commandLine[i + 1] == '-'
                    && (i + 2 == commandLine.Length || commandLine[i + 2] == ' '))
                {
                    start = i + 2;
                    break;
                }
            }
            if (start < 0) return new string[0];
            var rest = commandLine.Slice(start);
            int count = 0;
            for (int i = 0; i < rest.Length; i++) if (rest[i] != ' ' && (i == 0 || rest[i - 1] == ' ')) count++;
            var words = new string[count];
            int w = 0;
            for (int i = 0; i < rest.Length;)
            {
                if (rest[i] == ' ') { i++; continue; }
                int j = i;
                while (j < rest.Length && rest[j] != ' ') j++;
                words[w++] = new string(rest.Slice(i, j - i));
                i = j;
            }
            return words;
        }

        /// <summary>argv as the startup code expects it: UTF-8, NUL-terminated, argv[0] the program's name.</summary>
        private static int CallMain(string[] words)
        {
            int argc = words.Length + 1;
            int bytes = ProgramName.Length + 1;
            for (int i = 0; i < words.Length; i++) bytes += System.Text.Encoding.UTF8.GetByteCount(words[i]) + 1;
            byte[] text = new byte[bytes];
            nint[] argv = new nint[argc + 1];
            fixed (byte* t = text)
            fixed (nint* v = argv)
            {
                int at = 0;
                argv[0] = (nint)(t + at);
                at += System.Text.Encoding.UTF8.GetBytes(ProgramName.AsSpan(), new Span<byte>(text, at, bytes - at)) + 1;
                for (int i = 0; i < words.Length; i++)
                {
                    argv[i + 1] = (nint)(t + at);
                    at += System.Text.Encoding.UTF8.GetBytes(words[i].AsSpan(), new Span<byte>(text, at, bytes - at)) + 1;
                }
                return CallEntry(argc, (byte**)v);
            }
        }
    }
}
