using FluentAssertions;
using NUnit.Framework;
using Testbed.Tests.Support;
using Testbed.Transport;

namespace Testbed.Tests.Transport;

public class HostKeyPinsTests
{
    TempDir _dir = null!;
    HostKeyPins _pins = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempDir();
        _pins = new HostKeyPins(_dir.File("known_hosts"));
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public void The_first_key_seen_is_pinned_in_a_0600_file()
    {
        _pins.Check("gw-a", "AAAA1111").Should().BeNull();
        _pins.Pinned("gw-a").Should().Be("AAAA1111");
        File.ReadAllText(_pins.File).Should().Be("gw-a SHA256:AAAA1111\n");
        File.GetUnixFileMode(_pins.File).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Test]
    public void The_same_key_again_is_accepted()
    {
        _pins.Check("gw-a", "AAAA1111");
        new HostKeyPins(_pins.File).Check("gw-a", "AAAA1111").Should().BeNull("a later run reads the pin from the file");
    }

    [Test]
    public void A_changed_key_is_refused_naming_the_host_both_keys_and_the_file()
    {
        _pins.Check("gw-a", "AAAA1111");
        var why = new HostKeyPins(_pins.File).Check("gw-a", "BBBB2222");
        why.Should().Be($"host key of gw-a changed: pinned SHA256:AAAA1111, offered SHA256:BBBB2222. " +
                        $"If gw-a was rebuilt on purpose, remove its line from {_pins.File}.");
        _pins.Pinned("gw-a").Should().Be("AAAA1111", "a refused key does not replace the pin");
    }

    [Test]
    public void Hosts_are_pinned_separately_and_can_be_forgotten()
    {
        _pins.Check("gw-a", "AAAA");
        _pins.Check("gw-b", "BBBB").Should().BeNull();
        _pins.Check("gw-b", "AAAA").Should().NotBeNull();
        _pins.Forget("gw-b");
        _pins.Pinned("gw-b").Should().BeNull();
        _pins.Pinned("gw-a").Should().Be("AAAA");
        _pins.Check("gw-b", "CCCC").Should().BeNull("after forgetting, the next key is trusted on first use again");
    }

    [Test]
    public void Pin_sets_a_known_key_outright_leaving_the_file_as_forget_then_check_would()
    {
        _pins.Check("gw-a", "AAAA");
        _pins.Check("gw-b", "BBBB");
        _pins.Pin("gw-a", "CCCC");
        _pins.Pinned("gw-a").Should().Be("CCCC", "a key the tool made itself replaces the pin, unlike an offered one");
        File.ReadAllText(_pins.File).Should().Be("gw-b SHA256:BBBB\ngw-a SHA256:CCCC\n");
        var written = File.GetLastWriteTimeUtc(_pins.File);
        File.SetLastWriteTimeUtc(_pins.File, written.AddMinutes(-1));
        _pins.Pin("gw-a", "CCCC");
        File.GetLastWriteTimeUtc(_pins.File).Should().Be(written.AddMinutes(-1), "the same pin again writes nothing");
        _pins.Pin("gw-c", "DDDD");
        _pins.Pinned("gw-c").Should().Be("DDDD");
    }

    [Test]
    public void Nothing_is_pinned_before_the_first_check()
    {
        _pins.Pinned("gw-a").Should().BeNull();
        File.Exists(_pins.File).Should().BeFalse();
    }
}
