using FluentAssertions;
using NUnit.Framework;
using Testbed.Config;
using Testbed.Model;

namespace Testbed.Tests.Support;

/// <summary>
/// A throw-away project folder laid out as the repo is: Pulumi.yaml (name ipsec-testbed, stackConfigDir stacks),
/// stacks/ and inventory/ (with the local inventory already in it).
/// </summary>
public sealed class TestProject : IDisposable
{
    public const string StackFile = "stacks/Pulumi.test.yaml";

    public const string LocalInventory = """
        provider: local
        hosts:
          gw-a:
            role: sender
            nic: vec0
            address: 192.0.2.1/24
            site: 10.1.0.0/24
          gw-b:
            role: receiver
            nic: vec0
            address: 192.0.2.2/24
            site: 10.2.0.0/24
        """;

    readonly TempDir _dir = new();

    public string Root => _dir.Path;

    public TestProject()
    {
        File.WriteAllText(Path.Combine(Root, "Pulumi.yaml"), "name: ipsec-testbed\nruntime: dotnet\nstackConfigDir: stacks\n");
        Directory.CreateDirectory(Path.Combine(Root, "stacks"));
        Directory.CreateDirectory(Path.Combine(Root, "inventory"));
        Inventory("local", LocalInventory);
    }

    public Project Project => Project.Find(Root);

    /// <summary>Writes stacks/Pulumi.&lt;name&gt;.yaml.</summary>
    public TestProject Stack(string yaml, string name = "test")
    {
        File.WriteAllText(Path.Combine(Root, "stacks", $"Pulumi.{name}.yaml"), yaml);
        return this;
    }

    /// <summary>A stack whose config is the given lines (each already indented under <c>config:</c>), on the local inventory unless it names another.</summary>
    public TestProject Config(string configLines, string? encryptionSalt = null)
    {
        var text = (encryptionSalt is null ? "" : $"encryptionsalt: {encryptionSalt}\n") + "config:\n";
        if (!configLines.Contains("ipsec-testbed:inventory:")) text += "  ipsec-testbed:inventory: local\n";
        return Stack(text + configLines);
    }

    public TestProject Inventory(string name, string yaml)
    {
        File.WriteAllText(Path.Combine(Root, "inventory", $"{name}.yaml"), yaml);
        return this;
    }

    /// <summary>A file in the project, with a mode (a private key for an ssh inventory, a passphrase file).</summary>
    public string File0600(string relative, string content, UnixFileMode? mode = null)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode ?? (UnixFileMode.UserRead | UnixFileMode.UserWrite));
        return path;
    }

    /// <summary>Loads the stack with a stand-in environment (never the real one): only the variables given.</summary>
    public TestbedSpec Load(string stack = "test", IReadOnlyDictionary<string, string>? env = null) =>
        StackLoader.Load(Project, stack, name => env is not null && env.TryGetValue(name, out var v) ? v : null);

    /// <summary>The errors a load reports; fails the test when it loads.</summary>
    public IReadOnlyList<ConfigError> Errors(string stack = "test", IReadOnlyDictionary<string, string>? env = null)
    {
        try
        {
            Load(stack, env);
        }
        catch (ConfigException e)
        {
            e.Errors.Should().NotBeEmpty();
            e.Message.Should().Contain(e.Errors[0].Message);
            return e.Errors;
        }
        Assert.Fail("the stack loaded, but an error was expected");
        return [];
    }

    /// <summary>Asserts that the load fails with exactly one error, in <paramref name="file"/> at <paramref name="key"/>, and returns it.</summary>
    public ConfigError SingleError(string file, string key, IReadOnlyDictionary<string, string>? env = null)
    {
        var errors = Errors(env: env);
        errors.Should().ContainSingle($"one mistake was made, but the errors were:\n{string.Join("\n", errors)}");
        errors[0].File.Should().Be(file);
        errors[0].Key.Should().Be(key);
        return errors[0];
    }

    public void Dispose() => _dir.Dispose();
}
