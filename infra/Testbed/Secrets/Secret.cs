using System.Security.Cryptography;

namespace Testbed.Secrets;

/// <summary>
/// Key material. It prints as <c>[secret]</c> everywhere; the only way to its text is <see cref="RevealHex"/>,
/// which also registers the text with the <see cref="Redactor"/> so that no output can carry it.
/// </summary>
public sealed class Secret : IEquatable<Secret>
{
    readonly byte[] _bytes;

    public Secret(byte[] bytes) => _bytes = (byte[])bytes.Clone();

    public int Bits => _bytes.Length * 8;

    public static Secret Random(int bits) => new(RandomNumberGenerator.GetBytes(bits / 8));

    /// <summary>Parses <c>0x</c>-prefixed hex as <c>ip xfrm</c> takes it; null when it is not hex.</summary>
    public static Secret? FromHex(string text)
    {
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (hex.Length == 0 || hex.Length % 2 != 0 || !hex.All(Uri.IsHexDigit)) return null;
        return new Secret(Convert.FromHexString(hex));
    }

    /// <summary>The key as <c>ip xfrm</c> wants it. Only for text that goes to a host's stdin.</summary>
    public string RevealHex()
    {
        var hex = "0x" + Convert.ToHexStringLower(_bytes);
        Redactor.Register(hex);
        return hex;
    }

    internal byte[] RevealBytes() => (byte[])_bytes.Clone();

    /// <summary>A short, one-way tag that tells two keys apart without saying anything about either.</summary>
    public string Fingerprint => Fingerprints.Of(_bytes);

    public override string ToString() => "[secret]";

    public bool Equals(Secret? other) => other is not null && CryptographicOperations.FixedTimeEquals(_bytes, other._bytes);

    public override bool Equals(object? obj) => obj is Secret s && Equals(s);

    public override int GetHashCode() => _bytes.Length;
}

/// <summary>Keyed fingerprints: state files compare keys by these, never by the keys themselves.</summary>
public static class Fingerprints
{
    // A fixed, public pepper: the point is a stable, non-reversible tag, not secrecy of the tag.
    static readonly byte[] Pepper = "ipsec-testbed key fingerprint v1"u8.ToArray();

    public static string Of(ReadOnlySpan<byte> key) =>
        "sha256:" + Convert.ToHexStringLower(HMACSHA256.HashData(Pepper, key))[..16];

    /// <summary>Fingerprint of a key as a host prints it (<c>0x…</c> hex).</summary>
    public static string OfHex(string hex) =>
        Secret.FromHex(hex) is { } s ? s.Fingerprint : "sha256:unreadable";
}
