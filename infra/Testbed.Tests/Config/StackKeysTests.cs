using FluentAssertions;
using NUnit.Framework;
using Testbed.Config;
using Testbed.Model;
using Testbed.Secrets;
using Testbed.Tests.Support;

namespace Testbed.Tests.Config;

/// <summary>
/// SA keys given in the stack (<c>ipsec.keys: stack</c>): Pulumi-style secret values opened with the passphrase from a
/// stand-in environment. Each passphrase derivation costs ~0.3 s, so the crypters are made once.
/// </summary>
public class StackKeysTests
{
    const string Stack = TestProject.StackFile;
    const string Passphrase = "correct horse battery staple";
    const string Key = "ipsec-testbed:ipsec.key";

    static readonly Dictionary<string, string> Env = new() { ["PULUMI_CONFIG_PASSPHRASE"] = Passphrase };

    const string Enc3des = "0x0123456789abcdef0123456789abcdef0123456789abcdef";
    const string EncRev3des = "0xfedcba9876543210fedcba9876543210fedcba9876543210";
    const string AuthSha1 = "0x00112233445566778899aabbccddeeff00112233";
    const string AuthRevSha1 = "0xffeeddccbbaa99887766554433221100ffeeddcc";

    PassphraseCrypter _crypter = null!;
    string _salt = null!;
    TestProject _p = null!;

    /// <summary>One stack with four different mistakes in its keys, loaded once: the tests below each look for their own error.</summary>
    TestProject _mistakes = null!;
    IReadOnlyList<ConfigError> _mistakeErrors = null!;

    [OneTimeSetUp]
    public void LoadOnce()
    {
        (_crypter, _salt) = PassphraseCrypter.Create(Passphrase);
        var otherStack = PassphraseCrypter.FromKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        _mistakes = new TestProject();
        _mistakes.Config(
            "  ipsec-testbed:ipsec:\n    proto: esp\n    suite: 3des-sha1\n    keys: stack\n    key:\n" +
            $"      forward:\n        enc: {Secure("0x0123456789abcdef0123456789abcdef")}\n        auth: {Secure("not a key at all")}\n" +
            $"      reverse:\n        enc: {Secure(EncRev3des, otherStack)}\n", _salt);
        _mistakeErrors = _mistakes.Errors(env: Env);
    }

    [OneTimeTearDown]
    public void DisposeOnce() => _mistakes.Dispose();

    [SetUp]
    public void SetUp() => _p = new TestProject();

    [TearDown]
    public void TearDown() => _p.Dispose();

    string Secure(string plain, PassphraseCrypter? crypter = null) => $"{{secure: \"{(crypter ?? _crypter).Encrypt(plain)}\"}}";

    ConfigError Mistake(string key)
    {
        _mistakeErrors.Should().OnlyContain(e => e.File == Stack);
        return _mistakeErrors.Should().ContainSingle(e => e.Key == key, $"the errors were:\n{string.Join("\n", _mistakeErrors)}").Subject;
    }

    [Test]
    public void Valid_secret_keys_load_and_reach_the_keyring()
    {
        var spec = _p.Config(
            "  ipsec-testbed:ipsec:\n    proto: esp\n    suite: 3des-sha1\n    keys: stack\n    key:\n" +
            $"      forward: {{enc: {Secure(Enc3des)}, auth: {Secure(AuthSha1)}}}\n" +
            $"      reverse: {{enc: {Secure(EncRev3des)}, auth: {Secure(AuthRevSha1)}}}\n", _salt).Load(env: Env);
        spec.Ipsec.Keys.Should().Be(KeySource.Stack);
        spec.Ipsec.StackKeys.Keys.Should().BeEquivalentTo("forward.enc", "forward.auth", "reverse.enc", "reverse.auth");
        spec.Ipsec.StackKeys["forward.enc"].Should().Be(Secret.FromHex(Enc3des));
        new StackKeyring(spec.Ipsec.StackKeys).Key("reverse/esp/auth", Algorithms.HmacSha1).Should().Be(Secret.FromHex(AuthRevSha1));
    }

    [Test]
    public void Three_des_key_of_128_bits_is_refused_naming_the_key()
    {
        var error = Mistake($"{Key}.forward.enc");
        error.Message.Should().Be("cbc(des3_ede) needs a 192-bit key; this one has 128 bits");
        string.Join("\n", _mistakeErrors).Should().NotContain("0123456789abcdef", "an error never echoes key material");
    }

    [Test]
    public void A_secret_that_is_not_hex_is_refused() =>
        Mistake($"{Key}.forward.auth").Message.Should().Be("the secret is not a hex key (0x followed by hex digits)");

    [Test]
    public void A_secret_copied_from_another_stack_is_refused() =>
        Mistake($"{Key}.reverse.enc").Message.Should().Be(
            "this secret value does not decrypt with the stack's passphrase (was it copied from another stack?)");

    [Test]
    public void A_missing_key_is_refused_saying_what_it_needs() =>
        Mistake($"{Key}.reverse.auth").Message.Should().Be("is missing: esp-3des-sha1 needs a 160-bit auth key here (or set ipsec.keys: generate)");

    [Test]
    public void The_mistakes_are_all_reported_in_one_run() =>
        _mistakeErrors.Select(e => e.Key).Should().BeEquivalentTo(
            $"{Key}.forward.enc", $"{Key}.forward.auth", $"{Key}.reverse.enc", $"{Key}.reverse.auth");

