using Testbed.Model;
using System.Net;
using System.Net.Sockets;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Config;
using Testbed.Engine;
using YamlDotNet.Serialization;

namespace Testbed.Tests.Security;

/// <summary>
/// Hundreds of broken stack and inventory files (wrong types, missing keys, out-of-range values, shell injection):
/// each must end in a clear error that names the file and the key, before any host is contacted. The hosts in
/// these files are a listener on 127.0.0.1 that counts every connection it gets; it must get none.
/// </summary>
[NonParallelizable]
public class MalformedInputTests
{
    static readonly string[] Injections =
    [
        "eth0; rm -rf /", "$(reboot)", "`id`", "a'b", "x\ny", "../../etc/passwd", "--help", "-rf", "a b", "|| true",
        "&& poweroff", "> /etc/passwd", new string('a', 300), "\u00e9th0", "*",
    ];

    /// <summary>One broken file: what is changed, in which file, and the key the error must name.</summary>
    public sealed record Case(string Name, string File, string Key, Action<Dictionary<string, object?>> Mutate, string? RawText = null)
    {
        public override string ToString() => Name;
    }

    static IEnumerable<Case> StackCases()
    {
        const string p = "ipsec-testbed:";
        Case S(string name, string key, Action<Dictionary<string, object?>> m) => new(name, "stacks/Pulumi.t.yaml", key, m);
        Action<Dictionary<string, object?>> Set(string path, object? value) => d => SetPath(d, path, value);
        Action<Dictionary<string, object?>> Drop(string path) => d => Remove(d, path);

        foreach (var v in new object[] { 70000, 67, 0, -1, "big", "1500.5", new List<object> { 1500 }, new Dictionary<string, object> { ["a"] = 1 }, "0x5dc", "" })
            yield return S($"mtu {Show(v)}", p + "mtu", Set($"config/{p}mtu", v));
        foreach (var v in new object[] { "10gbit", "fast", 100, "", "100 mbit", new List<object>() })
            yield return S($"link {Show(v)}", p + "link", Set($"config/{p}link", v));
        foreach (var v in new object[] { "turbo", "", "Tuned", 1 })
            yield return S($"profile {Show(v)}", p + "profile", Set($"config/{p}profile", v));
        foreach (var v in Injections.Concat(["", "nosuch"]))
            yield return S($"inventory {Show(v)}", p + "inventory", Set($"config/{p}inventory", v));
        yield return S("inventory missing", p + "inventory", Drop($"config/{p}inventory"));
        foreach (var key in new[] { "mtuu", "Link", "ipsec2", "inventory " })
            yield return S($"unknown key {key}", p + key, Set($"config/{p}{key}", "1"));
        yield return S("key of another project", "other:mtu", Set("config/other:mtu", 1500));
        yield return S("unknown top-level key", "configs", Set("configs", new Dictionary<string, object?>()));

        foreach (var v in new object[] { "aes512-sha1", "rot13", "aes-128", "", "aes128-sha1; reboot", 3 })
            yield return S($"suite {Show(v)}", p + "ipsec.suite", Set($"config/{p}ipsec/suite", v));
        foreach (var v in new object[] { "ipip", "", "ESP", "esp+esp" })
            yield return S($"proto {Show(v)}", p + "ipsec.proto", Set($"config/{p}ipsec/proto", v));
        foreach (var v in new object[] { "beet", "", "Tunnel" })
            yield return S($"mode {Show(v)}", p + "ipsec.mode", Set($"config/{p}ipsec/mode", v));
        foreach (var v in new object[] { 33, -1, 1000, "lots", "" })
            yield return S($"replay-window {Show(v)}", p + "ipsec.replay-window", Set($"config/{p}ipsec/replay-window", v));
        foreach (var v in new object[] { "random", "", "stack; id" })
            yield return S($"keys {Show(v)}", p + "ipsec.keys", Set($"config/{p}ipsec/keys", v));
        foreach (var v in new object[] { "0x1002", 4098, 255, 0, "0x1", "-5", "0x100000000", "spi", "4097 ; id" })
            yield return S($"spi.forward {Show(v)}", p + "ipsec.spi", Set($"config/{p}ipsec/spi/forward", v));
        yield return S("spi.reverse duplicates the ah-spi of an esp+ah bundle", p + "ipsec.spi.reverse", d => { SetPath(d, $"config/{p}ipsec/proto", "esp+ah"); SetPath(d, $"config/{p}ipsec/spi/reverse", "0x2001"); });
        foreach (var v in new object[] { 0, "two", 2 })
            yield return S($"reqid.forward {Show(v)}", p + "ipsec.reqid", Set($"config/{p}ipsec/reqid/forward", v));
        yield return S("unknown flow name", p + "ipsec.spi.sideways", Set($"config/{p}ipsec/spi/sideways", 4096));
        yield return S("ah with an encrypting suite", p + "ipsec.suite", d => { SetPath(d, $"config/{p}ipsec/proto", "ah"); SetPath(d, $"config/{p}ipsec/suite", "aes128-sha1"); });
        yield return S("esp with an integrity-only suite", p + "ipsec.suite", Set($"config/{p}ipsec/suite", "sha1"));
        yield return S("esp+ah with an AEAD", p + "ipsec.suite", d => { SetPath(d, $"config/{p}ipsec/proto", "esp+ah"); SetPath(d, $"config/{p}ipsec/suite", "aes128gcm16"); });
        yield return S("esp+ah without integrity", p + "ipsec.suite", d => { SetPath(d, $"config/{p}ipsec/proto", "esp+ah"); SetPath(d, $"config/{p}ipsec/suite", "aes128"); });
        yield return S("keys: stack without keys", p + "ipsec.key", Set($"config/{p}ipsec/keys", "stack"));
        yield return S("plaintext key in the stack", p + "ipsec.key.forward.enc", d =>
        {
            SetPath(d, $"config/{p}ipsec/keys", "stack");
            SetPath(d, $"config/{p}ipsec/key/forward/enc", "0x00112233445566778899aabbccddeeff");
        });
        yield return S("keys given while generating", p + "ipsec.key", Set($"config/{p}ipsec/key/forward/enc", "0x00"));
        yield return S("unknown ipsec key", p + "ipsec.cipher", Set($"config/{p}ipsec/cipher", "aes"));

        foreach (var v in Injections.Take(8))
            yield return S($"sysctl value {Show(v)}", p + "sysctl.net.ipv4.tcp_sack", Set($"config/{p}sysctl/net.ipv4.tcp_sack", v));
        foreach (var k in new[] { "net.ipv4.tcp_sack;reboot", "net..ipv4", "kernel", "net ipv4", "$(id)" })
            yield return S($"sysctl key {Show(k)}", p + "sysctl." + k, Set($"config/{p}sysctl/{k}", "1"));
        yield return S("sysctl as a list", p + "sysctl", Set($"config/{p}sysctl", new List<object> { "a" }));
        foreach (var v in new object[] { -1, 10_000_001, "fast", "64; reboot" })
            yield return S($"coalesce rx-usecs {Show(v)}", p + "nic.coalesce.rx-usecs", Set($"config/{p}nic/coalesce/rx-usecs", v));
        yield return S("coalesce unknown parameter", p + "nic.coalesce.rx-usec", Set($"config/{p}nic/coalesce/rx-usec", 10));
        yield return S("coalesce parameter injection", p + "nic.coalesce.rx-usecs;id", Set($"config/{p}nic/coalesce/rx-usecs;id", 10));
        foreach (var v in new object[] { "maybe", 2, "on; reboot" })
            yield return S($"offload gso {Show(v)}", p + "nic.offload.gso", Set($"config/{p}nic/offload/gso", v));
        yield return S("offload unknown feature", p + "nic.offload.turbo", Set($"config/{p}nic/offload/turbo", "on"));
        yield return S("nic unknown section", p + "nic.irq", Set($"config/{p}nic/irq", 1));
    }

