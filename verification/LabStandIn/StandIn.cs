using System.Diagnostics;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Engine;
using Testbed.Local;
using Verification.Support;

namespace Verification.LabStandIn;

/// <summary>
/// A lab made of the local guests: a stack of provider <c>local</c> (<see cref="Hosts"/>) boots two guests and changes
/// nothing in them, and a lab project of its own (stacks, inventories, baselines, results, as a lab's repository has
/// them) reaches them as provider <c>ssh</c> through their forwards on 127.0.0.1, with a copy of their key, as root or as
/// an ordinary user with password-less sudo. The verification suite then runs against it exactly as a lab CI job runs
/// it: <c>TESTBED_STACK=standin dotnet test verification</c>.
/// </summary>
public sealed class StandIn
{
    public const string Hosts = "standin-hosts";
    public const string Lab = "standin";

    /// <summary>The lab, reached as <see cref="GuestImage.SudoUser"/> through <c>sudo -n</c>.</summary>
    public const string LabAsUser = "standin-sudo";

    /// <summary>Reached as <see cref="GuestImage.PlainUser"/>, who has no sudo: refused before anything is applied.</summary>
    public const string LabNoSudo = "standin-nosudo";

    /// <summary>Asks for an MTU above what the hosts' NICs take (their vector NIC boots at 1500 and takes no more).</summary>
    public const string LabJumbo = "standin-jumbo";

    public static readonly string[] All = [Hosts, Lab, LabAsUser, LabNoSudo, LabJumbo];

    public static readonly string[] Gateways = ThrowAwayProject.Gateways.Select(g => g.Name).ToArray();

    /// <summary>
    /// The guests' inventory: inventory/local.yaml's gateways, whose wire NIC moves frames in batches. One frame per call, the
    /// vector driver may latch a failed write and carry nothing until its link is reset, which the local provider does
    /// mid-run (WireLatch) and a lab's provider never may; the stand-in tests the lab path, not how small a change it sees.
    /// </summary>
    const string HostsInventory = "standin-local";

    const string HostsYaml = $$"""
        # The stand-in's guests: booted, and otherwise left exactly as they come up (to the lab they are machines that exist).
        config:
          ipsec-testbed:inventory: {{HostsInventory}}
          ipsec-testbed:link: unshaped
          ipsec-testbed:profile: stock
          ipsec-testbed:mtu: 1500
          ipsec-testbed:ipsec: {mode: transport, proto: none}
        """;

    // As inventory/lab.yaml and stacks/Pulumi.lab.yaml (docs/lab.md): the paper's tuned testbed with an ESP tunnel.
    // No offloads: on the UML vector NIC `ethtool -K vec0 gso off` also drops TSO for good, which destroy cannot undo.
    static string LabYaml(string inventory, int mtu = 1500) => $"""
        # The lab stand-in: the local guests, reached over SSH as lab machines are.
        config:
          ipsec-testbed:inventory: {inventory}
          ipsec-testbed:link: unshaped
          ipsec-testbed:profile: tuned
          ipsec-testbed:mtu: {mtu}
          ipsec-testbed:ipsec: {"{"}mode: tunnel, proto: esp, suite: aes128-sha1, replay-window: 32, keys: generate{"}"}
        """;

    readonly Stopwatch _clock = Stopwatch.StartNew();

    public ThrowAwayProject Project { get; }
    public Cli Cli { get; }
    public Dictionary<string, GuestSnapshot> Before { get; } = [];
    public Dictionary<string, int> Ports { get; } = [];

    public TimeSpan Elapsed => _clock.Elapsed;

    StandIn(ThrowAwayProject project)
    {
        Project = project;
        Cli = new Cli(project.Dir, new Dictionary<string, string?>());
    }

    public static void Say(string line) => TestContext.Progress.WriteLine(KeyScrub.Scrub("lab stand-in: " + line));

    public static StackPaths PathsOf(string stack) => StackPaths.For(ThrowAwayProjectName, stack);

    const string ThrowAwayProjectName = "ipsec-testbed";

    string ClientKey => Path.Combine(PathsOf(Hosts).Provider("local"), "id_ecdsa");

    public static StandIn Create() => new(ThrowAwayProject.Create(Repo.Project, withVerificationData: true));

