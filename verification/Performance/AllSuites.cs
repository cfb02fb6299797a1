using NUnit.Framework;

namespace Verification.Performance;

/// <summary>
/// The IPsec suites judged together, per mode and message size and metric: what a change that costs every suite a
/// little (a declaration, a kernel, a rule on the gateway) looks like, seen with all their samples at once.
/// </summary>
[TestFixture, Order(3)]
public sealed class AllSuites
{
    [OneTimeSetUp]
    public async Task MeasureAsync() => await TestbedRun.Context.MeasureAsync(CancellationToken.None);

    [Test]
    public void The_ipsec_suites_together_hold_the_reference()
    {
        var verdicts = TestbedRun.Context.PooledVerdicts();
        if (verdicts.Count == 0) Assert.Ignore("the profile measures fewer than two IPsec suites per mode and size: nothing to pool");
        var failed = verdicts.Where(v => !v.Passed).ToList();
        if (TestbedRun.Context.FirstLook is { } first)
            TestContext.Out.WriteLine($"first look: {first.Summary}; measured again, judged on the second look:");
        foreach (var v in verdicts) TestContext.Out.WriteLine($"{v.Subject}: {v.Summary}");
        if (failed.Count == 0) return;
        foreach (var v in failed) Verdicts.AssertHolds(v);
    }
}
