using System.Diagnostics;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Engine;
using Testbed.Resources;
using Testbed.Transport;

using Verification.Support;

namespace Verification.Faults;

/// <summary>
/// A dropped SSH connection mid-run: a bounded retry, then a clear error naming host and step (issue 5, part 3).
/// The network is the proxy in front of each guest; sshd and the kernels behind it are real.
/// </summary>
[TestFixture, Order(2)]
public sealed class ConnectionDropTests
{
    static FaultLab Lab => FaultsRun.Lab;

    /// <summary>A setting the lab manages, put back to the guests' boot value by hand so that up has a step to run.</summary>
    const string Knob = "net.core.rmem_max", KnobBoot = "212992";

    /// <param name="when">Between two steps (the transport sees the connection gone when it next uses it), or inside
    /// a command (the cut follows the tool's first request of the step; the command must be run again).</param>
    [Order(1)]
    [TestCase("between two steps")]
    [TestCase("inside a command")]
    public async Task A_connection_dropped_once_mid_run_is_reopened_and_the_step_run_again(string when)
    {
        await Lab.EnsureUpAsync();
        foreach (var host in FaultLab.Hosts) await Lab.SetByHandAsync(host, $"sysctl -w {Knob}={KnobBoot}");
        var acceptedBefore = Lab.Proxies.ToDictionary(p => p.Key, p => p.Value.Accepted);

        // In this process, so that the cut lands where the test wants it: at the first step the engine reports (hosts
        // read, connections open), either at once or at the next request the tool sends. Every connection is reset once.
        var inside = when == "inside a command";
        var resetBefore = Lab.Proxies.Values.Sum(p => p.Reset);
        var reporter = new HookReporter(_ =>
        {
            foreach (var p in Lab.Proxies.Values)
                if (inside) p.DropOnNextRequest();
                else p.DropAll();
        });
        ApplyResult result;
        await using (var d = Lab.OpenLab("up", reporter))
            (_, result) = await d.UpAsync(null, CancellationToken.None);
        Cli.Record(reporter.Text);
        var opened = FaultLab.Hosts.ToDictionary(h => h, h => Lab.Proxies[h].Accepted - acceptedBefore[h]);
        var cut = Lab.Proxies.Values.Sum(p => p.Reset) - resetBefore;

        cut.Should().BeGreaterThanOrEqualTo(FaultLab.Hosts.Length, "both hosts' connections must have been open to be cut");
        result.Failed.Should().BeFalse("one dropped connection must be retried, not fail the run:\n" + KeyScrub.Scrub(reporter.Text));
        foreach (var host in FaultLab.Hosts)
        {
            result.Outcomes.Should().Contain(o => o.Step.Host == host && o.Step.Id.Name == Knob && o.Outcome == Outcome.Changed,
                $"{host}'s {Knob} must have been set again after the cut");
            opened[host].Should().BeGreaterThanOrEqualTo(2,
                $"the transport must have opened a new connection to {host} after the cut");
        }

        var converged = await Convergence.AssertAsync(Lab, "after a dropped connection");
        converged.UpChanged.Should().Be(0, "the retried run must have done everything already");
        foreach (var _ in FaultLab.Hosts) Lab.Tally.DropSurvived();
        FaultLab.Say($"drop ({when}): {cut} connections reset; connections per host during the run " +
                     string.Join(", ", opened.Select(o => $"{o.Key} {o.Value}")) +
                     $"; the run succeeded ({result.Count(Outcome.Changed)} changed)");
    }

