using FluentAssertions;
using NUnit.Framework;
using Testbed.Resources;
using Testbed.Transport;
using Testbed.Tests.Support;

namespace Testbed.Tests.Resources;

public class DummyLinkTests
{
    static DummyLink Site(string dev = "site0") => new() { Host = "gw-a", Dev = dev };

    [Test]
    public void Identity_and_traits()
    {
        var r = Site();
        (r.Kind.Name, r.Name, r.Urn).Should().Be(("link", "site0", "gw-a/link/site0"));
        r.Identity.Should().Equal(new Dictionary<string, string> { ["dev"] = "site0" });
        r.Desired.Should().Be(Fields.Of(("state", "up")));
        r.Exclusive.Should().BeTrue("an interface the stack did not create is not ours to take");
        (r.MaySettle, r.BestEffort).Should().Be((false, false));
        r.ChangeFrom(Fields.Of(("state", "down"))).Should().Be(Change.Update);
    }

    [Test]
    public void Apply_creates_the_dummy_if_missing_and_brings_it_up() =>
        Site().Apply(Reading.Absent).Script.Should().Be(
            "ip link show dev site0 >/dev/null 2>&1 || ip link add site0 type dummy\nip link set dev site0 up");

    [Test]
    public void Restore_deletes_only_what_was_not_there()
    {
        Site().Restore(null).Script.Should().Be("ip link del dev site0 2>/dev/null || true");
        Site().Restore(Fields.Of(("state", "up"))).Should().Be(RemoteCommand.Nothing);
    }

    [Test]
    public void Read_script_reads_the_flags_from_sysfs() =>
        Site().ReadScript.Should().Be(Testbed.Transport.Sh.ReadFirstLine("/sys/class/net/site0/flags", "!absent"));

    [Test]
    public void Parse_of_real_flags()
    {
        var composed = Fixture.ComposedRead();
        Site().Parse(composed["3"]).Value.Should().Be(Fields.Of(("state", "up")));
        Site("nosuch0").Parse(composed["4"]).Should().Be(Reading.Absent);
        Site().Parse("0x1002\n").Value.Should().Be(Fields.Of(("state", "down")));
    }

    [TestCaseSource(typeof(Shell), nameof(Shell.Shells))]
    public void Read_script_runs_in_a_real_shell(string shell)
    {
        var lo = Site("lo");
        lo.Parse(Shell.Run(lo.ReadScript, shell).Stdout).Value.Should().Be(Fields.Of(("state", "up")));
        var none = Site("nosuch0");
        none.Parse(Shell.Run(none.ReadScript, shell).Stdout).IsAbsent.Should().BeTrue();
    }
}