    static IEnumerable<Case> InventoryCases()
    {
        Case I(string name, string key, Action<Dictionary<string, object?>> m) => new(name, "inventory/lab.yaml", key, m);
        Action<Dictionary<string, object?>> Set(string path, object? value) => d => SetPath(d, path, value);
        Action<Dictionary<string, object?>> Drop(string path) => d => Remove(d, path);

        foreach (var v in Injections)
            yield return I($"nic {Show(v)}", "hosts.gw-a.nic", Set("hosts/gw-a/nic", v));
        foreach (var v in Injections.Concat(["192.0.2.1", "192.0.2.300/24", "192.0.2.1/33", "2001:db8::1/64", ""]))
            yield return I($"address {Show(v)}", "hosts.gw-a.address", Set("hosts/gw-a/address", v));
        foreach (var v in new object[] { "10.1.0.1/24", "10.1.0.0/31", "10.1.0.0", "0.0.0.0/0", "x", "10.1.0.0/24; id" })
            yield return I($"site {Show(v)}", "hosts.gw-a.site", Set("hosts/gw-a/site", v));
        foreach (var v in Injections.Take(10))
            yield return I($"ssh host {Show(v)}", "hosts.gw-a.ssh.host", Set("hosts/gw-a/ssh/host", v));
        foreach (var v in Injections.Take(10).Concat(["Root", "0day"]))
            yield return I($"ssh user {Show(v)}", "hosts.gw-a.ssh.user", Set("hosts/gw-a/ssh/user", v));
        foreach (var v in new object[] { 0, 65536, -22, "ssh", "22; id" })
            yield return I($"ssh port {Show(v)}", "hosts.gw-a.ssh.port", Set("hosts/gw-a/ssh/port", v));
        foreach (var v in new object[] { "no/such/key", "$(id)", "" })
            yield return I($"ssh key {Show(v)}", "hosts.gw-a.ssh.key", Set("hosts/gw-a/ssh/key", v));
        foreach (var v in new object[] { "router", "", "Sender", 1 })
            yield return I($"role {Show(v)}", "hosts.gw-a.role", Set("hosts/gw-a/role", v));
        foreach (var field in new[] { "role", "nic", "address", "site", "ssh" })
            yield return I($"gw-b without {field}", $"hosts.gw-b.{field}", Drop($"hosts/gw-b/{field}"));
        foreach (var field in new[] { "host", "key" })
            yield return I($"gw-b ssh without {field}", $"hosts.gw-b.ssh.{field}", Drop($"hosts/gw-b/ssh/{field}"));
        yield return I("two senders", "hosts", Set("hosts/gw-b/role", "sender"));
        yield return I("third host", "hosts", Set("hosts/gw-c", new Dictionary<string, object?> { ["role"] = "sender" }));
        yield return I("one host", "hosts", Drop("hosts/gw-b"));
        yield return I("no hosts", "hosts", Drop("hosts"));
        yield return I("hosts as a list", "hosts", Set("hosts", new List<object> { "gw-a", "gw-b" }));
        yield return I("addresses on two subnets", "hosts", Set("hosts/gw-b/address", "198.51.100.2/24"));
        yield return I("same address twice", "hosts", Set("hosts/gw-b/address", "198.18.0.1/24"));
        yield return I("overlapping sites", "hosts", Set("hosts/gw-b/site", "10.1.0.0/16"));
        yield return I("link address inside a site", "hosts", Set("hosts/gw-b/site", "198.18.0.0/16"));
        foreach (var name in new[] { "GW-A", "gw_a", "gw a", "gw-a;id", "-gw" })
            yield return I($"host name {Show(name)}", "hosts." + name, d =>
            {
                var hosts = (Dictionary<string, object?>)d["hosts"]!;
                hosts[name] = hosts["gw-a"];
                hosts.Remove("gw-a");
            });
        foreach (var v in new object[] { "cloud", "", "local; id" })
            yield return I($"provider {Show(v)}", "provider", Set("provider", v));
        yield return I("local guest with ssh", "hosts.gw-a.ssh", Set("provider", "local"));
        yield return I("unknown host key", "hosts.gw-a.mac", Set("hosts/gw-a/mac", "00:11:22:33:44:55"));
        yield return I("unknown top-level key", "groups", Set("groups", "all"));
    }

