using FluentAssertions;
using NUnit.Framework;
using Testbed.Engine;
using Testbed.Model;
using Testbed.Resources;
using Testbed.Transport;
using Testbed.Secrets;
using Testbed.Tests.Support;

namespace Testbed.Tests.Resources;

public class XfrmStateTests
{
    static IReadOnlyList<SecurityAssociation> Sas(IpsecMode mode, string protection, IKeyring keys, int replay = 32) =>
        SecurityDatabases.For(Specs.Testbed(mode, Specs.P(protection), replayWindow: replay), keys).Sas;

    /// <summary>The SAs the captured testbed ran: ESP tunnel, 3des-sha1, default SPIs, the fixture's keys.</summary>
    static XfrmState Captured(Flow flow, string host = "gw-a") =>
        XfrmState.For(host, Sas(IpsecMode.Tunnel, "esp-3des-sha1", Specs.CapturedKeys()).Single(s => s.Flow == flow));

    [Test]
    public void Identity_and_traits()
    {
        var r = Captured(Flow.Forward);
        (r.Kind.Name, r.Name, r.Urn).Should().Be(("xfrm-state", "esp spi 0x00001001 192.0.2.1>192.0.2.2", "gw-a/xfrm-state/esp spi 0x00001001 192.0.2.1>192.0.2.2"));
        r.Identity.Should().Equal(new Dictionary<string, string> { ["src"] = "192.0.2.1", ["dst"] = "192.0.2.2", ["proto"] = "esp", ["spi"] = "0x00001001" });
        r.Exclusive.Should().BeTrue();
        (r.MaySettle, r.BestEffort).Should().Be((false, false));
        r.ChangeFrom(Fields.Of(("reqid", "1"))).Should().Be(Change.Replace, "ip xfrm state update cannot change algorithms or keys");
        r.ReadScript.Should().Be("ip xfrm state list");
    }

    [Test]
    public void Desired_lists_the_sa_with_key_fingerprints_only()
    {
        var r = Captured(Flow.Forward);
        var enc = Secret.FromHex(Fixture.ForwardEnc)!.Fingerprint;
        var auth = Secret.FromHex(Fixture.ForwardAuth)!.Fingerprint;
        r.Desired.Should().Be(Fields.Of(
            ("reqid", "1"), ("mode", "tunnel"), ("replay-window", "32"),
            ("enc", $"cbc(des3_ede) {enc}"), ("auth-trunc", $"hmac(sha1) {auth} 96")));
        r.Desired.ToString().Should().NotContain(Fixture.ForwardEnc[2..]).And.NotContain(Fixture.ForwardAuth[2..]);
    }

    [Test]
    public void Apply_deletes_then_adds_with_the_keys_on_stdin()
    {
        var cmd = Captured(Flow.Forward).Apply(Reading.Absent);
        cmd.Script.Should().Be("ip xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x00001001 2>/dev/null; ip -batch -");
        cmd.Stdin.Should().Be(
            "xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x00001001 reqid 1 mode tunnel replay-window 32 " +
            $"enc cbc(des3_ede) {Fixture.ForwardEnc} auth-trunc hmac(sha1) {Fixture.ForwardAuth} 96\n");
    }

    [Test]
    public void Restore_deletes_an_sa_that_was_not_there()
    {
        Captured(Flow.Forward).Restore(null).Script.Should().Be("ip xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x00001001 2>/dev/null || true");
        Captured(Flow.Forward).Restore(Fields.Of(("reqid", "1"))).Should().Be(RemoteCommand.Nothing);
    }

    [TestCase(Flow.Forward, "gw-a")]
    [TestCase(Flow.Reverse, "gw-a")]
    [TestCase(Flow.Forward, "gw-b")]
    [TestCase(Flow.Reverse, "gw-b")]
    public void Parse_of_real_output_equals_the_desired_value(Flow flow, string host)
    {
        var r = Captured(flow, host);
        r.Parse(Fixture.Read($"captured/{host}.xfrm-state.txt")).Value.Should().Be(r.Desired);
    }

    [Test]
    public void Parse_tells_a_changed_key_by_its_fingerprint()
    {
        var other = new StackKeyring(new Dictionary<string, Secret>
        {
            ["forward.enc"] = Secret.Random(192), ["forward.auth"] = Secret.FromHex(Fixture.ForwardAuth)!,
            ["reverse.enc"] = Secret.Random(192), ["reverse.auth"] = Secret.Random(160),
        });
        var r = XfrmState.For("gw-a", Sas(IpsecMode.Tunnel, "esp-3des-sha1", other).Single(s => s.Flow == Flow.Forward));
        var live = r.Parse(Fixture.Read("captured/gw-a.xfrm-state.txt")).Value;
        Fields.Diff(live, r.Desired).Should().ContainSingle().Which.Should().StartWith("enc: cbc(des3_ede) sha256:");
    }

