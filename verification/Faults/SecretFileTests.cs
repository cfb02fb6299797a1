using System.Security.Cryptography;
using FluentAssertions;
using NUnit.Framework;

using Verification.Support;

namespace Verification.Faults;

/// <summary>
/// Secrets at rest (issue 2): files holding secrets are 0600, a key file or passphrase file others can read is
/// refused, and a key given wrongly is refused without being echoed. No host is contacted by a refused run.
/// </summary>
[TestFixture, Order(6)]
public sealed class SecretFileTests
{
    static FaultLab Lab => FaultsRun.Lab;

    [Test]
    public void Every_file_that_holds_a_secret_is_readable_by_its_owner_only()
    {
        var hosts = StateCheck.PathsOf(Stacks.Hosts);
        var lab = StateCheck.PathsOf(Stacks.Lab);
        var files = new List<string>
        {
            hosts.State, hosts.KnownHosts, Path.Combine(hosts.Provider("local"), "id_ecdsa"),
            lab.State, lab.KnownHosts, Lab.LabKeyFile,
        };
        foreach (var host in FaultLab.Hosts)
            files.AddRange([Path.Combine(hosts.Provider("local"), $"{host}.host_key"), Path.Combine(hosts.Provider("local"), $"{host}.seed.tar")]);
        AssertOwnerOnly(files);
        // The generated-keys stack checks keys.json and data.key; a stack that needs no generated key has neither.
        File.Exists(hosts.DataKey).Should().BeFalse("a stack without SAs makes no data key");
        File.Exists(lab.DataKey).Should().BeFalse("a stack whose keys come from its file makes no data key");
        foreach (var dir in new[] { hosts.Dir, lab.Dir })
            File.GetUnixFileMode(dir).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, $"{dir} is the owner's alone");
        FaultLab.Say($"modes: {files.Count} files holding secrets are 0600, state folders 0700");
    }

    public static void AssertOwnerOnly(IReadOnlyList<string> files)
    {
        foreach (var f in files)
        {
            File.Exists(f).Should().BeTrue($"{f} must exist for its mode to be checked");
            File.GetUnixFileMode(f).Should().Be(ThrowAwayProject.OwnerOnly, $"{f} holds a secret");
        }
        Lab.Tally.ModeChecked(files.Count);
    }

    [TestCase("0644", "readable by everyone")]
    [TestCase("0640", "readable by its group")]
    public async Task A_private_key_others_can_read_is_refused_before_any_host_is_contacted(string mode, string why)
    {
        var key = $"faults-badkey-{mode}.id_ecdsa";
        Lab.Project.CopyKey(Lab.ClientKey, key, (UnixFileMode)Convert.ToInt32(mode, 8));
        Lab.Project.WriteSshInventory("faults-badkey", Lab.Proxies.ToDictionary(p => p.Key, p => p.Value.Port), key);
        Lab.Project.WriteStack(Stacks.BadKeyFile, Stacks.NoIpsecYaml("faults-badkey"));
        var accepted = Lab.Proxies.Values.Sum(p => p.Accepted);

        var r = await Lab.Cli.RunAsync(["up", "--stack", Stacks.BadKeyFile, "--yes"]);
        r.ExitCode.Should().Be(2, $"a key file others can read is bad input: {r}");
        r.Output.Should().Contain($"inventory/faults-badkey.yaml:").And.Contain($"hosts.gw-a.ssh.key: {key} is {why}");
        Lab.Proxies.Values.Sum(p => p.Accepted).Should().Be(accepted, "no host may be contacted with a key that is refused");
        Directory.Exists(StateCheck.PathsOf(Stacks.BadKeyFile).Dir).Should().BeFalse("a refused stack records nothing");
        Lab.Tally.BadInput();
    }

    [Test]
    public async Task A_passphrase_file_others_can_read_is_refused_and_the_same_file_at_0600_opens_the_stack()
    {
        var file = Path.Combine(Lab.Project.Dir, "faults.passphrase");
        File.WriteAllText(file, Lab.Passphrase + "\n");
        var env = new Dictionary<string, string?> { ["PULUMI_CONFIG_PASSPHRASE"] = null, ["PULUMI_CONFIG_PASSPHRASE_FILE"] = file };

        File.SetUnixFileMode(file, (UnixFileMode)Convert.ToInt32("0644", 8));
        var open = await Lab.Cli.RunAsync(["preview", "--stack", Stacks.Lab], env: env);
        open.ExitCode.Should().Be(2, $"a world-readable passphrase file is bad input: {open}");
        open.Output.Should().Contain("the passphrase file is readable by everyone");
        Lab.Tally.BadInput();

        File.SetUnixFileMode(file, ThrowAwayProject.OwnerOnly);
        var ok = await Lab.Cli.RunAsync(["preview", "--stack", Stacks.Lab, "--expect-no-changes"], env: env);
        ok.ExitCode.Should().Be(0, $"the same passphrase from a 0600 file opens the stack: {ok}");
        AssertOwnerOnly([file]);
    }

    [Test]
    public async Task A_wrong_passphrase_is_refused_without_echoing_either_passphrase()
    {
        var wrong = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        KeyScrub.Add(wrong);
        var r = await Lab.Cli.RunAsync(["preview", "--stack", Stacks.Lab], env: new Dictionary<string, string?> { ["PULUMI_CONFIG_PASSPHRASE"] = wrong });
        r.ExitCode.Should().Be(2, $"a wrong passphrase is bad input: {r}");
        r.Output.Should().Contain("the passphrase given does not open this stack's secrets");
        r.Output.Should().NotContain(wrong).And.NotContain(Lab.Passphrase);
        Lab.Tally.BadInput();
    }

    [Test]
    public async Task A_key_written_in_clear_is_refused_without_echoing_it()
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        KeyScrub.Add(key);
        var text = File.ReadAllText(Lab.Project.StackFile(Stacks.Lab));
        var clear = System.Text.RegularExpressions.Regex.Replace(text, @"(\n\s+enc: )\{secure: [^}]*\}", $"${{1}}0x{key}", default, TimeSpan.FromSeconds(1));
        clear.Should().NotBe(text, "the lab stack file must hold an encrypted enc key to replace");
        Lab.Project.WriteStack(Stacks.ClearKey, clear);
        try
        {
            var r = await Lab.Cli.RunAsync(["preview", "--stack", Stacks.ClearKey]);
            r.ExitCode.Should().Be(2, $"a key in clear is bad input: {r}");
            r.Output.Should().Contain("must be a secret value");
            r.Output.Should().NotContainEquivalentOf(key, "the refusal must not repeat the key");
            Lab.Tally.BadInput();
        }
        finally
        {
            // The one file here that holds a key in clear, on purpose; it must not outlive the test.
            File.Delete(Lab.Project.StackFile(Stacks.ClearKey));
        }
    }

    [Test]
    public async Task A_secret_key_of_the_wrong_length_is_refused_without_echoing_it()
    {
        File.Copy(Lab.Project.StackFile(Stacks.Lab), Lab.Project.StackFile(Stacks.WrongLength), overwrite: true);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));   // 192 bits where AES-128 wants 128
        KeyScrub.Add(key);
        var set = await Lab.Cli.RunAsync(["config", "set", "--stack", Stacks.WrongLength, "--secret", "ipsec.key.forward.enc"], stdin: "0x" + key + "\n");
        set.ExitCode.Should().Be(0, $"config set stores what it is given: {set}");

        var r = await Lab.Cli.RunAsync(["preview", "--stack", Stacks.WrongLength]);
        r.ExitCode.Should().Be(2, $"a key of the wrong length is bad input: {r}");
        r.Output.Should().Contain("needs a 128-bit key; this one has 192 bits");
        r.Output.Should().NotContainEquivalentOf(key, "the refusal must not repeat the key");
        Lab.Tally.BadInput();
    }
}
