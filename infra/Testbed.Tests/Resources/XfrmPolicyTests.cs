using FluentAssertions;
using NUnit.Framework;
using Testbed.Model;
using Testbed.Resources;
using Testbed.Transport;
using Testbed.Tests.Support;

namespace Testbed.Tests.Resources;

public class XfrmPolicyTests
{
    static IEnumerable<XfrmPolicy> Policies(IpsecMode mode, string protection, string host) =>
        SecurityDatabases.For(Specs.Testbed(mode, Specs.P(protection)), new FakeKeyring()).Policies
            .Where(p => p.Host.Name == host).Select(p => XfrmPolicy.For(host, p.Policy, []));

    static XfrmPolicy OutOfA() => Policies(IpsecMode.Tunnel, "esp-3des-sha1", "gw-a").Single(p => p.Dir == "out");

    [Test]
    public void Identity_and_traits()
    {
        var r = XfrmPolicy.For("gw-a", SecurityDatabases.For(Specs.Testbed(), new FakeKeyring()).Policies[0].Policy, ["gw-a/xfrm-state/x"]);
        (r.Kind.Name, r.Name, r.Urn).Should().Be(("xfrm-policy", "10.1.0.0/24>10.2.0.0/24 dir out", "gw-a/xfrm-policy/10.1.0.0/24>10.2.0.0/24 dir out"));
        r.Identity.Should().Equal(new Dictionary<string, string> { ["src"] = "10.1.0.0/24", ["dst"] = "10.2.0.0/24", ["dir"] = "out" });
        r.DependsOn.Should().Equal("gw-a/xfrm-state/x");
        r.Exclusive.Should().BeTrue();
        r.ChangeFrom(Fields.Of(("tmpl1", "x"))).Should().Be(Change.Update, "ip xfrm policy update changes templates in place");
        r.ReadScript.Should().Be("ip xfrm policy list");
    }

    [Test]
    public void Desired_lists_the_templates_in_order() =>
        OutOfA().Desired.Should().Be(Fields.Of(("tmpl1", "src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode tunnel")));

    [Test]
    public void Apply_updates_the_policy_with_its_templates() =>
        OutOfA().Apply(Reading.Absent).Script.Should().Be(
            "ip xfrm policy update src 10.1.0.0/24 dst 10.2.0.0/24 dir out tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode tunnel");

    [Test]
    public void Apply_of_a_bundle_lists_esp_then_ah() =>
        Policies(IpsecMode.Transport, "esp+ah-aes128-sha1", "gw-a").Single(p => p.Dir == "out").Apply(Reading.Absent).Script.Should().Be(
            "ip xfrm policy update src 192.0.2.1/32 dst 192.0.2.2/32 dir out" +
            " tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode transport" +
            " tmpl src 192.0.2.1 dst 192.0.2.2 proto ah reqid 1 mode transport");

    [Test]
    public void Restore_deletes_a_policy_that_was_not_there()
    {
        OutOfA().Restore(null).Script.Should().Be("ip xfrm policy delete src 10.1.0.0/24 dst 10.2.0.0/24 dir out 2>/dev/null || true");
        OutOfA().Restore(Fields.Of(("tmpl1", "x"))).Should().Be(RemoteCommand.Nothing);
    }

    [TestCase("gw-a")]
    [TestCase("gw-b")]
    public void Parse_of_real_tunnel_output_equals_the_desired_value_for_every_policy_of_the_host(string host)
    {
        var output = Fixture.Read($"captured/{host}.xfrm-policy.txt");
        var policies = Policies(IpsecMode.Tunnel, "esp-3des-sha1", host).ToList();
        policies.Should().HaveCount(3);
        foreach (var p in policies)
            p.Parse(output).Value.Should().Be(p.Desired, p.Name);
    }

    [Test]
    public void Parse_of_a_two_template_transport_bundle_equals_the_desired_value()
    {
        var output = Fixture.Read("written/xfrm-policy-esp-ah-transport.txt");
        var policies = Policies(IpsecMode.Transport, "esp+ah-aes128-sha1", "gw-a").ToList();
        policies.Should().HaveCount(2);
        foreach (var p in policies)
        {
            p.Desired.Items.Should().HaveCount(2);
            p.Parse(output).Value.Should().Be(p.Desired, p.Name);
        }
    }

    [Test]
    public void Parse_of_a_direction_not_there_is_absent()
    {
        var fwdOnA = new XfrmPolicy { Host = "gw-a", Src = "10.1.0.0/24", Dst = "10.2.0.0/24", Dir = "fwd" };
        fwdOnA.Parse(Fixture.Read("captured/gw-a.xfrm-policy.txt")).Should().Be(Reading.Absent);
        OutOfA().Parse(Fixture.Read("captured/gw-a.xfrm-state.txt")).Should().Be(Reading.Absent);
    }

    [Test]
    public void Parse_of_changed_templates_shows_the_difference()
    {
        var live = OutOfA().Parse(Fixture.Read("captured/gw-a.xfrm-policy.txt")).Value;
        var changed = OutOfA() with { Templates = [new PolicyTemplate(Specs.GwA.Address.Address, Specs.GwB.Address.Address, "esp", 5, IpsecMode.Tunnel)] };
        Fields.Diff(live, changed.Desired).Should().Equal(
            "tmpl1: src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode tunnel → src 192.0.2.1 dst 192.0.2.2 proto esp reqid 5 mode tunnel");
    }
}
