using FluentAssertions;
using NUnit.Framework;
using Testbed.Local;
using Testbed.Measurement;
using Verification.Support;

namespace Verification.LabStandIn;

/// <summary>
/// The lab path end to end, every CI run (issue 11): the verification suite through the ssh provider against hosts the
/// tool did not create, exactly as a lab CI job runs it, first as root recording the lab's baseline, then as an
/// ordinary user through <c>sudo -n</c> judged against it (its inventory says <c>hardware: shared</c>, as guests on this
/// machine are: the IPsec suites are judged pooled and each case shown, as for a lab of cloud VMs; absolute throughput
/// per case, judged on dedicated lab hardware, swung 30 % between the two runs here); and the ways
/// lab hosts differ from the embedded ones: a user without sudo, an MTU the NIC does not take, a changed host key, a NIC
/// without a coalescing knob. Each refusal must come before anything is applied.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class StandInTests
{
    static StandIn S => StandInRun.StandIn;

    // Performance and wire proofs; not the stand-in itself, nor the fault and bench tests (a lab job leaves those out).
    const string SuiteFilter = "FullyQualifiedName~Verification.Performance";
    const string MeasureOnlyFilter = SuiteFilter + "&FullyQualifiedName!~Verification.Performance.Wire";

    static readonly TimeSpan SuiteTimeout = TimeSpan.FromMinutes(20);

    [Test, Order(1)]
    public async Task A_user_without_passwordless_sudo_is_refused_before_anything_is_applied()
    {
        var up = await S.Cli.RunAsync(["up", "--stack", StandIn.LabNoSudo, "--yes"]);
        up.ExitCode.Should().Be(2, $"a user who cannot become root is bad input: {up}");
        up.Output.Should().Contain($"user {GuestImage.PlainUser} cannot run commands as root without a password")
            .And.Contain("nothing was changed on any host");
        (await S.DiffFromBeforeAsync()).Should().BeEmpty("nothing may be applied for a user who cannot apply it");
    }

    [Test, Order(2)]
    public async Task A_stack_mtu_above_what_the_nics_take_is_refused_before_anything_is_applied()
    {
        var up = await S.Cli.RunAsync(["up", "--stack", StandIn.LabJumbo, "--yes"]);
        up.ExitCode.Should().Be(2, $"an MTU the hosts cannot carry is bad input: {up}");
        up.Output.Should().Contain("vec0 takes an MTU of at most 1500").And.Contain("the stack asks for 9000");
        (await S.DiffFromBeforeAsync()).Should().BeEmpty("a refused MTU must leave the hosts untouched");
        File.Exists(StandIn.PathsOf(StandIn.LabJumbo).Keys).Should().BeFalse("no key is generated for a plan that is not applied");
        File.Exists(StandIn.PathsOf(StandIn.LabJumbo).State).Should().BeFalse("nothing was applied, so nothing is recorded");
    }

    [Test, Order(3)]
    public async Task A_nic_without_a_coalescing_knob_is_skipped_and_said_so_and_a_changed_host_key_is_refused_with_both_fingerprints()
    {
        var up = await S.Cli.RunAsync(["up", "--stack", StandIn.Lab, "--yes"]);
        up.ExitCode.Should().Be(0, $"the lab stand-in must come up: {up}");
        foreach (var host in StandIn.Gateways)
            up.Stdout.Should().MatchRegex($@"{host}\s+ethtool-coalesce\s+vec0 rx-usecs\s+skipped\s+skipped: vec0 has no rx-usecs",
                "a knob the lab NIC lacks is skipped, and the line says why");

        // The pin says another key than the host shows: what a rebuilt (or impersonated) host looks like to the tool.
        var pins = StandIn.PathsOf(StandIn.Lab).KnownHosts;
        var real = File.ReadAllLines(pins).Single(l => l.StartsWith("gw-a ")).Split(' ')[1]["SHA256:".Length..];
        const string pinned = "u5Bvk2l0hQ8F7m8yYbqZfC3QF6nQ2b6xX8b3eZ0vWkA";
        File.WriteAllLines(pins, File.ReadAllLines(pins).Select(l => l.StartsWith("gw-a ") ? $"gw-a SHA256:{pinned}" : l));
        var refused = await S.Cli.RunAsync(["up", "--stack", StandIn.Lab, "--yes"]);
        refused.ExitCode.Should().Be(2, $"a changed host key is refused: {refused}");
        refused.Output.Should().Contain($"host key of gw-a changed: pinned SHA256:{pinned}, offered SHA256:{real}");

        File.WriteAllLines(pins, File.ReadAllLines(pins).Select(l => l.StartsWith("gw-a ") ? $"gw-a SHA256:{real}" : l));
        var destroy = await S.Cli.RunAsync(["destroy", "--stack", StandIn.Lab, "--yes"]);
        destroy.ExitCode.Should().Be(0, $"the lab stand-in must be put back: {destroy}");
        (await S.DiffFromBeforeAsync()).Should().BeEmpty("destroy puts every setting back as found");
    }

    [Test, Order(4)]
    public async Task The_suite_records_the_lab_baseline_through_the_ssh_provider_as_root()
    {
        var run = await S.RunSuiteAsync(StandIn.Lab, MeasureOnlyFilter, new Dictionary<string, string> { ["TESTBED_RECORD_BASELINE"] = "1" }, SuiteTimeout);
        run.ExitCode.Should().Be(0, run.ToString());
        var baseline = BaselineFile.Read(Path.Combine(S.Project.Dir, "verification", "baselines", $"{StandIn.Lab}.json"));
        baseline.Should().NotBeNull($"the run must record verification/baselines/{StandIn.Lab}.json in the lab project: {run}");
        baseline!.Entries.Should().HaveCount(Profile.Load("quick").Cases.Count * Profile.Load("quick").MessageSizes.Count, "every case of the quick profile is recorded");
        baseline.Entries.Should().OnlyContain(e => e.CpuSource == CpuSources.GuestProcStat,
            "a lab host's CPU comes from its own /proc/stat; there is no outside view");
        (await S.DiffFromBeforeAsync()).Should().BeEmpty("the run leaves the lab as it found it");
    }

    [Test, Order(5)]
    public async Task The_whole_suite_passes_against_that_baseline_as_a_sudo_user_and_leaves_the_lab_as_found()
    {
        // The same hosts as the recording run, reached as another user: judged against the baseline recorded as root.
        var run = await S.RunSuiteAsync(StandIn.LabAsUser, SuiteFilter, new Dictionary<string, string> { ["TESTBED_BASELINE"] = StandIn.Lab }, SuiteTimeout);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain($"vec0 (outgoing) on gw-b ({GuestImage.SudoUser}@127.0.0.1",
            "on a lab the wire is what each gateway sends on its data NIC");

        var results = Directory.GetFiles(Path.Combine(S.Project.Dir, "verification", "results"), "results.json", SearchOption.AllDirectories)
            .Select(ResultFiles.Read).Single(r => r.Run.Stack == StandIn.LabAsUser);
        results.Run.Provider.Should().Be("ssh");
        results.Cases.Should().NotBeEmpty().And.OnlyContain(c => c.CpuSource == CpuSources.GuestProcStat);
        results.Cases.SelectMany(c => c.Cpu).Should().OnlyContain(g => g.ProcStat != null && g.ProcStat.CorePercent > 0.5,
            "no gateway may read idle while a stream crossed it");
        (await S.DiffFromBeforeAsync()).Should().BeEmpty("the run leaves the lab as it found it");
    }
}