    [Test]
    public void Aead_key_must_include_the_salt()
    {
        var aes128 = "0x00112233445566778899aabbccddeeff";
        var errors = _p.Config(
            "  ipsec-testbed:ipsec:\n    proto: esp\n    suite: aes128gcm16\n    keys: stack\n    key:\n" +
            $"      forward: {{aead: {Secure(aes128)}}}\n      reverse: {{aead: {Secure(aes128 + "01020304")}}}\n", _salt).Errors(env: Env);
        errors.Should().ContainSingle().Which.Should().Be(new ConfigError(Stack, $"{Key}.forward.aead",
            "rfc4106(gcm(aes)) needs a 160-bit key; this one has 128 bits", errors[0].Line));
    }

    [Test]
    public void A_plaintext_key_is_refused()
    {
        var errors = _p.Config("  ipsec-testbed:ipsec:\n    proto: esp\n    suite: 3des\n    keys: stack\n    key:\n" +
            $"      forward: {{enc: \"{Enc3des}\"}}\n      reverse: {{enc: {{value: \"{EncRev3des}\"}}}}\n", _salt).Errors(env: Env);
        errors.Select(e => e.Key).Should().BeEquivalentTo($"{Key}.forward.enc", $"{Key}.reverse.enc");
        errors.Should().OnlyContain(e => e.File == Stack && e.Message.StartsWith("must be a secret value ({secure: v1:…})"));
    }

    [Test]
    public void A_key_the_suite_has_no_use_for_is_refused()
    {
        var errors = _p.Config("  ipsec-testbed:ipsec:\n    proto: esp\n    suite: 3des\n    keys: stack\n    key:\n" +
            $"      forward: {{enc: \"{Enc3des}\", auth: \"{AuthSha1}\"}}\n      reverse: {{enc: \"{EncRev3des}\", auth: \"{AuthRevSha1}\"}}\n", _salt).Errors(env: Env);
        errors.Where(e => e.Key.EndsWith(".auth")).Select(e => (e.Key, e.Message)).Should().BeEquivalentTo(new[]
        {
            ($"{Key}.forward.auth", "suite 3des has no auth algorithm; remove this key"),
            ($"{Key}.reverse.auth", "suite 3des has no auth algorithm; remove this key"),
        });
    }

    TestProject OneSecret(string? salt) =>
        _p.Config($"  ipsec-testbed:ipsec:\n    proto: esp\n    suite: 3des\n    keys: stack\n    key:\n" +
                  $"      forward: {{enc: {Secure(Enc3des)}}}\n      reverse: {{enc: {Secure(EncRev3des)}}}\n", salt);

    [Test]
    public void A_wrong_passphrase_is_refused_on_every_secret()
    {
        var errors = OneSecret(_salt).Errors(env: new Dictionary<string, string> { ["PULUMI_CONFIG_PASSPHRASE"] = "wrong" });
        errors.Select(e => e.Key).Should().BeEquivalentTo($"{Key}.forward.enc", $"{Key}.reverse.enc");
        errors.Should().OnlyContain(e => e.File == Stack && e.Message == "is a secret value, and the passphrase given does not open this stack's secrets");
    }

    [Test]
    public void No_passphrase_says_how_to_give_one() =>
        OneSecret(_salt).Errors().Should().Contain(e => e.Key == $"{Key}.forward.enc"
            && e.Message == "is a secret value; set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE to open it");

    [Test]
    public void No_encryptionsalt_is_refused() =>
        OneSecret(null).Errors(env: Env).Should().Contain(e => e.Key == $"{Key}.forward.enc"
            && e.Message == "is a secret value, but the stack file has no encryptionsalt to open it with");

    [Test]
    public void The_passphrase_can_come_from_a_private_file()
    {
        var file = _p.File0600("secrets/passphrase", Passphrase + "\n");
        SecretValues.Passphrase(name => name == "PULUMI_CONFIG_PASSPHRASE_FILE" ? file : null).Should().Be(Passphrase);
        SecretValues.Passphrase(name => name switch { "PULUMI_CONFIG_PASSPHRASE" => "direct", "PULUMI_CONFIG_PASSPHRASE_FILE" => file, _ => null })
            .Should().Be("direct", "the variable wins over the file, as in Pulumi");
        SecretValues.Passphrase(_ => null).Should().BeNull();
    }

    [Test]
    public void A_passphrase_file_readable_by_others_is_refused()
    {
        var file = _p.File0600("secrets/passphrase", Passphrase, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        FluentActions.Invoking(() => OneSecret(_salt).Load(env: new Dictionary<string, string> { ["PULUMI_CONFIG_PASSPHRASE_FILE"] = file }))
            .Should().Throw<ConfigException>().Which.Errors.Single().Message.Should().Contain("readable by everyone; chmod 600 it");
    }

    [Test]
    public void A_missing_passphrase_file_is_refused() =>
        FluentActions.Invoking(() => SecretValues.Passphrase(name => name == "PULUMI_CONFIG_PASSPHRASE_FILE" ? "/nonexistent/passphrase" : null))
            .Should().Throw<ConfigException>().Which.Errors.Single().Should().Be(
                new ConfigError("/nonexistent/passphrase", "PULUMI_CONFIG_PASSPHRASE_FILE", "no such file"));

    [Test]
    public void Keys_in_a_stack_that_generates_its_keys_are_refused() =>
        _p.Config($"  ipsec-testbed:ipsec:\n    proto: esp\n    suite: 3des\n    key:\n      forward: {{enc: {Secure(Enc3des)}}}\n", _salt)
            .SingleError(Stack, Key).Message.Should().StartWith("keys are generated (ipsec.keys: generate)");
}
