using FluentAssertions;
using NUnit.Framework;

namespace Verification.Performance;

/// <summary>
/// Plain IP in one mode: the reference every suite's ratio is taken against. Its path must hold no SA and no
/// policy, and its CPU cost (and on lab hardware its throughput) must hold the baseline.
/// </summary>
[TestFixtureSource(typeof(SuiteCases), nameof(SuiteCases.Plain))]
[Order(1)]
public sealed class PlainIp(SuiteCase suite)
{
    SuiteRun _run = null!;

    [OneTimeSetUp]
    public async Task MeasureAsync() => _run = await TestbedRun.Context.SuiteAsync(suite, CancellationToken.None);

    [Test, Order(1)]
    public void No_sa_or_policy_is_in_the_path()
    {
        _run.SaCheck.Problems.Should().BeEmpty("plain IP must not pass through IPsec; the gateways hold: {0}", _run.SaCheck.Describe());
        foreach (var r in _run.Results.Values)
            r.Sas.Should().BeEmpty($"no SA may exist while plain IP is measured ({r.Key})");
    }

    [TestCaseSource(typeof(SuiteCases), nameof(SuiteCases.MessageSizes)), Order(2)]
    public void Performance_holds_the_baseline(int messageSize) => Verdicts.AssertHolds(_run.At(messageSize));
}
