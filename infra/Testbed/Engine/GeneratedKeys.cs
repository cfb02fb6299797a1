using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Testbed.Model;
using Testbed.Secrets;

namespace Testbed.Engine;

/// <summary>
/// Keys the tool makes up itself (<c>ipsec.keys: generate</c>, and every suite a bench or the verification suite
/// declares beyond the stack's own): random, made once per slot and algorithm, and kept encrypted (AES-256-GCM) in
/// the stack's folder so that every later run installs the same ones. The data key sits beside them in a 0600 file;
/// the state file never sees either.
/// Asking for a key changes nothing on disk: a key made in this run is <see cref="Pending"/> until <see cref="Save"/>,
/// which <c>up</c> calls before it sends the first command, so <c>preview</c> declares freely and writes nothing.
/// </summary>
public sealed class GeneratedKeys : IKeyring
{
    readonly string _file;
    readonly string _dataKeyFile;
    readonly Lazy<Dictionary<string, string>> _sealed;
    readonly Dictionary<string, Secret> _pending = [];
    PassphraseCrypter? _crypter;
    readonly object _gate = new();

    /// <summary>keys.json: slot to sealed key, indented, written as the serializer's defaults always wrote it.</summary>
    static readonly JsonTypeInfo<Dictionary<string, string>> FileType =
        JsonTypes.Of<Dictionary<string, string>>(new JsonSerializerOptions { WriteIndented = true, TypeInfoResolver = StateJsonContext.Default });

    public GeneratedKeys(string keysFile, string dataKeyFile)
    {
        (_file, _dataKeyFile) = (keysFile, dataKeyFile);
        _sealed = new(() => File.Exists(keysFile)
            ? JsonSerializer.Deserialize(File.ReadAllText(keysFile), FileType) ?? []
            : []);
    }

    /// <summary>The slots of keys made in this run and not saved yet (<c>forward/esp/enc/cbc(aes)/128</c>).</summary>
    public IReadOnlyList<string> Pending
    {
        get { lock (_gate) return [.. _pending.Keys.Order()]; }
    }

    public Secret Key(string slot, Algorithm algorithm)
    {
        var id = $"{slot}/{algorithm.Name}/{algorithm.KeyBits}";
        lock (_gate)
        {
            if (_pending.TryGetValue(id, out var made)) return made;
            if (_sealed.Value.TryGetValue(id, out var cipher) && Crypter(create: false)?.TryDecrypt(cipher) is { } hex && Secret.FromHex(hex) is { } known)
                return known;
            return _pending[id] = Secret.Random(algorithm.KeyBits);
        }
    }

    /// <summary>Writes the keys made in this run (and the data key, the first time): 0600 files, replaced whole.</summary>
    public void Save()
    {
        lock (_gate)
        {
            if (_pending.Count == 0) return;
            var crypter = Crypter(create: true)!;
            foreach (var (id, key) in _pending) _sealed.Value[id] = crypter.Encrypt(key.RevealHex());
            SecretFiles.WriteSecret(_file, JsonSerializer.Serialize(_sealed.Value, FileType));
            _pending.Clear();
        }
    }

    /// <summary>The data key's crypter; null when there is no data key yet and <paramref name="create"/> is false.</summary>
    PassphraseCrypter? Crypter(bool create)
    {
        if (_crypter is not null) return _crypter;
        if (File.Exists(_dataKeyFile))
        {
            if (SecretFiles.TooOpen(_dataKeyFile) is { } why)
                throw new InvalidOperationException($"{_dataKeyFile} is {why}; it holds the key to the stack's SA keys (chmod 600)");
            return _crypter = PassphraseCrypter.FromKey(Convert.FromBase64String(File.ReadAllText(_dataKeyFile).Trim()));
        }
        if (!create) return null;
        var key = RandomNumberGenerator.GetBytes(32);
        SecretFiles.WriteSecret(_dataKeyFile, Convert.ToBase64String(key) + "\n");
        return _crypter = PassphraseCrypter.FromKey(key);
    }
}
