using System.Collections.Concurrent;

namespace Testbed.Secrets;

/// <summary>
/// The last line of defence: every text the tool prints, logs or stores passes through <see cref="Redact"/>,
/// which blanks any key that was ever revealed in this process, and any long hex run that looks like one.
/// </summary>
public static partial class Redactor
{
    static readonly ConcurrentDictionary<string, byte> Known = new(StringComparer.OrdinalIgnoreCase);

    public static void Register(string secretText)
    {
        if (secretText.Length >= 8) Known.TryAdd(secretText, 0);
    }

    // Generated at build time: RegexOptions.Compiled emitted and JIT-compiled the matcher on every run, about 20 ms
    // of start-up for a command that redacts one state file.
    [System.Text.RegularExpressions.GeneratedRegex(@"0x[0-9a-fA-F]{16,}")]
    private static partial System.Text.RegularExpressions.Regex LongHexPattern();

    static readonly System.Text.RegularExpressions.Regex LongHex = LongHexPattern();

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
