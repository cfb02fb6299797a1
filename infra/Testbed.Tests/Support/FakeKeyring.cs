using System.Security.Cryptography;
using System.Text;
using Testbed.Model;
using Testbed.Secrets;

namespace Testbed.Tests.Support;

/// <summary>
/// Hands out a fixed, distinct key per slot and algorithm (derived from their names, so a test can recompute it)
/// and remembers what it was asked for.
/// </summary>
public sealed class FakeKeyring : IKeyring
{
    public List<(string Slot, Algorithm Algorithm)> Requests { get; } = [];

    public Secret Key(string slot, Algorithm algorithm)
    {
        Requests.Add((slot, algorithm));
        return For(slot, algorithm);
    }

    public static Secret For(string slot, Algorithm algorithm)
    {
        var bytes = new List<byte>();
        for (var i = 0; bytes.Count < algorithm.KeyBytes; i++)
            bytes.AddRange(SHA256.HashData(Encoding.UTF8.GetBytes($"{slot}|{algorithm.Name}|{algorithm.KeyBits}|{i}")));
        return new Secret(bytes.Take(algorithm.KeyBytes).ToArray());
    }
}
