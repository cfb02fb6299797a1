using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>
/// A package a gateway needs (netperf, iproute2, ethtool), found by the command it provides. Installed with the
/// host's package manager; removed again on destroy only if this tool installed it.
/// </summary>
public sealed record Package : Resource
{
    public required string PackageName { get; init; }
    public required string Command { get; init; }

    public override string Kind => "package";
    public override string Name => PackageName;
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["package"] = PackageName, ["command"] = Command };
    public override Fields Desired => Fields.Scalar("installed");

    public override string ReadScript => $"command -v {Sh.Quote(Command)} >/dev/null 2>&1 && echo installed || echo absent";

    public override Reading Parse(string output) => output.Trim() == "installed" ? Reading.Of(Fields.Scalar("installed")) : Reading.Absent;

    public override RemoteCommand Apply(Reading live) => new(
        $"if command -v apt-get >/dev/null; then DEBIAN_FRONTEND=noninteractive apt-get install -y -q {Sh.Quote(PackageName)};" +
        $" elif command -v dnf >/dev/null; then dnf install -y -q {Sh.Quote(PackageName)};" +
        $" else echo no apt-get or dnf to install {Sh.Quote(PackageName)} with >&2; exit 1; fi");

    public override RemoteCommand Restore(Fields? original) => original is not null ? RemoteCommand.Nothing : new(
        $"if command -v apt-get >/dev/null; then DEBIAN_FRONTEND=noninteractive apt-get remove -y -q {Sh.Quote(PackageName)};" +
        $" elif command -v dnf >/dev/null; then dnf remove -y -q {Sh.Quote(PackageName)}; fi");

    /// <summary>
    /// What every gateway needs: netperf/netserver to measure, ip for xfrm, ethtool for the NIC, and tcpdump and
    /// tcpreplay for the verification suite's wire checks (capture the tunnel, replay a packet into it).
    /// </summary>
    public static readonly (string Package, string Command)[] Required =
        [("netperf", "netperf"), ("iproute2", "ip"), ("ethtool", "ethtool"), ("tcpdump", "tcpdump"), ("tcpreplay", "tcpreplay")];
}

/// <summary>
/// A token-bucket shaper on one end of the wire, so the link runs at 10, 100 or 1000 Mbit/s as in the paper.
/// </summary>
public sealed record Shaper : Resource
{
    public required string Dev { get; init; }
    public required int RateMbit { get; init; }
    public required int Mtu { get; init; }

    public override string Kind => "qdisc";
    public override string Name => $"{Dev} root";
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["dev"] = Dev };
    public override Fields Desired => Fields.Of(("qdisc", "tbf"), ("rate", $"{RateMbit}Mbit"));
    public override string ReadScript => Sh.Cmd("tc", "qdisc", "show", "dev", Dev, "root");

    public override Reading Parse(string output)
    {
        var words = output.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || words[0] != "qdisc") return Reading.NotSupported($"no device {Dev}");
        var rate = Array.IndexOf(words, "rate") is var i and >= 0 && i + 1 < words.Length ? InMbit(words[i + 1]) : "(none)";
        return Reading.Of(words[1] == "tbf" ? Fields.Of(("qdisc", "tbf"), ("rate", rate)) : Fields.Of(("qdisc", words[1])));
    }

    /// <summary>tc prints rates in the largest unit that divides them (1Gbit, 100Mbit, 500Kbit); compare in Mbit.</summary>
    public static string InMbit(string tcRate)
    {
        var units = new (string Suffix, double Factor)[] { ("Gbit", 1000), ("Mbit", 1), ("Kbit", 0.001), ("bit", 0.000001) };
        foreach (var (suffix, factor) in units)
            if (tcRate.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(tcRate[..^suffix.Length], System.Globalization.CultureInfo.InvariantCulture, out var n))
                return $"{(n * factor).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}Mbit";
        return tcRate;
    }

    /// <summary>
    /// The bucket must hold at least a few frames at the largest MTU, and about 2 ms of traffic at the rate,
    /// or the shaper undercuts the rate it is given.
    /// </summary>
    public int BurstBytes => Burst(RateMbit);

    int Burst(double rateMbit) => Math.Max(4 * (Mtu + 100), (int)(rateMbit * 1_000_000 / 8 / 500));

    public override RemoteCommand Apply(Reading live) =>
        new(Sh.Cmd("tc", "qdisc", "replace", "dev", Dev, "root", "tbf", "rate", $"{RateMbit}mbit", "burst", BurstBytes, "latency", "10ms"));

    // A shaper that was there before gets its rate back; otherwise deleting ours gives the device its default qdisc.
    public override RemoteCommand Restore(Fields? original) =>
        original?["qdisc"] == "tbf" && original["rate"] is { } rate && rate.EndsWith("Mbit") && double.TryParse(rate[..^4], System.Globalization.CultureInfo.InvariantCulture, out var mbit)
            ? new(Sh.Cmd("tc", "qdisc", "replace", "dev", Dev, "root", "tbf", "rate", rate.ToLowerInvariant(), "burst", Burst(mbit), "latency", "10ms"))
            : new(Sh.Cmd("tc", "qdisc", "del", "dev", Dev, "root") + " 2>/dev/null || true");
}
