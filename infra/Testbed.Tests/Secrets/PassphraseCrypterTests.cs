using System.Security.Cryptography;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Secrets;

namespace Testbed.Tests.Secrets;

public class PassphraseCrypterTests
{
    const string Passphrase = "s3cret pass";
    PassphraseCrypter _crypter = null!;
    string _salt = null!;

    [OneTimeSetUp]
    public void CreateOnce() => (_crypter, _salt) = PassphraseCrypter.Create(Passphrase);

    [Test]
    public void Encryptionsalt_has_pulumis_v1_shape() => _salt.Should().MatchRegex(@"^v1:[A-Za-z0-9+/=]+:v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$");

    [Test]
    public void Round_trip_through_a_stack_opened_again_with_the_passphrase()
    {
        var cipher = _crypter.Encrypt("0x0123456789abcdef");
        cipher.Should().StartWith("v1:").And.NotContain("0123456789abcdef");
        var reopened = PassphraseCrypter.Open(Passphrase, _salt);
        reopened.Should().NotBeNull();
        reopened!.TryDecrypt(cipher).Should().Be("0x0123456789abcdef");
    }

    [Test]
    public void Wrong_passphrase_opens_nothing() => PassphraseCrypter.Open("not it", _salt).Should().BeNull();

    [Test]
    public void Each_encryption_uses_a_fresh_nonce() => _crypter.Encrypt("same").Should().NotBe(_crypter.Encrypt("same"));

    [TestCase("garbage")]
    [TestCase("v2:AAAA:BBBB")]
    [TestCase("v1:not base64:x")]
    [TestCase("v1:AAAA:AAAA")]
    [TestCase("")]
    public void Malformed_values_decrypt_to_null(string value) => _crypter.TryDecrypt(value).Should().BeNull();

    [Test]
    public void A_tampered_value_decrypts_to_null()
    {
        var parts = _crypter.Encrypt("0x0123456789abcdef").Split(':');
        var bytes = Convert.FromBase64String(parts[2]);
        bytes[0] ^= 1;
        _crypter.TryDecrypt($"v1:{parts[1]}:{Convert.ToBase64String(bytes)}").Should().BeNull();
    }

    [Test]
    public void A_crypter_under_another_key_cannot_read_it()
    {
        var other = PassphraseCrypter.FromKey(RandomNumberGenerator.GetBytes(32));
        other.TryDecrypt(_crypter.Encrypt("x")).Should().BeNull();
        other.TryDecrypt(other.Encrypt("x")).Should().Be("x");
    }

    [Test]
    public void A_malformed_encryptionsalt_is_a_format_error() =>
        FluentActions.Invoking(() => PassphraseCrypter.Open(Passphrase, "nonsense")).Should().Throw<FormatException>();
}
