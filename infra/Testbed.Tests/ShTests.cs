using FluentAssertions;
using NUnit.Framework;
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
    public void Quote_makes_one_literal_word(string value, string quoted) => Sh.Quote(value).Should().Be(quoted);
}
