using FluentAssertions;
using NUnit.Framework;
using Testbed.Secrets;

namespace Testbed.Tests.Secrets;

public class RedactorTests
{
    [Test]
    public void A_revealed_key_is_blanked_wherever_it_appears_in_any_case()
    {
        var s = Secret.Random(64);   // 16 hex digits: short, but revealed
        var hex = s.RevealHex();
        Redactor.Redact($"ip: bad key {hex} here").Should().Be("ip: bad key [secret] here");
        Redactor.Redact($"upper {hex.ToUpperInvariant()}").Should().Be("upper [secret]");
    }

    [Test]
    public void A_short_revealed_key_is_blanked_too()
    {
        var hex = new Secret([0xde, 0xad, 0xbe, 0xef]).RevealHex();   // 0xdeadbeef: below the long-hex rule
        Redactor.Redact($"key {hex}.").Should().Be("key [secret].");
    }

    static string NeverRevealed(int bytes) => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(bytes));

    [Test]
    public void Long_0x_hex_runs_are_blanked_even_if_never_revealed()
    {
        Redactor.Redact($"enc cbc(aes) 0x{NeverRevealed(16).ToLowerInvariant()}").Should().Be("enc cbc(aes) 0x[secret]");
        Redactor.Redact($"auth-trunc hmac(sha1) 0x{NeverRevealed(20)} 96").Should().Be("auth-trunc hmac(sha1) 0x[secret] 96");
        Redactor.Redact($"enc cbc(des) 0x{NeverRevealed(8)}").Should().Be("enc cbc(des) 0x[secret]", "a DES key is 16 hex digits");
    }

    [Test]
    public void Spis_marks_and_fingerprints_are_left_alone()
    {
        const string text = "proto esp spi 0x00001001 reqid 1 bitmap 0xffffffff enc cbc(aes) sha256:0123456789abcdef";
        Redactor.Redact(text).Should().Be(text);
    }

    [Test]
    public void Null_and_empty_are_empty()
    {
        Redactor.Redact(null).Should().Be("");
        Redactor.Redact("").Should().Be("");
    }

    [Test]
    public void Real_xfrm_state_output_keeps_no_key()
    {
        var text = Redactor.Redact(Support.Fixture.Read("captured/gw-a.xfrm-state.txt"));
        text.Should().NotContain(Support.Fixture.ForwardEnc[2..]).And.NotContain(Support.Fixture.ReverseAuth[2..]);
        text.Should().Contain("spi 0x00001001");
        // "0x[secret]" by the long-hex rule, or "[secret]" if another test revealed the same made-up key first.
        text.Should().MatchRegex(@"auth-trunc hmac\(sha1\) (0x)?\[secret\] 96");
    }
}
