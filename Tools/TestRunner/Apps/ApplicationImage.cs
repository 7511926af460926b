namespace Cosmos.TestRunner.Apps;

/// <summary>
/// What building an application image gave: the ISO to boot (null when the build failed), the checks made on the way,
/// and what the boot adds to its spec: words for the kernel command line (the program's arguments, say) and lines its
/// log must show (learnt while building: the same program's transcript on .NET, say).
/// </summary>
public sealed record BuiltImage(string? IsoPath, List<(string Name, bool Passed, string Detail)> Checks,
    string? KernelArguments = null, IReadOnlyList<LogExpectation>? Expectations = null);

/// <summary>
/// A boot of an application image instead of the repository's kernel: the runner first makes the image the way a user
/// would (<see cref="Build"/>: from the template, or a sample's project), then boots it like any other configuration.
/// </summary>
/// <param name="Build">(where and how, cancel) -> the image and the checks of its making.</param>
public sealed record ApplicationImage(string Name, Func<ApplicationBuild, CancellationToken, Task<BuiltImage>> Build);

/// <summary>Where an application image is made: the repository (template, feed, samples), a fresh working folder, and the accelerator the run uses.</summary>
public sealed record ApplicationBuild(string RepoRoot, string WorkDirectory, string Accelerator);
