using System.Diagnostics;
using System.Text;

namespace Cosmos.TestRunner.Apps;

/// <summary>The result of one command the application lane ran: its exit code (null when it was stopped at the bound) and output.</summary>
public sealed record ToolRun(string Command, int? ExitCode, string Output, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>One line for a check's detail: the command, how it ended, and the end of its output.</summary>
    public string Summary(int tailLines = 6)
    {
        string[] lines = Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string tail = string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - tailLines)).Select(l => l.Trim()));
        string ending = ExitCode is { } c ? $"exit {c}" : "stopped at its time bound";
        return $"`{Command}`: {ending} after {Elapsed.TotalSeconds:0.0} s; {tail}";
    }
}

/// <summary>Runs the commands a user would type (dotnet new, dotnet build, dotnet run), each within a time bound.</summary>
public static class ToolProcess
{
    public static Task<ToolRun> RunAsync(string workingDirectory, TimeSpan bound, CancellationToken cancel, string program, params string[] arguments) =>
        RunAsync(workingDirectory, bound, null, cancel, program, arguments);

    public static async Task<ToolRun> RunAsync(string workingDirectory, TimeSpan bound, IReadOnlyDictionary<string, string>? environment, CancellationToken cancel, string program, params string[] arguments)
    {
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        // The user's own machine: no telemetry banner or first-run text in the output the checks read.
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        if (environment != null) foreach (var (name, value) in environment) psi.Environment[name] = value;
        string command = $"{program} {string.Join(' ', arguments)}";
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program}");
        process.StandardInput.Close();
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None);
            lock (output) return new ToolRun(command, null, output.ToString(), stopwatch.Elapsed);
        }
        process.WaitForExit(); // drains the asynchronous readers
        lock (output) return new ToolRun(command, process.ExitCode, output.ToString(), stopwatch.Elapsed);
    }
}
