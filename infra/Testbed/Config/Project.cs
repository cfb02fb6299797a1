using Testbed.Model;

namespace Testbed.Config;

/// <summary>
/// The project as Pulumi lays it out: <c>Pulumi.yaml</c> at the root names it and points at the stack files
/// (<c>stackConfigDir</c>); hosts live in <c>inventory/</c>.
/// </summary>
public sealed record Project(string Root, string Name, string StackDir)
{
    public string StackFile(string stack) => System.IO.Path.Combine(StackDir, $"Pulumi.{stack}.yaml");

    public string InventoryFile(string name) => System.IO.Path.Combine(Root, "inventory", $"{name}.yaml");

    public string Relative(string path) => System.IO.Path.GetRelativePath(Root, path);

    public IEnumerable<string> Stacks() =>
        Directory.Exists(StackDir)
            ? Directory.GetFiles(StackDir, "Pulumi.*.yaml").Select(f => System.IO.Path.GetFileName(f)[7..^5]).Order()
            : [];

    /// <summary>Finds <c>Pulumi.yaml</c> in <paramref name="start"/> or the nearest folder above it.</summary>
    public static Project Find(string? start = null)
    {
        var dir = new DirectoryInfo(start ?? Environment.GetEnvironmentVariable("TESTBED_ROOT") ?? Directory.GetCurrentDirectory());
        for (var d = dir; d is not null; d = d.Parent)
        {
            var file = System.IO.Path.Combine(d.FullName, "Pulumi.yaml");
            if (File.Exists(file)) return Load(d.FullName, file);
        }
        throw new ConfigException(new ConfigError("Pulumi.yaml", "(file)", $"no Pulumi.yaml in {dir.FullName} or above it; run from the project folder"));
    }

    static Project Load(string root, string file)
    {
        var errors = new ErrorSink();
        var yaml = YamlView.Load(file, "Pulumi.yaml", errors);
        errors.ThrowIfAny();
        var name = yaml!["name"].String(required: true);
        var stackDir = yaml["stackConfigDir"].String() ?? ".";
        if (name is not null && !StackNames.IsValid(name)) yaml["name"].Error("a project name is letters, digits, '-', '_' and '.'");
        errors.ThrowIfAny();
        return new Project(root, name!, System.IO.Path.GetFullPath(System.IO.Path.Combine(root, stackDir)));
    }
}

public static class StackNames
{
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= 40 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
