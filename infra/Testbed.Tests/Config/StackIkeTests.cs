using FluentAssertions;
using NUnit.Framework;
using Testbed.Model;
using Testbed.Secrets;
using Testbed.Tests.Support;

namespace Testbed.Tests.Config;

/// <summary><c>ipsec.keying: ikev2</c> and <c>ipsec.ike</c>: what loads, and every refusal before any host is touched.</summary>
public class StackIkeTests
{
    const string Stack = TestProject.StackFile;
    const string Ipsec = "ipsec-testbed:ipsec";
    TestProject _p = null!;

    [SetUp]
    public void SetUp() => _p = new TestProject();

    [TearDown]
    public void TearDown() => _p.Dispose();

    TestProject Ike(string lines, string proto = "esp", string suite = "aes128-sha1") =>
        _p.Config($"  {Ipsec}:\n    proto: {proto}\n    suite: {suite}\n    keying: ikev2\n" + lines);

    [Test]
    public void Manual_keying_is_the_default()
    {
        var spec = _p.Config($"  {Ipsec}:\n    proto: esp\n    suite: aes128-sha1\n").Load();
        spec.Ipsec.Keying.Should().Be(Keying.Manual);
        spec.Ipsec.Ike.Should().Be(IkeSettings.Default);
    }

    [Test]
    public void Ikev2_with_no_ike_section_takes_strongSwans_defaults()
    {
        var spec = Ike("").Load();
        spec.Ipsec.Keying.Should().Be(Keying.Ikev2);
        spec.Ipsec.Ike.Should().Be(IkeSettings.Default);
        (spec.Ipsec.Ike.LifeTime.TotalSeconds / spec.Ipsec.Ike.RekeyTime.TotalSeconds).Should().BeApproximately(1.1, 1e-9, "strongSwan's life_time default");
    }

