using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>A dummy interface that holds a gateway's site address (the LAN behind the gateway, in tunnel mode).</summary>
public sealed record DummyLink : Resource
{
    public required string Dev { get; init; }

    public override string Kind => "link";
    public override string Name => Dev;
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["dev"] = Dev };
    public override Fields Desired => Fields.Of(("state", "up"));

    string FlagsPath => $"/sys/class/net/{Dev}/flags";

    public override string ReadScript => Sh.ReadFirstLine(FlagsPath, "!absent");

    public override Reading Parse(string output)
    {
        var text = output.Trim();
        if (text == "!absent" || !text.StartsWith("0x")) return Reading.Absent;
        var flags = Convert.ToUInt32(text[2..], 16);
        return Reading.Of(Fields.Of(("state", (flags & 1) != 0 ? "up" : "down")));   // IFF_UP
    }

    public override RemoteCommand Apply(Reading live) => new(
        $"ip link show dev {Sh.Quote(Dev)} >/dev/null 2>&1 || ip link add {Sh.Quote(Dev)} type dummy\nip link set dev {Sh.Quote(Dev)} up");

    public override RemoteCommand Restore(Fields? original) =>
        original is null ? new RemoteCommand($"ip link del dev {Sh.Quote(Dev)} 2>/dev/null || true") : RemoteCommand.Nothing;

    public override bool Exclusive => true;
}

/// <summary>An IPv4 address on an interface (<c>ip addr</c>).</summary>
public sealed record Address : Resource
{
    public required string Dev { get; init; }
    public required string Cidr { get; init; }
    public IReadOnlyList<string> After { get; init; } = [];

    public override string Kind => "addr";
    public override string Name => $"{Cidr} dev {Dev}";
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["dev"] = Dev, ["cidr"] = Cidr };
    public override Fields Desired => Fields.Of(("dev", Dev));
    public override IEnumerable<string> DependsOn => After;
    public override string ReadScript => Ipv4Read;

    /// <summary>Addresses and routes in one process; the line shapes tell them apart.</summary>
    public const string Ipv4Read = "ip -o -4 -batch - <<'EOF'\naddr show\nroute show\nEOF";

    public override Reading Parse(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var words = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 4 && words[2] == "inet" && words[3] == Cidr)
                return Reading.Of(Fields.Of(("dev", words[1])));
        }
        return Reading.Absent;
    }

    public override RemoteCommand Apply(Reading live) =>
        new((live.Value?["dev"] is { } wrongDev && wrongDev != Dev ? $"ip addr del {Sh.Quote(Cidr)} dev {Sh.Quote(wrongDev)}\n" : "") +
            $"ip addr replace {Sh.Quote(Cidr)} dev {Sh.Quote(Dev)}");

    public override RemoteCommand Restore(Fields? original) =>
        original is null ? new RemoteCommand($"ip addr del {Sh.Quote(Cidr)} dev {Sh.Quote(Dev)} 2>/dev/null || true") : RemoteCommand.Nothing;

    public override bool Exclusive => true;
}

/// <summary>A route to the peer's site through the peer gateway, sourced from the local site address.</summary>
public sealed record Route : Resource
{
    public required string To { get; init; }
    public required string Via { get; init; }
    public required string Src { get; init; }
    public IReadOnlyList<string> After { get; init; } = [];

    public override string Kind => "route";
    public override string Name => To;
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["to"] = To };
    public override Fields Desired => Fields.Of(("via", Via), ("src", Src));
    public override IEnumerable<string> DependsOn => After;
    public override string ReadScript => Address.Ipv4Read;

    public override Reading Parse(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || words[0] != To) continue;
            string Word(string key) { var i = Array.IndexOf(words, key); return i >= 0 && i + 1 < words.Length ? words[i + 1] : "(none)"; }
            return Reading.Of(Fields.Of(("via", Word("via")), ("src", Word("src"))));
        }
        return Reading.Absent;
    }

    public override RemoteCommand Apply(Reading live) => new(Sh.Cmd("ip", "route", "replace", To, "via", Via, "src", Src));

    public override RemoteCommand Restore(Fields? original) =>
        original is null ? new RemoteCommand($"ip route del {Sh.Quote(To)} 2>/dev/null || true") : RemoteCommand.Nothing;

    public override bool Exclusive => true;
}
