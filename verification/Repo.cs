using Testbed.Config;

namespace Verification;

/// <summary>Where the verification suite's data lives: found from the test assembly, up to the project's Pulumi.yaml.</summary>
public static class Repo
{
    static readonly Lazy<Project> Found = new(() => Project.Find(AppContext.BaseDirectory));

    public static Project Project => Found.Value;

    public static string Verification => Path.Combine(Project.Root, "verification");
    public static string Profiles => Testbed.Measurement.ProfileFile.Folder(Project.Root);
    public static string ThresholdsFile => Path.Combine(Verification, "thresholds.json");
    public static string Results => Path.Combine(Verification, "results");

    public static string BaselineFile(string stack) => Testbed.Measurement.BaselineFile.PathFor(Project.Root, stack);

    public static string ProfileFile(string name) => Testbed.Measurement.ProfileFile.PathFor(Project.Root, name);
}
