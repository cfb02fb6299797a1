using FluentAssertions;
using NUnit.Framework;
using Testbed.Model;

namespace Testbed.Tests.Model;

public class CipherSuiteTests
{
    /// <summary>The paper's 17 IPsec cases: AH with HMAC-MD5 or -SHA1, and ESP with five ciphers, each alone or with either MAC.</summary>
    public static readonly string[] PaperCases =
    [
        "ah-md5", "ah-sha1",
        "esp-des", "esp-des-md5", "esp-des-sha1",
        "esp-3des", "esp-3des-md5", "esp-3des-sha1",
        "esp-aes128", "esp-aes128-md5", "esp-aes128-sha1",
        "esp-aes192", "esp-aes192-md5", "esp-aes192-sha1",
        "esp-aes256", "esp-aes256-md5", "esp-aes256-sha1",
    ];

    public static readonly string[] ModernCases =
        ["esp-aes128gcm16", "esp-aes256gcm16", "esp-chacha20poly1305", "esp-aes128-aesxcbc", "esp-aes128-sha256"];

    [Test]
    public void The_papers_17_cases_are_2_ah_and_15_esp()
    {
        PaperCases.Should().HaveCount(17).And.OnlyHaveUniqueItems();
        PaperCases.Count(c => c.StartsWith("ah-")).Should().Be(2);
        PaperCases.Count(c => c.StartsWith("esp-")).Should().Be(15);
    }

    [TestCaseSource(nameof(PaperCases))]
    [TestCaseSource(nameof(ModernCases))]
    public void Case_is_known_and_valid(string name)
    {
        var p = Protection.Parse(name);
        p.Should().NotBeNull($"{name} must be a known, valid case");
        p!.Problem.Should().BeNull();
        p.Name.Should().Be(name);
    }

    [Test]
    public void Suite_names_are_unique_ignoring_case()
    {
        CipherSuites.All.Select(s => s.Name.ToLowerInvariant()).Should().OnlyHaveUniqueItems();
        CipherSuites.All.Select(s => s.Label).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public void Find_ignores_case_and_returns_null_for_unknown()
    {
        CipherSuites.Find("AES128-SHA1").Should().BeSameAs(CipherSuites.Find("aes128-sha1"));
        CipherSuites.Find("aes128-sha1")!.Label.Should().Be("128bit AES-160bit SHA1");
        CipherSuites.Find("rot13").Should().BeNull();
    }

    [Test]
    public void Every_key_length_is_whole_bytes_and_every_suite_has_an_algorithm()
    {
        foreach (var s in CipherSuites.All)
        {
            (s.Enc is not null || s.Auth is not null || s.Aead is not null).Should().BeTrue(s.Name);
            foreach (var alg in new[] { s.Enc, s.Auth, s.Aead }.OfType<Algorithm>())
                (alg.KeyBits % 8).Should().Be(0, $"{s.Name} {alg.Name}");
        }
    }

    [Test]
    public void Aead_suites_are_neither_cipher_nor_mac_alone()
    {
        foreach (var s in CipherSuites.All.Where(s => s.Aead is not null))
        {
            s.Enc.Should().BeNull(s.Name);
            s.Auth.Should().BeNull(s.Name);
            s.HasEncryption.Should().BeTrue();
            s.HasIntegrity.Should().BeTrue();
        }
    }

    [TestCase("aes128gcm16", "rfc4106(gcm(aes))", 160, 128)]
    [TestCase("aes256gcm16", "rfc4106(gcm(aes))", 288, 128)]
    [TestCase("chacha20poly1305", "rfc7539esp(chacha20,poly1305)", 288, 128)]
    public void Aead_key_length_includes_the_32_bit_salt(string suite, string kernelName, int keyBits, int icvBits)
    {
        var aead = CipherSuites.Find(suite)!.Aead!;
        aead.Should().Be(new Algorithm(kernelName, keyBits, icvBits));
        aead.KeyBytes.Should().Be(keyBits / 8);
    }
}
