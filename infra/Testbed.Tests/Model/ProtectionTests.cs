using FluentAssertions;
using NUnit.Framework;
using Testbed.Model;

namespace Testbed.Tests.Model;

public class ProtectionTests
{
    [Test]
    public void Plain_is_named_plain_and_has_no_problem()
    {
        Protection.Plain.Name.Should().Be("plain");
        Protection.Plain.Label.Should().Be("Plain IP");
        Protection.Plain.Problem.Should().BeNull();
        Protection.Parse("plain").Should().Be(Protection.Plain);
    }

    [TestCase("ah-md5", IpsecProto.Ah, "md5", "AH 128bit MD5")]
    [TestCase("esp-aes128-sha1", IpsecProto.Esp, "aes128-sha1", "ESP 128bit AES-160bit SHA1")]
    [TestCase("esp+ah-3des-sha1", IpsecProto.EspAh, "3des-sha1", "ESP+AH 192bit 3DES-160bit SHA1")]
    public void Parse_reads_proto_and_suite_from_a_case_name(string name, IpsecProto proto, string suite, string label)
    {
        var p = Protection.Parse(name)!;
        p.Proto.Should().Be(proto);
        p.Suite!.Name.Should().Be(suite);
        p.Label.Should().Be(label);
        p.ToString().Should().Be(name);
    }

    [TestCase("esp-rot13")]
    [TestCase("gre-aes128")]
    [TestCase("ah-aes128-sha1")]
    [TestCase("esp-md5")]
    [TestCase("esp+ah-aes128gcm16")]
    [TestCase("")]
    public void Parse_returns_null_for_unknown_or_invalid_cases(string name) => Protection.Parse(name).Should().BeNull();

    [Test]
    public void A_proto_without_a_suite_is_a_problem() =>
        new Protection(IpsecProto.Esp, null).Problem.Should().Be("a suite is required");

    [Test]
    public void IpsecNames_round_trip()
    {
        foreach (var proto in Enum.GetValues<IpsecProto>())
            IpsecNames.ParseProto(IpsecNames.Of(proto)).Should().Be(proto);
        foreach (var mode in Enum.GetValues<IpsecMode>())
            IpsecNames.ParseMode(IpsecNames.Of(mode)).Should().Be(mode);
        IpsecNames.ParseProto("ESP").Should().BeNull();
        IpsecNames.ParseMode("beet").Should().BeNull();
    }
}
