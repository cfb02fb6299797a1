using FluentAssertions;
using NUnit.Framework;
using Testbed.Secrets;

namespace Testbed.Tests.Secrets;

public class SecretTests
{
    [Test]
    public void A_secret_prints_as_secret_everywhere()
    {
        var s = Secret.FromHex("0x0123456789abcdef0123456789abcdef")!;
        s.ToString().Should().Be("[secret]");
        $"key {s}".Should().Be("key [secret]");
        string.Format("{0}", s).Should().Be("[secret]");
        System.Text.Json.JsonSerializer.Serialize(new { Key = s.ToString() }).Should().NotContain("0123");
    }

    [TestCase("0x0123456789abcdef", 64)]
    [TestCase("0X0123456789ABCDEF", 64)]
    [TestCase("00112233", 32)]
    public void FromHex_reads_hex_with_or_without_0x(string hex, int bits) => Secret.FromHex(hex)!.Bits.Should().Be(bits);

    [TestCase("0x")]
    [TestCase("0x123")]
    [TestCase("0xzz")]
    [TestCase("")]
    [TestCase("hello")]
    public void FromHex_refuses_what_is_not_whole_bytes_of_hex(string text) => Secret.FromHex(text).Should().BeNull();

    [Test]
    public void RevealHex_is_lower_case_0x_hex()
    {
        Secret.FromHex("0X0123456789ABCDEF")!.RevealHex().Should().Be("0x0123456789abcdef");
        Secret.Random(192).RevealHex().Should().MatchRegex("^0x[0-9a-f]{48}$");
    }

    [Test]
    public void Equality_is_by_value()
    {
        Secret.FromHex("0x0011")!.Should().Be(Secret.FromHex("0x0011"));
        Secret.FromHex("0x0011")!.Should().NotBe(Secret.FromHex("0x0012"));
        Secret.Random(128).Should().NotBe(Secret.Random(128));
    }

    [Test]
    public void The_bytes_given_are_copied()
    {
        var bytes = new byte[] { 1, 2, 3, 4 };
        var s = new Secret(bytes);
        bytes[0] = 9;
        s.RevealHex().Should().Be("0x01020304");
    }

    [Test]
    public void Fingerprint_is_stable_short_and_says_nothing_of_the_key()
    {
        var s = Secret.FromHex("0x0123456789abcdef0123456789abcdef")!;
        s.Fingerprint.Should().MatchRegex("^sha256:[0-9a-f]{16}$");
        s.Fingerprint.Should().Be(Secret.FromHex("0x0123456789ABCDEF0123456789ABCDEF")!.Fingerprint);
        s.Fingerprint.Should().NotBe(Secret.FromHex("0x0123456789abcdef0123456789abcdee")!.Fingerprint);
        s.Fingerprint.Should().NotContain("0123456789abcdef");
        Fingerprints.OfHex("0x0123456789abcdef0123456789abcdef").Should().Be(s.Fingerprint);
        Fingerprints.OfHex("0x[secret]").Should().Be("sha256:unreadable");
    }
}
