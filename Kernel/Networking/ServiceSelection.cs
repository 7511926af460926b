using System;
using Cosmos.Hal.Config;

namespace Cosmos.Kernel.Networking
{
    /// <summary>
    /// Which of the kernel's own services each interface runs: <c>services=all|none|echo,http,stats</c> (echo: UDP and
    /// TCP echo on port 7 and the many-client echo on 9007; http: the status page on port 80; stats: the benchmark's
    /// statistics port 7007). The bare kernel runs all of them; an image with an application runs none unless asked,
    /// so the program owns every port.
    /// </summary>
    [Flags]
    public enum ServiceSelection
    {
        None = 0,
        Echo = 1,
        Http = 2,
        Stats = 4,
        All = Echo | Http | Stats,
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
                else if (name.SequenceEqual("echo")) selection |= ServiceSelection.Echo;
                else if (name.SequenceEqual("http")) selection |= ServiceSelection.Http;
                else if (name.SequenceEqual("stats")) selection |= ServiceSelection.Stats;
                else
                {
                    Cosmos.Hal.Diagnostics.Log.BeginNotice("net");
                    Cosmos.Hal.Diagnostics.Log.Write("services=: unknown service '");
                    Cosmos.Hal.Diagnostics.Log.Write(name);
                    Cosmos.Hal.Diagnostics.Log.Write("' ignored (known: all, none, echo, http, stats)");
                    Cosmos.Hal.Diagnostics.Log.End();
                }
            }
            return selection;
        }
    }
}
