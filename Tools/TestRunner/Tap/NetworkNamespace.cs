using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Cosmos.TestRunner.Tap;

/// <summary>
/// A Linux network namespace made for one lane (`ip netns add`), so the tap, its addresses, dnsmasq and every
/// client live apart from the machine's own network and vanish with it. Commands run inside it through
/// `ip netns exec`; .NET sockets are created inside it by a thread that has joined it with setns(2) (a
/// network namespace belongs to the thread, and a socket keeps the namespace it was created in), so the
/// clients are the host kernel's own TCP/IP stack reached through ordinary System.Net.Sockets.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    /// <summary>Every namespace this runner makes starts with this, followed by the runner's process id.</summary>
    public const string Prefix = "cosmos-tap-";

    public string Name { get; }
    private bool _disposed;

    private NetworkNamespace(string name) => Name = name;

    /// <summary>Makes the namespace with its loopback up; first removes namespaces left by runners that died.</summary>
    public static NetworkNamespace Create(string suffix)
    {
        RemoveStale();
        var ns = new NetworkNamespace($"{Prefix}{Environment.ProcessId}-{suffix}");
        Host.Run("ip", ["netns", "del", ns.Name], TimeSpan.FromSeconds(10), allowFailure: true);
        Host.Run("ip", ["netns", "add", ns.Name], TimeSpan.FromSeconds(10));
        ns.Run("ip", ["link", "set", "lo", "up"], TimeSpan.FromSeconds(10));
        return ns;
    }

    /// <summary>Namespaces named after a runner process that no longer exists (a run that was killed).</summary>
    private static void RemoveStale()
    {
        if (!Directory.Exists("/var/run/netns")) return;
        foreach (string path in Directory.GetFiles("/var/run/netns", Prefix + "*"))
        {
            string name = Path.GetFileName(path);
            string pid = name[Prefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out int id) && id != Environment.ProcessId && !Directory.Exists($"/proc/{id}"))
            {
                // Its dnsmasq, tcpdump or QEMU may have outlived the runner: end them, then the namespace.
                string pids = Host.Run("ip", ["netns", "pids", name], TimeSpan.FromSeconds(10), allowFailure: true).Output;
                foreach (string p in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    Host.Run("kill", ["-KILL", p], TimeSpan.FromSeconds(5), allowFailure: true);
                Host.Run("ip", ["netns", "del", name], TimeSpan.FromSeconds(10), allowFailure: true);
            }
        }
    }

    /// <summary>The arguments that start <paramref name="program"/> inside the namespace.</summary>
    public List<string> Wrap(string program, IEnumerable<string> arguments) => ["netns", "exec", Name, program, .. arguments];

    /// <summary>Runs a command inside the namespace to completion (bounded); throws with its output if it fails.</summary>
    public HostCommandResult Run(string program, IEnumerable<string> arguments, TimeSpan timeout, bool allowFailure = false) =>
        Host.Run("ip", Wrap(program, arguments), timeout, allowFailure);

    /// <summary>Starts a long-running command inside the namespace (dnsmasq, tcpdump, QEMU).</summary>
    public Process Start(string program, IEnumerable<string> arguments, bool redirectOutput = true, string? outputLog = null)
    {
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = redirectOutput, RedirectStandardError = redirectOutput, RedirectStandardInput = true };
        foreach (string a in Wrap(program, arguments)) psi.ArgumentList.Add(a);
        Process process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program} in {Name}");
        if (redirectOutput)
        {
            // Drained so a chatty tool never blocks on a full pipe; kept in a file when asked.
            // The file closes after both streams have ended (each signals its end with a null line).
            StreamWriter? log = outputLog == null ? null : new StreamWriter(outputLog) { AutoFlush = true };
            int open = 2;
            void Keep(string? line)
            {
                if (log == null) return;
                lock (log)
                {
                    if (line != null) { if (open > 0) log.WriteLine(line); }
                    else if (--open == 0) log.Dispose();
                }
            }
            process.OutputDataReceived += (_, e) => Keep(e.Data);
            process.ErrorDataReceived += (_, e) => Keep(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        return process;
    }

    /// <summary>A socket of the host kernel's stack inside the namespace (made on a thread that joined it).</summary>
    public Socket CreateSocket(AddressFamily family, SocketType type, ProtocolType protocol)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{Name}");
                if (SetNamespace((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                    throw new InvalidOperationException($"setns({Name}) failed: errno {Marshal.GetLastPInvokeError()}");
                socket = new Socket(family, type, protocol);
            }
            catch (Exception e) { failure = e; }
        }) { IsBackground = true };
        thread.Start();
        thread.Join();
        return socket ?? throw new InvalidOperationException($"no socket in namespace {Name}", failure);
    }

    private const int CloneNewNet = 0x40000000;

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNamespace(int fd, int nstype);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // Processes still inside would keep it alive: the owner stops them first; `ip netns del` unmounts the name.
        Host.Run("ip", ["netns", "del", Name], TimeSpan.FromSeconds(10), allowFailure: true);
    }
}

/// <summary>What a finished host command printed and how it ended.</summary>
public sealed record HostCommandResult(int ExitCode, string Output, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}

/// <summary>Runs host commands with a time limit, capturing their output (stdout and stderr together).</summary>
public static class Host
{
    public static HostCommandResult Run(string program, IEnumerable<string> arguments, TimeSpan timeout, bool allowFailure = false)
    {
        var psi = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program}");
        process.StandardInput.Close();
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        bool exited = process.WaitForExit((int)timeout.TotalMilliseconds);
        if (!exited)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
        process.WaitForExit();
        string text;
        lock (output) text = output.ToString();
        var result = new HostCommandResult(exited ? process.ExitCode : -1, text, !exited);
        if (!allowFailure && !result.Succeeded)
            throw new InvalidOperationException($"{program} {string.Join(' ', psi.ArgumentList)} {(result.TimedOut ? $"timed out after {timeout.TotalSeconds:0} s" : $"exited with {result.ExitCode}")}: {text.Trim()}");
        return result;
    }
}