    [Test, Order(2)]
    public async Task A_connection_lost_for_good_fails_the_step_naming_host_and_step_within_a_bounded_time()
    {
        await Lab.EnsureUpAsync();
        var (victim, other) = (FaultLab.Hosts[0], FaultLab.Hosts[1]);
        // Three settings on the victim: the cut lands before one of them is sent, whichever the run has reached.
        await Lab.SetByHandAsync(victim, $"sysctl -w {Knob}={KnobBoot} net.core.wmem_max={KnobBoot} net.ipv4.tcp_rmem='4096 131072 1000000'");
        await Lab.SetByHandAsync(other, $"sysctl -w {Knob}={KnobBoot}");

        // Through the CLI, as a user sees it: at the victim's first step line its proxy resets every connection and
        // refuses new ones (its SSH port is gone).
        var clock = new Stopwatch();
        var run = Lab.Cli.Start(["up", "--stack", Stacks.Lab, "--yes"], onLine: (line, _) =>
        {
            if (!clock.IsRunning && line.StartsWith($"  {victim} ", StringComparison.Ordinal))
            {
                Lab.Proxies[victim].Refuse();
                clock.Start();
            }
        });
        var r = await run.WaitAsync(TimeSpan.FromMinutes(5));
        var elapsed = clock.Elapsed;
        Lab.Proxies[victim].Resume();

        var o = SshOptions.Default;
        var bound = Bound(o);
        r.ExitCode.Should().Be(1, $"a step that failed makes up exit 1: {r}");
        clock.IsRunning.Should().BeTrue("the cut must have happened");
        elapsed.Should().BeLessThan(bound, $"the failure must come within {o.ConnectAttempts} attempts of {o.ConnectTimeout.TotalSeconds:0} s plus the delays");

        var failed = r.Stdout.Split('\n').Where(l => Convergence.StepLine().Match(l) is { Success: true } m && m.Groups[1].Value == "failed").ToList();
        failed.Should().ContainSingle($"exactly one step fails: {r}");
        var line = failed[0];
        line.Should().StartWith($"  {victim} ", "the failed line names the host");
        line.Should().MatchRegex("(lost the connection during|connection gone before) [a-z]+ ", "the failed line says what happened to the connection, and in which step");
        var failedStep = ThreeWords(line);
        line.Should().Contain($"{failedStep.Kind} {failedStep.Name}", "the message names the step it failed in");
        r.Stdout.Should().Contain("not attempted after an earlier failure", "the victim's later steps are not sent to a host that is gone");
        r.Stdout.Split('\n').Should().Contain(l => l.StartsWith($"  {other} ") && l.Contains(Knob) && l.Contains(" changed "),
            $"{other} carries on: {r}");

        // The checkpoint still parses, and the failed step's record is there: pending (the command may or may not
        // have reached the host) or applied, never lost.
        var state = StateCheck.Read(Stacks.Lab);
        var record = state.State.Resources.SingleOrDefault(x => x.Host == victim && Convergence.Name(x) == failedStep.Name && x.Kind.Name == failedStep.Kind);
        record.Should().NotBeNull($"the record of the failed step ({failedStep}) must not be lost");
        record!.Status.Should().BeOneOf(RecordStatus.Pending, RecordStatus.Applied);

        var converged = await Convergence.AssertAsync(Lab, "after the SSH port came back");
        Lab.Tally.LostForGood();
        FaultLab.Say($"lost for good: {victim} failed {elapsed.TotalSeconds:0.0} s after the cut (bound {bound.TotalSeconds:0} s from " +
                     $"{o.ConnectAttempts} x {o.ConnectTimeout.TotalSeconds:0} s + delays): \"{KeyScrub.Scrub(line.Trim())}\"; record {record.Status}; " +
                     $"{other} went on; after the port came back up changed {converged.UpChanged} and converged");
    }

    /// <summary>
    /// The longest a step may take to fail once its host is gone: the command's own attempt, then a reconnect of
    /// ConnectAttempts x ConnectTimeout with growing delays between, plus the CLI's own start and exit on a busy machine.
    /// </summary>
    public static TimeSpan Bound(SshOptions o) =>
        o.ConnectTimeout * o.ConnectAttempts + o.RetryDelay * (o.CommandAttempts + o.ConnectAttempts * (o.ConnectAttempts - 1) / 2.0)
        + TimeSpan.FromSeconds(15);

    /// <summary>host, kind and name of a step line ("  gw-a   sysctl   net.core.rmem_max   failed ...").</summary>
    static (string Host, string Kind, string Name) ThreeWords(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var end = Array.IndexOf(words, "failed");
        return (words[0], words[1], string.Join(' ', words[2..end]));
    }
}
