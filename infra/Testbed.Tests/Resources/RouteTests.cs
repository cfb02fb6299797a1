using FluentAssertions;
using NUnit.Framework;
using Testbed.Resources;
using Testbed.Transport;
using Testbed.Tests.Support;

namespace Testbed.Tests.Resources;

public class RouteTests
{
    static Route ToB() => new() { Host = "gw-a", To = "10.2.0.0/24", Via = "192.0.2.2", Src = "10.1.0.1", After = ["gw-a/addr/10.1.0.1/24 dev site0"] };

    [Test]
    public void Identity_and_traits()
    {
        var r = ToB();
        (r.Kind.Name, r.Name, r.Urn).Should().Be(("route", "10.2.0.0/24", "gw-a/route/10.2.0.0/24"));
        r.Identity.Should().Equal(new Dictionary<string, string> { ["to"] = "10.2.0.0/24" });
        r.Desired.Should().Be(Fields.Of(("via", "192.0.2.2"), ("src", "10.1.0.1")));
        r.DependsOn.Should().Equal("gw-a/addr/10.1.0.1/24 dev site0");
        r.Exclusive.Should().BeTrue();
        r.ChangeFrom(Fields.Of(("via", "192.0.2.9"), ("src", "10.1.0.1"))).Should().Be(Change.Update);
    }

    [Test]
    public void Apply_and_restore()
    {
        ToB().Apply(Reading.Absent).Script.Should().Be("ip route replace 10.2.0.0/24 via 192.0.2.2 src 10.1.0.1");
        ToB().Restore(null).Script.Should().Be("ip route del 10.2.0.0/24 2>/dev/null || true");
        ToB().Restore(Fields.Of(("via", "192.0.2.9"), ("src", "10.1.0.1"))).Should().Be(RemoteCommand.Nothing);
    }

    [Test]
    public void Parse_of_real_output_on_both_gateways_equals_the_desired_value()
    {
        ToB().Parse(Fixture.Read("captured/gw-a.ipv4-addr-route.txt")).Value.Should().Be(ToB().Desired);
        var toA = new Route { Host = "gw-b", To = "10.1.0.0/24", Via = "192.0.2.1", Src = "10.2.0.1" };
        toA.Parse(Fixture.Read("captured/gw-b.ipv4-addr-route.txt")).Value.Should().Be(toA.Desired);
    }

    [Test]
    public void Parse_of_a_connected_route_has_no_via()
    {
        var own = new Route { Host = "gw-a", To = "10.1.0.0/24", Via = "x", Src = "y" };
        own.Parse(Fixture.Read("captured/gw-a.ipv4-addr-route.txt")).Value.Should().Be(Fields.Of(("via", "(none)"), ("src", "10.1.0.1")));
    }

    [Test]
    public void Parse_of_a_missing_route_is_absent() =>
        new Route { Host = "gw-a", To = "10.9.0.0/24", Via = "x", Src = "y" }
            .Parse(Fixture.Read("captured/gw-a.ipv4-addr-route.txt")).Should().Be(Reading.Absent);
}
