using FluentAssertions;
using NUnit.Framework;
using Testbed.Config;
using Testbed.Model;
using Testbed.Tests.Support;

namespace Testbed.Tests.Config;

/// <summary>Stack files: every mistake is a ConfigException naming the file and the key a user would look for.</summary>
public class StackLoaderTests
{
    const string Stack = TestProject.StackFile;
    TestProject _p = null!;

    [SetUp]
    public void SetUp() => _p = new TestProject();

    [TearDown]
    public void TearDown() => _p.Dispose();

    [Test]
    public void A_minimal_stack_loads_with_the_defaults()
    {
        var spec = _p.Config("").Load();
        (spec.Project, spec.Stack, spec.StackFile, spec.InventoryFile).Should().Be(("ipsec-testbed", "test", Stack, "inventory/local.yaml"));
        spec.Provider.Should().Be("local");
        spec.Gateways.Select(g => (g.Name, g.Role, g.Nic, g.Address.ToString(), g.Site.ToString())).Should().Equal(
            ("gw-a", Role.Sender, "vec0", "192.0.2.1/24", "10.1.0.0/24"), ("gw-b", Role.Receiver, "vec0", "192.0.2.2/24", "10.2.0.0/24"));
        spec.Link.Should().Be(Link.Unshaped);
        spec.Kernel.Should().BeEquivalentTo(Tuning.Tuned);
        spec.Nic.Should().BeEquivalentTo(Tuning.TunedNic);
        spec.Mtu.Should().Be(1500);
        spec.Ipsec.Should().BeEquivalentTo(new { Mode = IpsecMode.Tunnel, Protection = Protection.Plain, ReplayWindow = 32, Spis = SpiTable.Default, Keys = KeySource.Generate });
    }

    [Test]
    public void A_full_stack_loads_every_value()
    {
        var spec = _p.Config("""
              ipsec-testbed:link: 100mbit
              ipsec-testbed:profile: stock
              ipsec-testbed:mtu: 9000
              ipsec-testbed:sysctl:
                net.ipv4.tcp_rmem: 4096 87380 4194304
              ipsec-testbed:nic:
                coalesce:
                  rx-usecs: 32
                offload:
                  gso: off
              ipsec-testbed:ipsec:
                mode: transport
                proto: esp+ah
                suite: 3des-md5
                replay-window: 16
                spi: {forward: 0x5001, reverse: 20482}
                ah-spi: {forward: 0x6001, reverse: 0x6002}
                reqid: {forward: 11, reverse: 12}
            """).Load();
        spec.Link.RateMbit.Should().Be(100);
        spec.Mtu.Should().Be(9000);
        spec.Kernel.Name.Should().Be("stock+stack");
        spec.Kernel.Sysctls.Should().BeEquivalentTo(new Dictionary<string, string> { ["net.ipv4.tcp_rmem"] = "4096 87380 4194304" });
        spec.Nic.Coalesce.Should().Equal(new Coalesce("rx-usecs", 32, BestEffort: false));
        spec.Nic.Offload.Should().BeEquivalentTo(new Dictionary<string, bool> { ["gso"] = false });
        spec.Ipsec.Mode.Should().Be(IpsecMode.Transport);
        spec.Ipsec.Protection.Name.Should().Be("esp+ah-3des-md5");
        spec.Ipsec.ReplayWindow.Should().Be(16);
        spec.Ipsec.Spis.Should().Be(new SpiTable(0x5001, 0x5002, 0x6001, 0x6002, 11, 12));
    }

    [Test]
    public void Stack_sysctls_override_the_profile_key_by_key()
    {
        var spec = _p.Config("""
              ipsec-testbed:sysctl:
                net.ipv4.tcp_sack: 0
                net.ipv4.tcp_congestion_control: cubic
            """).Load();
        spec.Kernel.Sysctls.Should().Contain(new KeyValuePair<string, string>("net.ipv4.tcp_sack", "0"))
            .And.Contain(new KeyValuePair<string, string>("net.ipv4.tcp_congestion_control", "cubic"))
            .And.Contain(new KeyValuePair<string, string>("net.ipv4.tcp_rmem", "87380 4194304 4194304"));
        spec.Kernel.Sysctls.Count(s => s.Key == "net.ipv4.tcp_sack").Should().Be(1);
    }