    /// <summary>Boots the guests, writes the lab's inventories and stacks, and snapshots both guests.</summary>
    public async Task StartAsync()
    {
        Say($"lab project {Project.Dir}");
        Project.WriteLocalInventory(HostsInventory, "vector", "The lab stand-in's guests: the local gateways, their wire NIC batched.");
        Project.WriteStack(Hosts, HostsYaml);
        await RemoveLeftoversAsync();
        var up = await Cli.RunAsync(["up", "--stack", Hosts, "--yes"], timeout: TimeSpan.FromMinutes(15));
        up.ExitCode.Should().Be(0, $"the stand-in's guests must boot: {up}");
        var local = StateOf(Hosts).ProviderData(LocalState.Json) ?? throw new InvalidDataException($"{Hosts} has no local state");
        foreach (var g in Gateways) Ports[g] = local.Guests[g].SshPort;

        const string key = "standin.id_ecdsa";
        Project.CopyKey(ClientKey, key, ThrowAwayProject.OwnerOnly);
        // Guests on this shared machine, not a lab's own hardware: as a lab of cloud VMs would, it says so, and the suite judges
        // what stays comparable from one run to the next (the IPsec suites pooled) instead of absolute throughput.
        Project.WriteSshInventory(Lab, Ports, key, note: "The lab stand-in: the local guests, reached as lab hosts through their forwards.", hardware: "shared");
        Project.WriteSshInventory(LabAsUser, Ports, key, user: GuestImage.SudoUser, note: "The lab stand-in, reached as an ordinary user with password-less sudo.", hardware: "shared");
        Project.WriteSshInventory(LabNoSudo, Ports, key, user: GuestImage.PlainUser, note: "The lab stand-in, reached as a user without sudo.");
        Project.WriteStack(Lab, LabYaml(Lab));
        Project.WriteStack(LabAsUser, LabYaml(LabAsUser));
        Project.WriteStack(LabNoSudo, LabYaml(LabNoSudo));
        Project.WriteStack(LabJumbo, LabYaml(Lab, mtu: 9000));

        foreach (var g in Gateways) Before[g] = await SnapshotAsync(g);
        Say($"guests up in {up.Elapsed.TotalSeconds:0.0} s (ssh on 127.0.0.1:{string.Join(", ", Ports.Values)}); snapshots: " +
            string.Join(", ", Before.Values.Select(s => $"{s.Host} {s.Lines} lines")));
    }

    static StackState StateOf(string stack) => new StateStore(PathsOf(stack)).Load(ThrowAwayProjectName, stack);

    /// <summary>Everything the lab could touch on a guest, read through the stack that booted it (not the lab's SSH).</summary>
    public async Task<GuestSnapshot> SnapshotAsync(string host)
    {
        var r = await Cli.RunAsync(["ssh", "--stack", Hosts, host, "--", GuestSnapshot.Script]);
        r.ExitCode.Should().Be(0, $"the snapshot of {host} must read: {r}");
        return GuestSnapshot.Parse(host, r.Stdout);
    }

    /// <summary>What differs on either guest from the snapshot before the lab's first run; empty when both read back as before.</summary>
    public async Task<IReadOnlyList<string>> DiffFromBeforeAsync()
    {
        var diffs = new List<string>();
        foreach (var g in Gateways) diffs.AddRange(Before[g].Diff(await SnapshotAsync(g)));
        return diffs;
    }

