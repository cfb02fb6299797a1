using System.Net;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Model;
using Testbed.Tests.Support;

namespace Testbed.Tests.Model;

public class SecurityDatabasesTests
{
    static readonly SpiTable Spis = new(ForwardSpi: 0x100, ReverseSpi: 0x200, ForwardAhSpi: 0x300, ReverseAhSpi: 0x400, ForwardReqid: 7, ReverseReqid: 9);
    static readonly IPAddress A = IPAddress.Parse("192.0.2.1"), B = IPAddress.Parse("192.0.2.2");

    static SecurityDatabases.Result Plan(IpsecMode mode, string protection) =>
        SecurityDatabases.For(Specs.Testbed(mode, Specs.P(protection), Spis, replayWindow: 24), new FakeKeyring());

    [Test]
    public void Plain_ip_has_no_sas_and_no_policies()
    {
        var plan = SecurityDatabases.For(Specs.Testbed(protection: Protection.Plain), new FakeKeyring());
        plan.Sas.Should().BeEmpty();
        plan.Policies.Should().BeEmpty();
    }

    [TestCase(IpsecMode.Transport, "esp-aes128-sha1", "esp")]
    [TestCase(IpsecMode.Tunnel, "esp-aes128-sha1", "esp")]
    [TestCase(IpsecMode.Transport, "ah-sha1", "ah")]
    [TestCase(IpsecMode.Tunnel, "ah-md5", "ah")]
    public void One_sa_per_flow_from_sender_to_receiver_and_back(IpsecMode mode, string protection, string xfrmProto)
    {
        var sas = Plan(mode, protection).Sas;
        sas.Should().HaveCount(2);
        var fwd = sas.Single(s => s.Flow == Flow.Forward);
        var rev = sas.Single(s => s.Flow == Flow.Reverse);
        (fwd.Src, fwd.Dst, fwd.Spi, fwd.Reqid).Should().Be((A, B, 0x100u, 7u));
        (rev.Src, rev.Dst, rev.Spi, rev.Reqid).Should().Be((B, A, 0x200u, 9u));
        foreach (var sa in sas)
        {
            sa.Proto.Should().Be(xfrmProto);
            sa.Mode.Should().Be(mode);
            sa.ReplayWindow.Should().Be(24);
        }
    }

    [TestCase(IpsecMode.Transport)]
    [TestCase(IpsecMode.Tunnel)]
    public void Esp_ah_bundles_esp_inside_in_the_stacks_mode_and_ah_outside_in_transport_mode(IpsecMode mode)
    {
        var plan = Plan(mode, "esp+ah-aes128-sha1");
        plan.Sas.Should().HaveCount(4);
        foreach (var flow in new[] { Flow.Forward, Flow.Reverse })
        {
            var sas = plan.Sas.Where(s => s.Flow == flow).ToList();
            sas.Select(s => s.Proto).Should().Equal("esp", "ah");
            sas[0].Mode.Should().Be(mode);
            sas[0].Enc.Should().NotBeNull();
            sas[0].Auth.Should().BeNull("AH carries the integrity algorithm in the bundle");
            sas[1].Mode.Should().Be(IpsecMode.Transport);
            sas[1].Enc.Should().BeNull();
            sas[1].Auth!.Algorithm.Should().Be(Algorithms.HmacSha1);
            sas[0].Reqid.Should().Be(sas[1].Reqid, "one reqid ties the bundle together");
        }
        plan.Sas.Select(s => (s.Proto, s.Spi)).Should().BeEquivalentTo(new[] { ("esp", 0x100u), ("ah", 0x300u), ("esp", 0x200u), ("ah", 0x400u) });

        var outPolicy = plan.Policies.Single(p => p.Host.Name == "gw-a" && p.Policy.Dir == PolicyDir.Out).Policy;
        outPolicy.Templates.Select(t => (t.Proto, t.Mode)).Should().Equal(("esp", mode), ("ah", IpsecMode.Transport));
    }

