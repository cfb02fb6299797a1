using FluentAssertions;
using NUnit.Framework;
using Testbed.Measurement;
using Testbed.Model;
using Testbed.Resources;
using Testbed.Tests.Support;
using Testbed.Transport;

namespace Testbed.Tests.Measurement;

public class SaPairCheckTests
{
    /// <summary>A gateway that answers the check's script with fixed state and policy dumps, under the script's own marker.</summary>
    sealed class Dumps(string name, string states, string policies) : IHostShell
    {
        public string Name => name;
        public string Endpoint => "fixture";
        public Task ConnectAsync(CancellationToken ct) => Task.CompletedTask;
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public Task<CommandResult> RunAsync(RemoteCommand command, string step, TimeSpan timeout, CancellationToken ct)
        {
            var marker = command.Script.Split('\n')[0].Split(' ')[1];
            return Task.FromResult(new CommandResult(0, $"{marker} state\n{states}{marker} policy\n{policies}{marker} end\n", ""));
        }
    }

    /// <summary>The SAs the engine declares for the captured testbed (ESP tunnel, 3des-sha1, the fixture's keys).</summary>
    static IReadOnlyList<XfrmState> Declared(string protection = "esp-3des-sha1") =>
        GatewayTestbed.Declare(Specs.Testbed(IpsecMode.Tunnel, Specs.P(protection)), Specs.CapturedKeys(), []).OfType<XfrmState>().ToList();

    static Dictionary<string, IHostShell> Gateways(string statesA, string statesB, string policies = "") => new()
    {
        ["gw-a"] = new Dumps("gw-a", statesA, policies),
        ["gw-b"] = new Dumps("gw-b", statesB, policies),
    };

    [Test]
    public async Task The_captured_pair_matches_its_declaration_on_both_gateways()
    {
        var report = await SaPairCheck.CheckAsync(Declared(), Gateways(Fixture.Read("captured/gw-a.xfrm-state.txt"), Fixture.Read("captured/gw-b.xfrm-state.txt")), default);
        report.Problems.Should().BeEmpty();
        report.Found["gw-a"].Should().HaveCount(2).And.Contain(s => s.StartsWith("esp spi 0x00001001 192.0.2.1>192.0.2.2 reqid 1 mode tunnel"));
        report.Describe().Should().NotContain(Fixture.ForwardEnc[2..], "keys appear as fingerprints only");
    }

    [Test]
    public async Task Another_suite_a_missing_sa_and_an_extra_sa_are_each_named()
    {
        var a = Fixture.Read("captured/gw-a.xfrm-state.txt");
        var onlyReverse = a[..a.IndexOf("src 192.0.2.1 dst 192.0.2.2", StringComparison.Ordinal)];
        var report = await SaPairCheck.CheckAsync(Declared("esp-aes128-sha1"), Gateways(a, onlyReverse), default);
        report.Ok.Should().BeFalse();
        report.Problems.Should().Contain(p => p.StartsWith("gw-a: esp spi 0x00001001 192.0.2.1>192.0.2.2 differs") && p.Contains("cbc(aes)"));
        report.Problems.Should().Contain("gw-b: esp spi 0x00001001 192.0.2.1>192.0.2.2 is missing");

        var plain = await SaPairCheck.CheckAsync([], Gateways(a, ""), default);
        plain.Problems.Should().Contain(p => p.Contains("gw-a: an SA that the case does not declare is installed: esp spi 0x00001002"));
    }

    [Test]
    public async Task Plain_ip_fails_on_a_left_over_policy()
    {
        var clean = await SaPairCheck.CheckAsync([], Gateways("", ""), default);
        clean.Ok.Should().BeTrue();
        clean.Describe().Should().Be("gw-a: no SA, no policy; gw-b: no SA, no policy");

        var policy = await SaPairCheck.CheckAsync([], Gateways("", "", Fixture.Read("captured/gw-a.xfrm-policy.txt")), default);
        policy.Problems.Should().Contain(p => p.StartsWith("gw-a: plain IP, yet") && p.Contains("10.2.0.0/24>10.1.0.0/24 fwd"));
    }
}