    static IEnumerable<Case> SyntaxCases()
    {
        const string stack = "stacks/Pulumi.t.yaml", inventory = "inventory/lab.yaml";
        string[] broken =
        [
            "config: [", "config:\n\t  ipsec-testbed:mtu: 1500", "config: {ipsec-testbed:mtu: 1500", "- just\n- a list",
            "config:\n  ipsec-testbed:mtu: 1500\n  ipsec-testbed:mtu: 9000", "\"unterminated", "config: !!binary AAAA", "just a string",
        ];
        foreach (var (text, i) in broken.Select((t, i) => (t, i)))
        {
            yield return new Case($"stack syntax {i}", stack, "", _ => { }, text);
            yield return new Case($"inventory syntax {i}", inventory, "", _ => { }, text);
        }
    }

    public static IEnumerable<TestCaseData> Cases() =>
        StackCases().Concat(InventoryCases()).Concat(SyntaxCases()).Select(c => new TestCaseData(c).SetName($"Malformed: {c.Name}"));

    [Test]
    public void There_are_at_least_200_malformed_files() => Cases().Count().Should().BeGreaterThanOrEqualTo(200);

    string _root = "";
    TcpListener _sentinel = null!;
    int _connections;

    [OneTimeSetUp]
    public void StartSentinel()
    {
        _sentinel = new TcpListener(IPAddress.Loopback, 0);
        _sentinel.Start();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    using var client = await _sentinel.AcceptTcpClientAsync();
                    Interlocked.Increment(ref _connections);
                }
                catch (ObjectDisposedException) { return; }
                catch (SocketException) { return; }
            }
        });
    }

    [OneTimeTearDown]
    public void StopSentinel() => _sentinel.Stop();

    [SetUp]
    public void NewProject()
    {
        _root = Path.Combine(Path.GetTempPath(), "malformed-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(_root, "stacks"));
        Directory.CreateDirectory(Path.Combine(_root, "inventory"));
        File.WriteAllText(Path.Combine(_root, "Pulumi.yaml"), "name: ipsec-testbed\nstackConfigDir: stacks\n");
        Local.SshKeys.Ensure(Path.Combine(_root, "inventory", "lab_key"), "test");
        Environment.SetEnvironmentVariable("TESTBED_HOME", Path.Combine(_root, "home"));
    }

    [TearDown]
    public void RemoveProject()
    {
        Environment.SetEnvironmentVariable("TESTBED_HOME", null);
        Directory.Delete(_root, recursive: true);
    }

    Dictionary<string, object?> Stack() => new()
    {
        ["config"] = new Dictionary<string, object?>
        {
            ["ipsec-testbed:inventory"] = "lab",
            ["ipsec-testbed:mtu"] = 1500,
            ["ipsec-testbed:ipsec"] = new Dictionary<string, object?> { ["mode"] = "tunnel", ["proto"] = "esp", ["suite"] = "aes128-sha1" },
        },
    };

    Dictionary<string, object?> Inventory()
    {
        var port = ((IPEndPoint)_sentinel.LocalEndpoint).Port;
        Dictionary<string, object?> Host(string role, string address, string site) => new()
        {
            ["role"] = role,
            ["ssh"] = new Dictionary<string, object?> { ["host"] = "127.0.0.1", ["port"] = port, ["user"] = "root", ["key"] = "lab_key" },
            ["nic"] = "eth1",
            ["address"] = address,
            ["site"] = site,
        };
        return new()
        {
            ["provider"] = "ssh",
            ["hosts"] = new Dictionary<string, object?>
            {
                ["gw-a"] = Host("sender", "198.18.0.1/24", "10.1.0.0/24"),
                ["gw-b"] = Host("receiver", "198.18.0.2/24", "10.2.0.0/24"),
            },
        };
    }

    [Test]
    public void The_unbroken_files_load() =>
        FluentActions.Invoking(() => StackLoader.Load(Write(Stack(), Inventory()), "t")).Should().NotThrow();

    [TestCaseSource(nameof(Cases))]
    public async Task Is_refused_naming_file_and_key_before_any_host_is_contacted(Case c)
    {
        var stack = Stack();
        var inventory = Inventory();
        c.Mutate(c.File.StartsWith("stacks") ? stack : inventory);
        var project = Write(stack, inventory);
        if (c.RawText is not null) File.WriteAllText(Path.Combine(_root, c.File), c.RawText);
        var before = _connections;

        var act = async () =>
        {
            await using var d = Deployment.Open(project, "t", "up", new RecordingReporter());
            await d.UpAsync(null, CancellationToken.None);
        };

        var error = (await act.Should().ThrowAsync<ConfigException>()).Which;
        error.Errors.Should().Contain(e => e.File == c.File && e.Key.StartsWith(c.Key),
            $"the error should name {c.File} and {c.Key}; it said: {error.Message}");
        _connections.Should().Be(before, "no host may be contacted for a broken file");
        Directory.Exists(Path.Combine(_root, "home")).Should().BeFalse("nothing, not even the stack's state folder, is made for a broken file");
    }

    Project Write(Dictionary<string, object?> stack, Dictionary<string, object?> inventory)
    {
        var yaml = new SerializerBuilder().Build();
        File.WriteAllText(Path.Combine(_root, "stacks", "Pulumi.t.yaml"), yaml.Serialize(stack));
        File.WriteAllText(Path.Combine(_root, "inventory", "lab.yaml"), yaml.Serialize(inventory));
        return Project.Find(_root);
    }

    static void SetPath(Dictionary<string, object?> d, string path, object? value)
    {
        var parts = path.Split('/');
        var node = d;
        foreach (var part in parts[..^1])
        {
            if (!node.TryGetValue(part, out var next) || next is not Dictionary<string, object?> child)
                node[part] = child = new Dictionary<string, object?>();
            node = child;
        }
        node[parts[^1]] = value;
    }

    static void Remove(Dictionary<string, object?> d, string path)
    {
        var parts = path.Split('/');
        var node = d;
        foreach (var part in parts[..^1]) node = (Dictionary<string, object?>)node[part]!;
        node.Remove(parts[^1]);
    }

    static string Show(object v) => v switch
    {
        string s when s.Length > 20 => $"'{s[..17]}...'",
        string s => $"'{s.Replace("\n", "\\n")}'",
        List<object> => "[list]",
        Dictionary<string, object> => "{map}",
        _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!,
    };
}
