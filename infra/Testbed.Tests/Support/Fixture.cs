namespace Testbed.Tests.Support;

/// <summary>Command output kept under Fixtures/ (see Fixtures/README.md for where each came from).</summary>
public static class Fixture
{
    public static string Read(string relativePath) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", relativePath));

    /// <summary>The sections of <c>captured/gw-a.composed-read.txt</c>, one real read of gw-a (boot, 0..9: see README).</summary>
    public static IReadOnlyDictionary<string, string> ComposedRead() =>
        Testbed.Engine.LiveReader.Split(Read("captured/gw-a.composed-read.txt"), "@@tb-0123456789ab");

    /// <summary>The made-up keys put back into the captured 3des-sha1 SAs (the ssh verb had redacted the real ones).</summary>
    public const string ForwardEnc = "0x0123456789abcdef0123456789abcdef0123456789abcdef";
    public const string ForwardAuth = "0x00112233445566778899aabbccddeeff00112233";
    public const string ReverseEnc = "0xfedcba9876543210fedcba9876543210fedcba9876543210";
    public const string ReverseAuth = "0xffeeddccbbaa99887766554433221100ffeeddcc";
}
