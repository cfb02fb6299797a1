using FluentAssertions;
using NUnit.Framework;
using Testbed.Secrets;
using Testbed.Tests.Support;

namespace Testbed.Tests.Secrets;

public class SecretFilesTests
{
    const UnixFileMode RW = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [TestCase(RW, null)]
    [TestCase(UnixFileMode.UserRead, null)]
    [TestCase(RW | UnixFileMode.OtherRead, "readable by everyone")]
    [TestCase(RW | UnixFileMode.GroupRead, "readable by its group")]
    [TestCase(RW | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "readable by everyone")]
    public void TooOpen_says_who_else_can_read(UnixFileMode mode, string? why)
    {
        using var dir = new TempDir();
        var f = dir.File("k");
        File.WriteAllText(f, "x");
        File.SetUnixFileMode(f, mode);
        SecretFiles.TooOpen(f).Should().Be(why);
    }

    [Test]
    public void WriteSecret_creates_folders_and_a_0600_file_and_replaces_it_whole()
    {
        using var dir = new TempDir();
        var f = Path.Combine(dir.Path, "a", "b", "secret");
        SecretFiles.WriteSecret(f, "one");
        SecretFiles.WriteSecret(f, "two");
        File.ReadAllText(f).Should().Be("two");
        File.GetUnixFileMode(f).Should().Be(RW);
        File.Exists(f + ".tmp").Should().BeFalse();
    }
}