    [Test]
    public void Explicit_coalescing_replaces_the_profiles_and_is_not_best_effort()
    {
        var spec = _p.Config("  ipsec-testbed:nic: {coalesce: {tx-usecs: 128}}\n").Load();
        spec.Nic.Coalesce.Should().BeEquivalentTo(new[] { new Coalesce("rx-usecs", 64, true), new Coalesce("tx-usecs", 128, false) });
    }

    [Test]
    public void Unknown_stack_is_refused_listing_the_stacks()
    {
        _p.Config("");
        var e = FluentActions.Invoking(() => _p.Load("lab")).Should().Throw<ConfigException>().Which.Errors.Single();
        (e.File, e.Key).Should().Be(("stacks/Pulumi.lab.yaml", "(file)"));
        e.Message.Should().Be("no such stack 'lab' (stacks: test)");
    }

    [TestCase("../etc")]
    [TestCase("a b")]
    [TestCase("")]
    public void Bad_stack_name_is_refused(string stack) =>
        FluentActions.Invoking(() => _p.Load(stack)).Should().Throw<ConfigException>().Which.Errors.Single().File.Should().Be("--stack");

    [Test]
    public void Unknown_config_key_is_refused_naming_it() =>
        _p.Config("  ipsec-testbed:mut: 9000\n").SingleError(Stack, "ipsec-testbed:mut").Message.Should().StartWith("unknown key");

    [Test]
    public void Typo_inside_ipsec_is_refused_naming_it() =>
        _p.Config("  ipsec-testbed:ipsec: {proto: esp, suite: aes128-sha1, sutie: x}\n")
            .SingleError(Stack, "ipsec-testbed:ipsec.sutie").Message.Should().StartWith("unknown key (expected one of: mode, proto, suite,");

    [Test]
    public void Key_of_another_project_is_refused() =>
        _p.Config("  aws:region: eu-west-1\n").SingleError(Stack, "aws:region").Message.Should().Contain("this project is 'ipsec-testbed'");

    [Test]
    public void Unknown_top_level_key_is_refused() =>
        _p.Stack("confg:\n  ipsec-testbed:inventory: local\n").Errors().Should().Contain(e => e.Key == "confg" && e.File == Stack);

    [Test]
    public void Missing_inventory_is_required() =>
        _p.Stack("config:\n  ipsec-testbed:mtu: 1500\n").SingleError(Stack, "ipsec-testbed:inventory").Message.Should().Be("is required");

    [Test]
    public void Unknown_inventory_is_refused_naming_the_missing_file() =>
        _p.Config("  ipsec-testbed:inventory: lab\n").SingleError(Stack, "ipsec-testbed:inventory")
            .Message.Should().Be("names inventory 'lab', but inventory/lab.yaml does not exist");

    [Test]
    public void Inventory_name_cannot_leave_the_inventory_folder() =>
        _p.Config("  ipsec-testbed:inventory: ../stacks/Pulumi.test\n").SingleError(Stack, "ipsec-testbed:inventory")
            .Message.Should().Contain("is not an inventory name");

    static readonly string Range = $"{StackLoader.MinMtu}..{StackLoader.MaxMtu}";

    [TestCase("70000", "70000 is out of range {0}")]
    [TestCase("10", "10 is out of range {0}")]
    [TestCase("jumbo", "expected a whole number, got 'jumbo'")]
    public void Bad_mtu_is_refused(string mtu, string message) =>
        _p.Config($"  ipsec-testbed:mtu: {mtu}\n").SingleError(Stack, "ipsec-testbed:mtu").Message.Should().Be(string.Format(message, Range));

