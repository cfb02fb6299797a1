using System.Net;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Model;
using Testbed.Tests.Support;

namespace Testbed.Tests.Model;

public class TestbedModelTests
{
    [TestCase("192.0.2.1/24", "192.0.2.1", 24, "192.0.2.0/24")]
    [TestCase("10.1.2.3/8", "10.1.2.3", 8, "10.0.0.0/8")]
    [TestCase("10.1.2.3/32", "10.1.2.3", 32, "10.1.2.3/32")]
    [TestCase("172.16.5.130/25", "172.16.5.130", 25, "172.16.5.128/25")]
    public void InterfaceAddress_parses_address_prefix_and_network(string text, string ip, int len, string network)
    {
        var a = InterfaceAddress.TryParse(text)!;
        a.Address.Should().Be(IPAddress.Parse(ip));
        a.PrefixLength.Should().Be(len);
        a.Network.ToString().Should().Be(network);
        a.ToString().Should().Be(text);
    }

    [TestCase("192.0.2.1")]
    [TestCase("192.0.2.1/0")]
    [TestCase("192.0.2.1/33")]
    [TestCase("2001:db8::1/64")]
    [TestCase("gw-a/24")]
    [TestCase("192.0.2.1/x")]
    public void InterfaceAddress_refuses_what_is_not_an_ipv4_address_with_a_prefix(string text) =>
        InterfaceAddress.TryParse(text).Should().BeNull();

    [Test]
    public void Site_address_is_the_first_address_of_the_site()
    {
        Specs.GwA.SiteAddress.ToString().Should().Be("10.1.0.1/24");
        Specs.GwB.SiteAddress.ToString().Should().Be("10.2.0.1/24");
    }

    [TestCase("unshaped", null, "unshaped")]
    [TestCase("10mbit", 10, "10mbit")]
    [TestCase("100mbit", 100, "100mbit")]
    [TestCase("1000mbit", 1000, "1000mbit")]
    [TestCase("1gbit", 1000, "1000mbit")]
    public void Link_parses_the_papers_rates(string text, int? rate, string name)
    {
        var link = Link.Parse(text)!;
        link.RateMbit.Should().Be(rate);
        link.Name.Should().Be(name);
    }

    [TestCase("10Mbit")]
    [TestCase("40gbit")]
    [TestCase("")]
    public void Link_refuses_other_rates(string text) => Link.Parse(text).Should().BeNull();

    [Test]
    public void Spec_finds_sender_receiver_and_peers()
    {
        var spec = Specs.Testbed();
        spec.Sender.Should().Be(Specs.GwA);
        spec.Receiver.Should().Be(Specs.GwB);
        spec.Peer(Specs.GwA).Should().Be(Specs.GwB);
        spec.Peer(Specs.GwB).Should().Be(Specs.GwA);
        spec.Host("gw-b").Should().Be(Specs.GwB);
        spec.Host("gw-c").Should().BeNull();
    }

    [Test]
    public void Profiles_are_the_papers_section_5()
    {
        Tuning.Kernel("tuned")!.Sysctls.Should().Contain(new KeyValuePair<string, string>("net.ipv4.tcp_rmem", "87380 4194304 4194304"));
        Tuning.Kernel("tuned")!.Sysctls.Select(s => s.Key).Should().Contain(["net.ipv4.tcp_timestamps", "net.ipv4.tcp_window_scaling", "net.ipv4.tcp_sack", "net.ipv4.tcp_wmem"]);
        Tuning.Kernel("stock")!.Sysctls.Should().BeEmpty();
        Tuning.Nic("tuned")!.Coalesce.Should().OnlyContain(c => c.BestEffort);
        Tuning.Kernel("turbo").Should().BeNull();
        Tuning.Nic("turbo").Should().BeNull();
    }
}