    [Test]
    public void Parse_of_an_sa_with_another_spi_or_of_policy_output_is_absent()
    {
        var r = new XfrmStateId("gw-a", "192.0.2.1", "192.0.2.2", "esp", 0x1003);
        r.Parse(Fixture.Read("captured/gw-a.xfrm-state.txt")).Should().Be(Reading.Absent);
        var ah = new XfrmStateId("gw-a", "192.0.2.1", "192.0.2.2", "ah", 0x1001);
        ah.Parse(Fixture.Read("captured/gw-a.xfrm-state.txt")).Should().Be(Reading.Absent);
        Captured(Flow.Forward).Parse(Fixture.Read("captured/gw-a.xfrm-policy.txt")).Should().Be(Reading.Absent);
    }

    [Test]
    public void Parse_of_an_esp_ah_bundle_tells_the_two_sas_of_one_pair_apart()
    {
        var keys = new StackKeyring(new Dictionary<string, Secret>
        {
            ["forward.enc"] = Secret.FromHex("0x0123456789abcdef")!, ["forward.auth"] = Secret.FromHex("0x00112233445566778899aabbccddeeff")!,
            ["reverse.enc"] = Secret.FromHex("0xfedcba9876543210")!, ["reverse.auth"] = Secret.FromHex("0xffeeddccbbaa99887766554433221100")!,
        });
        var output = Fixture.Read("written/xfrm-state-esp-ah-des-md5-tunnel.txt");
        var sas = Sas(IpsecMode.Tunnel, "esp+ah-des-md5", keys);
        sas.Should().HaveCount(4);
        foreach (var sa in sas)
        {
            var r = XfrmState.For("gw-b", sa);
            r.Parse(output).Value.Should().Be(r.Desired, r.Name);
        }
    }

    [Test]
    public void Parse_of_an_aead_sa_reads_the_key_with_its_salt_and_the_icv_length()
    {
        var keys = new StackKeyring(new Dictionary<string, Secret>
        {
            ["forward.aead"] = Secret.FromHex("0x00112233445566778899aabbccddeeff01020304")!,
            ["reverse.aead"] = Secret.FromHex("0xffeeddccbbaa9988776655443322110004030201")!,
        });
        foreach (var sa in Sas(IpsecMode.Transport, "esp-aes128gcm16", keys, replay: 16))
        {
            var r = XfrmState.For("gw-a", sa);
            r.Desired["aead"].Should().EndWith(" 128");
            r.Parse(Fixture.Read("written/xfrm-state-esp-aes128gcm16-transport.txt")).Value.Should().Be(r.Desired);
        }
    }

    [Test]
    public void A_state_known_only_from_the_state_file_can_be_read_and_removed_but_not_applied()
    {
        var r = new XfrmStateId("gw-a", "192.0.2.1", "192.0.2.2", "esp", 0x1001);
        r.Parse(Fixture.Read("captured/gw-a.xfrm-state.txt")).Value.Should().NotBeNull();
        r.Restore(null).Script.Should().Contain("ip xfrm state delete");
        // Nothing to apply: an identity has no desired value and no way to set one, so it cannot be asked to.
        typeof(XfrmStateId).GetProperty(nameof(XfrmState.Desired)).Should().BeNull();
        typeof(XfrmStateId).GetMethod(nameof(XfrmState.Apply)).Should().BeNull();
    }

    [Test]
    public void A_state_rehydrated_from_its_record_reads_and_restores_without_its_declaration()
    {
        var declared = Captured(Flow.Forward);
        var record = Testbed.Engine.ResourceRecord.For(declared.Id, null, declared.Desired, RecordStatus.Applied);
        var r = record.Rehydrate().Should().BeOfType<XfrmStateId>().Subject;
        r.Parse(Fixture.Read("captured/gw-a.xfrm-state.txt")).Value.Should().Be(declared.Desired, "the read needs no key, only fingerprints");
        r.Restore(record.Original).Script.Should().Be("ip xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x00001001 2>/dev/null || true");
        r.Restore(Fields.Of(("reqid", "1"))).Should().Be(RemoteCommand.Nothing);
    }

    [Test]
    public void XfrmText_reads_numbers_and_writes_spis_as_iproute2_does()
    {
        XfrmText.ParseNumber("0x00001001").Should().Be(0x1001u);
        XfrmText.ParseNumber("4097").Should().Be(4097u);
        XfrmText.ParseNumber("0xzz").Should().BeNull();
        XfrmText.ParseNumber("-1").Should().BeNull();
        XfrmText.Hex(0x1001).Should().Be("0x00001001");
        XfrmText.Hex(uint.MaxValue).Should().Be("0xffffffff");
    }

    [Test]
    public void XfrmText_splits_real_output_into_blocks()
    {
        var blocks = XfrmText.Blocks(Fixture.Read("captured/gw-a.xfrm-state.txt")).ToList();
        blocks.Select(b => (b.Src, b.Dst)).Should().Equal(("192.0.2.2", "192.0.2.1"), ("192.0.2.1", "192.0.2.2"));
        XfrmText.After(blocks[1], "spi").Should().StartWith(["0x00001001", "reqid", "1"]);
        XfrmText.After(blocks[1], "nosuchword").Should().BeNull();
    }
}