    /// <summary>
    /// Runs the verification suite against <paramref name="stack"/> as a lab's CI job does: <c>dotnet test</c> on the
    /// verification project, in a child process, with the lab project as <c>TESTBED_ROOT</c>. Its output goes to a log
    /// file in the lab project; the progress lines that matter are echoed here.
    /// </summary>
    public async Task<SuiteRunResult> RunSuiteAsync(string stack, string filter, IReadOnlyDictionary<string, string> env, TimeSpan timeout)
    {
        var results = Path.Combine(Project.Dir, "verification", "results");
        var log = Path.Combine(results, $"{DateTime.UtcNow:HHmmss}-{stack}.log");
        Directory.CreateDirectory(results);
        var psi = new ProcessStartInfo(Cli.DotnetHost())
        {
            WorkingDirectory = Project.Dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "test", Path.Combine(Repo.SourceRoot, "verification", "Verification.csproj"), "--no-build",
                     "--filter", filter, "--results-directory", results, "--logger", "console;verbosity=normal" })
            psi.ArgumentList.Add(a);
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("TESTBED_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(name);
        psi.Environment["TESTBED_ROOT"] = Project.Dir;
        psi.Environment["TESTBED_STACK"] = stack;
        psi.Environment["TESTBED_FAULTS"] = "0";
        psi.Environment["TESTBED_BENCH"] = "0";
        foreach (var (k, v) in env) psi.Environment[k] = v;

        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        void Line(string? l)
        {
            if (l is null) return;
            lock (output) output.AppendLine(l);
            if (l.Contains("verification:") || l.Contains(" Failed ") || l.Contains("wire:") || l.Contains("Passed!") || l.Contains("Failed!"))
                Say($"[{stack}] {l.Trim()}");
        }
        p.OutputDataReceived += (_, e) => Line(e.Data);
        p.ErrorDataReceived += (_, e) => Line(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
        string text;
        lock (output) text = output.ToString();
        await File.WriteAllTextAsync(log, text);
        return new SuiteRunResult(stack, p.ExitCode, text, log, results, clock.Elapsed, cts.IsCancellationRequested);
    }

    /// <summary>The lab project's results (each child run's log, TRX, JUnit, results.json) outlive it, for CI to keep.</summary>
    void KeepResults()
    {
        var from = Path.Combine(Project.Dir, "verification", "results");
        if (!Directory.Exists(from)) return;
        var to = Path.Combine(Repo.Results, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-lab-standin");
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
        Say($"its runs' logs and results: {Repo.Project.Relative(to)}");
    }

    async Task RemoveLeftoversAsync()
    {
        if (Directory.Exists(PathsOf(Hosts).Dir) || StandInLeftovers.Find().Count > 0)
        {
            Say("removing what an earlier run left behind");
            var destroy = await Cli.RunAsync(["destroy", "--stack", Hosts, "--yes"]);
            destroy.ExitCode.Should().Be(0, $"leftover guests must go: {destroy}");
        }
        foreach (var stack in All.Where(s => s != Hosts))
            if (Directory.Exists(PathsOf(stack).Dir)) Directory.Delete(PathsOf(stack).Dir, recursive: true);
    }

    /// <summary>
    /// Takes everything down: any lab stack that still has state (its settings put back as found), then the guests.
    /// Returns what is left (guest processes, forwards, namespaces, state folders); empty when clean.
    /// </summary>
    public async Task<IReadOnlyList<string>> TearDownAsync()
    {
        var problems = new List<string>();
        foreach (var stack in All.Where(s => s != Hosts && Directory.Exists(PathsOf(s).Dir)))
        {
            var r = await Cli.RunAsync(["destroy", "--stack", stack, "--yes"]);
            if (r.ExitCode != 0) problems.Add($"destroy of {stack} failed: {r}");
        }
        var hosts = await Cli.RunAsync(["destroy", "--stack", Hosts, "--yes"]);
        if (hosts.ExitCode != 0) problems.Add($"destroy of {Hosts} failed: {hosts}");
        foreach (var stack in All.Where(s => Directory.Exists(PathsOf(s).Dir)))
            Directory.Delete(PathsOf(stack).Dir, recursive: true);
        problems.AddRange(StandInLeftovers.Find());
        KeepResults();
        Project.Dispose();
        return problems;
    }
}

/// <summary>One run of the verification suite in a child process, as a lab CI job would have seen it.</summary>
public sealed record SuiteRunResult(string Stack, int ExitCode, string Output, string LogFile, string ResultsFolder, TimeSpan Elapsed, bool TimedOut)
{
    public override string ToString() =>
        $"TESTBED_STACK={Stack} dotnet test verification -> exit {ExitCode} after {Elapsed.TotalSeconds:0} s{(TimedOut ? " (timed out)" : "")}; " +
        $"log {LogFile}; last lines:\n{KeyScrub.Scrub(string.Join('\n', Output.Split('\n').TakeLast(40)))}";
}

/// <summary>What the stand-in must never leave on this machine: its guests, forwards, namespaces and state folders.</summary>
public static class StandInLeftovers
{
    public static IReadOnlyList<string> Find()
    {
        const string prefix = "ipsec-testbed-standin";
        var left = new List<string>();
        foreach (var p in Testbed.Machine.Processes.All())
            if (p.Argv.Any(a => a.StartsWith("umid=" + prefix, StringComparison.Ordinal) || a.Contains("/run/ipsec-testbed/" + prefix)))
                left.Add($"process {p.Pid} ({string.Join(' ', p.Argv.Take(2))})");
        if (Directory.Exists("/run/netns"))
            left.AddRange(Directory.GetFiles("/run/netns", prefix + "*").Select(n => $"network namespace {Path.GetFileName(n)}"));
        left.AddRange(StandIn.All.Select(s => StandIn.PathsOf(s).Dir).Where(Directory.Exists).Select(d => $"state folder {d}"));
        return left;
    }
}
