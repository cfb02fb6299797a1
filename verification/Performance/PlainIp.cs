using FluentAssertions;
using NUnit.Framework;
using Testbed.Model;

namespace Verification.Performance;

/// <summary>
/// Plain IP in one mode: the reference every suite's ratio is taken against. Its stream must not pass through IPsec
/// (beside a tunnel, on the link addresses its policies do not select, no SA may count a byte of it; on a visit of its
/// own, no SA may be installed), and its CPU cost (and on lab hardware its throughput) must hold the reference.
/// </summary>
[TestFixtureSource(typeof(SuiteCases), nameof(SuiteCases.Plain))]
[Order(1)]
public sealed class PlainIp(SuiteCase suite)
{
    [OneTimeSetUp]
    public async Task MeasureAsync() => await TestbedRun.Context.MeasureAsync(CancellationToken.None);

    [Test, Order(1)]
    public void No_sa_carries_the_plain_stream()
    {
        var run = TestbedRun.Context;
        if (run.Measured(suite))
            run.CheckOf(suite).SaCheck.Problems.Should().BeEmpty("plain IP must not pass through IPsec; the gateways hold: {0}", run.CheckOf(suite).SaCheck.Describe());
        var samples = run.Samples.All.Where(t => t.Result.Key.Protection == Protection.Plain.Name && t.Result.Key.Mode == IpsecNames.Of(suite.Mode)).ToList();
        samples.Should().NotBeEmpty($"plain IP must have been measured in {IpsecNames.Of(suite.Mode)} mode");
        // A visit's first round reads the SA counters (later rounds spare the xfrm reads). Beside a tunnel (plain IP had
        // no visit of its own) those samples list the tunnel's SAs, none of which may have counted the plain stream.
        var counted = samples.Where(t => t.Result.Sas.Count > 0).ToList();
        if (!run.Measured(suite))
            counted.Should().NotBeEmpty("plain IP beside a tunnel must have samples that read the tunnel's SA counters");
        foreach (var t in counted)
            t.Result.Sas.Should().OnlyContain(sa => sa.Bytes == 0 && sa.Packets == 0,
                $"no SA may carry the plain IP stream ({t.Result.Key}, visit {t.Visit}): plain IP is the reference, not another tunnel");
    }

    [TestCaseSource(typeof(SuiteCases), nameof(SuiteCases.MessageSizes)), Order(2)]
    public void Performance_holds_the_reference(int messageSize) =>
        Verdicts.AssertHolds(TestbedRun.Context.Judge(new SampleKey(Side.Stack, Protection.Plain.Name, IpsecNames.Of(suite.Mode), messageSize), Protection.Plain.Label));
}
