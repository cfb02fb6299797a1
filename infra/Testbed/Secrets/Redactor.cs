using System.Collections.Concurrent;

namespace Testbed.Secrets;

/// <summary>
/// The last line of defence: every text the tool prints, logs or stores passes through <see cref="Redact"/>,
/// which blanks any key that was ever revealed in this process, and any long hex run that looks like one.
/// </summary>
public static class Redactor
{
    static readonly ConcurrentDictionary<string, byte> Known = new(StringComparer.OrdinalIgnoreCase);

    public static void Register(string secretText)
    {
        if (secretText.Length >= 8) Known.TryAdd(secretText, 0);
    }

    static readonly System.Text.RegularExpressions.Regex LongHex =
        new(@"0x[0-9a-fA-F]{16,}", System.Text.RegularExpressions.RegexOptions.Compiled);

    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        foreach (var secret in Known.Keys)
            if (text.Contains(secret, StringComparison.OrdinalIgnoreCase))
                text = text.Replace(secret, "[secret]", StringComparison.OrdinalIgnoreCase);
        // Keys printed by `ip xfrm state` are long 0x… runs; SPIs and marks are at most 8 hex digits.
        return LongHex.Replace(text, "0x[secret]");
    }
}
