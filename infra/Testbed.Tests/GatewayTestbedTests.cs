using FluentAssertions;
using NUnit.Framework;
using Testbed.Engine;
using Testbed.Model;
using Testbed.Resources;
using Testbed.Tests.Support;

namespace Testbed.Tests;

public class GatewayTestbedTests
{
    static readonly WireEnd[] Wire = [new("wire", "veth-a"), new("wire", "veth-b")];

    static IReadOnlyList<Resource> Declare(IpsecMode mode, string protection, Link? link = null) =>
        GatewayTestbed.Declare(Specs.Testbed(mode, Specs.P(protection), link: link), new FakeKeyring(), Wire);

    static Dictionary<string, int> KindsOn(IEnumerable<Resource> resources, string host) =>
        resources.Where(r => r.Host == host).GroupBy(r => r.Kind.Name).ToDictionary(g => g.Key, g => g.Count());

    public static IEnumerable<TestCaseData> Combinations() =>
        from mode in new[] { IpsecMode.Transport, IpsecMode.Tunnel }
        from p in new[] { "plain", "ah-md5", "esp-aes128-sha1", "esp-aes128gcm16", "esp+ah-3des-sha1" }
        from link in new[] { "unshaped", "100mbit" }
        select new TestCaseData(mode, p, link).SetName($"{IpsecNames.Of(mode)} {p} {link}");

    [Test]
    public void Tunnel_mode_declares_per_gateway_tools_kernel_nic_mtu_site_and_ipsec()
    {
        var resources = Declare(IpsecMode.Tunnel, "esp-aes128-sha1");
        foreach (var host in new[] { "gw-a", "gw-b" })
            KindsOn(resources, host).Should().BeEquivalentTo(new Dictionary<string, int>
            {
                ["package"] = 5, ["sysctl"] = 7, ["ethtool-coalesce"] = 2, ["mtu"] = 1,
                ["link"] = 1, ["addr"] = 1, ["route"] = 1,
                ["xfrm-state"] = 2,      // both SAs on both gateways
                ["xfrm-policy"] = 3,     // out for what it sends, in and fwd for what it receives
            }, host);
        resources.Should().NotContain(r => r is Shaper, "the link is unshaped");
    }

    [Test]
    public void Transport_mode_declares_no_site_and_no_fwd_policies()
    {
        var resources = Declare(IpsecMode.Transport, "esp-aes128-sha1");
        resources.Should().NotContain(r => r is DummyLink || r is Address || r is Route);
        resources.OfType<XfrmPolicy>().Should().HaveCount(4).And.NotContain(p => p.Dir == "fwd");
    }

    [Test]
    public void Esp_ah_declares_four_sas_on_each_gateway()
    {
        var resources = Declare(IpsecMode.Tunnel, "esp+ah-3des-sha1");
        KindsOn(resources, "gw-a")["xfrm-state"].Should().Be(4);
        KindsOn(resources, "gw-b")["xfrm-state"].Should().Be(4);
    }

    [Test]
    public void Plain_ip_declares_no_xfrm_resources() =>
        Declare(IpsecMode.Tunnel, "plain").Should().NotContain(r => r is XfrmState || r is XfrmPolicy);

    [Test]
    public void A_shaped_link_puts_a_shaper_on_each_end_of_the_wire()
    {
        var shapers = Declare(IpsecMode.Tunnel, "esp-aes128-sha1", Link.Parse("100mbit")).OfType<Shaper>().ToList();
        shapers.Select(s => (s.Host, s.Dev, s.RateMbit, s.Mtu)).Should().BeEquivalentTo(new[] { ("wire", "veth-a", 100, 1500), ("wire", "veth-b", 100, 1500) });
    }

    [Test]
    public void Site_address_and_route_point_at_the_peer()
    {
        var resources = Declare(IpsecMode.Tunnel, "esp-aes128-sha1");
        var addr = resources.OfType<Address>().Single(a => a.Host == "gw-a");
        var route = resources.OfType<Route>().Single(r => r.Host == "gw-a");
        var link = resources.OfType<DummyLink>().Single(l => l.Host == "gw-a");
        (addr.Dev, addr.Cidr).Should().Be((GatewayTestbed.SiteDev, "10.1.0.1/24"));
        (route.To, route.Via, route.Src).Should().Be(("10.2.0.0/24", "192.0.2.2", "10.1.0.1"));
        addr.DependsOn.Should().Equal(link.Urn);
        route.DependsOn.Should().Equal(addr.Urn);
    }

    [Test]
    public void Profile_coalescing_is_best_effort_on_the_data_nic()
    {
        var coalesce = Declare(IpsecMode.Tunnel, "esp-aes128-sha1").OfType<NicCoalesce>().ToList();
        coalesce.Should().HaveCount(4).And.OnlyContain(c => c.BestEffort && c.Dev == "vec0" && c.Value == 64);
    }

    [TestCaseSource(nameof(Combinations))]
    public void Urns_are_unique(IpsecMode mode, string protection, string link)
    {
        var resources = Declare(mode, protection, Link.Parse(link));
        resources.Select(r => r.Urn).Should().OnlyHaveUniqueItems();
    }

    [TestCaseSource(nameof(Combinations))]
    public void Every_dependency_is_declared_on_the_same_host_and_comes_first_in_topological_order(IpsecMode mode, string protection, string link)
    {
        var resources = Declare(mode, protection, Link.Parse(link));
        var order = Planner.TopologicalOrder(resources).Select(r => r.Urn).ToList();
        order.Should().BeEquivalentTo(resources.Select(r => r.Urn));
        var byUrn = resources.ToDictionary(r => r.Urn);
        foreach (var r in resources)
            foreach (var dep in r.DependsOn)
            {
                byUrn.Should().ContainKey(dep, $"{r.Urn} depends on it");
                byUrn[dep].Host.Should().Be(r.Host);
                order.IndexOf(dep).Should().BeLessThan(order.IndexOf(r.Urn), $"{dep} must come before {r.Urn}");
            }
    }

    [TestCase(IpsecMode.Tunnel, "esp-aes128-sha1")]
    [TestCase(IpsecMode.Transport, "ah-sha1")]
    [TestCase(IpsecMode.Tunnel, "esp+ah-aes128-md5")]
    [TestCase(IpsecMode.Transport, "esp+ah-des-sha1")]
    public void Each_policy_depends_on_exactly_the_states_of_its_templates_on_its_host(IpsecMode mode, string protection)
    {
        var resources = Declare(mode, protection);
        var states = resources.OfType<XfrmState>().ToList();
        foreach (var policy in resources.OfType<XfrmPolicy>())
        {
            var expected = policy.Templates.Select(t => states.Single(s =>
                s.Host == policy.Host && s.Proto == t.Proto && s.Sa.Reqid == t.Reqid && s.Src == t.Src.ToString() && s.Dst == t.Dst.ToString()).Urn);
            policy.DependsOn.Should().BeEquivalentTo(expected, policy.Urn);
            policy.DependsOn.Should().NotBeEmpty();
        }
    }
}
