using Testbed.Model;
using Testbed.Secrets;

namespace Testbed.Config;

/// <summary>
/// Opens a stack's <c>secure:</c> values with the passphrase, found where Pulumi looks for it:
/// <c>PULUMI_CONFIG_PASSPHRASE</c> or the file named by <c>PULUMI_CONFIG_PASSPHRASE_FILE</c>.
/// </summary>
public sealed class SecretValues(string? encryptionSalt, Func<string, string?> env)
{
    PassphraseCrypter? _crypter;
    bool _tried;
    string? _problem;

    public static string? Passphrase(Func<string, string?> env)
    {
        if (env("PULUMI_CONFIG_PASSPHRASE") is { Length: > 0 } p) return p;
        if (env("PULUMI_CONFIG_PASSPHRASE_FILE") is { Length: > 0 } file)
        {
            if (!File.Exists(file)) throw new ConfigException(new ConfigError(file, "PULUMI_CONFIG_PASSPHRASE_FILE", "no such file"));
            if (SecretFiles.TooOpen(file) is { } why)
                throw new ConfigException(new ConfigError(file, "PULUMI_CONFIG_PASSPHRASE_FILE", $"the passphrase file is {why}; chmod 600 it"));
            return File.ReadAllText(file).TrimEnd('\r', '\n');
        }
        return null;
    }

    /// <summary>Decrypts one value; on failure records why against <paramref name="node"/> and returns null.</summary>
    public string? Open(YamlView node, string cipherText)
    {
        var crypter = Crypter();
        if (crypter is null)
        {
            node.Error(_problem!);
            return null;
        }
        var plain = crypter.TryDecrypt(cipherText);
        if (plain is null) node.Error("this secret value does not decrypt with the stack's passphrase (was it copied from another stack?)");
        return plain;
    }

    PassphraseCrypter? Crypter()
    {
        if (_tried) return _crypter;
        _tried = true;
        if (encryptionSalt is null) _problem = "is a secret value, but the stack file has no encryptionsalt to open it with";
        else if (Passphrase(env) is not { } pass) _problem = "is a secret value; set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE to open it";
        else
        {
            try
            {
                if ((_crypter = PassphraseCrypter.Open(pass, encryptionSalt)) is null)
                    _problem = "is a secret value, and the passphrase given does not open this stack's secrets";
            }
            catch (FormatException)
            {
                _problem = "is a secret value, but the stack's encryptionsalt is damaged (expected v1:<salt>:v1:<nonce>:<check>)";
            }
        }
        return _crypter;
    }
}
