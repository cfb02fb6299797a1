using Testbed.Secrets;

namespace Testbed.Model;

/// <summary>Where SA keys come from. A slot names the SA and the key's use, e.g. <c>forward/esp/enc</c>.</summary>
public interface IKeyring
{
    Secret Key(string slot, Algorithm algorithm);
}

/// <summary>Keys given in the stack file (decrypted secret values), by <c>&lt;flow&gt;.&lt;enc|auth|aead&gt;</c>.</summary>
public sealed class StackKeyring(IReadOnlyDictionary<string, Secret> keys) : IKeyring
{
    public Secret Key(string slot, Algorithm algorithm)
    {
        // forward/esp/enc -> forward.enc: the stack names keys by flow and use; the protocol follows from the suite.
        var parts = slot.Split('/');
        var name = parts.Length == 3 ? $"{parts[0]}.{parts[2]}" : slot;
        return keys.TryGetValue(name, out var key) ? key : throw new KeyNotFoundException($"ipsec.key.{name} is not set");
    }
}
