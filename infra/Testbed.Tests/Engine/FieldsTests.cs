using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Engine;
using Testbed.Resources;

namespace Testbed.Tests.Engine;

public class FieldsTests
{
    [Test]
    public void Equal_when_every_field_is_equal_in_order()
    {
        Fields.Of(("a", "1"), ("b", "2")).Should().Be(Fields.Of(("a", "1"), ("b", "2")));
        Fields.Of(("a", "1"), ("b", "2")).GetHashCode().Should().Be(Fields.Of(("a", "1"), ("b", "2")).GetHashCode());
        Fields.Of(("a", "1"), ("b", "2")).Should().NotBe(Fields.Of(("a", "1"), ("b", "3")));
        Fields.Of(("a", "1"), ("b", "2")).Should().NotBe(Fields.Of(("b", "2"), ("a", "1")));
        Fields.Of(("a", "1")).Should().NotBe(Fields.Of(("a", "1"), ("b", "2")));
        Fields.Scalar("1").Equals(null).Should().BeFalse();
    }

    [Test]
    public void Same_treats_two_nulls_as_equal()
    {
        Fields.Same(null, null).Should().BeTrue();
        Fields.Same(null, Fields.Scalar("1")).Should().BeFalse();
        Fields.Same(Fields.Scalar("1"), null).Should().BeFalse();
        Fields.Same(Fields.Scalar("1"), Fields.Scalar("1")).Should().BeTrue();
    }

    [Test]
    public void Indexer_finds_a_field_or_null()
    {
        var f = Fields.Of(("via", "192.0.2.2"), ("src", "10.1.0.1"));
        f["src"].Should().Be("10.1.0.1");
        f["dev"].Should().BeNull();
    }

    [Test]
    public void ToString_is_the_scalar_or_key_value_pairs()
    {
        Fields.Scalar("87380 4194304 4194304").ToString().Should().Be("87380 4194304 4194304");
        Fields.Of(("qdisc", "tbf"), ("rate", "10Mbit")).ToString().Should().Be("qdisc tbf rate 10Mbit");
        Fields.Of().ToString().Should().Be("");
    }

    [Test]
    public void Diff_of_scalars_is_old_arrow_new()
    {
        Fields.Diff(Fields.Scalar("0"), Fields.Scalar("1")).Should().Equal("0 → 1");
        Fields.Diff(null, Fields.Scalar("1")).Should().Equal("(none) → 1");
        Fields.Diff(Fields.Scalar("1"), null).Should().Equal("1 → (none)");
        Fields.Diff(Fields.Scalar("1"), Fields.Scalar("1")).Should().BeEmpty();
        Fields.Diff(null, null).Should().BeEmpty();
    }

    [Test]
    public void Diff_of_records_names_each_differing_field()
    {
        var before = Fields.Of(("reqid", "1"), ("mode", "tunnel"), ("enc", "cbc(aes) sha256:aa"));
        var after = Fields.Of(("reqid", "1"), ("mode", "transport"), ("auth-trunc", "hmac(sha1) sha256:bb 96"));
        Fields.Diff(before, after).Should().Equal(
            "mode: tunnel → transport", "enc: cbc(aes) sha256:aa → (none)", "auth-trunc: (none) → hmac(sha1) sha256:bb 96");
    }

    [Test]
    public void Json_round_trip_keeps_order_and_values()
    {
        var f = Fields.Of(("tmpl1", "src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode tunnel"), ("tmpl2", "x → y \"q\""), ("a", ""));
        var json = JsonSerializer.Serialize(f, StateStore.Json);
        json.Should().Contain("[").And.Contain("\"tmpl1\"");
        JsonSerializer.Deserialize<Fields>(json, StateStore.Json).Should().Be(f);
    }

    [Test]
    public void Json_of_a_record_in_the_state_round_trips()
    {
        var state = new StackState
        {
            Project = "ipsec-testbed", Stack = "test",
            Resources = [new ResourceRecord { Urn = "gw-a/sysctl/k", Host = "gw-a", Kind = ResourceKind.Sysctl, Identity = new() { ["key"] = "k" },
                Original = Fields.Scalar("0"), Applied = Fields.Scalar("1"), Settled = null, Status = RecordStatus.Applied }],
        };
        var back = JsonSerializer.Deserialize<StackState>(JsonSerializer.Serialize(state, StateStore.Json), StateStore.Json)!;
        var rec = back.Find("gw-a/sysctl/k")!;
        rec.Original.Should().Be(Fields.Scalar("0"));
        rec.Applied.Should().Be(Fields.Scalar("1"));
        rec.Settled.Should().BeNull();
        rec.Identity.Should().Equal(new Dictionary<string, string> { ["key"] = "k" });
        back.Find("gw-a/sysctl/other").Should().BeNull();
    }
}
