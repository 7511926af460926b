namespace Cosmos.TestRunner.Apps;

/// <summary>
/// The README's "Write your own service" commands, exactly as a newcomer types them, in a fresh folder: install the
/// template from this clone, create a project with it, build it (which must write iso/NAME.iso and iso/NAME.elf), and
/// boot it with `dotnet run`. The template goes into a registry of this run's own (dotnet new's --debug:custom-hive), so
/// the user's templates are left alone. The image built here is then booted by the runner like any other.
/// </summary>
public static class TemplateFlow
{
    public const string ProjectName = "HelloApp";
    public const string ShortName = "cosmos-net-app";

    public static ApplicationImage Image { get; } = new("template", BuildAsync);

    private static async Task<BuiltImage> BuildAsync(ApplicationBuild where, CancellationToken cancel)
    {
        var checks = new List<(string, bool, string)>();
        string work = where.WorkDirectory;
        Directory.CreateDirectory(work);
        string hive = Path.Combine(work, "template-hive");
        string template = Path.Combine(where.RepoRoot, "Templates", ShortName);

        ToolRun install = await ToolProcess.RunAsync(work, TimeSpan.FromMinutes(2), cancel, "dotnet", "new", "install", template, "--debug:custom-hive", hive);
        checks.Add(("template: dotnet new install <clone>/Templates/cosmos-net-app", install.Succeeded && install.Output.Contains(ShortName), install.Summary()));
        if (!install.Succeeded) return new(null, checks);

        ToolRun create = await ToolProcess.RunAsync(work, TimeSpan.FromMinutes(2), cancel, "dotnet", "new", ShortName, "-o", ProjectName, "--debug:custom-hive", hive);
        string project = Path.Combine(work, ProjectName);
        string projectFile = Path.Combine(project, ProjectName + ".csproj");
        bool onSdk = File.Exists(projectFile) && File.ReadAllText(projectFile).Contains("Sdk=\"Cosmos.Sdk/", StringComparison.Ordinal);
        checks.Add(("template: dotnet new cosmos-net-app makes a project on Cosmos.Sdk", create.Succeeded && onSdk,
            onSdk ? create.Summary(2) : $"{create.Summary()}; {projectFile} missing or not on Cosmos.Sdk"));
        if (!create.Succeeded || !onSdk) return new(null, checks);

        ToolRun build = await ToolProcess.RunAsync(project, TimeSpan.FromMinutes(10), cancel, "dotnet", "build");
        string iso = Path.Combine(project, "iso", ProjectName + ".iso"), elf = Path.Combine(project, "iso", ProjectName + ".elf");
        bool images = File.Exists(iso) && File.Exists(elf);
        checks.Add(("template: dotnet build writes iso/HelloApp.iso and iso/HelloApp.elf", build.Succeeded && images,
            images ? $"{build.Summary(2)}; ISO {new FileInfo(iso).Length:N0} bytes, ELF {new FileInfo(elf).Length:N0} bytes" : build.Summary()));
        if (!build.Succeeded || !images) return new(null, checks);

        // dotnet run boots the image in QEMU (the SDK's tools/run-qemu.sh); the template's program prints its arguments and returns 0.
        var environment = new Dictionary<string, string> { ["COSMOS_ACCEL"] = where.Accelerator };
        ToolRun run = await ToolProcess.RunAsync(project, TimeSpan.FromMinutes(3), environment, cancel, "dotnet", "run", "--", "first", "second");
        bool greeted = run.Output.Contains($"Hello from {ProjectName}", StringComparison.Ordinal);
        bool sawArguments = run.Output.Contains("arguments: 2", StringComparison.Ordinal) && run.Output.Contains("  second", StringComparison.Ordinal);
        bool returned = run.Output.Contains("app: Main returned 0", StringComparison.Ordinal);
        checks.Add(("template: dotnet run -- first second boots it, Main sees its arguments, exit code 0", run.Succeeded && greeted && sawArguments && returned,
            $"greeting {(greeted ? "seen" : "MISSING")}, arguments {(sawArguments ? "seen" : "MISSING")}, return {(returned ? "seen" : "MISSING")}; {run.Summary()}"));
        return new(iso, checks);
    }
}
