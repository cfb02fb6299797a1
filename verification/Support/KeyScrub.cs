using System.Text.RegularExpressions;

namespace Verification.Support;

/// <summary>
/// The fixture knows real keys (it made the lab's, it reads the generated ones off the hosts). Nothing it prints may
/// carry one, not even the message of a failing assertion about a leak: every text it shows passes through here.
/// </summary>
public static partial class KeyScrub
{
    static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every secret the fixture handled: SA keys as hex without 0x, and the stack passphrase.</summary>
    public static IReadOnlyList<string> Secrets
    {
        get { lock (Known) return Known.ToList(); }
    }

    public static void Add(string secret)
    {
        var text = secret.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? secret[2..] : secret;
        lock (Known) Known.Add(text);
    }

    public static string Scrub(string text)
    {
        foreach (var secret in Secrets)
            text = text.Replace(secret, "[scrubbed]", StringComparison.OrdinalIgnoreCase);
        return LongHex().Replace(text, "[hex]");
    }

    // Anything that looks like key material; SPIs, marks and bitmaps are at most 8 hex digits.
    [GeneratedRegex("(0x)?[0-9a-fA-F]{24,}")]
    private static partial Regex LongHex();
}
