using FluentAssertions;
using NUnit.Framework;
using Testbed.Resources;
using Testbed.Tests.Support;

namespace Testbed.Tests.Resources;

public class ShaperTests
{
    static Shaper Tbf(int rate = 100, int mtu = 1500) => new() { Host = "wire", Dev = "veth-a", RateMbit = rate, Mtu = mtu };

    [Test]
    public void Identity_and_traits()
    {
        var r = Tbf();
        (r.Kind.Name, r.Name, r.Urn).Should().Be(("qdisc", "veth-a root", "wire/qdisc/veth-a root"));
        r.Identity.Should().Equal(new Dictionary<string, string> { ["dev"] = "veth-a" });
        r.Desired.Should().Be(Fields.Of(("qdisc", "tbf"), ("rate", "100Mbit")));
        (r.Exclusive, r.MaySettle, r.BestEffort).Should().Be((false, false, false));
        r.ChangeFrom(Fields.Of(("qdisc", "pfifo_fast"))).Should().Be(Change.Update, "tc qdisc replace swaps it in place");
        r.ReadScript.Should().Be("tc qdisc show dev veth-a root");
    }

    [TestCase(10, 1500, 6400)]        // a few frames at the MTU
    [TestCase(100, 1500, 25000)]      // 2 ms at the rate
    [TestCase(1000, 9000, 250000)]
    [TestCase(10, 9000, 36400)]
    public void Burst_holds_a_few_frames_and_two_milliseconds(int rate, int mtu, int burst) =>
        Tbf(rate, mtu).BurstBytes.Should().Be(burst);

    [Test]
    public void Apply_replaces_the_root_qdisc_with_tbf() =>
        Tbf().Apply(Reading.Absent).Script.Should().Be("tc qdisc replace dev veth-a root tbf rate 100mbit burst 25000 latency 10ms");

    [Test]
    public void Restore_deletes_ours_so_the_device_gets_its_default_back()
    {
        Tbf().Restore(Fields.Of(("qdisc", "pfifo_fast"))).Script.Should().Be("tc qdisc del dev veth-a root 2>/dev/null || true");
        Tbf().Restore(null).Script.Should().Be("tc qdisc del dev veth-a root 2>/dev/null || true");
    }

    [TestCase(10)]
    [TestCase(100)]
    public void Parse_of_real_tbf_output_equals_the_desired_value(int rate) =>
        Tbf(rate).Parse(Fixture.Read($"captured/host-tc-tbf-{rate}mbit.txt")).Value.Should().Be(Tbf(rate).Desired);

    [Test]
    public void Parse_of_a_default_qdisc_names_it()
    {
        Tbf().Parse(Fixture.Read("captured/gw-a.tc-qdisc-root-vec0.txt")).Value.Should().Be(Fields.Of(("qdisc", "pfifo_fast")));
        Tbf().Parse("qdisc noqueue 0: root refcnt 2 \n").Value.Should().Be(Fields.Of(("qdisc", "noqueue")));
    }

    [Test]
    public void Parse_of_no_output_is_a_missing_device()
    {
        new Shaper { Host = "wire", Dev = "nosuch0", RateMbit = 10, Mtu = 1500 }.Parse(Fixture.ComposedRead()["6"]).Unsupported.Should().Be("no device nosuch0");
    }
}
