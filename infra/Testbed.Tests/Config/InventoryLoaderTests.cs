using FluentAssertions;
using NUnit.Framework;
using Testbed.Config;
using Testbed.Model;
using Testbed.Tests.Support;

namespace Testbed.Tests.Config;

/// <summary>Inventories: the two gateways. Mistakes name inventory/&lt;name&gt;.yaml and the host's key.</summary>
public class InventoryLoaderTests
{
    const string Lab = "inventory/lab.yaml";
    TestProject _p = null!;
    string _key = null!;

    [SetUp]
    public void SetUp()
    {
        _p = new TestProject();
        _p.Config("  ipsec-testbed:inventory: lab\n");
        // An absolute path: the test is about the key's mode, not about which folder a relative path starts from.
        _key = _p.File0600("keys/id_lab", "-----BEGIN OPENSSH PRIVATE KEY-----\n");
    }

    [TearDown]
    public void TearDown() => _p.Dispose();

    /// <summary>A valid ssh inventory, with one line of gw-a replaced or added (<paramref name="gwA"/>) or whole hosts swapped.</summary>
    string SshInventory(string gwA = "", string? gwB = null, string provider = "ssh") => $"""
        provider: {provider}
        hosts:
          gw-a:
            role: sender
            ssh: {"{"}host: 198.51.100.10, port: 2222, user: tester, key: {_key}{"}"}
            nic: eth1
            address: 192.0.2.1/24
            site: 10.1.0.0/24
        {gwA}
        {gwB ?? $"""
          gw-b:
            role: receiver
            ssh: {"{"}host: lab-b.example.net, key: {_key}{"}"}
            nic: eth1
            address: 192.0.2.2/24
            site: 10.2.0.0/24
        """}
        """;

    /// <summary>Builds the inventory text from host blocks, each given as the lines under the host name.</summary>
    static string Hosts(params (string Name, string Body)[] hosts) =>
        "provider: local\nhosts:\n" + string.Concat(hosts.Select(h => $"  {h.Name}:\n" + string.Concat(h.Body.Split('\n').Select(l => $"    {l}\n"))));

    const string A = "role: sender\nnic: vec0\naddress: 192.0.2.1/24\nsite: 10.1.0.0/24";
    const string B = "role: receiver\nnic: vec0\naddress: 192.0.2.2/24\nsite: 10.2.0.0/24";

    ConfigError Single(string inventory, string key)
    {
        _p.Inventory("lab", inventory);
        return _p.SingleError(Lab, key);
    }

    [Test]
    public void A_valid_ssh_inventory_loads_with_its_endpoints()
    {
        _p.Inventory("lab", SshInventory());
        var spec = _p.Load();
        spec.Provider.Should().Be("ssh");
        spec.InventoryFile.Should().Be(Lab);
        spec.Host("gw-a")!.Ssh.Should().Be(new SshEndpoint("198.51.100.10", 2222, "tester", _key));
        spec.Host("gw-b")!.Ssh.Should().Be(new SshEndpoint("lab-b.example.net", 22, "root", _key), "port 22 and user root are the defaults");
        spec.Host("gw-a")!.Nic.Should().Be("eth1");
    }

    [Test]
    public void Lab_hosts_are_dedicated_unless_the_inventory_says_they_share_their_hardware()
    {
        _p.Inventory("lab", SshInventory());
        _p.Load().SharedHardware.Should().BeFalse();
        _p.Inventory("lab", "hardware: shared\n" + SshInventory());
        _p.Load().SharedHardware.Should().BeTrue();
        Single("hardware: cloud\n" + SshInventory(), "hardware").Message.Should().Be("'cloud' is not one of: dedicated, shared");
    }

    [Test]
    public void The_local_testbed_takes_no_hardware_key_its_guests_share_this_machine() =>
        Single("hardware: dedicated\n" + Hosts(("gw-a", A), ("gw-b", B)), "hardware")
            .Message.Should().Be("the local provider's gateways share this machine; hardware: is for hosts that exist (provider ssh)");

    [Test]
    public void The_local_guests_wire_nic_moves_one_frame_per_call_unless_the_inventory_says_vector()
    {
        _p.Inventory("lab", Hosts(("gw-a", A), ("gw-b", B)));
        _p.Load().WireIo.Should().Be(WireIo.Packet);
        _p.Inventory("lab", Hosts(("gw-a", A), ("gw-b", B)).Replace("provider: local\n", "provider: local\nwire-io: vector\n"));
        _p.Load().WireIo.Should().Be(WireIo.Vector);
        Single(Hosts(("gw-a", A), ("gw-b", B)).Replace("provider: local\n", "provider: local\nwire-io: tap\n"), "wire-io")
            .Message.Should().Be("'tap' is not one of: packet, vector");
    }

