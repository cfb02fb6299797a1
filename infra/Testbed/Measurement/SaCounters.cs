using System.Globalization;
using Testbed.Resources;

namespace Testbed.Measurement;

/// <summary>
/// One SA's counters from <c>ip -s xfrm state</c>: what it has processed ("lifetime current") and what it has
/// dropped (replay-window overflows, replays, integrity failures).
/// </summary>
public sealed record SaCounter(string Src, string Dst, string Proto, uint Spi, long Bytes, long Packets, long ReplayWindowDrops, long Replays, long Failed)
{
    public string Name => XfrmText.SaName(Proto, Spi, Src, Dst);

    /// <summary>The script that prints the counters, with the key lines dropped on the host so keys never travel.</summary>
    public const string Script = "ip -s xfrm state list | grep -Ev '^[[:space:]]+(enc|auth|auth-trunc|aead|comp) ' || true";

    public static IReadOnlyList<SaCounter> Parse(string output)
    {
        var list = new List<SaCounter>();
        foreach (var block in XfrmText.Blocks(output))
        {
            var head = block.Lines.FirstOrDefault(w => w is ["proto", _, "spi", ..]);
            if (head is null) continue;
            // With -s, ip prints "spi 0x00001001(4097)".
            var spiText = head[3].Split('(')[0];
            if (XfrmText.ParseNumber(spiText) is not { } spi) throw new FormatException($"SA spi '{head[3]}' is not a number");
            long bytes = 0, packets = 0, replayWindow = 0, replay = 0, failed = 0;
            var sawCurrent = false;
            foreach (var words in block.Lines)
            {
                // "lifetime current:" is followed by "N(bytes), M(packets)".
                if (words is ["lifetime", "current:"]) { sawCurrent = true; continue; }
                if (sawCurrent && words.Length >= 2 && words[0].EndsWith("(bytes),", StringComparison.Ordinal))
                {
                    bytes = Count(words[0], "(bytes),");
                    packets = Count(words[1], "(packets)");
                    sawCurrent = false;
                }
                if (words is ["replay-window", var rw, "replay", var rp, "failed", var f, ..])
                    (replayWindow, replay, failed) = (Number(rw), Number(rp), Number(f));
            }
            list.Add(new SaCounter(block.Src, block.Dst, head[1], spi, bytes, packets, replayWindow, replay, failed));
        }
        return list;
    }

    static long Count(string word, string suffix) =>
        word.EndsWith(suffix, StringComparison.Ordinal) ? Number(word[..^suffix.Length]) : throw new FormatException($"'{word}' does not end in {suffix}");

    static long Number(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new FormatException($"'{text}' is not a counter");
}

/// <summary>How much one SA processed on one gateway during a run.</summary>
public sealed record SaDelta(string Host, string Sa, string Src, string Dst, string Proto, uint Spi, long Bytes, long Packets, long Failed, long Replays)
{
    /// <summary>Pairs the SAs of two samples by identity; an SA missing from either sample is left out (and shows by its absence).</summary>
    public static IReadOnlyList<SaDelta> Between(string host, IReadOnlyList<SaCounter> before, IReadOnlyList<SaCounter> after) =>
        after.Select(a => (a, b: before.FirstOrDefault(b => b.Name == a.Name)))
            .Where(p => p.b is not null)
            .Select(p => new SaDelta(host, p.a.Name, p.a.Src, p.a.Dst, p.a.Proto, p.a.Spi,
                p.a.Bytes - p.b!.Bytes, p.a.Packets - p.b.Packets, p.a.Failed - p.b.Failed, p.a.Replays - p.b.Replays))
            .ToList();
}
