using Testbed.Config;

namespace Verification;

/// <summary>
/// Where the verification suite's data lives: found from the test assembly, up to the project's Pulumi.yaml; or, with
/// <c>TESTBED_ROOT</c>, another project laid out the same way (a lab's own stacks, inventories, baselines and results,
/// as the lab stand-in runs the suite).
/// </summary>
public static class Repo
{
    static readonly Lazy<Project> Found = new(() =>
        Project.Find(Environment.GetEnvironmentVariable("TESTBED_ROOT") is { Length: > 0 } root ? root : AppContext.BaseDirectory));

    public static Project Project => Found.Value;

    /// <summary>This repository, where the suite's sources are (whatever <c>TESTBED_ROOT</c> says).</summary>
    public static string SourceRoot => Project.Find(AppContext.BaseDirectory).Root;

    public static string Verification => Path.Combine(Project.Root, "verification");
    public static string Profiles => Testbed.Measurement.ProfileFile.Folder(Project.Root);
    public static string ThresholdsFile => Path.Combine(Verification, "thresholds.json");
    public static string Results => Path.Combine(Verification, "results");

    public static string BaselineFile(string stack) => Testbed.Measurement.BaselineFile.PathFor(Project.Root, stack);

    public static string ProfileFile(string name) => Testbed.Measurement.ProfileFile.PathFor(Project.Root, name);
}
