using FluentAssertions;
using NUnit.Framework;
using Testbed.Model;

namespace Verification.Performance;

/// <summary>
/// One IPsec suite in one mode, provisioned through the engine: its SA pair must be installed on both gateways as
/// declared, the stream must really pass through it, and its throughput relative to plain IP and its CPU cost must
/// hold the reference.
/// </summary>
[TestFixtureSource(typeof(SuiteCases), nameof(SuiteCases.Ipsec))]
[Order(2)]
public sealed class IpsecSuite(SuiteCase suite)
{
    [OneTimeSetUp]
    public async Task MeasureAsync() => await TestbedRun.Context.MeasureAsync(CancellationToken.None);

    string Mode => IpsecNames.Of(suite.Mode);

    [Test, Order(1)]
    public void Sa_pair_is_installed_on_both_gateways_with_matching_spis_and_algorithms()
    {
        var check = TestbedRun.Context.CheckOf(suite).SaCheck;
        check.Problems.Should().BeEmpty("both gateways must hold the SAs the engine declared for {0}; they hold: {1}", suite, check.Describe());
        check.Found.Values.Should().AllSatisfy(sas => sas.Should().NotBeEmpty($"{suite} declares SAs on both gateways"));
    }

    [TestCaseSource(typeof(SuiteCases), nameof(SuiteCases.MessageSizes)), Order(2)]
    public void Sa_counters_grow_with_the_stream(int messageSize)
    {
        var run = TestbedRun.Context;
        var spec = run.CheckOf(suite).Spec;
        // The first sample of a visit reads both gateways' SA counters around the stream.
        var full = run.Samples.Of(new SampleKey(Side.Stack, suite.Protection.Name, Mode, messageSize))
            .FirstOrDefault(t => t.Result.Sas.Select(s => s.Host).Distinct().Count() == 2)
            ?? throw new AssertionException($"{suite} at {messageSize} B has no sample with both gateways' SA counters");
        var r = full.Result;
        var (sender, receiver) = (spec.Sender.Address.Address.ToString(), spec.Receiver.Address.Address.ToString());
        var forward = r.Sas.Where(s => s.Src == sender && s.Dst == receiver).ToList();
        var reverse = r.Sas.Where(s => s.Src == receiver && s.Dst == sender).ToList();
        var sent = r.Netperf.BytesSent;
        using (new FluentAssertions.Execution.AssertionScope($"{suite} at {messageSize} B"))
        {
            // Each gateway holds every SA of the flow; the sender's outbound and the receiver's inbound SAs must each have
            // carried at least what netperf sent (the counters count whole packets).
            forward.Select(s => s.Host).Distinct().Should().BeEquivalentTo([spec.Sender.Name, spec.Receiver.Name],
                "the forward SAs must be found on both gateways before and after the run");
            foreach (var sa in forward)
                sa.Bytes.Should().BeGreaterThanOrEqualTo(sent, $"{sa.Host} {sa.Sa} must have carried the {sent} bytes netperf sent");
            reverse.Should().NotBeEmpty("the reverse SAs carry the receiver's ACKs");
            foreach (var sa in reverse)
                sa.Packets.Should().BePositive($"{sa.Host} {sa.Sa} must have carried the ACKs");
            foreach (var sa in forward.Concat(reverse))
                sa.Failed.Should().Be(0, $"{sa.Host} {sa.Sa} must not have failed any integrity check");
        }
    }

    [TestCaseSource(typeof(SuiteCases), nameof(SuiteCases.MessageSizes)), Order(3)]
    public void Performance_holds_the_reference(int messageSize) =>
        Verdicts.AssertHolds(TestbedRun.Context.Judge(new SampleKey(Side.Stack, suite.Protection.Name, Mode, messageSize), suite.Protection.Label));
}
