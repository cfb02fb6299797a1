using System.Globalization;
using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>The root qdisc of a device (<c>tc qdisc … root</c>).</summary>
public sealed record ShaperId(string Host, string Dev) : ResourceId(Host)
{
    // The state file keeps no MTU: a tbf put back gets the burst for standard 1500-byte frames, which from 26 Mbit/s
    // up is set by the rate alone.
    const int RestoreMtu = 1500;

    public override ResourceKind Kind => ResourceKind.Qdisc;
    public override string Name => $"{Dev} root";
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["dev"] = Dev };
    public override string ReadScript => Sh.Cmd("tc", "qdisc", "show", "dev", Dev, "root");

    public override Reading Parse(string output)
    {
        var words = output.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || words[0] != "qdisc") return Reading.NotSupported($"no device {Dev}");
        var rate = Array.IndexOf(words, "rate") is var i and >= 0 && i + 1 < words.Length ? Shaper.InMbit(words[i + 1]) : "(none)";
        return Reading.Of(words[1] == "tbf" ? Fields.Of(("qdisc", "tbf"), ("rate", rate)) : Fields.Of(("qdisc", words[1])));
    }

    // A shaper that was there before gets its rate back; otherwise deleting ours gives the device its default qdisc.
    public override RemoteCommand Restore(Fields? original) =>
        original?["qdisc"] == "tbf" && original["rate"] is { } rate && rate.EndsWith("Mbit") && double.TryParse(rate[..^4], CultureInfo.InvariantCulture, out var mbit)
            ? Tbf(rate.ToLowerInvariant(), Shaper.Burst(mbit, RestoreMtu))
            : new(Sh.Cmd("tc", "qdisc", "del", "dev", Dev, "root") + " 2>/dev/null || true");

    internal RemoteCommand Tbf(string rate, int burst) =>
        new(Sh.Cmd("tc", "qdisc", "replace", "dev", Dev, "root", "tbf", "rate", rate, "burst", burst, "latency", "10ms"));
}

/// <summary>
/// A token-bucket shaper on one end of the wire, so the link runs at 10, 100 or 1000 Mbit/s as in the paper.
/// </summary>
public sealed record Shaper : Resource
{
    public required string Dev { get; init; }
    public required int RateMbit { get; init; }
    public required int Mtu { get; init; }

    public override ShaperId Id => new(Host, Dev);
    public override Fields Desired => Fields.Of(("qdisc", "tbf"), ("rate", $"{RateMbit}Mbit"));

    /// <summary>tc prints rates in the largest unit that divides them (1Gbit, 100Mbit, 500Kbit); compare in Mbit.</summary>
    public static string InMbit(string tcRate)
    {
        var units = new (string Suffix, double Factor)[] { ("Gbit", 1000), ("Mbit", 1), ("Kbit", 0.001), ("bit", 0.000001) };
        foreach (var (suffix, factor) in units)
            if (tcRate.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(tcRate[..^suffix.Length], CultureInfo.InvariantCulture, out var n))
                return $"{(n * factor).ToString("0.###", CultureInfo.InvariantCulture)}Mbit";
        return tcRate;
    }

    /// <summary>
    /// The bucket must hold at least a few frames at the largest MTU, and about 2 ms of traffic at the rate,
    /// or the shaper undercuts the rate it is given.
    /// </summary>
    public int BurstBytes => Burst(RateMbit, Mtu);

    internal static int Burst(double rateMbit, int mtu) => Math.Max(4 * (mtu + 100), (int)(rateMbit * 1_000_000 / 8 / 500));

    public override RemoteCommand Apply(Reading live) => Id.Tbf($"{RateMbit}mbit", BurstBytes);
}