    [Test]
    public void A_lab_inventory_takes_no_wire_io_its_nics_are_the_labs() =>
        Single("wire-io: vector\n" + SshInventory(), "wire-io")
            .Message.Should().Be("is how the local guests' wire NIC moves frames; provider ssh's hosts bring NICs of their own");

    [Test]
    public void Unknown_provider_is_refused() =>
        Single(Hosts(("gw-a", A), ("gw-b", B)).Replace("provider: local", "provider: docker"), "provider")
            .Message.Should().Be("'docker' is not one of: local, ssh");

    [TestCase(1)]
    [TestCase(3)]
    public void An_inventory_must_have_exactly_two_hosts(int count)
    {
        var hosts = new[] { ("gw-a", A), ("gw-b", B), ("gw-c", B.Replace("192.0.2.2", "192.0.2.3").Replace("10.2.0.0", "10.3.0.0")) };
        Single(Hosts(hosts.Take(count).ToArray()), "hosts").Message.Should().Be($"lists {count} hosts; a testbed has exactly two gateways");
    }

    [Test]
    public void Missing_hosts_are_required() =>
        Single("provider: local\n", "hosts").Message.Should().Be("is required: the two gateways");

    /// <summary>gw-b with <paramref name="was"/> written as <paramref name="now"/>: a pair that cannot make one testbed.</summary>
    [TestCase("receiver", "sender", "both hosts have role sender; one must be sender, one receiver", TestName = "Two_senders_are_refused")]
    [TestCase("192.0.2.2/24", "198.51.100.2/24", "gw-a (192.0.2.1/24) and gw-b (198.51.100.2/24) must share the link's subnet",
        TestName = "Link_addresses_in_different_subnets_are_refused")]
    [TestCase("192.0.2.2", "192.0.2.1", "gw-a and gw-b have the same address 192.0.2.1", TestName = "The_same_link_address_twice_is_refused")]
    [TestCase("10.2.0.0/24", "10.1.0.0/16", "the sites 10.1.0.0/24 and 10.1.0.0/16 overlap", TestName = "Overlapping_sites_are_refused")]
    public void A_mismatched_pair_is_refused(string was, string now, string message) =>
        Single(Hosts(("gw-a", A), ("gw-b", B.Replace(was, now))), "hosts").Message.Should().Be(message);

    [Test]
    public void A_link_address_inside_a_site_is_refused()
    {
        _p.Inventory("lab", Hosts(("gw-a", A), ("gw-b", B.Replace("10.2.0.0/24", "192.0.2.0/24"))));
        _p.Errors().Should().Contain(new ConfigError(Lab, "hosts", "gw-a's link address 192.0.2.1 lies inside gw-b's site 192.0.2.0/24", 3))
            .And.Contain(new ConfigError(Lab, "hosts", "gw-b's link address 192.0.2.2 lies inside gw-b's site 192.0.2.0/24", 3));
    }

    [Test]
    public void Bad_interface_name_is_refused() =>
        Single(Hosts(("gw-a", A.Replace("nic: vec0", "nic: \"eth0; rm -rf /\"")), ("gw-b", B)), "hosts.gw-a.nic")
            .Message.Should().Be("'eth0; rm -rf /' is not an interface name");

    [TestCase("eth0", true)]
    [TestCase("enp3s0f1", true)]
    [TestCase("vlan.100", true)]
    [TestCase("a234567890123456", false)]   // 16 characters: longer than IFNAMSIZ allows
    [TestCase("eth 0", false)]
    [TestCase("eth/0", false)]
    [TestCase("-eth0", false)]
    [TestCase("$(id)", false)]
    public void Interface_names_are_what_the_kernel_allows(string name, bool valid) =>
        Testbed.Resources.Ifname.IsValid(name).Should().Be(valid);

    [TestCase("address: 192.0.2.1", "hosts.gw-a.address", "'192.0.2.1' is not an IPv4 address with a prefix, like 192.0.2.1/24")]
    [TestCase("site: 10.1.0.0/31", "hosts.gw-a.site", "'10.1.0.0/31' is not an IPv4 subnet (prefix 8..30, host bits zero), like 10.1.0.0/24")]
    [TestCase("site: 10.1.0.5/24", "hosts.gw-a.site", "'10.1.0.5/24' is not an IPv4 subnet (prefix 8..30, host bits zero), like 10.1.0.0/24")]
    [TestCase("role: client", "hosts.gw-a.role", "'client' is not one of: sender, receiver")]
    public void Bad_host_value_is_refused(string replacement, string key, string message)
    {
        var field = replacement.Split(':')[0];
        var body = string.Join("\n", A.Split('\n').Select(l => l.StartsWith(field + ":") ? replacement : l));
        Single(Hosts(("gw-a", body), ("gw-b", B)), key).Message.Should().Be(message);
    }

