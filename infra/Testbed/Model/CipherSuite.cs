namespace Testbed.Model;

/// <summary>An algorithm as <c>ip xfrm state</c> names it: the kernel crypto name and its sizes.</summary>
/// <param name="Name">Kernel crypto API name, e.g. <c>cbc(aes)</c>, <c>hmac(sha1)</c>, <c>rfc4106(gcm(aes))</c>.</param>
/// <param name="KeyBits">Key length the kernel expects; for AEAD it includes the 32-bit salt.</param>
/// <param name="TruncBits">auth-trunc length (auth) or ICV length (aead); null for plain ciphers.</param>
public sealed record Algorithm(string Name, int KeyBits, int? TruncBits = null)
{
    public int KeyBytes => KeyBits / 8;
}

/// <summary>
/// A named set of algorithms, spelled as strongSwan proposals are (<c>aes128-sha1</c>, <c>3des-md5</c>,
/// <c>aes128gcm16</c>). Which IPsec protocol carries it is chosen separately (see <see cref="IpsecProto"/>).
/// </summary>
/// <param name="Label">How the paper's figures label it, e.g. "128bit AES-160bit SHA1".</param>
public sealed record CipherSuite(string Name, string Label, Algorithm? Enc, Algorithm? Auth, Algorithm? Aead)
{
    public bool HasEncryption => Enc is not null || Aead is not null;
    public bool HasIntegrity => Auth is not null || Aead is not null;
}

public static class Algorithms
{
    public static readonly Algorithm Des = new("cbc(des)", 64);
    public static readonly Algorithm TripleDes = new("cbc(des3_ede)", 192);
    public static readonly Algorithm Aes128 = new("cbc(aes)", 128);
    public static readonly Algorithm Aes192 = new("cbc(aes)", 192);
    public static readonly Algorithm Aes256 = new("cbc(aes)", 256);

    // Truncation lengths: RFC 2403/2404/3566 (96 bits), RFC 4868 (SHA-256: 128 bits).
    public static readonly Algorithm HmacMd5 = new("hmac(md5)", 128, 96);
    public static readonly Algorithm HmacSha1 = new("hmac(sha1)", 160, 96);
    public static readonly Algorithm HmacSha256 = new("hmac(sha256)", 256, 128);
    public static readonly Algorithm AesXcbc = new("xcbc(aes)", 128, 96);

    // AEAD keys carry a 4-byte salt after the cipher key (RFC 4106, RFC 7634).
    public static readonly Algorithm Aes128Gcm = new("rfc4106(gcm(aes))", 160, 128);
    public static readonly Algorithm Aes256Gcm = new("rfc4106(gcm(aes))", 288, 128);
    public static readonly Algorithm ChaCha20Poly1305 = new("rfc7539esp(chacha20,poly1305)", 288, 128);
}

/// <summary>The suites the tool knows: the paper's 17 IPsec cases (as ESP or AH) plus modern ones.</summary>
public static class CipherSuites
{
    static readonly (string Name, string Label, Algorithm Alg)[] Ciphers =
    [
        ("des", "64bit DES", Algorithms.Des),
        ("3des", "192bit 3DES", Algorithms.TripleDes),
        ("aes128", "128bit AES", Algorithms.Aes128),
        ("aes192", "192bit AES", Algorithms.Aes192),
        ("aes256", "256bit AES", Algorithms.Aes256),
    ];

    static readonly (string Name, string Label, Algorithm Alg)[] Integrity =
    [
        ("md5", "128bit MD5", Algorithms.HmacMd5),
        ("sha1", "160bit SHA1", Algorithms.HmacSha1),
    ];

    public static readonly IReadOnlyList<CipherSuite> All = Build();

    static List<CipherSuite> Build()
    {
        var all = new List<CipherSuite>();
        foreach (var (name, label, alg) in Integrity)
            all.Add(new CipherSuite(name, label, null, alg, null));
        foreach (var (cName, cLabel, cAlg) in Ciphers)
        {
            all.Add(new CipherSuite(cName, cLabel, cAlg, null, null));
            foreach (var (iName, iLabel, iAlg) in Integrity)
                all.Add(new CipherSuite($"{cName}-{iName}", $"{cLabel}-{iLabel}", cAlg, iAlg, null));
        }
        all.Add(new CipherSuite("sha256", "256bit SHA2-256", null, Algorithms.HmacSha256, null));
        all.Add(new CipherSuite("aesxcbc", "128bit AES-XCBC", null, Algorithms.AesXcbc, null));
        all.Add(new CipherSuite("aes128-sha256", "128bit AES-256bit SHA2-256", Algorithms.Aes128, Algorithms.HmacSha256, null));
        all.Add(new CipherSuite("aes128-aesxcbc", "128bit AES-128bit AES-XCBC", Algorithms.Aes128, Algorithms.AesXcbc, null));
        all.Add(new CipherSuite("aes128gcm16", "128bit AES-GCM", null, null, Algorithms.Aes128Gcm));
        all.Add(new CipherSuite("aes256gcm16", "256bit AES-GCM", null, null, Algorithms.Aes256Gcm));
        all.Add(new CipherSuite("chacha20poly1305", "256bit ChaCha20-Poly1305", null, null, Algorithms.ChaCha20Poly1305));
        return all;
    }

    public static CipherSuite? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
