using FluentAssertions;
using NUnit.Framework;

namespace Verification.Performance;

/// <summary>
/// One IPsec suite in one mode, provisioned through the engine: its SA pair must be installed on both gateways as
/// declared, the stream must really pass through it, and its throughput relative to plain IP and its CPU cost
/// must hold the baseline.
/// </summary>
[TestFixtureSource(typeof(SuiteCases), nameof(SuiteCases.Ipsec))]
[Order(2)]
public sealed class IpsecSuite(SuiteCase suite)
{
    SuiteRun _run = null!;

    [OneTimeSetUp]
    public async Task MeasureAsync() => _run = await TestbedRun.Context.SuiteAsync(suite, CancellationToken.None);

    [Test, Order(1)]
    public void Sa_pair_is_installed_on_both_gateways_with_matching_spis_and_algorithms()
    {
        _run.SaCheck.Problems.Should().BeEmpty("both gateways must hold the SAs the engine declared for {0}; they hold: {1}",
            suite, _run.SaCheck.Describe());
        _run.SaCheck.Found.Values.Should().AllSatisfy(sas => sas.Should().NotBeEmpty($"{suite} declares SAs on both gateways"));
    }

    [TestCaseSource(typeof(SuiteCases), nameof(SuiteCases.MessageSizes)), Order(2)]
    public void Sa_counters_grow_with_the_stream(int messageSize)
    {
        var r = _run.At(messageSize);
        var forward = _run.Forward(r).ToList();
        var reverse = _run.Reverse(r).ToList();
        var sent = r.Netperf.BytesSent;
        using (new FluentAssertions.Execution.AssertionScope($"{suite} at {messageSize} B"))
        {
            // Each gateway holds every SA of the flow; the sender's outbound and the receiver's inbound SAs must each have
            // carried at least what netperf sent in its last iteration (the counters count whole packets).
            forward.Select(s => s.Host).Distinct().Should().BeEquivalentTo([_run.Spec.Sender.Name, _run.Spec.Receiver.Name],
                "the forward SAs must be found on both gateways before and after the run");
            foreach (var sa in forward)
                sa.Bytes.Should().BeGreaterThanOrEqualTo(sent, $"{sa.Host} {sa.Sa} must have carried the {sent} bytes netperf sent in its last iteration");
            reverse.Should().NotBeEmpty("the reverse SAs carry the receiver's ACKs");
            foreach (var sa in reverse)
                sa.Packets.Should().BePositive($"{sa.Host} {sa.Sa} must have carried the ACKs");
            foreach (var sa in forward.Concat(reverse))
                sa.Failed.Should().Be(0, $"{sa.Host} {sa.Sa} must not have failed any integrity check");
        }
    }

    [TestCaseSource(typeof(SuiteCases), nameof(SuiteCases.MessageSizes)), Order(3)]
    public void Performance_holds_the_baseline(int messageSize) => Verdicts.AssertHolds(_run.At(messageSize));
}