    [Test]
    public void Missing_host_values_are_each_required()
    {
        _p.Inventory("lab", Hosts(("gw-a", "role: sender"), ("gw-b", B)));
        _p.Errors().Where(e => e.File == Lab).Select(e => (e.Key, e.Message)).Should().BeEquivalentTo(new[]
        {
            ("hosts.gw-a.nic", "is required"), ("hosts.gw-a.address", "is required"), ("hosts.gw-a.site", "is required"),
        });
    }

    [Test]
    public void Bad_host_name_is_refused() =>
        Single(Hosts(("GW_A", A), ("gw-b", B)), "hosts.GW_A").Message.Should().StartWith("a host name is lower-case letters");

    [Test]
    public void Unknown_host_key_is_refused() =>
        Single(Hosts(("gw-a", A + "\nmac: 00:11:22:33:44:55"), ("gw-b", B)), "hosts.gw-a.mac").Message.Should().StartWith("unknown key");

    [Test]
    public void Local_hosts_take_no_ssh_key() =>
        Single(Hosts(("gw-a", A + "\nssh: {host: x}"), ("gw-b", B)), "hosts.gw-a.ssh").Message.Should().Contain("remove this key");

    [Test]
    public void Ssh_hosts_need_ssh() =>
        Single(SshInventory(gwB: "  gw-b:\n    role: receiver\n    nic: eth1\n    address: 192.0.2.2/24\n    site: 10.2.0.0/24"), "hosts.gw-b.ssh")
            .Message.Should().Be("is required for provider ssh: host, port, user, key");

    [Test]
    public void A_private_key_readable_by_everyone_is_refused()
    {
        File.SetUnixFileMode(_key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        _p.Inventory("lab", SshInventory());
        var errors = _p.Errors();
        errors.Select(e => (e.File, e.Key)).Should().BeEquivalentTo(new[] { (Lab, "hosts.gw-a.ssh.key"), (Lab, "hosts.gw-b.ssh.key") });
        errors[0].Message.Should().Be($"{_key} is readable by everyone; a private key must be readable by its owner only (chmod 600)");
    }

    [Test]
    public void A_private_key_readable_by_its_group_is_refused()
    {
        File.SetUnixFileMode(_key, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        _p.Inventory("lab", SshInventory());
        _p.Errors().Should().Contain(e => e.Key == "hosts.gw-a.ssh.key" && e.Message.Contains("readable by its group"));
    }

    [Test]
    public void A_missing_private_key_is_refused()
    {
        var missing = Path.Combine(_p.Root, "keys", "nope");
        _p.Inventory("lab", SshInventory().Replace($"user: tester, key: {_key}", $"user: tester, key: {missing}"));
        _p.SingleError(Lab, "hosts.gw-a.ssh.key").Message.Should().Be($"{missing}: no such file");
    }

    [TestCase("port: 70000", "hosts.gw-a.ssh.port", "70000 is out of range 1..65535")]
    [TestCase("port: 0", "hosts.gw-a.ssh.port", "0 is out of range 1..65535")]
    [TestCase("port: ssh", "hosts.gw-a.ssh.port", "expected a whole number, got 'ssh'")]
    [TestCase("host: \"a;b\"", "hosts.gw-a.ssh.host", "'a;b' is not a host name or address")]
    [TestCase("user: \"root;id\"", "hosts.gw-a.ssh.user", "'root;id' is not a user name")]
    [TestCase("proxy: jump", "hosts.gw-a.ssh.proxy", "unknown key (expected one of: host, port, user, key)")]
    public void Bad_ssh_value_is_refused(string entry, string key, string message)
    {
        var field = entry.Split(':')[0];
        var ssh = field switch
        {
            "port" => $"{{host: 198.51.100.10, {entry}, user: tester, key: {_key}}}",
            "host" => $"{{{entry}, port: 2222, user: tester, key: {_key}}}",
            "user" => $"{{host: 198.51.100.10, port: 2222, {entry}, key: {_key}}}",
            _ => $"{{host: 198.51.100.10, port: 2222, user: tester, key: {_key}, {entry}}}",
        };
        _p.Inventory("lab", SshInventory().Replace($"{{host: 198.51.100.10, port: 2222, user: tester, key: {_key}}}", ssh));
        _p.SingleError(Lab, key).Message.Should().Be(message);
    }
}