    [Test]
    public void Every_ike_value_loads_and_life_and_rand_follow_a_declared_rekey_time()
    {
        var spec = Ike("    ike:\n      proposal: aes256-sha384-ecp384\n      ike-rekey-time: 2h\n      rekey-time: 20s\n      dpd-delay: 0\n").Load();
        spec.Ipsec.Ike.Should().Be(new IkeSettings("aes256-sha384-ecp384", TimeSpan.FromHours(2), TimeSpan.FromSeconds(20),
            TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2), TimeSpan.Zero), "a short rekey time keeps the SA 10 s beyond it, not 10 %");
        Ike("    ike:\n      rekey-time: 30m\n").Load().Ipsec.Ike
            .Should().BeEquivalentTo(new { LifeTime = TimeSpan.FromMinutes(33), RandTime = TimeSpan.FromMinutes(3) }, "strongSwan's 110 % where that is longer");
        Ike("    ike:\n      rekey-time: 1m\n      life-time: 90s\n      rand-time: 5\n").Load().Ipsec.Ike
            .Should().BeEquivalentTo(new { RekeyTime = TimeSpan.FromMinutes(1), LifeTime = TimeSpan.FromSeconds(90), RandTime = TimeSpan.FromSeconds(5) });
    }

    [TestCase("esp+ah", "aes128-sha1")]
    [TestCase("esp+ah", "3des-md5")]
    public void An_esp_ah_bundle_is_refused_naming_the_protocol(string proto, string suite)
    {
        Ike("", proto, suite).SingleError(Stack, $"{Ipsec}.proto").Message.Should().Contain("never the esp+ah bundle").And.Contain("keying: manual");
    }

    [Test]
    public void Plain_ip_has_nothing_to_key()
    {
        _p.Config($"  {Ipsec}:\n    proto: none\n    keying: ikev2\n").SingleError(Stack, $"{Ipsec}.proto").Message.Should().Contain("proto is none");
    }

    [TestCase("spi: {forward: 0x5001}", "spi")]
    [TestCase("reqid: {forward: 11}", "reqid")]
    public void Manual_sa_numbers_are_refused_since_the_daemon_chooses_them(string line, string key)
    {
        Ike($"    {line}\n").SingleError(Stack, $"{Ipsec}.{key}").Message.Should().Contain("the IKE daemon chooses SPIs and reqids");
    }

    [Test]
    public void An_ike_section_without_ikev2_keying_is_refused()
    {
        _p.Config($"  {Ipsec}:\n    proto: esp\n    suite: aes128-sha1\n    ike:\n      rekey-time: 20s\n")
            .SingleError(Stack, $"{Ipsec}.ike").Message.Should().Be("is only read with keying: ikev2");
    }

    [TestCase("rekey-time: 20", "rekey-time", null)]
    [TestCase("rekey-time: 2s", "rekey-time", "2s is out of range 5s..31536000s")]
    [TestCase("rekey-time: soon", "rekey-time", "expected a time such as 20s, 10m, 1h or 1d, got 'soon'")]
    [TestCase("rekey-time: 10x", "rekey-time", "expected a time such as 20s, 10m, 1h or 1d, got '10x'")]
    [TestCase("life-time: 10s", "life-time", "must be longer than rekey-time (3600s): a child SA would expire before it is rekeyed")]
    [TestCase("rand-time: 2h", "rand-time", "must be shorter than rekey-time (3600s)")]
    [TestCase("proposal: aes128 sha256", "proposal", "'aes128 sha256' is not an IKE proposal such as aes128-sha256-modp2048 (algorithm keywords joined by '-')")]
    [TestCase("psk: 0x0011", "psk", "keys are generated (ipsec.keys: generate), the pre-shared key too; set ipsec.keys: stack to use this one")]
    [TestCase("lifetime: 1h", "lifetime", null)]
    public void A_wrong_ike_value_is_refused_naming_its_key(string line, string key, string? message)
    {
        if (message is null && key == "rekey-time")
        {
            Ike($"    ike:\n      {line}\n").Load().Ipsec.Ike.RekeyTime.Should().Be(TimeSpan.FromSeconds(20), "a bare number is seconds, as in swanctl.conf");
            return;
        }
        var error = Ike($"    ike:\n      {line}\n").SingleError(Stack, $"{Ipsec}.ike.{key}");
        if (message is null) error.Message.Should().StartWith("unknown key (expected one of: proposal, ike-rekey-time, rekey-time");
        else error.Message.Should().Be(message);
    }

    [Test]
    public void Stack_keys_need_the_pre_shared_key_as_a_secret_value_and_no_sa_keys()
    {
        Ike("    keys: stack\n").SingleError(Stack, $"{Ipsec}.ike.psk").Message
            .Should().StartWith("is missing: keys: stack needs the pre-shared key as a secret value (testbed config set --secret ipsec.ike.psk 0x");
        Ike("    keys: generate\n    key:\n      forward: {}\n").SingleError(Stack, $"{Ipsec}.key").Message
            .Should().StartWith("the IKE daemon derives the SA keys");
    }

    [Test]
    public void A_stack_psk_loads_into_the_keyring_under_its_slot()
    {
        const string passphrase = "correct horse battery staple";
        var (crypter, salt) = PassphraseCrypter.Create(passphrase);
        string Secure(string plain) => $"{{secure: \"{crypter.Encrypt(plain)}\"}}";
        const string psk = "0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        var spec = _p.Config($"  {Ipsec}:\n    proto: esp\n    suite: aes128gcm16\n    keying: ikev2\n    keys: stack\n    ike:\n      psk: {Secure(psk)}\n", salt)
            .Load(env: new Dictionary<string, string> { ["PULUMI_CONFIG_PASSPHRASE"] = passphrase });
        new StackKeyring(spec.Ipsec.StackKeys).Key(IkeSettings.PskSlot, IkeSettings.Psk).Should().Be(Secret.FromHex(psk));
    }
}