    [Test]
    public void Tunnel_mode_selects_the_site_subnets_and_adds_fwd_policies_on_the_receiving_side()
    {
        var policies = Plan(IpsecMode.Tunnel, "esp-aes128-sha1").Policies;
        policies.Select(p => (p.Host.Name, p.Policy.Src.ToString(), p.Policy.Dst.ToString(), p.Policy.Dir)).Should().BeEquivalentTo(new[]
        {
            ("gw-a", "10.1.0.0/24", "10.2.0.0/24", PolicyDir.Out),
            ("gw-b", "10.1.0.0/24", "10.2.0.0/24", PolicyDir.In),
            ("gw-b", "10.1.0.0/24", "10.2.0.0/24", PolicyDir.Fwd),
            ("gw-b", "10.2.0.0/24", "10.1.0.0/24", PolicyDir.Out),
            ("gw-a", "10.2.0.0/24", "10.1.0.0/24", PolicyDir.In),
            ("gw-a", "10.2.0.0/24", "10.1.0.0/24", PolicyDir.Fwd),
        });
        var forwardTemplate = policies.First(p => p.Policy.Src.ToString() == "10.1.0.0/24").Policy.Templates.Single();
        forwardTemplate.Should().Be(new PolicyTemplate(A, B, "esp", 7, IpsecMode.Tunnel));
    }

    [Test]
    public void Transport_mode_selects_the_link_addresses_as_32s_and_has_no_fwd_policies()
    {
        var policies = Plan(IpsecMode.Transport, "ah-sha1").Policies;
        policies.Select(p => (p.Host.Name, p.Policy.Src.ToString(), p.Policy.Dst.ToString(), p.Policy.Dir)).Should().BeEquivalentTo(new[]
        {
            ("gw-a", "192.0.2.1/32", "192.0.2.2/32", PolicyDir.Out),
            ("gw-b", "192.0.2.1/32", "192.0.2.2/32", PolicyDir.In),
            ("gw-b", "192.0.2.2/32", "192.0.2.1/32", PolicyDir.Out),
            ("gw-a", "192.0.2.2/32", "192.0.2.1/32", PolicyDir.In),
        });
        policies.Should().OnlyContain(p => p.Policy.Templates.Single().Mode == IpsecMode.Transport && p.Policy.Templates.Single().Proto == "ah");
    }

    [Test]
    public void Reverse_policies_use_the_reverse_reqid()
    {
        var policies = Plan(IpsecMode.Tunnel, "esp-aes128-sha1").Policies;
        policies.Where(p => p.Policy.Src.ToString() == "10.2.0.0/24").Should().OnlyContain(p => p.Policy.Templates.Single().Reqid == 9);
        policies.Where(p => p.Policy.Src.ToString() == "10.1.0.0/24").Should().OnlyContain(p => p.Policy.Templates.Single().Reqid == 7);
    }

    [Test]
    public void Keys_are_asked_for_by_flow_proto_and_use()
    {
        var keys = new FakeKeyring();
        SecurityDatabases.For(Specs.Testbed(IpsecMode.Tunnel, Specs.P("esp+ah-3des-md5")), keys);
        keys.Requests.Select(r => (r.Slot, r.Algorithm)).Should().BeEquivalentTo(new[]
        {
            ("forward/esp/enc", Algorithms.TripleDes), ("forward/ah/auth", Algorithms.HmacMd5),
            ("reverse/esp/enc", Algorithms.TripleDes), ("reverse/ah/auth", Algorithms.HmacMd5),
        });
    }

    [Test]
    public void The_two_directions_get_different_keys()
    {
        var sas = SecurityDatabases.For(Specs.Testbed(protection: Specs.P("esp-aes128-sha1")), new FakeKeyring()).Sas;
        sas[0].Enc!.Key.Should().NotBe(sas[1].Enc!.Key);
        sas[0].Auth!.Key.Should().NotBe(sas[1].Auth!.Key);
    }

    [Test]
    public void SpiPlan_uses_ah_spis_only_for_the_ah_half_of_a_bundle()
    {
        var d = SpiTable.Default;
        d.Spi(Flow.Forward, "ah", IpsecProto.EspAh).Should().Be(0x2001);
        d.Spi(Flow.Reverse, "ah", IpsecProto.EspAh).Should().Be(0x2002);
        d.Spi(Flow.Forward, "esp", IpsecProto.EspAh).Should().Be(0x1001);
        d.Spi(Flow.Forward, "ah", IpsecProto.Ah).Should().Be(0x1001);
        d.Spi(Flow.Reverse, "esp", IpsecProto.Esp).Should().Be(0x1002);
        d.Reqid(Flow.Forward).Should().Be(1);
        d.Reqid(Flow.Reverse).Should().Be(2);
    }
}
