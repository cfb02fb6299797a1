using Testbed.Transport;

namespace Testbed.Resources;

/// <summary>An IPv4 route, by its destination (<c>ip route</c>).</summary>
public sealed record RouteId(string Host, string To) : ResourceId(Host)
{
    public override ResourceKind Kind => ResourceKind.Route;
    public override string Name => To;
    public override IReadOnlyDictionary<string, string> Identity => new Dictionary<string, string> { ["to"] = To };
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

    public override RemoteCommand Restore(Fields? original) =>
        original is null ? new RemoteCommand($"ip route del {Sh.Quote(To)} 2>/dev/null || true") : RemoteCommand.Nothing;
}

/// <summary>A route to the peer's site through the peer gateway, sourced from the local site address.</summary>
public sealed record Route : Resource
{
    public required string To { get; init; }
    public required string Via { get; init; }
    public required string Src { get; init; }
    public IReadOnlyList<string> After { get; init; } = [];

    public override RouteId Id => new(Host, To);
    public override Fields Desired => Fields.Of(("via", Via), ("src", Src));
    public override IEnumerable<string> DependsOn => After;

    public override RemoteCommand Apply(Reading live) => new(Sh.Cmd("ip", "route", "replace", To, "via", Via, "src", Src));

    public override bool Exclusive => true;
}
