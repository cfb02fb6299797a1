using System.Security.Cryptography;
using System.Text.Json;
using Testbed.Model;

namespace Testbed.Secrets;

/// <summary>
/// Keys the tool makes up itself (<c>ipsec.keys: generate</c>): random, made once per slot and algorithm, and kept
/// encrypted (AES-256-GCM) in the stack's folder so that every later run installs the same ones. The data key sits
/// beside them in a 0600 file; the state file never sees either.
/// </summary>
public sealed class GeneratedKeyring : IKeyring
{
    readonly string _file;
    readonly Lazy<PassphraseCrypter> _crypter;
    readonly Dictionary<string, string> _sealed;
    readonly object _gate = new();

    public GeneratedKeyring(string keysFile, string dataKeyFile)
    {
        _file = keysFile;
        // Made on the first key asked for: a stack without SAs gets no key files at all.
        _crypter = new(() => PassphraseCrypter.FromKey(LoadOrCreateDataKey(dataKeyFile)));
        _sealed = File.Exists(keysFile)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(keysFile)) ?? []
            : [];
    }

    static byte[] LoadOrCreateDataKey(string file)
    {
        if (File.Exists(file))
        {
            if (SecretFiles.TooOpen(file) is { } why) throw new InvalidOperationException($"{file} is {why}; it holds the key to the stack's SA keys (chmod 600)");
            return Convert.FromBase64String(File.ReadAllText(file).Trim());
        }
        var key = RandomNumberGenerator.GetBytes(32);
        SecretFiles.WriteSecret(file, Convert.ToBase64String(key) + "\n");
        return key;
    }

    public Secret Key(string slot, Model.Algorithm algorithm)
    {
        var id = $"{slot}/{algorithm.Name}/{algorithm.KeyBits}";
        lock (_gate)
        {
            if (_sealed.TryGetValue(id, out var cipher) && _crypter.Value.TryDecrypt(cipher) is { } hex && Secret.FromHex(hex) is { } known)
                return known;
            var fresh = Secret.Random(algorithm.KeyBits);
            _sealed[id] = _crypter.Value.Encrypt(fresh.RevealHex());
            SecretFiles.WriteSecret(_file, JsonSerializer.Serialize(_sealed, new JsonSerializerOptions { WriteIndented = true }));
            return fresh;
        }
    }
}
