namespace Testbed.Resources;

/// <summary>
/// Reads what <c>ip xfrm state</c> and <c>ip xfrm policy</c> print: blocks that open with an unindented
/// <c>src … dst …</c> line. Keys are turned into fingerprints as they are read and go no further.
/// </summary>
public static class XfrmText
{
    // Two processes: in one `ip -batch`, a policy dump after a state dump comes back empty (iproute2 6.1).
    public const string StateScript = "ip xfrm state list";
    public const string PolicyScript = "ip xfrm policy list";

    public sealed record Block(string Src, string Dst, IReadOnlyList<string[]> Lines);

    public static IEnumerable<Block> Blocks(string output)
    {
        string? src = null, dst = null;
        var lines = new List<string[]>();
        foreach (var raw in output.Split('\n'))
        {
            if (raw.Length == 0) continue;
            var words = raw.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) continue;
            var indented = raw[0] is ' ' or '\t';
            if (!indented)
            {
                if (src is not null) yield return new Block(src, dst!, lines);
                (src, dst, lines) = (null, null, []);
                if (words is ["src", var s, "dst", var d, ..]) (src, dst) = (s, d);
                continue;
            }
            if (src is not null) lines.Add(words);
        }
        if (src is not null) yield return new Block(src, dst!, lines);
    }

    /// <summary>The words after <paramref name="key"/> on the first line that has it.</summary>
    public static string[]? After(Block block, string key)
    {
        foreach (var words in block.Lines)
        {
            var i = Array.IndexOf(words, key);
            if (i >= 0) return words[(i + 1)..];
        }
        return null;
    }

    public static uint? ParseNumber(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text[2..], System.Globalization.NumberStyles.HexNumber, null, out var h) ? h : null
            : uint.TryParse(text, out var d) ? d : null;

    public static string Hex(uint spi) => $"0x{spi:x8}";

    /// <summary>
    /// An SA's name, declared or read back: <c>esp spi 0x00001001 192.0.2.1&gt;192.0.2.2</c>. One format for both,
    /// since the SA check tells declared from unexpected SAs by comparing these names.
    /// </summary>
    public static string SaName(string proto, uint spi, string src, string dst) => $"{proto} spi {Hex(spi)} {src}>{dst}";
}
