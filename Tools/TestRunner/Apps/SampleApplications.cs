using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cosmos.TestRunner.Apps;

/// <summary>
/// The samples under Samples/: each built as a kernel image with `dotnet build` of its project (Cosmos.Sdk from the
/// clone's feed), booted, and checked from outside; the same checks then run against the same source built for .NET
/// (its dotnet/ project, part of the solution) on the host.
/// </summary>
public static class SampleApplications
{
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cosmos.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    /// <summary>
    /// The kernel image of FOLDER/NAME (Samples/ by default; Programs/ for the kernel's own services): dotnet build of
    /// FOLDER/NAME/NAME.csproj, which writes FOLDER/NAME/iso/NAME.iso.
    /// </summary>
    public static ApplicationImage Image(string name, string folder = "Samples") => new($"{folder} {name}", async (where, cancel) =>
    {
        string project = Path.Combine(where.RepoRoot, folder, name);
        ToolRun build = await ToolProcess.RunAsync(project, TimeSpan.FromMinutes(10), cancel, "dotnet", "build", $"{name}.csproj");
        string iso = Path.Combine(project, "iso", name + ".iso");
        bool made = build.Succeeded && File.Exists(iso);
        var checks = new List<(string, bool, string)>
        {
            ($"{folder}/{name}: dotnet build writes iso/{name}.iso", made, made ? $"{build.Summary(1)}; {new FileInfo(iso).Length:N0} bytes" : build.Summary()),
        };
        return new BuiltImage(made ? iso : null, checks);
    });

    /// <summary>The HTTP sample's checks against the kernel (the forwarded HTTP port), then against its .NET build on the host.</summary>
    public static async Task<List<(string Name, bool Passed, string Detail)>> HttpChecks(ForwardedPorts ports, CancellationToken cancel)
    {
        string sample = Path.Combine(RepoRoot(), "Samples", "HttpServer");
        var results = await HttpSampleChecks.RunAsync("kernel", "127.0.0.1", ports.Http, sample, cancel);
        results.AddRange(await OnDotnet(sample, "HttpServer.dll", (port, c) => HttpSampleChecks.RunAsync(".NET", "127.0.0.1", port, sample, c), cancel));
        return results;
    }

    /// <summary>
    /// The key-value sample's checks against the kernel on the tap lane (redis-cli and redis-benchmark in the lane's
    /// namespace, through the host kernel's stack), then against its .NET build on the host. Not through QEMU's user
    /// network: its forwarded port listens with a backlog of 1 (libslirp 4.7.0; `ss -ltn` shows Send-Q 1), so 30
    /// clients connecting at once lose SYNs on the host and wait out Linux's SYN retries (1, 2, 4, 8 s...); on a busy
    /// machine redis-benchmark then sat 87 s on its last clients (30 November, 1 run in 8, with the kernel idle and
    /// every request answered, per its pcap).
    /// </summary>
    public static async Task<List<(string Name, bool Passed, string Detail)>> KeyValueChecks(Tap.TapNetwork tap, Peers.LogWatcher log, CancellationToken cancel)
    {
        string sample = Path.Combine(RepoRoot(), "Samples", "KeyValueServer");
        IPAddress? guest = tap.AcknowledgedAddress(HostChecks.TapChecks.KernelMac);
        if (guest == null) return [("kernel: address from dnsmasq", false, "dnsmasq acknowledged no lease for the kernel's MAC")];
        var results = await KeyValueSampleChecks.RunAsync("kernel", guest.ToString(), 6379,
            (program, arguments) => ("ip", [.. tap.Namespace.Wrap(program, arguments)]), cancel);
        results.AddRange(await OnDotnet(sample, "KeyValueServer.dll", (port, c) => KeyValueSampleChecks.RunAsync(".NET", "127.0.0.1", port, c), cancel));
        return results;
    }

    /// <summary>
    /// Starts the sample's .NET build (dotnet/bin/Release/net10.0) on a free port, waits for its "listening" line, runs
    /// the checks, and stops it.
    /// </summary>
    internal static async Task<List<(string Name, bool Passed, string Detail)>> OnDotnet(string sample, string assembly,
        Func<int, CancellationToken, Task<List<(string, bool, string)>>> checks, CancellationToken cancel, Func<int, string[]>? arguments = null)
    {
        string dll = Path.Combine(sample, "dotnet", "bin", "Release", "net10.0", assembly);
        if (!File.Exists(dll)) return [(".NET: the sample's .NET build exists", false, $"{dll} is missing (dotnet build Cosmos.sln -c Release builds it)")];
        int port = FreeTcpPort();
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (string argument in arguments?.Invoke(port) ?? ["--port", port.ToString()]) psi.ArgumentList.Add(argument);
        using var process = Process.Start(psi)!;
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => { if (e.Data?.Contains("listening on port") == true) listening.TrySetResult(); };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            if (await Task.WhenAny(listening.Task, Task.Delay(TimeSpan.FromSeconds(30), cancel)) != listening.Task)
                return [(".NET: the sample starts", false, "no 'listening on port' line within 30 s")];
            return await checks(port, cancel);
        }
        finally
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
    }

    internal static int FreeTcpPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
