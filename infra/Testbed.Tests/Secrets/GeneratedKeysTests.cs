using FluentAssertions;
using NUnit.Framework;
using Testbed.Model;
using Testbed.Engine;
using Testbed.Secrets;
using Testbed.Tests.Support;

namespace Testbed.Tests.Secrets;

public class GeneratedKeysTests
{
    TempDir _dir = null!;
    string Keys => _dir.File("stack/keys.json");
    string DataKey => _dir.File("stack/data.key");

    [SetUp]
    public void SetUp() => _dir = new TempDir();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    GeneratedKeys Ring() => new(Keys, DataKey);

    /// <summary>A key asked for and saved, as one <c>up</c> does.</summary>
    Secret Made(string slot, Algorithm alg)
    {
        var ring = Ring();
        var key = ring.Key(slot, alg);
        ring.Save();
        return key;
    }

    [Test]
    public void A_key_is_made_once_and_the_same_key_comes_back_on_a_later_run()
    {
        var first = Made("forward/esp/enc", Algorithms.Aes128);
        first.Bits.Should().Be(128);
        Ring().Key("forward/esp/enc", Algorithms.Aes128).Should().Be(first, "a new keyring on the same files is a later run");
    }

    [Test]
    public void Different_slots_and_algorithms_get_different_keys()
    {
        var ring = Ring();
        var a = ring.Key("forward/esp/enc", Algorithms.Aes128);
        ring.Key("reverse/esp/enc", Algorithms.Aes128).Should().NotBe(a);
        var aes192 = ring.Key("forward/esp/enc", Algorithms.Aes192);
        aes192.Bits.Should().Be(192, "cbc(aes) is one name for three key lengths");
        ring.Key("forward/esp/aead", Algorithms.Aes128Gcm).Bits.Should().Be(160);
        ring.Key("forward/esp/enc", Algorithms.Aes128).Should().Be(a);
    }

    [Test]
    public void Its_files_are_0600_and_hold_no_key_in_the_clear()
    {
        var key = Made("forward/esp/enc", Algorithms.TripleDes);
        File.GetUnixFileMode(Keys).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(DataKey).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.ReadAllText(Keys).Should().Contain("forward/esp/enc/cbc(des3_ede)/192").And.NotContain(key.RevealHex()[2..]);
    }

    [Test]
    public void Without_its_data_key_the_keys_file_gives_new_keys()
    {
        var first = Made("forward/esp/enc", Algorithms.Aes128);
        File.Delete(DataKey);
        Ring().Key("forward/esp/enc", Algorithms.Aes128).Should().NotBe(first);
    }

    [Test]
    public void A_data_key_readable_by_others_is_refused()
    {
        Made("forward/esp/enc", Algorithms.Aes128);
        File.SetUnixFileMode(DataKey, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        FluentActions.Invoking(() => Ring().Key("forward/esp/enc", Algorithms.Aes128))
            .Should().Throw<InvalidOperationException>().WithMessage("*readable by everyone*chmod 600*");
    }

    [Test]
    public void A_keyring_asked_for_no_key_writes_no_key_files()
    {
        _ = Ring();
        File.Exists(DataKey).Should().BeFalse("a stack without SAs needs no data key");
    }

    [Test]
    public void Asking_for_keys_writes_nothing_until_they_are_saved()
    {
        var ring = Ring();
        var key = ring.Key("forward/esp/enc", Algorithms.Aes128);
        ring.Key("reverse/esp/auth", Algorithms.HmacSha1);
        ring.Pending.Should().Equal("forward/esp/enc/cbc(aes)/128", "reverse/esp/auth/hmac(sha1)/160");
        Directory.Exists(_dir.File("stack")).Should().BeFalse("a preview declares keys but must leave the stack's folder as it was");
        ring.Key("forward/esp/enc", Algorithms.Aes128).Should().Be(key, "within one run a pending key stays the same");

        ring.Save();
        ring.Pending.Should().BeEmpty();
        Ring().Key("forward/esp/enc", Algorithms.Aes128).Should().Be(key, "a saved key comes back on the next run");
        Ring().Pending.Should().BeEmpty();
    }

    [Test]
    public void Stack_keyring_maps_slots_to_the_stacks_key_names()
    {
        var enc = Secret.Random(128);
        var auth = Secret.Random(160);
        var ring = new StackKeyring(new Dictionary<string, Secret> { ["forward.enc"] = enc, ["forward.auth"] = auth });
        ring.Key("forward/esp/enc", Algorithms.Aes128).Should().Be(enc);
        ring.Key("forward/ah/auth", Algorithms.HmacSha1).Should().Be(auth, "in esp+ah the AH SA takes the auth key");
        FluentActions.Invoking(() => ring.Key("reverse/esp/enc", Algorithms.Aes128))
            .Should().Throw<KeyNotFoundException>().WithMessage("ipsec.key.reverse.enc is not set");
    }
}
