using Testbed.Model;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Config;
using Testbed.Cli.Verbs;
using Testbed.Engine;
using Testbed.Providers;
using Testbed.Resources;
using Testbed.Tests.Support;
using Testbed.Transport;

namespace Testbed.Tests;

/// <summary>
/// Bugs found while the unit tests were written, each kept as the test that showed it, so that none comes back.
/// </summary>
public class ReviewRegressionTests
{
    // Resources/Package.cs, Shaper.Parse: tc prints 1000mbit as "1Gbit", so a 1000mbit link never reads back as desired
    // ("1000Mbit"): preview always shows an update, refresh always reports drift, up --expect-no-changes fails.
    [Test]
    public void Shaper_at_1000mbit_reads_back_as_desired_from_real_tc_output()
    {
        var tbf = new Shaper { Host = "wire", Dev = "veth-a", RateMbit = 1000, Mtu = 1500 };
        tbf.Parse(Fixture.Read("captured/host-tc-tbf-1000mbit.txt")).Value.Should().Be(tbf.Desired);
    }

    // Resources/Sysctl.cs, ReadScript: dash (Debian's /bin/sh, and the login shell useradd gives new users) reads
    // byte by byte, and procfs integer sysctls return EOF at any offset but 0, so `read -r v` gets only the first
    // character: tcp_rmem reads as "4". Under such a login shell every multi-digit sysctl drifts forever, and the
    // first up records "4" as the original value, which destroy then writes back.
    [Test]
    public void Sysctl_read_script_reads_the_whole_value_under_dash()
    {
        var rmem = new Sysctl { Host = "h", Key = "net.ipv4.tcp_rmem", Value = "87380 4194304 4194304" };
        var (stdout, _) = Shell.Run(rmem.ReadScript, "/bin/sh");
        rmem.Parse(stdout).Value.Should().Be(Fields.Scalar(Sysctl.Normalize(File.ReadAllText("/proc/sys/net/ipv4/tcp_rmem"))));
    }

    // Config/SecretValues.cs + Secrets/PassphraseCrypter.Open: a malformed encryptionsalt throws FormatException out
    // of StackLoader.Load (and past Verb.Guard: a stack trace) instead of a ConfigError naming the file and key.
    [Test]
    public void Malformed_encryptionsalt_is_a_config_error_naming_encryptionsalt()
    {
        using var p = new TestProject();
        var crypter = Testbed.Secrets.PassphraseCrypter.FromKey(new byte[32]);
        p.Config($"  ipsec-testbed:ipsec:\n    proto: esp\n    suite: des\n    keys: stack\n    key:\n" +
                 $"      forward: {{enc: {{secure: \"{crypter.Encrypt("0x0123456789abcdef")}\"}}}}\n" +
                 $"      reverse: {{enc: {{secure: \"{crypter.Encrypt("0xfedcba9876543210")}\"}}}}\n", encryptionSalt: "not-a-salt");
        FluentActions.Invoking(() => p.Load(env: new Dictionary<string, string> { ["PULUMI_CONFIG_PASSPHRASE"] = "x" }))
            .Should().Throw<ConfigException>().Which.Errors.Should().Contain(e => e.File == TestProject.StackFile);
    }

    // Config/YamlView.cs, Load: catches only YamlException, but YamlDotNet 16.3 throws InvalidOperationException for an
    // unclosed flow sequence followed by more keys; the CLI crashes with a stack trace instead of naming file and line.
    [Test]
    public void An_unclosed_list_is_a_syntax_error_not_a_crash()
    {
        using var p = new TestProject();
        p.Stack("config:\n  ipsec-testbed:inventory: local\n  ipsec-testbed:sysctl: [1, 2\n  ipsec-testbed:mtu: 1500\n");
        FluentActions.Invoking(() => p.Load()).Should().Throw<ConfigException>()
            .Which.Errors.Should().ContainSingle(e => e.File == TestProject.StackFile && e.Key == "(syntax)");
    }

    // Config/StackLoader.cs, ReadKeys: the plaintext-key error tells the user to run `testbed config set --secret …`,
    // but the CLI has no config verb (Program.cs: up, preview, refresh, destroy, status, ssh). There is no way to
    // make a secret value with the tool at all.
    [Test]
    public void Plaintext_key_error_names_a_command_that_exists()
    {
        using var p = new TestProject();
        p.Config("  ipsec-testbed:ipsec:\n    proto: esp\n    suite: des\n    keys: stack\n    key:\n" +
                 "      forward: {enc: \"0x0123456789abcdef\"}\n      reverse: {enc: \"0xfedcba9876543210\"}\n");
        var message = p.Errors()[0].Message;
        var verbs = new[] { "up", "preview", "refresh", "destroy", "status", "ssh", "config" };
        var suggested = message.Split("testbed ").Skip(1).Select(s => s.Split(' ')[0]);
        suggested.Should().OnlyContain(v => verbs.Contains(v), message);
    }