    [Test]
    public void Mtu_limits_allow_the_papers_sweep()
    {
        StackLoader.MinMtu.Should().BeLessThanOrEqualTo(1500).And.BeGreaterThanOrEqualTo(68, "IPv4's own minimum (RFC 791)");
        StackLoader.MaxMtu.Should().Be(65535);
        _p.Config("  ipsec-testbed:mtu: 16000\n").Load().Mtu.Should().Be(16000);
    }

    [Test]
    public void Bad_link_is_refused() =>
        _p.Config("  ipsec-testbed:link: 10gbit\n").SingleError(Stack, "ipsec-testbed:link").Message.Should().Contain("10mbit, 100mbit, 1000mbit, unshaped");

    [Test]
    public void Bad_profile_is_refused() =>
        _p.Config("  ipsec-testbed:profile: turbo\n").SingleError(Stack, "ipsec-testbed:profile").Message.Should().Be("'turbo' is not one of: stock, tuned");

    [Test]
    public void Sysctl_key_with_shell_metacharacters_is_refused() =>
        _p.Config("  ipsec-testbed:sysctl:\n    \"net.ipv4.tcp_rmem;reboot\": 1\n")
            .SingleError(Stack, "ipsec-testbed:sysctl.net.ipv4.tcp_rmem;reboot").Message.Should().Contain("is not a sysctl name");

    [TestCase("4096 $(reboot)")]
    [TestCase("1; reboot")]
    [TestCase("`id`")]
    public void Sysctl_value_with_shell_metacharacters_is_refused(string value) =>
        _p.Config($"  ipsec-testbed:sysctl:\n    net.ipv4.tcp_rmem: \"{value}\"\n")
            .SingleError(Stack, "ipsec-testbed:sysctl.net.ipv4.tcp_rmem").Message.Should().Contain("is not a sysctl value");

    [Test]
    public void Unknown_coalesce_param_and_offload_feature_are_refused()
    {
        var errors = _p.Config("  ipsec-testbed:nic:\n    coalesce: {rx-usec: 5}\n    offload: {tso: maybe, turbo: on}\n").Errors();
        errors.Select(e => e.Key).Should().BeEquivalentTo(
            "ipsec-testbed:nic.coalesce.rx-usec", "ipsec-testbed:nic.offload.tso", "ipsec-testbed:nic.offload.turbo");
        errors.Single(e => e.Key.EndsWith("tso")).Message.Should().Be("expected on or off, got 'maybe'");
    }

    [Test]
    public void Unknown_suite_is_refused_listing_the_known_ones()
    {
        var e = _p.Config("  ipsec-testbed:ipsec: {proto: esp, suite: aes128-sha3}\n").SingleError(Stack, "ipsec-testbed:ipsec.suite");
        e.Message.Should().StartWith("unknown suite 'aes128-sha3' (known: md5, sha1, des,").And.Contain("chacha20poly1305");
    }

    [Test]
    public void A_proto_without_a_suite_is_refused() =>
        _p.Config("  ipsec-testbed:ipsec: {proto: esp}\n").SingleError(Stack, "ipsec-testbed:ipsec.suite").Message.Should().Be("is required");

    [Test]
    public void Ah_with_an_encrypting_suite_is_refused() =>
        _p.Config("  ipsec-testbed:ipsec: {proto: ah, suite: aes128-sha1}\n").SingleError(Stack, "ipsec-testbed:ipsec.suite")
            .Message.Should().Be("AH only authenticates; suite aes128-sha1 encrypts (use proto esp)");

    [Test]
    public void Esp_ah_with_an_aead_suite_is_refused() =>
        _p.Config("  ipsec-testbed:ipsec: {proto: esp+ah, suite: aes128gcm16}\n").SingleError(Stack, "ipsec-testbed:ipsec.suite")
            .Message.Should().Contain("aes128gcm16 is an AEAD (use proto esp)");

