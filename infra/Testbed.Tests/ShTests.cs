using FluentAssertions;
using NUnit.Framework;
using Testbed.Tests.Support;
using Testbed.Transport;

namespace Testbed.Tests;

public class ShTests
{
    [TestCase("vec0", "vec0")]
    [TestCase("87380 4194304 4194304", "'87380 4194304 4194304'")]
    [TestCase("eth0; rm -rf /", "'eth0; rm -rf /'")]
    [TestCase("it's", "'it'\\''s'")]
    [TestCase("", "''")]
    [TestCase("$(reboot)", "'$(reboot)'")]
    [TestCase("net.ipv4.tcp_sack=1", "net.ipv4.tcp_sack=1")]
    [TestCase("10.1.0.0/24", "10.1.0.0/24")]
    [TestCase("a*", "'a*'")]
    [TestCase("~root", "'~root'")]
    [TestCase("x\ny", "'x\ny'")]
    public void Quote_makes_one_literal_word(string value, string quoted) => Sh.Quote(value).Should().Be(quoted);

    [TestCase("eth0; rm -rf /")]
    [TestCase("it's")]
    [TestCase("$(reboot) `id` $HOME")]
    [TestCase("a\\b\"c")]
    [TestCase("")]
    [TestCase("'")]
    [TestCase("x\ny")]
    public void Quote_gives_the_shell_back_the_exact_value(string value) =>
        Shell.Run($"printf '%s' {Sh.Quote(value)}").Stdout.Should().Be(value);

    [Test]
    public void Quote_of_numbers_is_invariant() => Sh.Quote(1500).Should().Be("1500");

    [Test]
    public void Cmd_quotes_each_argument_but_not_the_program()
    {
        Sh.Cmd("ip", "link", "set", "dev", "eth0; id", "mtu", 9000).Should().Be("ip link set dev 'eth0; id' mtu 9000");
        Sh.Cmd("true").Should().Be("true");
    }
}
