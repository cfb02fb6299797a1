using FluentAssertions;
using NUnit.Framework;
using Testbed.Resources;
using Testbed.Transport;
using Testbed.Tests.Support;

namespace Testbed.Tests.Resources;

public class NicOffloadTests
{
    static readonly string Captured = Fixture.Read("captured/gw-a.ethtool-k-vec0.txt");

    static NicOffload Feature(string feature, bool on) => new() { Host = "gw-a", Dev = "vec0", Feature = feature, On = on };

    [Test]
    public void Identity_and_traits()
    {
        var r = Feature("gso", false);
        (r.Kind.Name, r.Name, r.Urn).Should().Be(("ethtool-offload", "vec0 gso", "gw-a/ethtool-offload/vec0 gso"));
        r.Identity.Should().Equal(new Dictionary<string, string> { ["dev"] = "vec0", ["feature"] = "gso" });
        r.Desired.Should().Be(Fields.Scalar("off"));
        Feature("gso", true).Desired.Should().Be(Fields.Scalar("on"));
        (r.Exclusive, r.MaySettle, r.BestEffort).Should().Be((false, false, false));
        r.ChangeFrom(Fields.Scalar("on")).Should().Be(Change.Update);
    }

    [Test]
    public void Apply_and_restore_use_ethtool_K()
    {
        Feature("gso", false).Apply(Reading.Absent).Should().Be(new RemoteCommand("ethtool -K vec0 gso off"));
        Feature("gso", false).Restore(Fields.Scalar("on")).Script.Should().Be("ethtool -K vec0 gso on");
        Feature("gso", false).Restore(null).Should().Be(RemoteCommand.Nothing);
        Feature("gso", false).ReadScript.Should().Be("ethtool -k vec0");
    }

    [TestCase("gso", true, "on")]
    [TestCase("gso", false, "on")]
    [TestCase("gro", false, "on")]
    [TestCase("tso", false, "on")]
    [TestCase("sg", true, "on")]
    [TestCase("tx", true, "on")]
    [TestCase("rx", true, "on")]      // fixed, and already what is wanted
    [TestCase("lro", false, "off")]   // fixed off, wanted off
    public void Parse_reads_the_feature_by_its_long_name(string feature, bool on, string live) =>
        Feature(feature, on).Parse(Captured).Value.Should().Be(Fields.Scalar(live));

    [TestCase("rx", false, "vec0 rx-checksumming is fixed on")]
    [TestCase("lro", true, "vec0 large-receive-offload is fixed off")]
    [TestCase("rxhash", true, "vec0 receive-hashing is fixed off")]
    public void Parse_of_a_fixed_feature_that_differs_is_unsupported(string feature, bool on, string why)
    {
        var reading = Feature(feature, on).Parse(Captured);
        reading.Value.Should().BeNull();
        reading.Unsupported.Should().Be(why);
    }

    [Test]
    public void Parse_of_an_unknown_feature_is_unsupported() =>
        Feature("ntuple", true).Parse(Captured).Unsupported.Should().Be("ethtool -k vec0 shows no ntuple");

    [Test]
    public void Every_short_name_has_a_long_name_in_real_output()
    {
        foreach (var (_, longName) in NicOffload.Features)
            Captured.Should().Contain(longName + ":", "ethtool 6.1 prints every feature the tool knows");
    }
}
