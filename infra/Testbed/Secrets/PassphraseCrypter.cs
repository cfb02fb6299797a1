using System.Security.Cryptography;
using System.Text;

namespace Testbed.Secrets;

/// <summary>
/// Secret values as Pulumi's passphrase secrets provider writes them: PBKDF2-SHA256 (1,000,000 rounds) over the
/// passphrase and the stack's <c>encryptionsalt</c>, then AES-256-GCM; a value reads <c>v1:nonce:ciphertext</c>.
/// </summary>
public sealed class PassphraseCrypter
{
    const int Rounds = 1_000_000;
    const string Check = "pulumi";
    readonly byte[] _key;

    PassphraseCrypter(byte[] key) => _key = key;

    /// <summary>A crypter for a fresh stack and the <c>encryptionsalt</c> line that lets it be opened again.</summary>
    public static (PassphraseCrypter Crypter, string EncryptionSalt) Create(string passphrase)
    {
        var salt = RandomNumberGenerator.GetBytes(8);
        var crypter = new PassphraseCrypter(Derive(passphrase, salt));
        return (crypter, $"v1:{Convert.ToBase64String(salt)}:{crypter.Encrypt(Check)}");
    }

    /// <summary>Opens a stack's secrets; null when the passphrase is wrong.</summary>
    public static PassphraseCrypter? Open(string passphrase, string encryptionSalt)
    {
        var parts = encryptionSalt.Split(':', 3);
        if (parts.Length != 3 || parts[0] != "v1") throw new FormatException("encryptionsalt is not of the form v1:salt:check");
        var crypter = new PassphraseCrypter(Derive(passphrase, Convert.FromBase64String(parts[1])));
        return crypter.TryDecrypt(parts[2]) == Check ? crypter : null;
    }

    /// <summary>A crypter under a raw 256-bit key (the tool's own key file for stacks without a passphrase).</summary>
    public static PassphraseCrypter FromKey(byte[] key) => new(key);

    static byte[] Derive(string passphrase, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, Rounds, HashAlgorithmName.SHA256, 32);

    public string Encrypt(string plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[plain.Length + 16];
        using var gcm = new AesGcm(_key, 16);
        gcm.Encrypt(nonce, plain, cipher.AsSpan(0, plain.Length), cipher.AsSpan(plain.Length));
        return $"v1:{Convert.ToBase64String(nonce)}:{Convert.ToBase64String(cipher)}";
    }

    public string? TryDecrypt(string value)
    {
        try
        {
            var parts = value.Split(':');
            if (parts.Length != 3 || parts[0] != "v1") return null;
            var nonce = Convert.FromBase64String(parts[1]);
            var cipher = Convert.FromBase64String(parts[2]);
            if (nonce.Length != 12 || cipher.Length < 16) return null;
            var plain = new byte[cipher.Length - 16];
            using var gcm = new AesGcm(_key, 16);
            gcm.Decrypt(nonce, cipher.AsSpan(0, plain.Length), cipher.AsSpan(plain.Length), plain);
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }
}