    [Test]
    public void Esp_with_a_mac_only_suite_is_refused() =>
        _p.Config("  ipsec-testbed:ipsec: {proto: esp, suite: sha1}\n").SingleError(Stack, "ipsec-testbed:ipsec.suite")
            .Message.Should().Contain("(use proto ah)");

    [TestCase("mode: beet", "ipsec-testbed:ipsec.mode", "'beet' is not one of: tunnel, transport")]
    [TestCase("proto: gre", "ipsec-testbed:ipsec.proto", "'gre' is not one of: none, ah, esp, esp+ah")]
    [TestCase("keys: ask", "ipsec-testbed:ipsec.keys", "'ask' is not one of: generate, stack")]
    public void Bad_ipsec_word_is_refused(string entry, string key, string message) =>
        _p.Config($"  ipsec-testbed:ipsec: {{{entry}}}\n").SingleError(Stack, key).Message.Should().Be(message);

    [TestCase("33", "33 is out of range 0..32")]
    [TestCase("-1", "-1 is out of range 0..32")]
    public void Replay_window_above_32_is_refused(string window, string message) =>
        _p.Config($"  ipsec-testbed:ipsec: {{proto: esp, suite: aes128-sha1, replay-window: {window}}}\n")
            .SingleError(Stack, "ipsec-testbed:ipsec.replay-window").Message.Should().Be(message);

    [Test]
    public void Duplicate_spi_is_refused_naming_both_keys() =>
        _p.Config("  ipsec-testbed:ipsec: {proto: esp, suite: aes128-sha1, spi: {forward: 0x5001, reverse: 0x5001}}\n")
            .SingleError(Stack, "ipsec-testbed:ipsec.spi.reverse").Message.Should().Be("duplicate SPI 0x00005001: also used by spi.forward");

    [Test]
    public void Same_reqid_for_both_directions_is_refused() =>
        _p.Config("  ipsec-testbed:ipsec: {proto: esp, suite: aes128-sha1, reqid: {forward: 3, reverse: 3}}\n")
            .SingleError(Stack, "ipsec-testbed:ipsec.reqid.reverse").Message.Should().Contain("each needs its own");

    [TestCase("spi: {forward: 255}", "ipsec-testbed:ipsec.spi.forward", "255 is below 256 (values under 256 are reserved)")]
    [TestCase("spi: {forward: 0x1ffffffff}", "ipsec-testbed:ipsec.spi.forward", "expected a number (decimal or 0x hex) up to 0xffffffff, got '0x1ffffffff'")]
    [TestCase("reqid: {forward: 0}", "ipsec-testbed:ipsec.reqid.forward", "0 is below 1 (values under 1 are reserved)")]
    [TestCase("spi: {fwd: 0x5001}", "ipsec-testbed:ipsec.spi.fwd", "unknown key (expected one of: forward, reverse)")]
    public void Bad_spi_or_reqid_is_refused(string entry, string key, string message) =>
        _p.Config($"  ipsec-testbed:ipsec: {{proto: esp, suite: aes128-sha1, {entry}}}\n").SingleError(Stack, key).Message.Should().Be(message);

    [Test]
    public void Every_mistake_of_a_file_is_reported_at_once()
    {
        var errors = _p.Config("  ipsec-testbed:mtu: 10\n  ipsec-testbed:link: 5mbit\n  ipsec-testbed:ipsec: {proto: ah, suite: des}\n").Errors();
        errors.Select(e => e.Key).Should().BeEquivalentTo("ipsec-testbed:mtu", "ipsec-testbed:link", "ipsec-testbed:ipsec.suite");
    }

    [Test]
    public void Errors_carry_the_line_of_the_value()
    {
        var e = _p.Config("  ipsec-testbed:link: unshaped\n  ipsec-testbed:mtu: 70000\n").SingleError(Stack, "ipsec-testbed:mtu");
        e.Line.Should().Be(4);
        e.ToString().Should().Be($"{Stack}:4: ipsec-testbed:mtu: 70000 is out of range {Range}");
    }
}
