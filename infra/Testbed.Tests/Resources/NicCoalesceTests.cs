using FluentAssertions;
using NUnit.Framework;
using Testbed.Resources;
using Testbed.Transport;
using Testbed.Tests.Support;

namespace Testbed.Tests.Resources;

public class NicCoalesceTests
{
    static readonly string Captured = Fixture.Read("captured/gw-a.ethtool-c-vec0.txt");

    static NicCoalesce Tx(bool fromProfile = false, int value = 64) =>
        new() { Host = "gw-a", Dev = "vec0", Param = "tx-usecs", Value = value, FromTuning = fromProfile };

    [Test]
    public void Identity_and_traits()
    {
        var r = Tx();
        (r.Kind.Name, r.Name, r.Urn).Should().Be(("ethtool-coalesce", "vec0 tx-usecs", "gw-a/ethtool-coalesce/vec0 tx-usecs"));
        r.Identity.Should().Equal(new Dictionary<string, string> { ["dev"] = "vec0", ["param"] = "tx-usecs" });
        r.Desired.Should().Be(Fields.Scalar("64"));
        r.MaySettle.Should().BeTrue("drivers round coalescing values");
        r.Exclusive.Should().BeFalse();
        r.ChangeFrom(Fields.Scalar("10")).Should().Be(Change.Update);
    }

    [Test]
    public void Best_effort_only_when_it_comes_from_a_profile()
    {
        Tx(fromProfile: true).BestEffort.Should().BeTrue();
        Tx(fromProfile: false).BestEffort.Should().BeFalse();
    }

    [Test]
    public void Apply_sets_the_value_and_treats_exit_80_as_unchanged() =>
        Tx().Apply(Reading.Absent).Should().Be(new RemoteCommand("ethtool -C vec0 tx-usecs 64 || [ $? -eq 80 ]"));

    [Test]
    public void Restore_sets_the_original_or_does_nothing()
    {
        Tx().Restore(Fields.Scalar("10000")).Script.Should().Be("ethtool -C vec0 tx-usecs 10000 || [ $? -eq 80 ]");
        Tx().Restore(null).Should().Be(RemoteCommand.Nothing);
    }

    [Test]
    public void Read_script_is_shared_by_all_params_of_a_device()
    {
        Tx().ReadScript.Should().Be("ethtool -c vec0");
        new NicCoalesce { Host = "gw-a", Dev = "vec0", Param = "rx-usecs", Value = 1 }.ReadScript.Should().Be(Tx().ReadScript);
    }

    [Test]
    public void Parse_reads_a_real_value() => Tx().Parse(Captured).Value.Should().Be(Fields.Scalar("10000"));

    [Test]
    public void Parse_of_n_a_is_unsupported_naming_device_and_param()
    {
        var rx = new NicCoalesce { Host = "gw-a", Dev = "vec0", Param = "rx-usecs", Value = 64 };
        var reading = rx.Parse(Captured);
        reading.Value.Should().BeNull();
        reading.Unsupported.Should().Be("vec0 has no rx-usecs (n/a)");
    }

    [Test]
    public void Parse_does_not_confuse_a_param_with_a_longer_one()
    {
        // rx-usecs-irq, rx-usecs-low and rx-usecs-high also start with "rx-usecs".
        var text = "rx-usecs-irq: 5\nrx-usecs-low: 6\nrx-usecs:\t64\n";
        new NicCoalesce { Host = "h", Dev = "eth0", Param = "rx-usecs", Value = 1 }.Parse(text).Value.Should().Be(Fields.Scalar("64"));
    }

    [Test]
    public void Parse_of_no_output_is_unsupported()
    {
        var missing = new NicCoalesce { Host = "gw-a", Dev = "nosuch0", Param = "tx-usecs", Value = 64 };
        missing.Parse(Fixture.ComposedRead()["9"]).Unsupported.Should().Be("ethtool -c nosuch0 shows no tx-usecs");
    }
}
