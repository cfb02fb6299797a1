using FluentAssertions;
using NUnit.Framework;
using Testbed.Model;
using Testbed.Resources;
using Testbed.Secrets;
using Testbed.Tests.Support;

namespace Testbed.Tests.Resources;

/// <summary>
/// IKEv2 keying (strongSwan): the swanctl.conf each gateway gets for every protection IKEv2 can key, the ones it
/// refuses, and how the negotiated child SA is read back from the kernel.
/// </summary>
public class IkeKeyingTests
{
    static readonly Secret Psk = Secret.FromHex("0x" + string.Concat(Enumerable.Repeat("5a", 32)))!;

    /// <summary>Every protection the tool knows: plain IP, each suite as AH, ESP and esp+ah where the protocol can carry it.</summary>
    static IEnumerable<Protection> AllProtections() =>
        CipherSuites.All.SelectMany(s => new[] { IpsecProto.Ah, IpsecProto.Esp, IpsecProto.EspAh }.Select(p => new Protection(p, s)))
            .Where(p => p.Problem is null);

    static IEnumerable<Protection> Keyable() => AllProtections().Where(p => IkeProposals.Problem(p) is null);

    static TestbedSpec Ike(Protection p, IpsecMode mode = IpsecMode.Tunnel) => Specs.Testbed(mode, p) is var s
        ? s with { Ipsec = s.Ipsec with { Keying = Keying.Ikev2, Ike = IkeSettings.Default with { RekeyTime = TimeSpan.FromSeconds(20), LifeTime = TimeSpan.FromSeconds(22), RandTime = TimeSpan.FromSeconds(2) } } }
        : throw new InvalidOperationException();

    [Test]
    public void IKEv2_keys_every_AH_and_ESP_suite_and_refuses_every_esp_ah_bundle()
    {
        Keyable().Should().HaveCount(AllProtections().Count(p => p.Proto != IpsecProto.EspAh)).And.NotBeEmpty();
        foreach (var bundle in AllProtections().Where(p => p.Proto == IpsecProto.EspAh))
            IkeProposals.Problem(bundle).Should().Contain("never the esp+ah bundle", bundle.Name);
        IkeProposals.Problem(Protection.Plain).Should().Contain("proto is none");
    }

    [TestCaseSource(nameof(Keyable))]
    public void The_child_proposal_is_the_suite_in_strongSwan_keywords_and_both_sides_mirror_each_other(Protection p)
    {
        var spec = Ike(p);
        var a = SwanctlText.Render(spec, Specs.GwA, initiator: true, Psk);
        var b = SwanctlText.Render(spec, Specs.GwB, initiator: false, Psk);
        var option = p.Proto == IpsecProto.Ah ? "ah_proposals" : "esp_proposals";
        a.Should().Contain($"                {option} = {p.Suite!.Name}\n").And.NotContain(p.Proto == IpsecProto.Ah ? "esp_proposals" : "ah_proposals");
        a.Should().Contain("local_addrs = 192.0.2.1\n").And.Contain("remote_addrs = 192.0.2.2\n")
            .And.Contain("local_ts = 10.1.0.0/24\n").And.Contain("remote_ts = 10.2.0.0/24\n").And.Contain("dpd_action = restart\n");
        b.Should().Contain("local_addrs = 192.0.2.2\n").And.Contain("remote_addrs = 192.0.2.1\n")
            .And.Contain("local_ts = 10.2.0.0/24\n").And.Contain("remote_ts = 10.1.0.0/24\n").And.Contain("dpd_action = clear\n");
        foreach (var text in new[] { a, b })
            text.Should().Contain("version = 2\n").And.Contain("proposals = aes128-sha256-modp2048\n").And.Contain("mode = tunnel\n")
                .And.Contain("rekey_time = 20s\n").And.Contain("life_time = 22s\n").And.Contain("rand_time = 2s\n")
                .And.Contain("replay_window = 32\n").And.Contain("secret = 0x" + string.Concat(Enumerable.Repeat("5a", 32)) + "\n");
        Braces(a).Should().Be(0, "every section the snippet opens it closes");
    }

    [Test]
    public void Transport_mode_leaves_the_traffic_selectors_to_the_addresses()
    {
        var text = SwanctlText.Render(Ike(Specs.P("esp-aes128gcm16"), IpsecMode.Transport), Specs.GwA, true, Psk);
        text.Should().Contain("mode = transport\n").And.Contain("local_ts = dynamic\n").And.Contain("remote_ts = dynamic\n")
            .And.Contain("esp_proposals = aes128gcm16\n");
    }

    [Test]
    public void An_esp_ah_bundle_cannot_be_rendered()
    {
        FluentActions.Invoking(() => SwanctlText.Render(Ike(Specs.P("esp+ah-aes128-sha1")), Specs.GwA, true, Psk))
            .Should().Throw<InvalidOperationException>().WithMessage("*esp+ah bundle*");
    }

