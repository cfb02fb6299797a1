using FluentAssertions;
using NUnit.Framework;
using Verification.Support;

namespace Verification.LabStandIn;

/// <summary>
/// The one-time set-up of the lab stand-in: boots its guests before the first test and, after the last, takes every
/// lab stack and the guests down, checks that the guests read back as they did before the lab's first run, and that
/// nothing of the stand-in is left on this machine.
/// </summary>
[SetUpFixture]
public sealed class StandInRun
{
    static StandIn? _standIn;

    public static StandIn StandIn => _standIn ?? throw new InvalidOperationException("the lab stand-in did not start; see the one-time set-up failure");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // The stand-in boots local guests of its own (network namespaces, raw sockets): root only. A lab CI job, which
        // runs the suite against its real hardware instead, leaves it out with TESTBED_STANDIN=0.
        if (Environment.GetEnvironmentVariable("TESTBED_STANDIN") == "0")
            Assert.Ignore("TESTBED_STANDIN=0: the lab stand-in is left out of this run");
        if (!Environment.IsPrivilegedProcess)
            Assert.Ignore("the lab stand-in boots local guests of its own and needs root");
        _standIn = StandIn.Create();
        try
        {
            await _standIn.StartAsync();
        }
        catch
        {
            var s = _standIn;
            _standIn = null;
            foreach (var line in await s.TearDownAsync()) StandIn.Say("LEFT BEHIND: " + line);
            throw;
        }
    }

    [OneTimeTearDown]
    public async Task FinishAsync()
    {
        if (_standIn is not { } s) return;
        _standIn = null;
        // Whatever the tests did, the lab stacks end destroyed: every setting back as found on the hosts.
        foreach (var stack in StandIn.All.Where(x => x != StandIn.Hosts && Directory.Exists(StandIn.PathsOf(x).Dir)))
        {
            var r = await s.Cli.RunAsync(["destroy", "--stack", stack, "--yes"]);
            if (r.ExitCode != 0) StandIn.Say($"destroy of {stack} failed: {r}");
        }
        // A guest that does not answer any more is a finding, and the guests still go: the teardown runs whatever the
        // read-back found (it once threw here and left both guests, the namespace and the forwards behind).
        IReadOnlyList<string> diffs;
        try
        {
            diffs = await s.DiffFromBeforeAsync();
        }
        catch (Exception e)
        {
            diffs = [$"the guests could not be read back: {e.Message}"];
        }
        var left = await s.TearDownAsync();
        StandIn.Say($"done in {s.Elapsed:mm\\:ss}; the guests read back {(diffs.Count == 0 ? "as before" : $"with {diffs.Count} differences")}");
        foreach (var line in left) StandIn.Say("LEFT BEHIND: " + line);
        diffs.Select(KeyScrub.Scrub).Should().BeEmpty("the lab stand-in's hosts must read back exactly as before its first run:\n" + KeyScrub.Scrub(string.Join("\n", diffs.Take(20))));
        left.Should().BeEmpty("the lab stand-in must leave no guest, forward, namespace or state folder behind");
    }
}
