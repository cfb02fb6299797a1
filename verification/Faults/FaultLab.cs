using System.Diagnostics;
using System.Security.Cryptography;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Cli.Verbs;
using Testbed.Engine;
using Testbed.Transport;

using Verification.Support;

namespace Verification.Faults;

/// <summary>
/// The world of the fault tests. Two real guests (stack faults-hosts, provider local) that the lab stack (faults-lab,
/// provider ssh) reaches only through a proxy per host that the tests control, with stack keys set as secrets by the
/// CLI. Before the lab's first up every guest is snapshotted, so that destroy can be held to "back as found".
/// </summary>
public sealed class FaultLab
{
    public static readonly string[] Hosts = ThrowAwayProject.Gateways.Select(g => g.Name).ToArray();

    readonly Stopwatch _clock = Stopwatch.StartNew();

    public ThrowAwayProject Project { get; }
    public Cli Cli { get; }
    public Tally Tally { get; } = new();

    /// <summary>The stack passphrase: random per run, given to the CLI as PULUMI_CONFIG_PASSPHRASE.</summary>
    public string Passphrase { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));

    /// <summary>The lab's SA keys as made here (hex, no 0x), by their stack name (forward.enc, ...).</summary>
    public Dictionary<string, string> LabKeys { get; } = [];

    public Dictionary<string, TcpProxy> Proxies { get; } = [];
    public Dictionary<string, GuestSsh> Guests { get; } = [];
    public Dictionary<string, GuestSnapshot> Before { get; } = [];

    /// <summary>The key the local testbed made for its guests, and the lab inventory's 0600 copy of it.</summary>
    public string ClientKey => Path.Combine(StateCheck.PathsOf(Stacks.Hosts).Provider("local"), "id_ecdsa");
    public string LabKeyFile => Path.Combine(Project.Dir, "inventory", "faults-lab.id_ecdsa");

    public TimeSpan Elapsed => _clock.Elapsed;

    FaultLab(ThrowAwayProject project)
    {
        Project = project;
        KeyScrub.Add(Passphrase);
        Cli = new Cli(project.Dir, new Dictionary<string, string?>
        {
            ["PULUMI_CONFIG_PASSPHRASE"] = Passphrase,
            // Phase timings on stderr: more text for the secret tests to search.
            ["TESTBED_TRACE"] = "1",
        });
    }

    public static void Say(string line) => TestContext.Progress.WriteLine(KeyScrub.Scrub("faults: " + line));

    public static FaultLab Create()
    {
        File.Exists(Cli.Dll).Should().BeTrue($"the CLI must sit beside the tests ({Cli.Dll}); the project references infra/Testbed");
        return new FaultLab(ThrowAwayProject.Create(Repo.Project));
    }

    public async Task StartAsync()
    {
        Say($"throw-away project {Project.Dir}");
        Project.WriteStack(Stacks.Hosts, Stacks.HostsYaml);
        await RemoveLeftoversAsync();

        var hosts = await Cli.RunAsync(["up", "--stack", Stacks.Hosts, "--yes"], timeout: TimeSpan.FromMinutes(15));
        hosts.ExitCode.Should().Be(0, $"the guests must boot: {hosts}");
        hosts.Stdout.Should().Contain("no changes", "faults-hosts changes nothing inside its guests");
        var local = StateCheck.Read(Stacks.Hosts).State.ProviderData(Testbed.Local.LocalState.Json) ?? throw new InvalidDataException("faults-hosts has no local state");
        var pins = new HostKeyPins(StateCheck.PathsOf(Stacks.Hosts).KnownHosts);
        foreach (var host in Hosts)
        {
            var port = local.Guests[host].SshPort;
            Guests[host] = new GuestSsh(host, port, ClientKey, pins);
            Proxies[host] = TcpProxy.Start(host, port);
        }
        Say($"guests up in {hosts.Elapsed.TotalSeconds:0.0} s; proxies " +
            string.Join(", ", Proxies.Values.Select(p => $"{p.Name} 127.0.0.1:{p.Port} -> {local.Guests[p.Name].SshPort}")));

        Project.CopyKey(ClientKey, Path.GetFileName(LabKeyFile), ThrowAwayProject.OwnerOnly);
        Project.WriteSshInventory("faults-lab", Proxies.ToDictionary(p => p.Key, p => p.Value.Port), Path.GetFileName(LabKeyFile));
        Project.WriteStack(Stacks.Lab, Stacks.LabYaml);
        foreach (var (name, bytes) in Stacks.LabKeys)
        {
            var hex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
            KeyScrub.Add(hex);
            LabKeys[name] = hex;
            // On stdin, as the README shows: a secret on the command line would sit in the process list.
            var set = await Cli.RunAsync(["config", "set", "--stack", Stacks.Lab, "--secret", $"ipsec.key.{name}"], stdin: "0x" + hex + "\n");
            set.ExitCode.Should().Be(0, $"config set --secret must take the key: {set}");
            set.Stdout.Should().Contain("(encrypted)");
        }

        foreach (var host in Hosts) Before[host] = await SnapshotAsync(host);
        Say($"snapshots before the lab's first up: {string.Join(", ", Before.Values.Select(s => $"{s.Host} {s.Lines} lines"))}");

        var first = await Convergence.AssertAsync(this, "on the first up");
        Say($"lab up: {first.UpChanged} settings changed in {first.UpTime.TotalSeconds:0.0} s, {first.Settings} managed, " +
            $"{first.SasCounted} SAs and {first.PoliciesCounted} policies on the hosts, tunnel ping {first.PingsReceived}/3");
    }

    /// <summary>A run that died before its teardown leaves guests and state behind; they belong to no one else.</summary>
    async Task RemoveLeftoversAsync()
    {
        if (Directory.Exists(StateCheck.PathsOf(Stacks.Hosts).Dir) || Leftovers.Find().Count > 0)
        {
            Say("removing what an earlier run left behind");
            var destroy = await Cli.RunAsync(["destroy", "--stack", Stacks.Hosts, "--yes"]);
            destroy.ExitCode.Should().Be(0, $"leftover guests must go: {destroy}");
        }
        foreach (var stack in Stacks.All.Where(s => s != Stacks.Hosts))
            if (Directory.Exists(StateCheck.PathsOf(stack).Dir)) Directory.Delete(StateCheck.PathsOf(stack).Dir, recursive: true);
    }

    public async Task<GuestSnapshot> SnapshotAsync(string host)
    {
        var r = await Cli.RunAsync(["ssh", "--stack", Stacks.Hosts, host, "--", GuestSnapshot.Script]);
        r.ExitCode.Should().Be(0, $"the snapshot of {host} must read: {r}");
        return GuestSnapshot.Parse(host, r.Stdout);
    }

    public async Task<LiveView> LiveAsync(string host, bool ping = false)
    {
        var r = await Cli.RunAsync(["ssh", "--stack", Stacks.Lab, host, "--", LiveView.Script + (ping ? "; " + LiveView.PingScript : "")]);
        r.ExitCode.Should().Be(0, $"{host} must answer (and a ping must get through): {r}");
        return LiveView.Parse(host, r.Stdout);
    }

    public async Task<StatusVerb.Report> StatusAsync(string stack = Stacks.Lab)
    {
        var r = await Cli.RunAsync(["status", "--stack", stack, "--json"]);
        r.ExitCode.Should().Be(0, $"status must answer: {r}");
        return LiveView.ParseStatus(r.Stdout);
    }

    /// <summary>A hand edit behind the tool's back, through the stack that booted the guest (not the lab's proxy).</summary>
    public async Task SetByHandAsync(string host, string command)
    {
        var r = await Cli.RunAsync(["ssh", "--stack", Stacks.Hosts, host, "--", command]);
        r.ExitCode.Should().Be(0, $"the hand edit on {host} must work: {r}");
    }

    /// <summary>
    /// Reboots both guests from inside (sysrq b, in the background so that the command returns first) and waits until
    /// each answers SSH with a new boot id. The tool is not told.
    /// </summary>
    public async Task<TimeSpan> RebootGuestsAsync()
    {
        var clock = Stopwatch.StartNew();
        var before = new Dictionary<string, string?>();
        foreach (var host in Hosts) before[host] = await Guests[host].BootIdAsync();
        await Task.WhenAll(Hosts.Select(host => SetByHandAsync(host, "(sleep 0.3; echo b > /proc/sysrq-trigger) >/dev/null 2>&1 &")));
        foreach (var host in Hosts)
        {
            string? now = null;
            while (clock.Elapsed < TimeSpan.FromMinutes(2) && ((now = await Guests[host].BootIdAsync()) is null || now == before[host]))
                await Task.Delay(250);
            now.Should().NotBeNull($"{host} must answer SSH again after its reboot");
            now.Should().NotBe(before[host], $"{host} must have rebooted");
        }
        return clock.Elapsed;
    }

    /// <summary>The lab stack opened in this process, for tests that must act between two steps of the engine.</summary>
    public Deployment OpenLab(string operation, IReporter reporter) =>
        Deployment.Open(Project.Project, Stacks.Lab, operation, reporter, name => name == "PULUMI_CONFIG_PASSPHRASE" ? Passphrase : null);

    /// <summary>
    /// Network back to normal and an up, when a test starts: one test's failure must not become the next one's. (Each
    /// test ends with the full convergence check; this is only the repair.)
    /// </summary>
    public async Task EnsureUpAsync()
    {
        HealNetwork();
        var up = await Cli.RunAsync(["up", "--stack", Stacks.Lab, "--yes"]);
        up.ExitCode.Should().Be(0, $"the lab must be up before the test: {up}");
    }

    void HealNetwork()
    {
        foreach (var p in Proxies.Values)
        {
            p.Resume();
            p.Release();
            p.BlackHole = false;
        }
    }

    /// <summary>
    /// Takes everything down: the lab (its settings back as found), the generated-keys stack, the guests. Returns what
    /// is left (guest processes, namespaces, state folders); empty when clean.
    /// </summary>
    public async Task<IReadOnlyList<string>> TearDownAsync()
    {
        var problems = new List<string>();
        HealNetwork();
        foreach (var stack in new[] { Stacks.Generated, Stacks.Lab })
        {
            if (!Directory.Exists(StateCheck.PathsOf(stack).Dir) || !File.Exists(Project.StackFile(stack))) continue;
            var r = await Cli.RunAsync(["destroy", "--stack", stack, "--yes"]);
            if (r.ExitCode != 0) problems.Add($"destroy of {stack} failed: {r}");
        }
        var hosts = await Cli.RunAsync(["destroy", "--stack", Stacks.Hosts, "--yes"]);
        if (hosts.ExitCode != 0) problems.Add($"destroy of {Stacks.Hosts} failed: {hosts}");
        foreach (var p in Proxies.Values) p.Dispose();
        foreach (var stack in Stacks.All.Where(s => s is not (Stacks.Hosts or Stacks.Lab or Stacks.Generated)))
            if (Directory.Exists(StateCheck.PathsOf(stack).Dir)) Directory.Delete(StateCheck.PathsOf(stack).Dir, recursive: true);
        problems.AddRange(Leftovers.Find());
        Project.Dispose();
        return problems;
    }
}
