using FluentAssertions;
using NUnit.Framework;
using Testbed.Resources;
using Testbed.Transport;
using Testbed.Tests.Support;

namespace Testbed.Tests.Resources;

public class LinkMtuTests
{
    static LinkMtu Mtu(int mtu = 9000, string dev = "vec0") => new() { Host = "gw-a", Dev = dev, Mtu = mtu };

    [Test]
    public void Identity_and_traits()
    {
        var r = Mtu();
        (r.Kind.Name, r.Name, r.Urn).Should().Be(("mtu", "vec0", "gw-a/mtu/vec0"));
        r.Identity.Should().Equal(new Dictionary<string, string> { ["dev"] = "vec0" });
        r.Desired.Should().Be(Fields.Scalar("9000"));
        (r.Exclusive, r.MaySettle, r.BestEffort).Should().Be((false, false, false));
        r.ChangeFrom(Fields.Scalar("1500")).Should().Be(Change.Update);
    }

    [Test]
    public void Apply_and_restore_use_ip_link()
    {
        Mtu().Apply(Reading.Absent).Should().Be(new RemoteCommand("ip link set dev vec0 mtu 9000"));
        Mtu().Restore(Fields.Scalar("1500")).Script.Should().Be("ip link set dev vec0 mtu 1500");
        Mtu().Restore(null).Should().Be(RemoteCommand.Nothing);
    }

    [Test]
    public void Read_script_reads_the_mtu_from_sysfs() =>
        Mtu().ReadScript.Should().Be(Testbed.Transport.Sh.ReadFirstLine("/sys/class/net/vec0/mtu", "!missing"));

    [Test]
    public void Parse_of_real_output()
    {
        Mtu(1500).Parse(Fixture.ComposedRead()["2"]).Value.Should().Be(Mtu(1500).Desired);
        Mtu().Parse("!missing\n").Unsupported.Should().Be("no interface vec0");
    }

    [TestCaseSource(typeof(Shell), nameof(Shell.Shells))]
    public void Read_script_runs_in_a_real_shell(string shell)
    {
        var lo = Mtu(65536, "lo");
        lo.Parse(Shell.Run(lo.ReadScript, shell).Stdout).Value!["value"].Should().Be(File.ReadAllText("/sys/class/net/lo/mtu").Trim());
        var none = Mtu(1500, "nosuch0");
        none.Parse(Shell.Run(none.ReadScript, shell).Stdout).Unsupported.Should().Be("no interface nosuch0");
    }
}
