using System.Globalization;
using System.Text.RegularExpressions;

namespace Verification.Ike;

/// <summary>
/// What <c>ip -ts xfrm monitor SA</c> printed: an event opens with <c>[2026-12-03T16:50:12.123456] src … dst …</c> and its
/// next line names <c>proto esp spi 0x…</c>. An inbound SA shows first as "Updated" (the daemon reserves the SPI, then
/// fills it in); one that goes shows as "Deleted".
/// </summary>
public static partial class XfrmMonitor
{
    /// <summary>The moments a new SA towards <paramref name="dst"/> was installed, as Unix seconds: the first event of each SPI.</summary>
    public static IReadOnlyList<double> Installed(string monitor, string dst)
    {
        var seen = new HashSet<string>();
        return SaEvent().Matches(monitor)
            .Where(m => m.Groups["dst"].Value == dst && m.Groups["what"].Value != "Deleted " && seen.Add(m.Groups["spi"].Value))
            .Select(m => DateTimeOffset.Parse(m.Groups["ts"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds() / 1000.0)
            .ToList();
    }

    /// <summary>Every SA the events name, made or deleted, once each: <c>("esp", "192.0.2.1", "192.0.2.2", 0xc29842aa)</c>.</summary>
    public static IReadOnlyList<(string Proto, string Src, string Dst, uint Spi)> Sas(string monitor) =>
        SaEvent().Matches(monitor)
            .Select(m => (m.Groups["proto"].Value, m.Groups["src"].Value, m.Groups["dst"].Value,
                uint.Parse(m.Groups["spi"].Value.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)))
            .Distinct().ToList();

    [GeneratedRegex(@"^\[(?<ts>[0-9T:.-]+)\] (?<what>Updated |Deleted )?src (?<src>\S+) dst (?<dst>\S+)\s*\n\s+proto (?<proto>\S+) spi (?<spi>0x[0-9a-f]+)", RegexOptions.Multiline)]
    private static partial Regex SaEvent();
}
