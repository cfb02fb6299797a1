using NUnit.Framework;

using Verification.Support;

namespace Verification.Faults;

/// <summary>
/// The one-time set-up of the fault and secret tests (issue 5, parts 2 and 3): boots the guests and brings up the lab
/// stack before the first test, and takes everything down after the last, whatever happened in between, then checks
/// that nothing of it is left and prints the counts.
/// </summary>
[SetUpFixture]
public sealed class FaultsRun
{
    static FaultLab? _lab;

    public static FaultLab Lab => _lab ?? throw new InvalidOperationException("the fault lab did not start; see the one-time set-up failure");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // These tests bring up a local testbed of their own (network namespaces, raw sockets): root only. A lab CI
        // job that only verifies its hardware may leave them out with TESTBED_FAULTS=0.
        if (Environment.GetEnvironmentVariable("TESTBED_FAULTS") == "0")
            Assert.Ignore("TESTBED_FAULTS=0: the fault and secret tests are left out of this run");
        if (!Environment.IsPrivilegedProcess)
            Assert.Ignore("the fault and secret tests drive a local testbed of their own and need root");
        _lab = FaultLab.Create();
        try
        {
            await _lab.StartAsync();
        }
        catch
        {
            // No test will run: take down what did start, and let the set-up's own failure be the one reported.
            var lab = _lab;
            _lab = null;
            foreach (var line in await lab.TearDownAsync()) FaultLab.Say("LEFT BEHIND: " + line);
            throw;
        }
    }

    [OneTimeTearDown]
    public async Task FinishAsync()
    {
        if (_lab is not { } lab) return;
        _lab = null;
        var left = await lab.TearDownAsync();
        FaultLab.Say(lab.Tally.Summary(lab.Elapsed));
        foreach (var line in left) FaultLab.Say("LEFT BEHIND: " + line);
        if (left.Count > 0)
            Assert.Fail("the fault tests left things behind:\n" + KeyScrub.Scrub(string.Join("\n", left)));
    }
}
