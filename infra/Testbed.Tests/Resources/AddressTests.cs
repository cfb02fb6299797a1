using FluentAssertions;
using NUnit.Framework;
using Testbed.Resources;
using Testbed.Transport;
using Testbed.Tests.Support;

namespace Testbed.Tests.Resources;

public class AddressTests
{
    static readonly string GwA = Fixture.Read("captured/gw-a.ipv4-addr-route.txt");

    static Address Addr(string cidr = "10.1.0.1/24", string dev = "site0") =>
        new() { Host = "gw-a", Dev = dev, Cidr = cidr, After = ["gw-a/link/site0"] };

    [Test]
    public void Identity_and_traits()
    {
        var r = Addr();
        (r.Kind.Name, r.Name, r.Urn).Should().Be(("addr", "10.1.0.1/24 dev site0", "gw-a/addr/10.1.0.1/24 dev site0"));
        r.Identity.Should().Equal(new Dictionary<string, string> { ["dev"] = "site0", ["cidr"] = "10.1.0.1/24" });
        r.Desired.Should().Be(Fields.Of(("dev", "site0")));
        r.DependsOn.Should().Equal("gw-a/link/site0");
        r.Exclusive.Should().BeTrue();
        r.ChangeFrom(Fields.Of(("dev", "vec0"))).Should().Be(Change.Update);
    }

    [Test]
    public void Apply_adds_the_address() =>
        Addr().Apply(Reading.Absent).Script.Should().Be("ip addr replace 10.1.0.1/24 dev site0");

    [Test]
    public void Apply_moves_the_address_off_another_device_first() =>
        Addr().Apply(Reading.Of(Fields.Of(("dev", "vec0")))).Script.Should().Be(
            "ip addr del 10.1.0.1/24 dev vec0\nip addr replace 10.1.0.1/24 dev site0");

    [Test]
    public void Restore_deletes_an_address_that_was_not_there()
    {
        Addr().Restore(null).Script.Should().Be("ip addr del 10.1.0.1/24 dev site0 2>/dev/null || true");
        Addr().Restore(Fields.Of(("dev", "site0"))).Should().Be(RemoteCommand.Nothing);
    }

    [Test]
    public void Addresses_and_routes_share_one_read()
    {
        Addr().ReadScript.Should().Be("ip -o -4 -batch - <<'EOF'\naddr show\nroute show\nEOF");
        new Route { Host = "gw-a", To = "x", Via = "y", Src = "z" }.ReadScript.Should().Be(Addr().ReadScript);
    }

    [TestCase("10.1.0.1/24", "site0")]
    [TestCase("192.0.2.1/24", "vec0")]
    [TestCase("127.0.0.1/8", "lo")]
    public void Parse_of_real_output_finds_the_device(string cidr, string dev) =>
        Addr(cidr).Parse(GwA).Value.Should().Be(Fields.Of(("dev", dev)));

    [TestCase("10.1.0.1/16")]
    [TestCase("10.9.9.9/24")]
    [TestCase("10.1.0.0/24")]    // a route's destination, not an address
    public void Parse_of_an_address_not_there_is_absent(string cidr) => Addr(cidr).Parse(GwA).Should().Be(Reading.Absent);
}
