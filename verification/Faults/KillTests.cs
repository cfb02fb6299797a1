using FluentAssertions;
using NUnit.Framework;

using Verification.Support;

namespace Verification.Faults;

/// <summary>
/// SIGKILL in the middle of up, then up again: it converges, nothing lost or applied twice (issue 5, part 3).
/// The up that is killed has a full run of work: either the guests were rebooted behind the tool's back (every
/// runtime setting gone, records kept) or the stack was destroyed (a first up, records made as it goes).
/// </summary>
[TestFixture, Order(1)]
public sealed class KillTests
{
    static FaultLab Lab => FaultsRun.Lab;

    [TestCase(1, "reboot")]
    [TestCase(6, "destroy")]
    [TestCase(15, "reboot")]
    public async Task Up_killed_after_the_nth_change_converges_on_the_next_up(int n, string how)
    {
        await Lab.EnsureUpAsync();
        var originals = Originals();

        if (how == "reboot")
            await Lab.RebootGuestsAsync();
        else
        {
            var destroy = await Lab.Cli.RunAsync(["destroy", "--stack", Stacks.Lab, "--yes"]);
            destroy.ExitCode.Should().Be(0, $"destroy must succeed: {destroy}");
        }

        var seen = 0;
        var run = Lab.Cli.Start(["up", "--stack", Stacks.Lab, "--yes"], onLine: (line, p) =>
        {
            if (Convergence.IsChangeLine(line) && Interlocked.Increment(ref seen) == n) p.Kill();
        });
        var killed = await run.WaitAsync(TimeSpan.FromMinutes(5));
        killed.Killed.Should().BeTrue($"the up must still be running at its change #{n}: {killed}");
        killed.ExitCode.Should().Be(128 + 9, "the up must have died of SIGKILL");
        killed.Stdout.Should().NotContain("Duration:", "the up must not have finished");

        // Right after the kill: the checkpoint parses, holds nothing twice, and at most the steps in flight are unsettled.
        var atKill = StateCheck.Read(Stacks.Lab);
        atKill.DuplicateUrns.Should().BeEmpty("a kill must not leave a setting recorded twice");
        var doneBeforeKill = Convergence.ChangeLines(killed.Stdout).Count;

        var converged = await Convergence.AssertAsync(Lab, $"after SIGKILL at change #{n} ({how})");
        Originals().Should().BeEquivalentTo(originals,
            "every setting must still remember the value it had before the lab's first up (what destroy puts back)");

        Lab.Tally.Kill();
        FaultLab.Say($"kill ({how}): SIGKILL after change #{n} ({doneBeforeKill} changes printed by then, {atKill.Unsettled.Count} records " +
                     $"pending in the checkpoint); the next up changed {converged.UpChanged} in {converged.UpTime.TotalSeconds:0.0} s and converged; " +
                     $"{converged.SasCounted} SAs, {converged.PoliciesCounted} policies, each once; ping {converged.PingsReceived}/3");
    }

    /// <summary>Setting -> the value found before the lab's first change, from the checkpoint.</summary>
    static Dictionary<string, string> Originals() =>
        StateCheck.Read(Stacks.Lab).State.Resources.ToDictionary(r => r.Urn, r => r.Original?.ToString() ?? "(absent)");
}