    // Resources/Package.cs, Apply: the fallback message `echo 'no apt-get or dnf to install {PackageName} with'` puts the
    // name inside single quotes unescaped; a name from a tampered state file (Rehydrate) closes the quote and runs.
    [Test]
    public void Package_apply_keeps_the_package_name_quoted_everywhere()
    {
        var p = new Package { Host = "h", PackageName = "x';PWNED;'", Command = "x" };
        Shell.Unquoted(p.Apply(Reading.Absent).Script).Should().NotContain("PWNED");
    }

    // Config/StackLoader.cs, ReadSpis: a clash is reported on the last key of a fixed order, even when that key is a
    // default the user never wrote (here ah-spi.forward, which has no line), and AH SPIs are checked even with
    // proto esp, which never uses them.
    [Test]
    public void Duplicate_spi_error_names_the_key_the_user_wrote()
    {
        using var p = new TestProject();
        p.Config("  ipsec-testbed:ipsec: {proto: esp+ah, suite: aes128-sha1, spi: {forward: 0x2001}}\n");
        p.Errors().Should().ContainSingle().Which.Key.Should().Be("ipsec-testbed:ipsec.spi.forward");
    }

    [Test]
    public void Esp_stack_may_use_an_spi_that_only_an_unused_ah_default_has()
    {
        using var p = new TestProject();
        p.Config("  ipsec-testbed:ipsec: {proto: esp, suite: aes128-sha1, spi: {forward: 0x2001}}\n");
        FluentActions.Invoking(() => p.Load()).Should().NotThrow();
    }

    // Engine/Applier.cs, ApplyAsync: shells[h] for every host of the plan. A state record for a host the inventory no
    // longer has (renamed or removed) is planned as "delete, host not running", and up/destroy then die with
    // KeyNotFoundException (not caught by Verb.Guard). Even without the crash the record would be dropped unrestored.
    [Test]
    public async Task A_state_record_for_a_host_no_longer_in_the_stack_does_not_crash_the_applier()
    {
        using var dir = new TempDir();
        var paths = new StackPaths(dir.Path);
        var store = new StateStore(paths);
        var sack = new Sysctl { Host = "gw-old", Key = "net.ipv4.tcp_sack", Value = "1" };
        var state = new StackState
        {
            Project = "ipsec-testbed", Stack = "test",
            Resources = [new ResourceRecord { Urn = sack.Urn, Host = "gw-old", Kind = ResourceKind.Sysctl, Identity = new() { ["key"] = sack.Key },
                Original = Fields.Scalar("0"), Applied = Fields.Scalar("1"), Status = RecordStatus.Applied }],
        };
        var plan = Planner.Plan([], state, new Dictionary<string, Reading>());
        plan.Steps.Should().ContainSingle().Which.Note.Should().Be("host not running");
        await FluentActions.Awaiting(() => new Applier(store, state, new RecordingReporter())
                .ApplyAsync(plan, new Dictionary<string, IHostShell>(), CancellationToken.None))
            .Should().NotThrowAsync();
    }

    // Cli/Verbs/RefreshVerb.cs, Find: readings[rec.Host] for every record of a host not reported down. A record for a
    // host the inventory no longer has has no reading, and refresh died with KeyNotFoundException (not caught by Verb.Guard).
    [Test]
    public void Refresh_reports_a_host_no_longer_in_the_inventory_instead_of_crashing()
    {
        var sack = new Sysctl { Host = "gw-old", Key = "net.ipv4.tcp_sack", Value = "1" };
        var state = new StackState
        {
            Project = "ipsec-testbed", Stack = "test",
            Resources = [new ResourceRecord { Urn = sack.Urn, Host = "gw-old", Kind = ResourceKind.Sysctl, Identity = new() { ["key"] = sack.Key },
                Original = Fields.Scalar("0"), Applied = Fields.Scalar("1"), Status = RecordStatus.Applied }],
        };
        var topology = new Topology([], [], new Dictionary<string, IHostShell>(), []);
        var drift = DriftDetector.Find(state, topology, new Dictionary<string, HostReading>());
        drift.Should().ContainSingle().Which.Why.Should().Be("gw-old is no longer in the inventory; its settings stay recorded");
    }

    // Resources/Package.cs (Shaper.Restore): a tbf that was there before (at another rate) is "restored" by doing
    // nothing, so destroy leaves the stack's rate in place instead of putting the host back as found.
    [Test]
    public void Shaper_restore_puts_back_an_original_tbf_rate()
    {
        var tbf = new Shaper { Host = "wire", Dev = "veth-a", RateMbit = 100, Mtu = 1500 };
        tbf.Restore(Fields.Of(("qdisc", "tbf"), ("rate", "10Mbit"))).Script.Should().Contain("rate 10");
    }
}