    [Test]
    public void The_declaration_puts_the_daemon_and_connection_on_both_gateways_the_child_on_the_sender_and_no_manual_sa()
    {
        var keys = new FakeKeyring();
        var resources = GatewayTestbed.Declare(Ike(Specs.P("esp-aes128-sha1")), keys, []);
        resources.Should().NotContain(r => r.Kind == ResourceKind.XfrmState || r.Kind == ResourceKind.XfrmPolicy);
        foreach (var host in new[] { "gw-a", "gw-b" })
        {
            resources.Where(r => r.Host == host && r.Kind == ResourceKind.Charon).Should().ContainSingle();
            resources.Where(r => r.Host == host && r.Kind == ResourceKind.SwanctlConn).Should().ContainSingle();
        }
        resources.Where(r => r.Kind == ResourceKind.ChildSa).Select(r => r.Host).Should().Equal("gw-a");
        var order = Testbed.Engine.Planner.TopologicalOrder(resources).Where(r => r.Host == "gw-a").Select(r => r.Kind).ToList();
        order.IndexOf(ResourceKind.Charon).Should().BeLessThan(order.IndexOf(ResourceKind.SwanctlConn));
        order.IndexOf(ResourceKind.SwanctlConn).Should().BeLessThan(order.IndexOf(ResourceKind.ChildSa));
        resources.OfType<Package>().Where(p => p.Host == "gw-b").Select(p => p.PackageName).Should().Contain(["charon-systemd", "strongswan-swanctl"]);
    }

    [Test]
    public void The_pre_shared_key_reaches_the_host_on_stdin_only_and_the_state_keeps_a_digest()
    {
        var keys = new FakeKeyring();
        var conn = GatewayTestbed.Declare(Ike(Specs.P("esp-aes128-sha1")), keys, []).OfType<SwanctlConn>().First();
        var psk = keys.Key(IkeSettings.PskSlot, IkeSettings.Psk).RevealHex();
        var apply = conn.Apply(Reading.Absent);
        apply.Stdin.Should().Contain(psk);
        apply.Script.Should().NotContain(psk).And.Contain("umask 077");
        string.Join(" ", conn.Desired.Items.Select(i => i.Value)).Should().NotContain(psk[2..]);
        string.Join(" ", conn.Identity.Values).Should().NotContain(psk[2..]);
        conn.Desired["file"].Should().Be("sha256:" + SwanctlConn.Digest(conn.Text));
    }

    [Test]
    public void The_digest_is_what_sha256sum_prints_on_a_host()
    {
        var text = SwanctlText.Render(Ike(Specs.P("esp-3des-md5")), Specs.GwB, false, Psk);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, text);
            var (stdout, exit) = Shell.Run($"sha256sum < {path} | cut -c1-16");
            exit.Should().Be(0);
            stdout.Trim().Should().Be(SwanctlConn.Digest(text));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void The_connection_reads_as_absent_loaded_or_drifted()
    {
        var id = new SwanctlConnId("gw-a");
        id.Parse("file absent\nloaded no\n").IsAbsent.Should().BeTrue();
        id.Parse("file sha256:0123456789abcdef\nloaded yes\n").Value.Should().Be(Fields.Of(("file", "sha256:0123456789abcdef"), ("loaded", "yes")));
        id.Parse("file sha256:0123456789abcdef\nloaded no\n").Value!["loaded"].Should().Be("no", "a daemon restarted without the file loaded is drift");
    }

    [Test]
    public void The_child_sa_is_read_from_the_kernel_SAs_the_daemon_installed()
    {
        var child = new ChildSa { Host = "gw-a", Local = "192.0.2.1", Remote = "192.0.2.2", Protection = Specs.P("esp-aes128-sha1"), Mode = IpsecMode.Tunnel, ConnUrns = [] };
        var kernel = Fixture.Read("captured/gw-a.xfrm-state-ike.txt");
        const string daemon = "@@ swanctl\nin c90677c8,\nout c20c03f3,\n";
        var live = child.Id.Parse(kernel + daemon);
        live.Value.Should().Be(child.Desired, "the daemon's SAs carry the declared protocol, mode, algorithms and key sizes");
        child.Desired.ToString().Should().Be("proto esp mode tunnel enc cbc(aes) 128 auth-trunc hmac(sha1) 160 96 directions both");

        var other = child with { Protection = Specs.P("esp-aes256gcm16") };
        Fields.Same(live.Value, other.Desired).Should().BeFalse("a child negotiated with another suite is drift");
        other.ChangeFrom(live.Value!).Should().Be(Change.Replace);

        child.Id.Parse("").IsAbsent.Should().BeTrue();
        child.Id.Parse(kernel + "@@ swanctl\n").IsAbsent.Should().BeTrue("SAs the daemon does not hold (manual ones, after keying: manual) are not its child");
        child.Id.Parse(kernel + "@@ swanctl\nout c20c03f3,\n").Value!["directions"].Should().Be("only 192.0.2.2>192.0.2.1");
        var oneWay = string.Join("\n", kernel.Split("src ").Where(b => !b.StartsWith("192.0.2.2 dst")).Select(b => b.Length == 0 ? b : "src " + b));
        child.Id.Parse(oneWay + daemon).Value!["directions"].Should().Be("only 192.0.2.1>192.0.2.2");
    }

    [Test]
    public void Replacing_a_child_closes_the_IKE_SA_first_and_the_initiator_says_why_it_failed()
    {
        var child = new ChildSa { Host = "gw-a", Local = "192.0.2.1", Remote = "192.0.2.2", Protection = Specs.P("esp-aes128-sha1"), Mode = IpsecMode.Tunnel, ConnUrns = [] };
        child.Apply(Reading.Absent).Script.Should().StartWith("n=0;").And.Contain("swanctl --initiate --child testbed");
        child.Apply(Reading.Of(Fields.Scalar("x"))).Script.Should().StartWith("swanctl --terminate --ike testbed");
        child.Apply(Reading.Absent).Script.Should().Contain("the IKEv2 negotiation with 192.0.2.2 failed");
    }

    static int Braces(string text) => text.Count(c => c == '{') - text.Count(c => c == '}');
}
