using FluentAssertions;
using NUnit.Framework;
using Testbed.Resources;
using Testbed.Transport;
using Testbed.Tests.Support;

namespace Testbed.Tests.Resources;

public class PackageTests
{
    static Package Netperf() => new() { Host = "gw-a", PackageName = "netperf", Command = "netperf" };

    [Test]
    public void Identity_and_traits()
    {
        var r = Netperf();
        (r.Kind.Name, r.Name, r.Urn).Should().Be(("package", "netperf", "gw-a/package/netperf"));
        r.Identity.Should().Equal(new Dictionary<string, string> { ["package"] = "netperf", ["command"] = "netperf" });
        r.Desired.Should().Be(Fields.Scalar("installed"));
        (r.Exclusive, r.MaySettle, r.BestEffort).Should().Be((false, false, false));
    }

    [Test]
    public void Every_gateway_needs_netperf_ip_ethtool_and_the_wire_tools() =>
        Package.Required.Should().BeEquivalentTo(new[]
        {
            ("netperf", "netperf"), ("iproute2", "ip"), ("ethtool", "ethtool"), ("tcpdump", "tcpdump"), ("tcpreplay", "tcpreplay"),
        });

    [Test]
    public void Read_script_looks_for_the_command()
    {
        Netperf().ReadScript.Should().Be("command -v netperf >/dev/null 2>&1 && echo installed || echo absent");
        var composed = Fixture.ComposedRead();
        Netperf().Parse(composed["7"]).Value.Should().Be(Fields.Scalar("installed"));
        new Package { Host = "gw-a", PackageName = "x", Command = "nosuchtool" }.Parse(composed["8"]).Should().Be(Reading.Absent);
    }

    [TestCaseSource(typeof(Shell), nameof(Shell.Shells))]
    public void Read_script_runs_in_a_real_shell(string shell)
    {
        var sh = new Package { Host = "h", PackageName = "dash", Command = "sh" };
        sh.Parse(Shell.Run(sh.ReadScript, shell).Stdout).Value.Should().Be(Fields.Scalar("installed"));
        var none = new Package { Host = "h", PackageName = "x", Command = "no-such-command-here" };
        none.Parse(Shell.Run(none.ReadScript, shell).Stdout).IsAbsent.Should().BeTrue();
    }

    [Test]
    public void Apply_installs_with_apt_get_or_dnf() =>
        Netperf().Apply(Reading.Absent).Script.Should().Be(
            "if command -v apt-get >/dev/null; then DEBIAN_FRONTEND=noninteractive apt-get install -y -q netperf;" +
            " elif command -v dnf >/dev/null; then dnf install -y -q netperf;" +
            " else echo no apt-get or dnf to install netperf with >&2; exit 1; fi");

    [Test]
    public void Restore_removes_only_what_this_tool_installed()
    {
        Netperf().Restore(Fields.Scalar("installed")).Should().Be(RemoteCommand.Nothing);
        Netperf().Restore(null).Script.Should().Be(
            "if command -v apt-get >/dev/null; then DEBIAN_FRONTEND=noninteractive apt-get remove -y -q netperf;" +
            " elif command -v dnf >/dev/null; then dnf remove -y -q netperf; fi");
    }
}
