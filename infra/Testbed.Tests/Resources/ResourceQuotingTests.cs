using FluentAssertions;
using NUnit.Framework;
using Testbed.Model;
using Testbed.Resources;
using Testbed.Tests.Support;

namespace Testbed.Tests.Resources;

/// <summary>
/// Every string a resource puts on a command line reaches it quoted: a value carrying a quote, a semicolon and
/// a command word leaves nothing the shell would interpret. Values here come from config, the state file or a
/// host's own output, so none of them may be trusted.
/// </summary>
public class ResourceQuotingTests
{
    const string Sentinel = "PWNED";
    const string H = "v';" + Sentinel + ";'x $(" + Sentinel + ")";

    static readonly SecurityAssociation Sa = SecurityDatabases.For(Specs.Testbed(), new FakeKeyring()).Sas[0];

    static readonly Resource[] Hostile =
    [
        new Sysctl { Host = "h", Key = H, Value = H },
        new NicCoalesce { Host = "h", Dev = H, Param = H, Value = 1 },
        new NicOffload { Host = "h", Dev = H, Feature = H, On = true },
        new LinkMtu { Host = "h", Dev = H, Mtu = 1500 },
        new DummyLink { Host = "h", Dev = H },
        new Address { Host = "h", Dev = H, Cidr = H },
        new Route { Host = "h", To = H, Via = H, Src = H },
        new XfrmState { Host = "h", Src = H, Dst = H, Proto = H, Spi = 1, Sa = Sa },
        new XfrmPolicy { Host = "h", Src = H, Dst = H, Dir = H, Templates = [new PolicyTemplate(Sa.Src, Sa.Dst, "esp", 1, IpsecMode.Tunnel)] },
        new Package { Host = "h", PackageName = H, Command = H },
        new Shaper { Host = "h", Dev = H, RateMbit = 10, Mtu = 1500 },
    ];

    static readonly Fields[] HostileOriginals =
        [Fields.Scalar(H), Fields.Of(("qdisc", H), ("rate", H)), Fields.Of(("dev", H)), Fields.Of(("via", H), ("src", H))];

    /// <summary>Every command a resource renders, by what it is. Package.Apply is in KnownBugTests.</summary>
    public static IEnumerable<TestCaseData> Commands()
    {
        foreach (var r in Hostile)
        {
            yield return new TestCaseData(r, "read").SetName($"{r.Kind} read script");
            if (r is not Package)
            {
                yield return new TestCaseData(r, "apply").SetName($"{r.Kind} apply");
                yield return new TestCaseData(r, "apply-over-live").SetName($"{r.Kind} apply over a hostile live value");
            }
            yield return new TestCaseData(r, "restore-null").SetName($"{r.Kind} restore of an absent original");
            yield return new TestCaseData(r, "restore-original").SetName($"{r.Kind} restore of a hostile original");
        }
    }

    static IEnumerable<string> Render(Resource r, string what) => what switch
    {
        "read" => [r.ReadScript],
        "apply" => [r.Apply(Reading.Absent).Script],
        "apply-over-live" => HostileOriginals.Select(f => r.Apply(Reading.Of(f)).Script),
        "restore-null" => [r.Restore(null).Script],
        _ => HostileOriginals.Select(f => r.Restore(f).Script),
    };

    [TestCaseSource(nameof(Commands))]
    public void Hostile_values_stay_inside_quotes(Resource r, string what)
    {
        foreach (var script in Render(r, what))
            Shell.Unquoted(script).Should().NotContain(Sentinel, $"the script was:\n{script}");
    }

    [Test]
    public void The_check_itself_sees_an_unquoted_value()
    {
        Shell.Unquoted($"ip link set dev {H} up").Should().Contain(Sentinel);
        Shell.Unquoted($"ip link set dev {Testbed.Transport.Sh.Quote(H)} up").Should().NotContain(Sentinel);
        Shell.Unquoted($"echo 'text {H} more'").Should().Contain(Sentinel);
    }

    [Test]
    public void Hostile_values_leave_every_command_valid_shell_syntax()
    {
        // set -n: the shell parses without running anything; a value that escaped its quotes would unbalance them.
        foreach (var r in Hostile.Where(r => r is not Package))
            foreach (var script in new[] { r.ReadScript, r.Apply(Reading.Absent).Script, r.Restore(Fields.Scalar(H)).Script })
                Shell.Run("set -n\n" + script).ExitCode.Should().Be(0, script);
    }

    [Test]
    public void Xfrm_state_keys_and_sa_fields_go_on_stdin_not_into_the_script()
    {
        var cmd = Hostile.OfType<XfrmState>().Single().Apply(Reading.Absent);
        cmd.Stdin.Should().StartWith("xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp");
        cmd.Script.Should().NotContain(Sa.Enc!.Key.RevealHex()[2..]);
    }
}
