using System;
using Cosmos.Hal.Config;

namespace Cosmos.Kernel.Networking
{
    /// <summary>
    /// Which of the kernel's own services each interface runs: <c>services=all|none|echo,http,stats</c> (echo: UDP and
    /// TCP echo on port 7 and the many-client echo on 9007; http: the status page on port 80; stats: the benchmark's
    /// statistics port 7007, which answers anyone who asks with the kernel's busy time and allocation count). The bare
    /// kernel runs echo and http (<see cref="ServiceSelection.Default"/>); the statistics port only when asked
    /// (<c>services=all</c> or <c>services=echo,http,stats</c>: the benchmark and the boots that count allocations do); an
    /// image with an application runs none unless asked, so the program owns every port.
    /// </summary>
    [Flags]
    public enum ServiceSelection
    {
        None = 0,
        Echo = 1,
        Http = 2,
        Stats = 4,
        All = Echo | Http | Stats,
        /// <summary>The bare kernel's services when the command line names none.</summary>
        Default = Echo | Http,
    }

    public static class ServiceSelectionOption
    {
        /// <summary>Reads <c>services=</c>; <paramref name="fallback"/> when it is absent. Unknown names are logged and ignored.</summary>
        public static ServiceSelection Read(CommandLine options, ServiceSelection fallback)
        {
            if (!options.TryGet("services", out ReadOnlySpan<char> text)) return fallback;
            var selection = ServiceSelection.None;
            while (text.Length > 0)
            {
                int comma = text.IndexOf(',');
                ReadOnlySpan<char> name = comma < 0 ? text : text.Slice(0, comma);
                text = comma < 0 ? default : text.Slice(comma + 1);
                if (name.SequenceEqual("all")) selection |= ServiceSelection.All;
                else if (name.SequenceEqual("none") || name.Length == 0) { }
                else if (name.SequenceEqual("default")) selection |= ServiceSelection.Default;
                else if (name.SequenceEqual("echo")) selection |= ServiceSelection.Echo;
                else if (name.SequenceEqual("http")) selection |= ServiceSelection.Http;
                else if (name.SequenceEqual("stats")) selection |= ServiceSelection.Stats;
                else
                {
                    Cosmos.Hal.Diagnostics.Log.BeginNotice("net");
                    Cosmos.Hal.Diagnostics.Log.Write("services=: unknown service '");
                    Cosmos.Hal.Diagnostics.Log.Write(name);
                    Cosmos.Hal.Diagnostics.Log.Write("' ignored (known: all, default, none, echo, http, stats)");
                    Cosmos.Hal.Diagnostics.Log.End();
                }
            }
            return selection;
        }
    }
}
