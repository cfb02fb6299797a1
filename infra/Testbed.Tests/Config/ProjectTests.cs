using FluentAssertions;
using NUnit.Framework;
using Testbed.Config;
using Testbed.Model;
using Testbed.Tests.Support;

namespace Testbed.Tests.Config;

public class ProjectTests
{
    [Test]
    public void Find_walks_up_to_the_nearest_pulumi_yaml()
    {
        using var p = new TestProject();
        var deep = Directory.CreateDirectory(Path.Combine(p.Root, "infra", "Testbed")).FullName;
        var project = Project.Find(deep);
        project.Root.Should().Be(p.Root);
        project.Name.Should().Be("ipsec-testbed");
        project.StackDir.Should().Be(Path.Combine(p.Root, "stacks"));
        project.StackFile("local").Should().Be(Path.Combine(p.Root, "stacks", "Pulumi.local.yaml"));
        project.InventoryFile("lab").Should().Be(Path.Combine(p.Root, "inventory", "lab.yaml"));
        project.Relative(project.StackFile("local")).Should().Be("stacks/Pulumi.local.yaml");
    }

    [Test]
    public void Stacks_lists_the_stack_files_by_name()
    {
        using var p = new TestProject();
        p.Stack("config: {}\n", "b").Stack("config: {}\n", "a");
        p.Project.Stacks().Should().Equal("a", "b");
    }

    [Test]
    public void No_pulumi_yaml_is_a_config_error()
    {
        using var dir = new TempDir();
        FluentActions.Invoking(() => Project.Find(dir.Path)).Should().Throw<ConfigException>()
            .Which.Errors.Single().Should().Match<ConfigError>(e => e.File == "Pulumi.yaml" && e.Key == "(file)");
    }

    [TestCase("name: \"my project\"\n", "name")]
    [TestCase("runtime: dotnet\n", "name")]
    public void A_bad_project_name_is_a_config_error(string yaml, string key)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("Pulumi.yaml"), yaml);
        FluentActions.Invoking(() => Project.Find(dir.Path)).Should().Throw<ConfigException>().Which.Errors.Single().Key.Should().Be(key);
    }

    [TestCase("local", true)]
    [TestCase("lab-2.b_c", true)]
    [TestCase("-x", false)]
    [TestCase("a/b", false)]
    [TestCase("", false)]
    public void Stack_names(string name, bool valid) => StackNames.IsValid(name).Should().Be(valid);

    /// <summary>The repo's own stacks load as they are checked in (the local stack generates its keys: no passphrase needed).</summary>
    [Test]
    public void The_repos_local_stack_and_inventory_load()
    {
        var project = Project.Find(TestContext.CurrentContext.TestDirectory);
        project.Name.Should().Be("ipsec-testbed");
        File.Exists(Path.Combine(project.Root, "README.md")).Should().BeTrue("Find must have reached the repo root");
        var spec = StackLoader.Load(project, "local", _ => null);
        spec.Provider.Should().Be("local");
        spec.InventoryFile.Should().Be("inventory/local.yaml");
        spec.Gateways.Select(g => g.Name).Should().Equal("gw-a", "gw-b");
        spec.Sender.Name.Should().Be("gw-a");
        spec.Ipsec.Keys.Should().Be(KeySource.Generate);
        spec.Ipsec.Protection.Problem.Should().BeNull();
    }

    /// <summary>
    /// Every checked-in stack that needs no passphrase (no secure: values) loads; a lab stack may lack only its SSH
    /// key files, which exist on the lab's CI runner alone (stacks/Pulumi.lab.yaml is such an example).
    /// </summary>
    [Test]
    public void Every_stack_in_the_repo_loads()
    {
        var project = Project.Find(TestContext.CurrentContext.TestDirectory);
        project.Stacks().Should().Contain("local");
        foreach (var stack in project.Stacks().Where(s => !File.ReadAllText(project.StackFile(s)).Contains("secure:")))
        {
            try
            {
                StackLoader.Load(project, stack, _ => null);
            }
            catch (ConfigException e)
            {
                e.Errors.Should().OnlyContain(x => x.Key.EndsWith(".ssh.key") && x.Message.EndsWith(": no such file"), stack);
            }
        }
    }
}
